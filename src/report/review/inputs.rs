//! What the pack's first page and charts need from the model beyond the week's totals: each
//! framework's next audit date, the counts that need a decision, the 5×5 risk matrices, the
//! Type II ledgers as weekly strips and the next 90 days of the audit calendar with the
//! critical path. Computed once a week with the metrics and stored with them, so a past week's
//! pack draws the same charts.
//!
//! Invariants: pure (the model and its assessment at `as_of` in, plain data out); rows older
//! than this struct load as its `Default` (every field is `#[serde(default)]`); lists are
//! sorted so the stored JSON and the charts are the same for the same model.

use crate::analysis::Assessment;
use crate::analysis::ledger::PeriodStatus;
use crate::analysis::timeline::{self, Lane, State};
use crate::domain::{AuditStatus, Date, FindingStatus, Severity, Snapshot};
use chrono::{Datelike, Days};
use serde::{Deserialize, Serialize};

/// The days the pack's calendar looks ahead.
pub const HORIZON_DAYS: u64 = 90;
/// The most critical-path tasks the calendar draws (the rest are counted).
pub const MAX_CRITICAL: usize = 8;

/// Chart inputs of one week.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ChartInputs {
    /// Per framework key, its next audit date and what happens then.
    pub targets: Vec<Target>,
    /// Open or remediating critical findings.
    pub critical_findings: usize,
    /// Vendors that receive PHI without a BAA in force.
    pub vendors_without_baa: usize,
    /// Risks per cell of inherent likelihood (row, 1-5) × impact (column, 1-5).
    pub heat_inherent: [[u32; 5]; 5],
    /// The same with the residual ratings.
    pub heat_residual: [[u32; 5]; 5],
    /// Type II ledgers, one per framework with a window.
    pub ledgers: Vec<Strip>,
    /// The audit calendar and critical path in the next 90 days.
    pub calendar: Vec<Bar>,
    /// Critical-path tasks not drawn (beyond [`MAX_CRITICAL`]).
    pub critical_more: usize,
}

/// A framework's next audit date.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Target {
    /// Framework key.
    pub key: String,
    /// Date.
    pub date: Date,
    /// What happens (`SOC 2 Type II fieldwork`).
    pub what: String,
}

/// A Type II ledger by week: per week, the control periods ending in it by state.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Strip {
    /// Framework key.
    pub key: String,
    /// Framework name.
    pub name: String,
    /// Window start.
    pub start: Date,
    /// Window end.
    pub end: Date,
    /// Coverage, percent.
    pub coverage_pct: Option<f64>,
    /// Totals: evidenced, missed, open, upcoming.
    pub totals: [u32; 4],
    /// Per week from the Monday of the window's start: evidenced, missed, open, upcoming.
    pub weeks: Vec<[u32; 4]>,
}

/// What a calendar bar is.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum BarKind {
    /// A Type II observation window.
    Window,
    /// Fieldwork.
    Fieldwork,
    /// An audit date (Type I, stage, assessment).
    Audit,
    /// A report date.
    Report,
    /// A projected readiness or report date.
    Projected,
    /// A task on the critical path.
    Critical,
}

/// One bar or milestone of the calendar.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Bar {
    /// Label.
    pub label: String,
    /// First day.
    pub start: Date,
    /// Last day.
    pub end: Date,
    /// Kind.
    pub kind: BarKind,
    /// Implied by a framework's rhythm, not planned by anyone.
    pub rhythm: bool,
}

/// The chart inputs of the model `s` assessed in `a`.
pub fn inputs(s: &Snapshot, a: &Assessment) -> ChartInputs {
    let mut heat_inherent = [[0u32; 5]; 5];
    let mut heat_residual = [[0u32; 5]; 5];
    let cell = |x: u8| usize::from(x.clamp(1, 5) - 1);
    for r in &s.risks {
        heat_inherent[cell(r.likelihood)][cell(r.impact)] += 1;
        let (l, i) = (
            r.residual_likelihood.unwrap_or(r.likelihood),
            r.residual_impact.unwrap_or(r.impact),
        );
        heat_residual[cell(l)][cell(i)] += 1;
    }
    let (calendar, critical_more) = calendar(s, a);
    ChartInputs {
        targets: targets(s, a),
        critical_findings: s
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Critical)
            .filter(|f| matches!(f.status, FindingStatus::Open | FindingStatus::Remediating))
            .count(),
        vendors_without_baa: a.vendors.missing_baa,
        heat_inherent,
        heat_residual,
        ledgers: strips(a),
        calendar,
        critical_more,
    }
}

fn targets(s: &Snapshot, a: &Assessment) -> Vec<Target> {
    let d = a.as_of;
    a.frameworks
        .iter()
        .filter(|f| f.in_scope)
        .filter_map(|f| {
            s.audits
                .iter()
                .filter(|au| au.framework == f.key && au.status != AuditStatus::Completed)
                .flat_map(|au| {
                    [
                        (au.point_in_time, "date"),
                        (au.window_start, "window starts"),
                        (au.fieldwork_start, "fieldwork"),
                        (au.report_date, "report"),
                    ]
                    .into_iter()
                    .filter_map(move |(x, what)| x.filter(|x| *x >= d).map(|x| (x, au, what)))
                })
                .min_by_key(|(x, au, _)| (*x, au.id.clone()))
                .map(|(x, au, what)| Target {
                    key: f.key.to_string(),
                    date: x,
                    what: format!("{} {what}", timeline::kind_label(au.kind)),
                })
        })
        .collect()
}

fn strips(a: &Assessment) -> Vec<Strip> {
    a.frameworks
        .iter()
        .filter(|f| f.in_scope)
        .filter_map(|f| {
            let l = f.type2.as_ref()?;
            let monday = l
                .window_start
                .checked_sub_days(Days::new(u64::from(
                    l.window_start.weekday().num_days_from_monday(),
                )))
                .unwrap_or(l.window_start);
            let week = |x: Date| usize::try_from((x - monday).num_days() / 7).unwrap_or(0);
            let mut weeks = vec![[0u32; 4]; week(l.window_end) + 1];
            let mut totals = [0u32; 4];
            for p in l.rows.iter().flat_map(|r| &r.periods) {
                let k = match p.status {
                    PeriodStatus::Evidenced => 0,
                    PeriodStatus::Missed => 1,
                    PeriodStatus::Open => 2,
                    PeriodStatus::Upcoming => 3,
                };
                if let Some(w) = weeks.get_mut(week(p.end.min(l.window_end))) {
                    w[k] += 1;
                }
                totals[k] += 1;
            }
            Some(Strip {
                key: f.key.to_string(),
                name: f.name.clone(),
                start: l.window_start,
                end: l.window_end,
                coverage_pct: l.coverage_pct,
                totals,
                weeks,
            })
        })
        .collect()
}

fn calendar(s: &Snapshot, a: &Assessment) -> (Vec<Bar>, usize) {
    let d = a.as_of;
    let horizon = d.checked_add_days(Days::new(HORIZON_DAYS)).unwrap_or(d);
    let items = timeline::schedule(s, a).items;
    let near = items.iter().filter(|i| i.end >= d && i.start <= horizon);
    let mut bars: Vec<Bar> = Vec::new();
    let mut critical: Vec<Bar> = Vec::new();
    for i in near {
        let kind = match i.lane {
            Lane::Projection => BarKind::Projected,
            Lane::Task if i.state == State::Critical => BarKind::Critical,
            Lane::Audit if i.id.ends_with(":fieldwork") => BarKind::Fieldwork,
            Lane::Audit if i.id.ends_with(":report") => BarKind::Report,
            Lane::Audit if i.is_point() => BarKind::Audit,
            Lane::Audit => BarKind::Window,
            Lane::Task | Lane::Exercise => continue,
        };
        let bar = Bar {
            label: i.label.clone(),
            start: i.start,
            end: i.end,
            kind,
            rhythm: i.state == State::Projected && i.lane == Lane::Audit,
        };
        if kind == BarKind::Critical {
            critical.push(bar);
        } else {
            bars.push(bar);
        }
    }
    critical.sort_by(|x, y| (x.end, &x.label).cmp(&(y.end, &y.label)));
    let more = critical.len().saturating_sub(MAX_CRITICAL);
    critical.truncate(MAX_CRITICAL);
    bars.sort_by(|x, y| (x.start, x.kind, &x.label).cmp(&(y.start, y.kind, &y.label)));
    bars.extend(critical);
    (bars, more)
}
