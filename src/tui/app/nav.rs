//! Moving around: tabs, selection, paging, folding, detail, the palette and the mouse.

use super::{App, Mode};
use crate::tui::keymap::{Binding, Keymap};
use crate::tui::tab::Tab;
use crate::tui::view;
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

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

impl App {
    pub(super) fn switch(&mut self, tab: Tab) {
        if self.shape.only.as_ref().is_some_and(|o| o.tab != tab) {
            // A jump's narrowing ends when you leave the tab it narrowed.
            self.shape.only = None;
        }
        self.tab = tab;
        self.refresh_rows();
    }

    /// Rows visible in the list area.
    pub fn page(&self) -> usize {
        let a = view::areas(self.size, self.tab, self.list().detail);
        usize::from(a.list.height.saturating_sub(3)).max(1)
    }

    pub(super) fn move_by(&mut self, delta: isize) {
        if self.rows.is_empty() {
            return;
        }
        let n = self.rows.len() as isize;
        let l = self.list_mut();
        l.selected = (l.selected as isize).saturating_add(delta).clamp(0, n - 1) as usize;
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
            self.ensure_visible();
        } else {
            self.message = None;
        }
    }

    pub(super) fn mouse(&mut self, m: MouseEvent) {
        let a = view::areas(self.size, self.tab, self.list().detail);
        match m.kind {
            MouseEventKind::ScrollDown => self.move_by(3),
            MouseEventKind::ScrollUp => self.move_by(-3),
            MouseEventKind::Down(MouseButton::Left) => {
                if m.row == a.tabs.y {
                    if let Some(t) = view::tab_at(m.column, self.size.0, self.tab) {
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
                        }
                    }
                }
            }
            _ => self.dirty = false,
        }
    }
}
