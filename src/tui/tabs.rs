//! One module per tab: each list tab turns [`Data`] into rows (sorted) and a detail pane; the
//! Overview draws panels. Views are pure functions of the data and the UI state.

#[macro_use]
mod list_tab;

pub mod controls;
pub mod draw;
pub mod evidence;
pub mod findings;
pub mod forms;
pub mod frameworks;
pub mod overview;
pub mod review;
pub mod risks;
pub mod tabletop;
pub mod tasks;
pub mod timeline;
pub mod vendors;

use super::action::Action;
use super::data::Data;
use super::effect::Effect;
use super::prompt::Prompt;
use super::rows::Row;
use super::tab::Tab;
use super::theme::Theme;
use ratatui::layout::Constraint;
use ratatui::text::Line;
use std::collections::HashSet;

/// Folding and filters that shape rows beyond text filtering.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shape {
    /// Folded framework and group rows (by row id).
    pub folded: HashSet<String>,
    /// Frameworks tab: only gap and partial requirements.
    pub gaps_only: bool,
    /// Timeline: mode, zoom, pan and what-if.
    pub timeline: timeline::View,
    /// Evidence tab: the collectors' sources instead of items.
    pub sources: bool,
    /// Only these items of a tab (a jump from another tab); Esc shows every item again.
    pub only: Option<Only>,
}

/// A set of items a tab is narrowed to, and why (for the status line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Only {
    /// The tab narrowed.
    pub tab: Tab,
    /// The row ids kept.
    pub ids: Vec<String>,
    /// What they are, e.g. "the 3 controls mapped to soc2 CC6.1".
    pub label: String,
}

/// What a key that edits does on a tab.
#[derive(Debug, Clone)]
pub enum Form {
    /// Open this form.
    Open(Prompt),
    /// Nothing to edit; say why in the status line (not an error).
    Say(String),
}

/// What Enter on a row does besides opening its detail.
#[derive(Debug, Clone)]
pub enum Enter {
    /// Work for the store thread (Tabletop: start the exercise).
    Effect(Effect),
    /// Go to another tab, showing only these items.
    Show(Only),
    /// Open a form first (Tabletop: who facilitates the exercise about to start).
    Form(Prompt),
}

/// A list tab's columns and sort orders.
pub struct Spec {
    /// Column headers.
    pub headers: &'static [&'static str],
    /// Column widths.
    pub widths: &'static [Constraint],
    /// Sort orders `s` cycles through.
    pub sorts: &'static [&'static str],
    /// Columns to drop, in order, when the terminal is too narrow for the rest.
    pub drop_order: &'static [usize],
}

impl Spec {
    /// The columns shown at `width`: every column but those dropped to leave the flexible
    /// ones at least 24 cells.
    pub fn visible(&self, width: u16) -> Vec<usize> {
        let fixed = |cols: &[usize]| -> u16 {
            cols.iter()
                .map(|i| match self.widths[*i] {
                    Constraint::Length(n) => n + 1,
                    _ => 1,
                })
                .sum()
        };
        let mut cols: Vec<usize> = (0..self.headers.len()).collect();
        for d in self.drop_order {
            if fixed(&cols) + 24 <= width {
                break;
            }
            cols.retain(|c| c != d);
        }
        cols
    }
}

pub use draw::{Body, DrawCx};
pub use forms::FormCx;

/// One tab's behaviour: its name and key, its columns and sort orders, its rows, the detail
/// pane of a row, the forms its keys open, what Enter does and the view toggles it owns.
/// Every tab has one implementation, listed in [`REGISTRY`]; nothing outside a tab's module
/// matches on the tab to decide its behaviour.
pub trait TabView: Sync {
    /// Which tab this is.
    fn tab(&self) -> Tab;
    /// Title in the tab bar (also the name `parse` accepts).
    fn title(&self) -> &'static str;
    /// The action that goes to this tab.
    fn key(&self) -> Action;
    /// The keymap context in force on this tab (`running`: an exercise is under way).
    fn context(&self, _running: bool) -> Option<&'static str> {
        None
    }
    /// Columns and sort orders.
    fn spec(&self, shape: &Shape) -> &'static Spec;
    /// The rows, sorted by `sort`.
    fn rows(&self, d: &Data, sort: usize, shape: &Shape) -> Vec<Row>;
    /// The detail pane of the item `id`.
    fn detail(&self, d: &Data, id: &str, t: &Theme) -> Vec<Line<'static>>;
    /// The form the action `a` opens here (`None`: not available here). A note on the
    /// selected item is offered by [`TabView::note_target`] and needs no form of its own.
    fn form(&self, _a: Action, _cx: &FormCx) -> Option<Form> {
        None
    }
    /// The entity and key a note on row `id` is about (`None`: no notes on this tab).
    fn note_target(&self, _id: &str, _shape: &Shape) -> Option<(&'static str, String)> {
        None
    }
    /// What Enter on row `id` does beyond opening the detail pane or folding a group: work
    /// for the store thread, or a jump to the items it names on another tab.
    fn enter(&self, _d: &Data, _id: &str, _running: bool) -> Option<Enter> {
        None
    }
    /// How the body is laid out (`running`: an exercise is under way).
    fn body(&self, _shape: &Shape, _running: bool) -> Body {
        Body::List
    }
    /// Draws what [`TabView::body`] says the tab draws itself (the body or the list area).
    fn draw(&self, _f: &mut ratatui::Frame, _area: ratatui::layout::Rect, _cx: &DrawCx) {}
    /// The text of the tab's own scrolling pane and where it goes inside `body`, when the
    /// screen has no list (the Review pack, the running inject); else the detail pane scrolls.
    fn pane(
        &self,
        _cx: &DrawCx,
        _body: ratatui::layout::Rect,
    ) -> Option<(Vec<Line<'static>>, ratatui::layout::Rect)> {
        None
    }
    /// Whether the detail pane shows without Enter (Frameworks' why, Tabletop's scenario).
    fn detail_always(&self) -> bool {
        false
    }
    /// The detail pane's title, if it has one.
    fn detail_title(&self, _shape: &Shape) -> Option<&'static str> {
        Some(" detail (Esc closes) ")
    }
    /// A side panel beside the list, its width and the body width it needs (Risks).
    fn side(&self) -> Option<(u16, u16)> {
        None
    }
    /// The side panel's lines.
    fn side_lines(&self, _d: &Data, _t: &Theme) -> Vec<Line<'static>> {
        Vec::new()
    }
    /// The list's name in its title, and what narrows it beyond the filter ("gaps only").
    fn list_name(&self, _shape: &Shape) -> (&'static str, Option<&'static str>) {
        (self.title(), None)
    }
    /// When the list holds only the newest part of what exists: (loaded, existing).
    fn list_cut(&self, _d: &Data, _shape: &Shape) -> Option<(u64, u64)> {
        None
    }
    /// Whether group headings count as items in the list title (Frameworks' frameworks).
    fn headings_are_items(&self) -> bool {
        false
    }
    /// The view toggles this tab owns (pressed elsewhere they bring you here first).
    fn toggles(&self) -> &'static [Action] {
        &[]
    }
    /// Applies the toggle `a` to the shape (`here`: pressed on this tab); returns the line
    /// for the status bar.
    fn toggle(&self, _a: Action, _shape: &mut Shape, _here: bool) -> Option<String> {
        None
    }
}

/// Every tab's implementation, in the order of [`Tab::ALL`] (a test checks it).
pub static REGISTRY: [&dyn TabView; 11] = [
    &overview::OverviewTab,
    &frameworks::FrameworksTab,
    &controls::ControlsTab,
    &risks::RisksTab,
    &findings::FindingsTab,
    &tasks::TasksTab,
    &evidence::EvidenceTab,
    &timeline::TimelineTab,
    &vendors::VendorsTab,
    &tabletop::TabletopTab,
    &review::ReviewTab,
];

/// The implementation of `tab`.
pub fn view(tab: Tab) -> &'static dyn TabView {
    REGISTRY[tab.index()]
}

/// The tab an action goes to, if it is a tab's key.
pub fn for_key(a: Action) -> Option<Tab> {
    REGISTRY.iter().find(|v| v.key() == a).map(|v| v.tab())
}

/// The tab that owns the view toggle `a`, if any.
pub fn toggle_owner(a: Action) -> Option<Tab> {
    REGISTRY
        .iter()
        .find(|v| v.toggles().contains(&a))
        .map(|v| v.tab())
}

/// Rows under group headings (`▾ high (4)`) in the order given; a folded group keeps only
/// its heading. Heading ids are `group:<label>`.
pub fn grouped(items: &[(String, Row)], folded: &HashSet<String>, label_col: usize) -> Vec<Row> {
    let mut out = Vec::with_capacity(items.len() + 8);
    let mut i = 0;
    while i < items.len() {
        let label = items[i].0.clone();
        let n = items[i..].iter().take_while(|(l, _)| *l == label).count();
        let id = format!("group:{label}");
        let fold = folded.contains(&id);
        let cols = items[i].1.cells.len();
        let mut cells = vec![super::rows::Cell::text(""); cols];
        cells[0] = super::rows::Cell::new(if fold { "▸" } else { "▾" }, super::rows::Role::Accent);
        if let Some(c) = cells.get_mut(label_col) {
            *c = super::rows::Cell::new(format!("{label} ({n})"), super::rows::Role::Accent);
        }
        out.push(Row {
            id,
            cells,
            heading: true,
            bar: None,
        });
        if !fold {
            out.extend(items[i..i + n].iter().map(|(_, r)| r.clone()));
        }
        i += n;
    }
    out
}

/// Notes on an item as detail lines.
pub fn note_lines(d: &Data, entity: &str, id: &str, t: &Theme) -> Vec<Line<'static>> {
    let notes = d.notes_for(entity, id);
    if notes.is_empty() {
        return Vec::new();
    }
    let mut out = vec![Line::default(), Line::styled("Notes", t.title())];
    for n in notes {
        out.push(Line::raw(format!(
            "  {} {}: {}",
            &n.at[..n.at.len().min(10)],
            n.author,
            n.text
        )));
    }
    out
}

/// A `key: value` detail line.
pub fn kv(t: &Theme, k: &str, v: impl Into<String>) -> Line<'static> {
    use ratatui::text::Span;
    Line::from(vec![
        Span::styled(format!("{k:<14}"), t.fg(t.muted)),
        Span::raw(v.into()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_follows_tab_order() {
        for (i, t) in Tab::ALL.iter().enumerate() {
            assert_eq!(REGISTRY[i].tab(), *t);
        }
    }
}
