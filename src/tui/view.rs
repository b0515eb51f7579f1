//! Rendering: a pure function of [`App`]. The layout function is shared with `update` so that
//! mouse clicks and paging agree with what is drawn.
//!
//! Invariant: no control character or Unicode direction override from the data reaches the
//! terminal. ratatui drops C0 controls but keeps zero-width characters such as U+202E (it
//! appends them to the previous cell), so after drawing, every cell holding such a character
//! is replaced by U+FFFD ([`sanitize`]): one boundary that covers every tab, form and popup.

use super::app::{App, Mode};
use super::tab::Tab;
use super::tabs::{self, overview, risks};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Row, Table, TableState, Wrap};
use std::fmt::Write as _;

/// Where things go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// Tab bar (one line).
    pub tabs: Rect,
    /// Everything between the bars.
    pub body: Rect,
    /// The list of a list tab.
    pub list: Rect,
    /// The heat maps (Risks).
    pub side: Option<Rect>,
    /// The detail pane.
    pub detail: Option<Rect>,
    /// Status line.
    pub status: Rect,
}

/// Computes the layout for a terminal size.
pub fn areas(size: (u16, u16), tab: Tab, detail: bool) -> Areas {
    let full = Rect::new(0, 0, size.0, size.1);
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(full);
    let mut list = body;
    let mut side = None;
    if tab == Tab::Risks && body.width >= 100 {
        let [l, s] = Layout::horizontal([Constraint::Fill(1), Constraint::Length(26)]).areas(body);
        list = l;
        side = Some(s);
    }
    let show_detail = detail || tab == Tab::Frameworks || tab == Tab::Tabletop;
    let mut detail_area = None;
    if show_detail && tab.is_list() {
        if list.width >= 140 {
            let [l, d] =
                Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                    .areas(list);
            list = l;
            detail_area = Some(d);
        } else {
            let [l, d] = Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(list);
            list = l;
            detail_area = Some(d);
        }
    }
    Areas {
        tabs,
        body,
        list,
        side,
        detail: detail_area,
        status,
    }
}

/// Tab titles as drawn: ` 1 Overview ` and so on; below 100 columns only the active tab
/// shows its title and the others their number.
fn tab_labels(width: u16, active: Tab) -> Vec<String> {
    Tab::ALL
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if width >= 120 {
                format!(" {} {} ", i + 1, t.title())
            } else if *t == active || width >= 100 {
                format!("{} {}", i + 1, t.title())
            } else {
                format!("{}", i + 1)
            }
        })
        .collect()
}

/// The tab under column `x` of a tab bar `width` wide while `active` is shown.
pub fn tab_at(x: u16, width: u16, active: Tab) -> Option<Tab> {
    let mut start = 0u16;
    for (i, l) in tab_labels(width, active).iter().enumerate() {
        let w = l.chars().count() as u16;
        if x >= start && x < start + w {
            return Some(Tab::ALL[i]);
        }
        start += w + 1;
    }
    None
}

/// Draws a frame, then [`sanitize`]s it.
pub fn render(f: &mut Frame, app: &App) {
    draw(f, app);
    sanitize(f.buffer_mut());
}

/// Replaces every cell whose symbol holds a character that must not reach a terminal
/// (`report::escape::is_unsafe_for_terminal`) by a visible U+FFFD.
pub fn sanitize(buf: &mut ratatui::buffer::Buffer) {
    let placeholder = crate::report::escape::PLACEHOLDER.to_string();
    for cell in &mut buf.content {
        if cell
            .symbol()
            .chars()
            .any(crate::report::escape::is_unsafe_for_terminal)
        {
            cell.set_symbol(&placeholder);
        }
    }
}

fn draw(f: &mut Frame, app: &App) {
    let t = &app.theme;
    let a = areas(app.size, app.tab, app.list().detail);
    // Tab bar, then the workspace label on the right.
    let mut spans = Vec::new();
    for (i, l) in tab_labels(a.tabs.width, app.tab).into_iter().enumerate() {
        let style = if Tab::ALL[i] == app.tab {
            t.selected()
        } else {
            t.fg(t.muted)
        };
        spans.push(Span::styled(l, style));
        spans.push(Span::raw(" "));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), a.tabs);
    if let Some(d) = &app.data {
        let used: u16 = tab_labels(a.tabs.width, app.tab)
            .iter()
            .map(|l| l.chars().count() as u16 + 1)
            .sum();
        let room = a.tabs.width.saturating_sub(used);
        let full = format!(
            "{}{} · {} ",
            if d.demo { "DEMO · " } else { "" },
            app.label,
            d.as_of
        );
        let label = if (full.chars().count() as u16) <= room {
            full
        } else if d.demo {
            " DEMO ".to_owned()
        } else {
            String::new()
        };
        let w = label.chars().count() as u16;
        if w > 0 {
            let style = if d.demo {
                t.alert(t.demo)
                    .add_modifier(Modifier::BOLD | Modifier::REVERSED)
            } else {
                t.fg(t.muted)
            };
            let x = a.tabs.x + a.tabs.width.saturating_sub(w);
            f.render_widget(
                Paragraph::new(Span::styled(label, style)),
                Rect::new(x, a.tabs.y, w.min(a.tabs.width), 1),
            );
        }
    }
    match &app.data {
        None => f.render_widget(Paragraph::new("loading…").style(t.fg(t.muted)), a.body),
        Some(d) if app.tab == Tab::Overview => overview::render(f, a.body, d, t),
        Some(_) if app.tab == Tab::Tabletop && app.running.is_some() => {
            if let Some(r) = &app.running {
                tabs::tabletop::render(f, a.body, r, app.now, t);
            }
        }
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
                let lines = app
                    .selected_row()
                    .map_or_else(Vec::new, |r| tabs::view(app.tab).detail(d, &r.id, t));
                f.render_widget(
                    Paragraph::new(lines)
                        .wrap(Wrap { trim: false })
                        .block(Block::bordered().border_style(t.fg(t.border))),
                    area,
                );
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
                let lines = app
                    .selected_row()
                    .map_or_else(Vec::new, |r| tabs::view(app.tab).detail(d, &r.id, t));
                let title = if app.tab == Tab::Frameworks {
                    " why "
                } else {
                    " detail (Esc closes) "
                };
                let block = Block::bordered()
                    .title(Span::styled(title, t.title()))
                    .border_style(t.fg(t.border));
                f.render_widget(
                    Paragraph::new(lines)
                        .wrap(Wrap { trim: false })
                        .block(block),
                    area,
                );
            }
        }
    }
    status_line(f, app, a.status);
    match &app.mode {
        Mode::Help => help(f, app),
        Mode::Palette(q, sel) => palette(f, app, q, *sel),
        Mode::Prompt(p) => prompt(f, app, p),
        Mode::Normal | Mode::Filter => {}
    }
}

fn list(f: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let spec = tabs::view(app.tab).spec(&app.shape);
    let lv = app.list();
    let cols = spec.visible(area.width.saturating_sub(2));
    let header = Row::new(cols.iter().map(|i| Line::raw(spec.headers[*i])))
        .style(t.fg(t.muted).add_modifier(Modifier::BOLD));
    let page = usize::from(area.height.saturating_sub(3));
    let rows: Vec<Row> = app
        .rows
        .iter()
        .skip(lv.offset)
        .take(page.max(1))
        .map(|r| {
            Row::new(
                cols.iter()
                    .filter_map(|i| r.cells.get(*i))
                    .map(|c| Line::styled(c.text.clone(), c.role.style(t))),
            )
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
    let block = Block::bordered()
        .title(Span::styled(title, t.title()))
        .border_style(t.fg(t.border));
    let widths: Vec<Constraint> = cols.iter().map(|i| spec.widths[*i]).collect();
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .row_highlight_style(t.selected());
    let mut state = TableState::default().with_selected(lv.selected.checked_sub(lv.offset));
    f.render_stateful_widget(table, area, &mut state);
}

fn status_line(f: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let line = match (&app.mode, &app.message) {
        (Mode::Filter, _) => Line::from(vec![
            Span::styled("/", t.title()),
            Span::raw(app.list().filter.clone()),
            Span::styled("▏ Enter keeps, Esc clears", t.fg(t.muted)),
        ]),
        (_, Some((m, err))) => {
            Line::styled(m.clone(), if *err { t.alert(t.gap) } else { t.fg(t.ok) })
        }
        _ => {
            use super::action::Action as A;
            let k = |a| app.keymap.key_for(a);
            Line::styled(
                format!(
                    "{} help  {} palette  {} filter  {} sort  {} detail  {} status  {} note  {} undo  {} quit",
                    k(A::Help),
                    k(A::Palette),
                    k(A::Filter),
                    k(A::Sort),
                    k(A::Open),
                    k(A::EditStatus),
                    k(A::AddNote),
                    k(A::Undo),
                    k(A::Quit)
                ),
                t.fg(t.muted),
            )
        }
    };
    f.render_widget(Paragraph::new(line), area);
}

/// A centred rectangle.
fn centred(outer: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(outer.width);
    let h = h.min(outer.height);
    Rect::new(
        outer.x + (outer.width - w) / 2,
        outer.y + (outer.height - h) / 2,
        w,
        h,
    )
}

fn help(f: &mut Frame, app: &App) {
    let t = &app.theme;
    let lines: Vec<Line> = app
        .keymap
        .bindings
        .iter()
        .map(|b| {
            Line::from(vec![
                Span::styled(format!("{:<16}", b.keys.join(" ")), t.title()),
                Span::raw(b.description.clone()),
            ])
        })
        .collect();
    let area = centred(f.area(), 76, lines.len() as u16 + 2);
    f.render_widget(Clear, area);
    f.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(" keys (any key closes) ")
                .border_style(t.fg(t.accent)),
        ),
        area,
    );
}

fn palette(f: &mut Frame, app: &App, q: &str, sel: usize) {
    let t = &app.theme;
    let matches = super::app::palette_matches(&app.keymap, q);
    let mut lines = vec![Line::from(vec![
        Span::styled(":", t.title()),
        Span::raw(q.to_owned()),
        Span::styled("▏", t.fg(t.muted)),
    ])];
    for (i, b) in matches.iter().enumerate().take(12) {
        let style = if i == sel { t.selected() } else { t.fg(t.text) };
        lines.push(Line::styled(
            format!("{:<44} {}", b.description, b.keys.join(" ")),
            style,
        ));
    }
    let area = centred(f.area(), 64, 15);
    f.render_widget(Clear, area);
    f.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(" command palette ")
                .border_style(t.fg(t.accent)),
        ),
        area,
    );
}

fn prompt(f: &mut Frame, app: &App, p: &super::prompt::Prompt) {
    use super::prompt::Kind;
    let t = &app.theme;
    let mut lines = Vec::new();
    let label_w = p
        .fields
        .iter()
        .map(|f| f.label.chars().count() + 1)
        .fold(10, usize::max);
    for (i, fld) in p.fields.iter().enumerate() {
        let focus = i == p.focus;
        let value = match &fld.kind {
            Kind::Choice(_) => format!("◂ {} ▸", fld.value),
            _ => format!("{}{}", fld.value, if focus { "▏" } else { "" }),
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{:<label_w$}", fld.label),
                if focus { t.title() } else { t.fg(t.muted) },
            ),
            Span::styled(value, if focus { t.selected() } else { t.fg(t.text) }),
        ]));
    }
    if !p.preview.is_empty() {
        lines.push(Line::default());
        lines.extend(
            p.preview
                .iter()
                .map(|l| Line::styled(l.clone(), t.fg(t.text))),
        );
    }
    lines.push(Line::default());
    match &p.error {
        Some(e) => lines.push(Line::styled(e.clone(), t.alert(t.gap))),
        None => lines.push(Line::styled(
            "Enter saves · Tab next field · ←/→ choose · Esc cancels",
            t.fg(t.muted),
        )),
    }
    let area = centred(f.area(), 64, lines.len() as u16 + 2);
    f.render_widget(Clear, area);
    f.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(format!(" {} ", p.title))
                .border_style(t.fg(t.accent)),
        ),
        area,
    );
}
