//! Moving around: tabs, selection, paging, folding, detail, scrolling panes and the help
//! overlay, the palette and the mouse.
//!
//! Scroll scheme (one for every screen): the list keys (j/k, PgUp/PgDn, g/G, wheel) move the
//! selection of a list, or scroll the text of a screen that has no list (the Review pack, a
//! running exercise); J/K scroll the pane beside the list (detail, inject, pack) a line and
//! ctrl-d/ctrl-u half a page; in help the list keys scroll the help. Offsets are clamped with
//! the same measures the view draws with ([`view::pane`], [`help::metrics`]).

use super::{App, Mode};
use crate::tui::action::Action;
use crate::tui::help;
use crate::tui::keymap::{Binding, Keymap};
use crate::tui::scroll;
use crate::tui::tab::Tab;
use crate::tui::view;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

/// Bindings whose description matches the palette query (every word, case-insensitive).
pub fn palette_matches<'a>(k: &'a Keymap, q: &str) -> Vec<&'a Binding> {
    let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
    k.bindings
        .iter()
        .filter(|b| {
            let text = format!("{} {:?}", b.description, b.action).to_lowercase();
            words.iter().all(|w| text.contains(w))
        })
        .collect()
}

/// Rows a movement action moves by, for a view `page` rows high.
fn delta(a: Action, page: usize) -> isize {
    let page = page.max(1) as isize;
    match a {
        Action::Down | Action::PaneDown => 1,
        Action::Up | Action::PaneUp => -1,
        Action::PageDown => page,
        Action::PageUp => -page,
        Action::PaneHalfDown => (page / 2).max(1),
        Action::PaneHalfUp => -(page / 2).max(1),
        Action::Top => isize::MIN / 2,
        Action::Bottom => isize::MAX / 2,
        _ => 0,
    }
}

impl App {
    pub(super) fn switch(&mut self, tab: Tab) {
        // A message belongs to the tab that made it.
        if tab != self.tab {
            self.message = None;
        }
        if self.shape.only.as_ref().is_some_and(|o| o.tab != tab) {
            // A jump's narrowing ends when you leave the tab it narrowed.
            self.shape.only = None;
        }
        self.tab = tab;
        self.pane = 0;
        self.refresh_rows();
    }

    /// Rows visible in the list area.
    pub fn page(&self) -> usize {
        let a = view::areas(self.size, self.tab, self.list().detail);
        usize::from(a.list.height.saturating_sub(3)).max(1)
    }

    /// A movement key: the list's selection, or the pane's text (see the module doc).
    pub(super) fn navigate(&mut self, a: Action) {
        let pane_key = matches!(
            a,
            Action::PaneDown | Action::PaneUp | Action::PaneHalfDown | Action::PaneHalfUp
        );
        if pane_key || view::document_screen(self) {
            self.scroll_pane(a);
        } else {
            self.move_by(delta(a, self.page()));
        }
    }

    fn scroll_pane(&mut self, a: Action) {
        match view::pane(self) {
            Some(p) => {
                let max = scroll::max_offset(p.total, p.area.height);
                let from = self.pane.min(max);
                self.pane = scroll::step(from, delta(a, usize::from(p.area.height)), max);
                self.dirty = self.pane != from;
            }
            None => self.dirty = false,
        }
    }

    pub(super) fn move_by(&mut self, delta: isize) {
        if self.rows.is_empty() {
            return;
        }
        let n = self.rows.len() as isize;
        let l = self.list_mut();
        let before = l.selected;
        l.selected = (l.selected as isize).saturating_add(delta).clamp(0, n - 1) as usize;
        if l.selected != before {
            self.pane = 0;
        }
        self.ensure_visible();
    }

    /// Keeps the selection inside the visible window.
    pub(super) fn ensure_visible(&mut self) {
        let page = self.page();
        let n = self.rows.len();
        let l = self.list_mut();
        if l.selected < l.offset {
            l.offset = l.selected;
        } else if l.selected >= l.offset + page {
            l.offset = l.selected + 1 - page;
        }
        l.offset = l.offset.min(n.saturating_sub(page));
    }

    pub(super) fn open(&mut self) {
        let Some(row) = self.selected_row().cloned() else {
            return;
        };
        if row.heading {
            if !self.shape.folded.remove(&row.id) {
                self.shape.folded.insert(row.id);
            }
            self.refresh_rows();
        } else if self.tab.is_list() {
            self.list_mut().detail = true;
            self.ensure_visible();
        }
    }

    pub(super) fn back(&mut self) {
        if self.mode != Mode::Normal {
            self.mode = Mode::Normal;
        } else if self.tab == crate::tui::tab::Tab::Timeline && self.discard_whatif() {
        } else if self.shape.only.as_ref().is_some_and(|o| o.tab == self.tab) {
            self.shape.only = None;
            self.message = None;
            self.refresh_rows();
        } else if !self.list().filter.is_empty() {
            self.list_mut().filter.clear();
            self.refresh_rows();
        } else if self.list().detail {
            self.list_mut().detail = false;
            self.pane = 0;
            self.ensure_visible();
        } else {
            self.message = None;
        }
    }

    /// Scrolls the help overlay by `delta` lines (clamped to its text).
    fn help_scroll(&mut self, delta: isize) {
        let (total, height) = help::metrics(&self.keymap, &self.help.query, self.size, &self.theme);
        let max = scroll::max_offset(total, height);
        self.help.offset = scroll::step(self.help.offset.min(max), delta, max);
    }

    /// A key while help is open: scroll, filter (after `/`), or close (Esc, `?`, `q`).
    pub(super) fn help_key(&mut self, k: KeyEvent) {
        let (_, height) = help::metrics(&self.keymap, &self.help.query, self.size, &self.theme);
        let page = usize::from(height);
        if self.help.typing {
            let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
            match k.code {
                KeyCode::Esc => {
                    self.help.query.clear();
                    self.help.typing = false;
                }
                KeyCode::Enter => self.help.typing = false,
                KeyCode::Backspace => {
                    self.help.query.pop();
                }
                KeyCode::Char(c) if !ctrl => self.help.query.push(c),
                KeyCode::Down => return self.help_scroll(1),
                KeyCode::Up => return self.help_scroll(-1),
                KeyCode::PageDown => return self.help_scroll(delta(Action::PageDown, page)),
                KeyCode::PageUp => return self.help_scroll(delta(Action::PageUp, page)),
                _ => {
                    self.dirty = false;
                    return;
                }
            }
            self.help.offset = 0;
            return;
        }
        if k.code == KeyCode::Esc {
            self.mode = Mode::Normal;
            return;
        }
        match self.keymap.action(&k) {
            Some(Action::Help | Action::Quit | Action::Back) => self.mode = Mode::Normal,
            Some(Action::Filter) => self.help.typing = true,
            Some(a) if a.is_movement() => self.help_scroll(delta(a, page)),
            _ => self.dirty = false,
        }
    }

    pub(super) fn mouse(&mut self, m: MouseEvent) {
        let wheel = match m.kind {
            MouseEventKind::ScrollDown => 3,
            MouseEventKind::ScrollUp => -3,
            _ => 0,
        };
        if self.mode == Mode::Help {
            if wheel == 0 {
                self.dirty = false;
            } else {
                self.help_scroll(wheel);
            }
            return;
        }
        let a = view::areas(self.size, self.tab, self.list().detail);
        let inside = |r: ratatui::layout::Rect| {
            m.column >= r.x && m.column < r.x + r.width && m.row >= r.y && m.row < r.y + r.height
        };
        if wheel != 0 {
            let over_pane = view::document_screen(self) || a.detail.is_some_and(inside);
            if over_pane {
                let a = if wheel > 0 {
                    Action::PaneDown
                } else {
                    Action::PaneUp
                };
                for _ in 0..3 {
                    self.scroll_pane(a);
                }
                self.dirty = true;
            } else {
                self.move_by(wheel);
            }
            return;
        }
        match m.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                if m.row == a.tabs.y {
                    if let Some(t) = view::tab_at(m.column, self.size.0, self.tab, &self.keymap) {
                        self.switch(t);
                    }
                    return;
                }
                let first = a.list.y + 2;
                let inside = m.column >= a.list.x && m.column < a.list.x + a.list.width;
                if self.tab.is_list()
                    && inside
                    && m.row >= first
                    && m.row < a.list.y + a.list.height.saturating_sub(1)
                {
                    let idx = self.list().offset + usize::from(m.row - first);
                    if idx < self.rows.len() {
                        if self.list().selected == idx {
                            self.open();
                        } else {
                            self.list_mut().selected = idx;
                            self.pane = 0;
                        }
                    }
                }
            }
            _ => self.dirty = false,
        }
    }
}
