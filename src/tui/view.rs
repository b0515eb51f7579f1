//! Rendering: a pure function of [`App`]. The layout ([`areas`]) and the scrollable pane
//! ([`pane`]) are shared with `update`, so that mouse clicks, paging and scrolling agree with
//! what is drawn. Parts: the tab bar and status line (`chrome`), the tab's body (`body`), the
//! help overlay (`help`), the palette and forms (`overlays`).
//!
//! Invariants: below [`MIN_SIZE`] only a "terminal too small" notice is drawn, never a broken
//! layout. No control character or Unicode direction override from the data reaches the
//! terminal: ratatui drops C0 controls but keeps zero-width characters such as U+202E (it
//! appends them to the previous cell), so after drawing, every cell holding such a character
//! is replaced by U+FFFD ([`sanitize`]): one boundary that covers every tab, form and popup.

mod body;
mod chrome;
mod help;
mod overlays;

pub use chrome::tab_at;

use super::app::{App, Mode};
use super::scroll;
use super::tab::Tab;
use super::tabs;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Block;

/// The smallest terminal the dashboard lays out (columns, rows); below it a notice says so.
pub const MIN_SIZE: (u16, u16) = (74, 18);

/// Whether a terminal of `size` is below [`MIN_SIZE`].
pub fn too_small(size: (u16, u16)) -> bool {
    size.0 < MIN_SIZE.0 || size.1 < MIN_SIZE.1
}

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
    let v = tabs::view(tab);
    if let Some((w, need)) = v.side().filter(|(_, need)| body.width >= *need) {
        let _ = need;
        let [l, s] = Layout::horizontal([Constraint::Fill(1), Constraint::Length(w)]).areas(body);
        list = l;
        side = Some(s);
    }
    // A document (the Review pack) is its own detail: it fills the body.
    let document = v.body(&tabs::Shape::default(), false) == tabs::Body::Document;
    let show_detail = (detail && !document) || v.detail_always();
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

/// The pane on screen that scrolls with J/K (and, where there is no list, with the list keys):
/// the detail pane, the running exercise's inject, or the Review pack.
pub struct Pane {
    /// Its text, before wrapping.
    pub lines: Vec<Line<'static>>,
    /// The rows inside its border.
    pub area: Rect,
    /// Rows the text takes once wrapped to `area`'s width.
    pub total: usize,
    /// First row shown (the app's offset, clamped).
    pub offset: usize,
}

impl Pane {
    /// "12-30 of 45" when the text does not fit.
    pub fn position(&self) -> Option<String> {
        scroll::position(self.offset, self.area.height, self.total)
    }
}

/// Whether the tab shows a document with no list, so the list keys scroll the [`pane`].
pub fn document_screen(app: &App) -> bool {
    matches!(
        tabs::view(app.tab).body(&app.shape, app.running.is_some()),
        tabs::Body::Document | tabs::Body::Own
    ) && app.tab.is_list()
}

/// What a tab draws from, taken from the app.
pub fn draw_cx(app: &App) -> Option<tabs::DrawCx<'_>> {
    let lv = app.list();
    Some(tabs::DrawCx {
        data: app.data.as_deref()?,
        theme: &app.theme,
        now: app.now,
        running: app.running.as_deref(),
        rows: &app.rows,
        selected: lv.selected,
        offset: lv.offset,
        filter: &lv.filter,
        shape: &app.shape,
        footer: &app.whatif_summary,
        pane: app.pane,
    })
}

/// The scrollable pane of the current screen, if it has one.
pub fn pane(app: &App) -> Option<Pane> {
    let d = app.data.as_ref()?;
    let t = &app.theme;
    let a = areas(app.size, app.tab, app.list().detail);
    let cx = draw_cx(app)?;
    let (lines, area) = match tabs::view(app.tab).pane(&cx, a.body) {
        Some(own) => own,
        None => {
            let outer = a.detail?;
            let lines = app
                .selected_row()
                .map_or_else(Vec::new, |r| tabs::view(app.tab).detail(d, &r.id, t));
            (lines, Block::bordered().inner(outer))
        }
    };
    let total = scroll::wrapped_len(&lines, area.width);
    let offset = app.pane.min(scroll::max_offset(total, area.height));
    Some(Pane {
        lines,
        area,
        total,
        offset,
    })
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
    let size = (f.area().width, f.area().height);
    if too_small(size) {
        chrome::too_small(f, app, size);
        return;
    }
    let a = areas(size, app.tab, app.list().detail);
    let pane = pane(app);
    chrome::tab_bar(f, app, a.tabs);
    body::draw(f, app, &a, pane.as_ref());
    chrome::status_line(f, app, a.status, pane.as_ref());
    match &app.mode {
        Mode::Help => help::draw(f, app),
        Mode::Palette(q, sel) => overlays::palette(f, app, q, *sel),
        Mode::Prompt(p) => overlays::prompt(f, app, p),
        Mode::Confirm(c) => crate::tui::prompt::confirm::draw(f, c, &app.theme),
        Mode::Normal | Mode::Filter => {}
    }
}
