//! One module per tab: each list tab turns [`Data`] into rows (sorted) and a detail pane; the
//! Overview draws panels. Views are pure functions of the data and the UI state.

pub mod controls;
pub mod evidence;
pub mod findings;
pub mod frameworks;
pub mod gateway_panel;
pub mod overview;
pub mod review;
pub mod risks;
pub mod sources;
pub mod tabletop;
pub mod tasks;
pub mod timeline;
pub mod vendors;

use super::data::Data;
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

/// The spec of a list tab.
pub fn spec(tab: Tab, shape: &Shape) -> &'static Spec {
    match tab {
        Tab::Vendors => &vendors::SPEC,
        Tab::Tabletop => &tabletop::SPEC,
        Tab::Review => &review::SPEC,
        Tab::Timeline if shape.timeline.ledger => &timeline::LEDGER_SPEC,
        Tab::Timeline => &timeline::SPEC,
        Tab::Overview | Tab::Frameworks => &frameworks::SPEC,
        Tab::Controls => &controls::SPEC,
        Tab::Risks => &risks::SPEC,
        Tab::Findings => &findings::SPEC,
        Tab::Tasks => &tasks::SPEC,
        Tab::Evidence if shape.sources => &sources::SPEC,
        Tab::Evidence => &evidence::SPEC,
    }
}

/// The rows of a list tab, sorted by `sort`.
pub fn rows(tab: Tab, d: &Data, sort: usize, shape: &Shape) -> Vec<Row> {
    match tab {
        Tab::Overview => Vec::new(),
        Tab::Frameworks => frameworks::rows(d, shape),
        Tab::Controls => controls::rows(d, sort),
        Tab::Risks => risks::rows(d, sort),
        Tab::Findings => findings::rows(d, sort, &shape.folded),
        Tab::Tasks => tasks::rows(d, sort, &shape.folded),
        Tab::Evidence if shape.sources => sources::rows(d, sort),
        Tab::Evidence => evidence::rows(d, sort),
        Tab::Timeline => timeline::rows(d, &shape.timeline),
        Tab::Vendors => vendors::rows(d, sort),
        Tab::Tabletop => tabletop::rows(d),
        Tab::Review => review::rows(d),
    }
}

/// The detail pane of the item `id` on a list tab.
pub fn detail(tab: Tab, d: &Data, id: &str, t: &Theme) -> Vec<Line<'static>> {
    match tab {
        Tab::Overview => Vec::new(),
        Tab::Frameworks => frameworks::detail(d, id, t),
        Tab::Controls => controls::detail(d, id, t),
        Tab::Risks => risks::detail(d, id, t),
        Tab::Findings => findings::detail(d, id, t),
        Tab::Tasks => tasks::detail(d, id, t),
        Tab::Evidence if id.starts_with(sources::PREFIX) => sources::detail(d, id, t),
        Tab::Evidence => evidence::detail(d, id, t),
        Tab::Timeline => timeline::detail(d, id, t),
        Tab::Vendors => vendors::detail(d, id, t),
        Tab::Tabletop => tabletop::detail(d, id, t),
        Tab::Review => review::detail(d, id, t),
    }
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
