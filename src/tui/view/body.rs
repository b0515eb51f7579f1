//! The body between the bars: the Overview's panels, a list tab's table with its detail pane,
//! the Timeline's chart, the running exercise and the Review pack as a document.
//!
//! Invariant: every pane whose text can be longer than its area is drawn from the shared
//! [`Pane`] (offset clamped) and shows its position in its border when it overflows.

use super::{Areas, Pane};
use crate::tui::app::App;
use crate::tui::tab::Tab;
use crate::tui::tabs::{self, overview, risks};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, Table, TableState, Wrap};
use std::fmt::Write as _;

pub(super) fn draw(f: &mut Frame, app: &App, a: &Areas, pane: Option<&Pane>) {
    let t = &app.theme;
    match &app.data {
        None => f.render_widget(Paragraph::new("loading…").style(t.fg(t.muted)), a.body),
        Some(d) if app.tab == Tab::Overview => overview::render(f, a.body, d, app.now, t),
        Some(_) if app.tab == Tab::Tabletop && app.running.is_some() => {
            if let Some(r) = &app.running {
                tabs::tabletop::render(f, a.body, r, app.now, t, app.pane);
            }
        }
        Some(_) if app.tab == Tab::Review => document(f, app, a.list, pane),
        Some(d) if app.tab == Tab::Timeline && !app.shape.timeline.ledger => {
            let lv = app.list();
            let gantt = tabs::timeline::Gantt {
                rows: &app.rows,
                selected: lv.selected,
                offset: lv.offset,
                view: &app.shape.timeline,
                data: d,
                footer: &app.whatif_summary,
            };
            tabs::timeline::render(f, a.list, &gantt, t);
            if let Some(area) = a.detail {
                detail(f, app, area, pane, None);
            }
        }
        Some(d) => {
            if app.tab == Tab::Timeline {
                let lv = app.list();
                let v = tabs::timeline::ledger::View {
                    rows: &app.rows,
                    selected: lv.selected,
                    offset: lv.offset,
                    filter: &lv.filter,
                    data: d,
                };
                tabs::timeline::ledger::render(f, a.list, &v, t);
            } else {
                list(f, app, a.list);
            }
            if let Some(s) = a.side {
                let mut lines = risks::heat_map(d, false, t);
                lines.push(Line::default());
                lines.extend(risks::heat_map(d, true, t));
                f.render_widget(
                    Paragraph::new(lines).block(Block::bordered().border_style(t.fg(t.border))),
                    s,
                );
            }
            if let Some(area) = a.detail {
                let title = if app.tab == Tab::Frameworks {
                    " why "
                } else {
                    " detail (Esc closes) "
                };
                detail(f, app, area, pane, Some(title));
            }
        }
    }
}

/// A border with `title` on the left and, when the pane overflows, its position and the keys
/// that scroll it on the right.
fn pane_block<'a>(app: &App, title: Option<String>, pane: Option<&Pane>) -> Block<'a> {
    let t = &app.theme;
    let mut block = Block::bordered().border_style(t.fg(t.border));
    if let Some(title) = title {
        block = block.title(Span::styled(title, t.title()));
    }
    if let Some(pos) = pane.and_then(Pane::position) {
        let keys = format!(
            "{}/{}",
            app.keymap.key_for(crate::tui::action::Action::PaneDown),
            app.keymap.key_for(crate::tui::action::Action::PaneUp)
        );
        block = block
            .title_top(Line::styled(format!(" {pos} · {keys} "), t.fg(t.muted)).right_aligned());
    }
    block
}

/// The detail pane of the selected row, scrolled.
fn detail(f: &mut Frame, app: &App, area: Rect, pane: Option<&Pane>, title: Option<&str>) {
    let (lines, offset) = pane.map_or_else(|| (Vec::new(), 0), |p| (p.lines.clone(), p.offset));
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((offset as u16, 0))
            .block(pane_block(app, title.map(str::to_owned), pane)),
        area,
    );
}

/// The Review pack as a document, scrolled.
fn document(f: &mut Frame, app: &App, area: Rect, pane: Option<&Pane>) {
    let lv = app.list();
    let mut title = format!(" {} · management review pack ", app.tab.title());
    if !lv.filter.is_empty() {
        let _ = write!(title, "· filter: {} ", lv.filter);
    }
    let (lines, offset) = pane.map_or_else(|| (Vec::new(), 0), |p| (p.lines.clone(), p.offset));
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((offset as u16, 0))
            .block(pane_block(app, Some(title), pane)),
        area,
    );
}

fn list(f: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let spec = tabs::view(app.tab).spec(&app.shape);
    let lv = app.list();
    let cols = spec.visible(area.width.saturating_sub(2));
    let header = Row::new(cols.iter().map(|i| Line::raw(spec.headers[*i])))
        .style(t.fg(t.muted).add_modifier(Modifier::BOLD));
    let page = usize::from(area.height.saturating_sub(3));
    let shown = app.rows.iter().skip(lv.offset).take(page.max(1));
    let texts: Vec<Vec<&str>> = shown
        .clone()
        .map(|r| {
            cols.iter()
                .map(|i| r.cells.get(*i).map_or("", |c| c.text.as_str()))
                .collect()
        })
        .collect();
    let headers: Vec<&str> = cols.iter().map(|i| spec.headers[*i]).collect();
    let fitted = crate::tui::rows::column_widths(
        &headers,
        &cols.iter().map(|i| spec.widths[*i]).collect::<Vec<_>>(),
        &texts,
        area.width.saturating_sub(2),
    );
    let rows: Vec<Row> = shown
        .map(|r| {
            Row::new(cols.iter().zip(&fitted).filter_map(|(i, w)| {
                let c = r.cells.get(*i)?;
                Some(Line::styled(
                    crate::tui::rows::fit(&c.text, usize::from(*w)),
                    c.role.style(t),
                ))
            }))
        })
        .collect();
    let sort = spec.sorts.get(lv.sort).copied().unwrap_or("");
    let items = app
        .rows
        .iter()
        .filter(|r| !r.heading || app.tab == Tab::Frameworks)
        .count();
    let name = if app.tab == Tab::Evidence && app.shape.sources {
        "Evidence › sources (S: items)"
    } else {
        app.tab.title()
    };
    let mut title = format!(" {name} · {items} ");
    if spec.sorts.len() > 1 {
        let _ = write!(title, "· sort: {sort} ");
    }
    if !lv.filter.is_empty() {
        let _ = write!(title, "· filter: {} ", lv.filter);
    }
    if app.tab == Tab::Frameworks && app.shape.gaps_only {
        title.push_str("· gaps only ");
    }
    if let Some(o) = app.shape.only.as_ref().filter(|o| o.tab == app.tab) {
        let _ = write!(title, "· only {} (Esc: all) ", o.label);
    }
    let block = Block::bordered()
        .title(Span::styled(title, t.title()))
        .border_style(t.fg(t.border));
    let widths: Vec<Constraint> = fitted.iter().map(|w| Constraint::Length(*w)).collect();
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .row_highlight_style(t.selected());
    let mut state = TableState::default().with_selected(lv.selected.checked_sub(lv.offset));
    f.render_stateful_widget(table, area, &mut state);
}
