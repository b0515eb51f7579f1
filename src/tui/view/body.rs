//! The body between the bars: the Overview's panels, a list tab's table with its detail pane,
//! the Timeline's chart, the running exercise and the Review pack as a document.
//!
//! Invariant: every pane whose text can be longer than its area is drawn from the shared
//! [`Pane`] (offset clamped) and shows its position in its border when it overflows.

use super::{Areas, Pane};
use crate::tui::app::App;
use crate::tui::tabs::{self, Body};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, Table, TableState, Wrap};
use std::fmt::Write as _;

pub(super) fn draw(f: &mut Frame, app: &App, a: &Areas, pane: Option<&Pane>) {
    let t = &app.theme;
    let (Some(d), Some(cx)) = (&app.data, super::draw_cx(app)) else {
        f.render_widget(Paragraph::new("loading…").style(t.fg(t.muted)), a.body);
        return;
    };
    let v = tabs::view(app.tab);
    match v.body(&app.shape, app.running.is_some()) {
        Body::Own => v.draw(f, a.body, &cx),
        Body::Document => document(f, app, a.list, pane),
        body => {
            if body == Body::OwnList {
                v.draw(f, a.list, &cx);
            } else {
                list(f, app, a.list);
            }
            if let Some(s) = a.side {
                f.render_widget(
                    Paragraph::new(v.side_lines(d, t))
                        .block(Block::bordered().border_style(t.fg(t.border))),
                    s,
                );
            }
            if let Some(area) = a.detail {
                detail(f, app, area, pane, v.detail_title(&app.shape));
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
    let v = tabs::view(app.tab);
    let spec = v.spec(&app.shape);
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
        .filter(|r| !r.heading || v.headings_are_items())
        .count();
    let (name, narrowed) = v.list_name(&app.shape);
    let cut = app.data.as_deref().and_then(|d| v.list_cut(d, &app.shape));
    let mut title = format!(" {name} · {items} ");
    if let (Some((_, total)), true) = (cut, lv.filter.is_empty()) {
        let _ = write!(title, "newest of {total} ");
    }
    if spec.sorts.len() > 1 {
        let _ = write!(title, "· sort: {sort} ");
    }
    if !lv.filter.is_empty() {
        let _ = write!(title, "· filter: {} ", lv.filter);
        if let Some((loaded, total)) = cut {
            let _ = write!(title, "in newest {loaded} of {total} ");
        }
    }
    if let Some(n) = narrowed {
        let _ = write!(title, "· {n} ");
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
