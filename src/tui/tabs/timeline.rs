//! Timeline: a Gantt of audits, projected rhythms and report dates, tabletop exercises and the
//! remediation plan (critical path highlighted), with a today marker, quarter and year zoom and
//! the what-if; `l` switches to the Type II ledger: per control a calendar strip of its periods,
//! the sample an auditor is likely to draw, coverage, and the missed periods as likely
//! exceptions, riskiest first.

pub mod form;

use super::{Spec, kv};
use crate::analysis::PeriodStatus;
use crate::analysis::timeline::{self, Lane, State, WhatIf};
use crate::domain::Date;
use crate::tui::data::Data;
use crate::tui::rows::{Cell, Role, Row};
use crate::tui::theme::Theme;
use chrono::{Datelike, Days};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// Timeline view state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct View {
    /// Showing the Type II ledger instead of the schedule.
    pub ledger: bool,
    /// A year on screen instead of a quarter.
    pub year: bool,
    /// First day on screen (default: a little before today).
    pub start: Option<Date>,
    /// Changes being tried.
    pub whatif: WhatIf,
}

impl View {
    /// Days on screen.
    pub fn span(&self) -> u64 {
        if self.year { 365 } else { 92 }
    }

    /// First day on screen.
    pub fn first_day(&self, as_of: Date) -> Date {
        self.start.unwrap_or_else(|| {
            let back = if self.year { 60 } else { 21 };
            as_of.checked_sub_days(Days::new(back)).unwrap_or(as_of)
        })
    }
}

/// Schedule columns.
pub static SPEC: Spec = Spec {
    headers: &["Item", "When"],
    widths: &[Constraint::Fill(1), Constraint::Length(23)],
    sorts: &["lane and date"],
    drop_order: &[1],
};

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

fn state_role(s: State) -> Role {
    match s {
        State::Done => Role::Muted,
        State::Running => Role::Accent,
        State::Planned => Role::Text,
        State::Projected => Role::Partial,
        State::Late => Role::Late,
        State::Critical => Role::Gap,
    }
}

/// Schedule rows (with the what-if applied) or ledger rows.
pub fn rows(d: &Data, view: &View) -> Vec<Row> {
    if view.ledger {
        return ledger_rows(d);
    }
    let items = match &d.whatif {
        Some(r) if !view.whatif.is_empty() => r.schedule.items.clone(),
        _ => timeline::schedule(&d.snapshot, &d.assessment).items,
    };
    let first = view.first_day(d.as_of);
    let last = first
        .checked_add_days(Days::new(view.span() - 1))
        .unwrap_or(first);
    items
        .into_iter()
        .filter(|i| i.end >= first && i.start <= last)
        .map(|i| {
            let moved = i.id.strip_prefix("task:").is_some_and(|t| {
                view.whatif
                    .due
                    .contains_key(&crate::domain::TaskId::from(t))
            }) || i.id.strip_prefix("audit:").is_some_and(|a| {
                view.whatif
                    .windows
                    .contains_key(&crate::domain::AuditId::from(a))
            });
            let when = if i.is_point() {
                i.start.to_string()
            } else {
                format!(
                    "{}..{}",
                    i.start.format("%y-%m-%d"),
                    i.end.format("%y-%m-%d")
                )
            };
            let lane = match i.lane {
                Lane::Projection => "◆",
                Lane::Audit => "▣",
                Lane::Exercise => "✦",
                Lane::Task => "•",
            };
            let role = state_role(i.state);
            Row {
                id: i.id.clone(),
                cells: vec![
                    Cell::new(
                        format!(
                            "{lane} {}{}",
                            if moved { "(what-if) " } else { "" },
                            i.label
                        ),
                        role,
                    ),
                    Cell::new(when, if moved { Role::Warn } else { Role::Muted }),
                ],
                heading: false,
                bar: Some((i.start, i.end, role)),
            }
        })
        .collect()
}

fn strip(periods: &[crate::analysis::PeriodState], width: usize) -> String {
    let glyph = |s: PeriodStatus| match s {
        PeriodStatus::Evidenced => '█',
        PeriodStatus::Missed => '✗',
        PeriodStatus::Open => '▒',
        PeriodStatus::Upcoming => '·',
    };
    let group = periods.len().div_ceil(width.max(1)).max(1);
    periods
        .chunks(group)
        .map(|c| {
            if c.iter().any(|p| p.status == PeriodStatus::Missed) {
                '✗'
            } else {
                glyph(c[c.len() - 1].status).min(glyph(c[0].status))
            }
        })
        .collect()
}

fn ledger_rows(d: &Data) -> Vec<Row> {
    let Some(l) = d
        .assessment
        .frameworks
        .iter()
        .find_map(|f| f.type2.as_ref())
    else {
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
                strip(&r.periods, 60)
            };
            Row {
                id: r.control.to_string(),
                cells: vec![
                    Cell::new(r.control.to_string(), role),
                    Cell::new(r.cadence.as_str(), Role::Muted),
                    Cell::new(
                        if r.sample.0 == r.sample.1 {
                            r.sample.0.to_string()
                        } else {
                            format!("{}-{}", r.sample.0, r.sample.1)
                        },
                        Role::Muted,
                    ),
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

/// Detail of a schedule item or a ledger row.
pub fn detail(d: &Data, id: &str, t: &Theme) -> Vec<Line<'static>> {
    if let Some(l) = d
        .assessment
        .frameworks
        .iter()
        .find_map(|f| f.type2.as_ref())
        && let Some(r) = l.rows.iter().find(|r| r.control.as_str() == id)
    {
        let mut out = vec![
            Line::styled(
                format!(
                    "{} in the Type II window {}..{}",
                    r.control, l.window_start, l.window_end
                ),
                t.title(),
            ),
            kv(
                t,
                "cadence",
                format!(
                    "{} · an auditor is likely to sample {}-{} items",
                    r.cadence, r.sample.0, r.sample.1
                ),
            ),
            kv(
                t,
                "periods",
                format!(
                    "{} evidenced, {} missed, {} open, {} upcoming",
                    r.evidenced, r.missed, r.open, r.upcoming
                ),
            ),
            Line::styled("█ evidenced  ✗ missed  ▒ open  · upcoming", t.fg(t.muted)),
        ];
        if !r.has_evidence {
            out.push(Line::styled(
                "no passing evidence in the window yet",
                t.alert(t.gap),
            ));
        }
        let missed: Vec<_> = r
            .periods
            .iter()
            .filter(|p| p.status == PeriodStatus::Missed)
            .collect();
        if !missed.is_empty() {
            out.push(Line::styled(
                format!(
                    "Likely exceptions ({}): these periods cannot be made up",
                    missed.len()
                ),
                t.alert(t.late),
            ));
            for p in missed.iter().take(20) {
                out.push(Line::raw(format!("  {}..{}", p.start, p.end)));
            }
        }
        return out;
    }
    if let Some(task) = id.strip_prefix("task:") {
        return super::tasks::detail(d, task, t);
    }
    if let Some(au) = id
        .strip_prefix("audit:")
        .map(|a| a.split(':').next().unwrap_or(a))
        && let Some(a) = d.snapshot.audits.iter().find(|x| x.id.as_str() == au)
    {
        let f = |v: Option<Date>| v.map_or("-".to_owned(), |x| x.to_string());
        return vec![
            Line::styled(
                format!(
                    "{} · {} ({})",
                    a.id,
                    timeline::kind_label(a.kind),
                    a.framework
                ),
                t.title(),
            ),
            kv(t, "status", a.status.as_str()),
            kv(
                t,
                "window",
                format!("{}..{}", f(a.window_start), f(a.window_end)),
            ),
            kv(
                t,
                "fieldwork",
                format!("{}..{}", f(a.fieldwork_start), f(a.fieldwork_end)),
            ),
            kv(t, "date", f(a.point_in_time)),
            kv(t, "report", f(a.report_date)),
            kv(t, "auditor", a.auditor.clone()),
            Line::styled(
                "c status · d dates · +/- < > what-if on a Type II window",
                t.fg(t.muted),
            ),
        ];
    }
    let mut out = vec![Line::styled(id.to_owned(), t.title())];
    if let Some(fw) = id
        .strip_prefix("projected:")
        .and_then(|x| x.split(':').next())
        && let Some(f) = d
            .assessment
            .frameworks
            .iter()
            .find(|f| f.key.as_str() == fw)
    {
        out.extend(f.projected.why.iter().map(|w| Line::raw(w.clone())));
        if !f.projected.critical_path.is_empty() {
            let path: Vec<&str> = f
                .projected
                .critical_path
                .iter()
                .map(|x| x.as_str())
                .collect();
            out.push(kv(t, "critical path", path.join(" → ")));
        }
    }
    out
}

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

/// Draws the Gantt.
pub fn render(f: &mut Frame, area: Rect, g: &Gantt<'_>, t: &Theme) {
    let (rows, selected, offset, view, d, footer) =
        (g.rows, g.selected, g.offset, g.view, g.data, g.footer);
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
    // Axis: month starts.
    let mut axis: Vec<char> = vec![' '; usize::from(chart_w)];
    let mut c = 0u16;
    while c < chart_w {
        let dt = day_at(c);
        let prev = if c == 0 { None } else { Some(day_at(c - 1)) };
        if prev.is_none_or(|p| p.month() != dt.month()) {
            let label = if dt.month() == 1 || c == 0 {
                dt.format("%b '%y").to_string()
            } else {
                dt.format("%b").to_string()
            };
            for (k, ch) in label.chars().enumerate() {
                if let Some(slot) = axis.get_mut(usize::from(c) + k) {
                    *slot = ch;
                }
            }
            c += label.chars().count() as u16 + 1;
        } else {
            c += 1;
        }
    }
    if let Some(tc) = today {
        axis[usize::from(tc)] = '▼';
    }
    lines.push(Line::from(vec![
        Span::raw(" ".repeat(usize::from(label_w) + 1)),
        Span::styled(axis.into_iter().collect::<String>(), t.fg(t.muted)),
    ]));
    let body_h = usize::from(inner.height.saturating_sub(1 + footer.len() as u16));
    for (i, r) in rows.iter().enumerate().skip(offset).take(body_h) {
        let label: String = r.cells[0].text.chars().take(usize::from(label_w)).collect();
        let sel = i == selected;
        let label_style = if sel {
            t.selected()
        } else {
            r.cells[0].role.style(t)
        };
        let mut spans = vec![Span::styled(
            format!("{label:<w$} ", w = usize::from(label_w)),
            label_style,
        )];
        let (bs, be, role) = r.bar.unwrap_or((d.as_of, d.as_of, Role::Muted));
        let bar_style: Style = role.style(t);
        let mut chart = String::with_capacity(usize::from(chart_w));
        for col in 0..chart_w {
            let from = day_at(col);
            let to = day_at(col + 1);
            let on = bs < to && be >= from;
            let ch = if on && bs == be {
                '◆'
            } else if on {
                '█'
            } else if Some(col) == today {
                '│'
            } else {
                ' '
            };
            chart.push(ch);
        }
        let before = bs < first && be >= first;
        spans.push(Span::styled(chart, bar_style));
        if before {
            spans.push(Span::styled("◂", t.fg(t.muted)));
        }
        lines.push(Line::from(spans));
    }
    while lines.len() < body_h + 1 {
        lines.push(Line::default());
    }
    for fl in footer {
        lines.push(Line::styled(fl.clone(), t.fg(t.warn)));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// The Timeline tab in the registry.
pub struct TimelineTab;

impl crate::tui::tabs::TabView for TimelineTab {
    fn tab(&self) -> crate::tui::tab::Tab {
        crate::tui::tab::Tab::Timeline
    }

    fn title(&self) -> &'static str {
        "Timeline"
    }

    fn key(&self) -> crate::tui::action::Action {
        crate::tui::action::Action::TabTimeline
    }

    fn spec(&self, shape: &crate::tui::tabs::Shape) -> &'static Spec {
        if shape.timeline.ledger {
            &LEDGER_SPEC
        } else {
            &SPEC
        }
    }

    fn rows(&self, d: &Data, _sort: usize, shape: &crate::tui::tabs::Shape) -> Vec<Row> {
        rows(d, &shape.timeline)
    }

    fn detail(&self, d: &Data, id: &str, t: &Theme) -> Vec<Line<'static>> {
        detail(d, id, t)
    }

    fn form(
        &self,
        a: crate::tui::action::Action,
        cx: &crate::tui::tabs::FormCx,
    ) -> Option<crate::tui::tabs::Form> {
        form::form(a, cx)
    }

    fn note_target(
        &self,
        id: &str,
        shape: &crate::tui::tabs::Shape,
    ) -> Option<(&'static str, String)> {
        form::note_target(id, shape)
    }
}
