//! The Gantt the Timeline draws: a month axis with a today marker, one bar or milestone per
//! row, a legend line, and the what-if summary under it.
//!
//! Invariants: every month that starts on screen gets a label on the axis (as short as the
//! room before the next month asks, down to its initial); the selected row is always drawn,
//! whatever the lines under the chart take; the critical path reads without colour.

use super::{CRITICAL_MARK, View};
use crate::domain::Date;
use crate::tui::data::Data;
use crate::tui::rows::{Role, Row};
use crate::tui::theme::Theme;
use chrono::{Datelike, Days};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// The legend under the chart.
pub const LEGEND: &str =
    "! critical path (bar ▓)  █ bar  ◆ milestone  │ today  ▣ audit  ✦ tabletop  • task";

/// What the Gantt draws.
pub struct Gantt<'a> {
    /// Visible schedule rows.
    pub rows: &'a [Row],
    /// Selected row.
    pub selected: usize,
    /// First row shown.
    pub offset: usize,
    /// Zoom, pan and what-if.
    pub view: &'a View,
    /// Loaded data.
    pub data: &'a Data,
    /// What-if summary lines.
    pub footer: &'a [String],
}

/// The month axis over `width` columns, column `c` showing the day `day_at(c)`.
pub fn axis(width: u16, day_at: impl Fn(u16) -> Date) -> Vec<char> {
    let w = usize::from(width);
    let mut out = vec![' '; w];
    let starts: Vec<(usize, Date)> = (0..width)
        .filter(|&c| c == 0 || day_at(c - 1).month() != day_at(c).month())
        .map(|c| (usize::from(c), day_at(c)))
        .collect();
    for (k, &(c, dt)) in starts.iter().enumerate() {
        // Room up to the next month's label, keeping one blank between labels.
        let room = starts.get(k + 1).map_or(w + 1 - c, |n| n.0 - c);
        let long = dt.format("%b '%y").to_string();
        let name = dt.format("%b").to_string();
        let label = if (k == 0 || dt.month() == 1) && long.chars().count() < room {
            long
        } else if name.chars().count() < room {
            name
        } else if room >= 2 {
            name.chars().take(1).collect()
        } else {
            continue;
        };
        for (j, ch) in label.chars().enumerate() {
            if let Some(slot) = out.get_mut(c + j) {
                *slot = ch;
            }
        }
    }
    out
}

/// Draws the Gantt.
pub fn render(f: &mut Frame, area: Rect, g: &Gantt<'_>, t: &Theme) {
    let (rows, selected, view, d, footer) = (g.rows, g.selected, g.view, g.data, g.footer);
    let first = view.first_day(d.as_of);
    let span = view.span();
    let last = first.checked_add_days(Days::new(span - 1)).unwrap_or(first);
    let title = format!(
        " Timeline · {} · {first}..{last} · z zoom  [ ] pan  l ledger  +/- < > what-if ",
        if view.year { "year" } else { "quarter" }
    );
    let block = Block::bordered()
        .title(Span::styled(title, t.title()))
        .border_style(t.fg(t.border));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let label_w = (inner.width / 3).clamp(16, 44);
    let chart_w = inner.width.saturating_sub(label_w + 1).max(1);
    let day_at = |c: u16| {
        first
            .checked_add_days(Days::new(u64::from(c) * span / u64::from(chart_w)))
            .unwrap_or(first)
    };
    let col_of = |dt: Date| -> Option<u16> {
        if dt < first || dt > last {
            return None;
        }
        Some(((dt - first).num_days() as u64 * u64::from(chart_w) / span) as u16)
    };
    let today = col_of(d.as_of);
    let mut lines = Vec::new();
    let mut axis = axis(chart_w, day_at);
    if let Some(slot) = today.and_then(|tc| axis.get_mut(usize::from(tc))) {
        *slot = '▼';
    }
    lines.push(Line::from(vec![
        Span::raw(" ".repeat(usize::from(label_w) + 1)),
        Span::styled(axis.into_iter().collect::<String>(), t.fg(t.muted)),
    ]));
    let under = 1 + footer.len();
    let body_h = usize::from(inner.height).saturating_sub(1 + under).max(1);
    // Keep the selection on screen even when the lines under the chart take rows.
    let offset = g.offset.max((selected + 1).saturating_sub(body_h));
    for (i, r) in rows.iter().enumerate().skip(offset).take(body_h) {
        let label: String = r.cells[0].text.chars().take(usize::from(label_w)).collect();
        let label_style = if i == selected {
            t.selected()
        } else {
            r.cells[0].role.style(t)
        };
        let mut spans = vec![Span::styled(
            format!("{label:<w$} ", w = usize::from(label_w)),
            label_style,
        )];
        let (bs, be, role) = r.bar.unwrap_or((d.as_of, d.as_of, Role::Muted));
        let critical = r.cells[0].text.starts_with(CRITICAL_MARK);
        let bar_style: Style = role.style(t);
        let mut chart = String::with_capacity(usize::from(chart_w));
        for col in 0..chart_w {
            let on = bs < day_at(col + 1) && be >= day_at(col);
            chart.push(if on && bs == be {
                '◆'
            } else if on && critical {
                '▓'
            } else if on {
                '█'
            } else if Some(col) == today {
                '│'
            } else {
                ' '
            });
        }
        spans.push(Span::styled(chart, bar_style));
        if bs < first && be >= first {
            spans.push(Span::styled("◂", t.fg(t.muted)));
        }
        lines.push(Line::from(spans));
    }
    while lines.len() < body_h + 1 {
        lines.push(Line::default());
    }
    lines.push(Line::styled(LEGEND, t.fg(t.muted)));
    for fl in footer {
        lines.push(Line::styled(fl.clone(), t.fg(t.warn)));
    }
    f.render_widget(Paragraph::new(lines), inner);
}
