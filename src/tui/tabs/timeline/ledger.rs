//! The Type II ledger on the Timeline (`l`): per control of the framework with a planned
//! window, the cadence, the sample an auditor is likely to draw, the periods evidenced,
//! missed and open, coverage, and a strip of its periods that fits the width on screen.
//!
//! Invariant: a strip never hides a miss. When a control has more periods than its column has
//! cells, consecutive periods share a cell, and a cell shows ✗ if any period in it was
//! missed, else ▒ if any is open, else █ if any was evidenced, else ·; the lines under the
//! table give the legend and say how many periods went into how many cells.

use super::super::Spec;
use crate::analysis::{Ledger, PeriodState, PeriodStatus};
use crate::tui::data::Data;
use crate::tui::rows::{Cell, Role, Row};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row as TableRow, Table, TableState};

/// Ledger columns.
pub static LEDGER_SPEC: Spec = Spec {
    headers: &[
        "Control", "Cadence", "Sample", "Ev", "Miss", "Open", "Cover", "Periods",
    ],
    widths: &[
        Constraint::Length(12),
        Constraint::Length(10),
        Constraint::Length(6),
        Constraint::Length(4),
        Constraint::Length(4),
        Constraint::Length(4),
        Constraint::Length(6),
        Constraint::Fill(1),
    ],
    sorts: &["risk of exception"],
    drop_order: &[1, 5, 2],
};

/// The legend of the strip.
pub const LEGEND: &str = "█ evidenced  ✗ missed  ▒ open  · upcoming";

/// The rule by which periods share a cell.
pub const RULE: &str = "a cell is ✗ if any period in it was missed";

fn glyph(s: PeriodStatus) -> char {
    match s {
        PeriodStatus::Evidenced => '█',
        PeriodStatus::Missed => '✗',
        PeriodStatus::Open => '▒',
        PeriodStatus::Upcoming => '·',
    }
}

/// The periods in `min(len, width)` cells, in order; cell `c` holds the periods from
/// `c * len / cells` up to the next cell's first (see the module's invariant).
pub fn strip(periods: &[PeriodState], width: usize) -> Vec<PeriodStatus> {
    let n = periods.len();
    let cells = n.min(width.max(1));
    (0..cells)
        .map(|c| {
            let part = &periods[c * n / cells..(c + 1) * n / cells];
            let any = |s: PeriodStatus| part.iter().any(|p| p.status == s);
            if any(PeriodStatus::Missed) {
                PeriodStatus::Missed
            } else if any(PeriodStatus::Open) {
                PeriodStatus::Open
            } else if any(PeriodStatus::Evidenced) {
                PeriodStatus::Evidenced
            } else {
                PeriodStatus::Upcoming
            }
        })
        .collect()
}

/// The framework and the ledger the view shows (the first framework with a planned window).
pub(super) fn ledger(d: &Data) -> Option<(&str, &Ledger)> {
    d.assessment
        .frameworks
        .iter()
        .find_map(|f| Some((f.name.as_str(), f.type2.as_ref()?)))
}

/// One row per control of the ledger.
pub fn rows(d: &Data) -> Vec<Row> {
    let Some((_, l)) = ledger(d) else {
        return Vec::new();
    };
    l.rows
        .iter()
        .map(|r| {
            let due = r.evidenced + r.missed;
            let cover = if due == 0 {
                "-".to_owned()
            } else {
                format!("{:.0}%", r.evidenced as f64 * 100.0 / due as f64)
            };
            let role = if !r.has_evidence {
                Role::Gap
            } else if r.missed > 0 {
                Role::Late
            } else {
                Role::Met
            };
            let periods = if r.periods.is_empty() {
                format!("{} events in window", r.events)
            } else {
                strip(&r.periods, r.periods.len())
                    .into_iter()
                    .map(glyph)
                    .collect()
            };
            let sample = if r.sample.0 == r.sample.1 {
                r.sample.0.to_string()
            } else {
                format!("{}-{}", r.sample.0, r.sample.1)
            };
            Row {
                id: r.control.to_string(),
                cells: vec![
                    Cell::new(r.control.to_string(), role),
                    Cell::new(r.cadence.as_str(), Role::Muted),
                    Cell::new(sample, Role::Muted),
                    Cell::new(r.evidenced.to_string(), Role::Met),
                    Cell::new(
                        r.missed.to_string(),
                        if r.missed > 0 { Role::Gap } else { Role::Muted },
                    ),
                    Cell::new(r.open.to_string(), Role::Muted),
                    Cell::new(cover, role),
                    Cell::new(periods, role),
                ],
                heading: false,
                bar: None,
            }
        })
        .collect()
}

/// The lines under the strips: how many periods went into how many cells at `width`, per
/// cadence with more periods than cells, and the rule that keeps misses in sight.
fn notes(l: &Ledger, width: usize) -> Vec<String> {
    // (periods, cadences) with more periods than cells, the longest first.
    let mut squeezed: Vec<(usize, Vec<&str>)> = Vec::new();
    for r in l.rows.iter().filter(|r| r.periods.len() > width) {
        let (n, c) = (r.periods.len(), r.cadence.as_str());
        match squeezed.iter_mut().find(|(m, _)| *m == n) {
            Some((_, cs)) if !cs.contains(&c) => cs.push(c),
            Some(_) => {}
            None => squeezed.push((n, vec![c])),
        }
    }
    squeezed.sort_by_key(|x| std::cmp::Reverse(x.0));
    if squeezed.is_empty() {
        return vec!["one cell per period".to_owned()];
    }
    let parts: Vec<String> = squeezed
        .iter()
        .enumerate()
        .map(|(k, (n, cs))| {
            let what = cs.join("/");
            if k == 0 {
                format!("{n} {what} periods in {width} cells")
            } else {
                format!("{n} {what} in {width}")
            }
        })
        .collect();
    vec![format!("{}:", parts.join(", ")), RULE.to_owned()]
}

/// What the ledger table draws.
pub struct View<'a> {
    /// The rows, filtered.
    pub rows: &'a [Row],
    /// Selected row.
    pub selected: usize,
    /// First row shown.
    pub offset: usize,
    /// The filter text, if any.
    pub filter: &'a str,
    /// Loaded data.
    pub data: &'a Data,
}

/// Draws the ledger: framework and window in the title, strips as wide as their column, the
/// legend and the sharing rule under the table.
pub fn render(f: &mut Frame, area: Rect, v: &View<'_>, t: &Theme) {
    let found = ledger(v.data);
    let mut title = match found {
        Some((fw, l)) => format!(
            " Type II ledger · {fw} · window {}..{} ({}) · {} controls ",
            l.window_start,
            l.window_end,
            l.audit,
            v.rows.len()
        ),
        None => " Type II ledger · no Type II window planned ".to_owned(),
    };
    if let Some((_, l)) = found
        && title.chars().count() + 2 > usize::from(area.width)
    {
        title = title.replace(&format!(" ({})", l.audit), "");
    }
    if !v.filter.is_empty() {
        title.push_str(&format!("· filter: {} ", v.filter));
    }
    let block = Block::bordered()
        .title(Span::styled(title, t.title()))
        .title_bottom(Span::styled(format!(" {LEGEND} "), t.fg(t.muted)))
        .border_style(t.fg(t.border));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let cols = LEDGER_SPEC.visible(inner.width);
    let widths: Vec<Constraint> = cols.iter().map(|i| LEDGER_SPEC.widths[*i]).collect();
    let strip_w = Layout::horizontal(widths.clone())
        .spacing(1)
        .split(Rect::new(0, 0, inner.width, 1))
        .last()
        .map_or(1, |r| usize::from(r.width));
    let note = found.map(|(_, l)| notes(l, strip_w)).unwrap_or_default();
    let note_h = u16::try_from(note.len()).unwrap_or(2);
    let [table_area, note_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(note_h)]).areas(inner);
    let page = usize::from(table_area.height.saturating_sub(1)).max(1);
    let offset = v.offset.max((v.selected + 1).saturating_sub(page));
    let by_control =
        |id: &str| found.and_then(|(_, l)| l.rows.iter().find(|r| r.control.as_str() == id));
    let rows: Vec<TableRow> = v
        .rows
        .iter()
        .skip(offset)
        .take(page)
        .map(|r| {
            TableRow::new(cols.iter().filter_map(|i| {
                let c = r.cells.get(*i)?;
                let periods = by_control(&r.id)
                    .map(|x| &x.periods)
                    .filter(|p| !p.is_empty());
                Some(match periods {
                    Some(p) if *i == 7 => Line::from(
                        strip(p, strip_w)
                            .into_iter()
                            .map(|s| {
                                let role = match s {
                                    PeriodStatus::Evidenced => Role::Met,
                                    PeriodStatus::Missed => Role::Gap,
                                    PeriodStatus::Open => Role::Partial,
                                    PeriodStatus::Upcoming => Role::Muted,
                                };
                                Span::styled(glyph(s).to_string(), role.style(t))
                            })
                            .collect::<Vec<_>>(),
                    ),
                    _ => Line::styled(c.text.clone(), c.role.style(t)),
                })
            }))
        })
        .collect();
    let header = TableRow::new(cols.iter().map(|i| Line::raw(LEDGER_SPEC.headers[*i])))
        .style(t.fg(t.muted).add_modifier(Modifier::BOLD));
    let table = Table::new(rows, widths)
        .header(header)
        .row_highlight_style(t.selected());
    let mut state = TableState::default().with_selected(v.selected.checked_sub(offset));
    f.render_stateful_widget(table, table_area, &mut state);
    let note: Vec<Line> = note.into_iter().map(Line::raw).collect();
    f.render_widget(Paragraph::new(note).style(t.fg(t.muted)), note_area);
}
