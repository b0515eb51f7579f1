//! The Type II observation-window ledger.
//!
//! For a planned window [start, end] of a framework, every control mapped to an in-scope
//! requirement (not_applicable controls excluded) is cut into cadence periods clipped to the
//! window. A period is *evidenced* when a passing item effective on or before `as_of` lies
//! inside it; otherwise *missed* when it ended before `as_of` (an exception that cannot be
//! made up), *open* when it contains `as_of`, *upcoming* when it starts after it. on_event
//! controls have no periods and are listed apart with their evidence population.
//! Coverage = evidenced / (evidenced + missed), one decimal (null when nothing is due yet).

use super::periods::periods;
use super::readiness::FrameworkReadiness;
use crate::domain::{
    AuditId, AuditKind, Cadence, ControlId, ControlStatus, Date, EvidenceResult, Framework,
    ReqStatus, Snapshot,
};
use serde::Serialize;
use std::collections::BTreeSet;

/// The state of one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodStatus {
    /// A passing item is effective inside it.
    Evidenced,
    /// Ended with no passing item: a likely exception.
    Missed,
    /// Contains `as_of` and has no passing item yet.
    Open,
    /// Starts after `as_of`.
    Upcoming,
}

/// One period of a control.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PeriodState {
    /// First day.
    pub start: Date,
    /// Last day.
    pub end: Date,
    /// Status.
    pub status: PeriodStatus,
}

/// One control's line in the ledger.
#[derive(Debug, Clone, Serialize)]
pub struct LedgerRow {
    /// Control.
    pub control: ControlId,
    /// Cadence.
    pub cadence: Cadence,
    /// Periods in order (empty for on_event).
    pub periods: Vec<PeriodState>,
    /// Evidenced periods.
    pub evidenced: usize,
    /// Missed periods.
    pub missed: usize,
    /// Open periods.
    pub open: usize,
    /// Upcoming periods.
    pub upcoming: usize,
    /// For on_event controls: passing items inside the window so far.
    pub events: usize,
    /// Sample size an auditor is likely to draw (low, high).
    pub sample: (u32, u32),
    /// Whether any passing evidence exists in the window so far.
    pub has_evidence: bool,
}

/// The ledger of one framework's window.
#[derive(Debug, Clone, Serialize)]
pub struct Ledger {
    /// The audit whose window this is.
    pub audit: AuditId,
    /// Window start.
    pub window_start: Date,
    /// Window end.
    pub window_end: Date,
    /// The audit's own report date, when recorded (the projection uses it as given).
    #[serde(skip)]
    pub report_date: Option<Date>,
    /// Evidenced periods, all controls.
    pub evidenced: usize,
    /// Missed periods.
    pub missed: usize,
    /// Open periods.
    pub open: usize,
    /// Upcoming periods.
    pub upcoming: usize,
    /// evidenced / (evidenced + missed), one decimal; None when nothing is due yet.
    pub coverage_pct: Option<f64>,
    /// How far the window has run, percent of its days.
    pub elapsed_pct: f64,
    /// Rows, riskiest first: no evidence yet, then most missed, then lowest coverage.
    pub rows: Vec<LedgerRow>,
}

/// Sample sizes auditors commonly use, by control frequency (REFERENCE.md).
pub fn sample_size(c: Cadence) -> (u32, u32) {
    match c {
        Cadence::Annual => (1, 1),
        Cadence::Semiannual | Cadence::Quarterly => (2, 2),
        Cadence::Monthly => (2, 5),
        Cadence::Weekly => (5, 15),
        Cadence::Daily => (20, 40),
        Cadence::Continuous | Cadence::OnEvent => (25, 60),
    }
}

/// The Type II window that matters on `as_of`: the one running, else the next planned, else
/// the latest that ended.
pub fn select_window(s: &Snapshot, fw: &Framework, as_of: Date) -> Option<(AuditId, Date, Date)> {
    let windows: Vec<_> = s
        .audits
        .iter()
        .filter(|a| a.framework == fw.key && a.kind == AuditKind::Soc2Type2)
        .filter_map(|a| Some((a.id.clone(), a.window_start?, a.window_end?)))
        .collect();
    let running = windows.iter().find(|w| w.1 <= as_of && as_of <= w.2);
    let next = windows.iter().filter(|w| w.1 > as_of).min_by_key(|w| w.1);
    let last = windows.iter().filter(|w| w.2 < as_of).max_by_key(|w| w.2);
    running.or(next).or(last).map(|w| (w.0.clone(), w.1, w.2))
}

/// Builds the ledger for `fw`, if a Type II window is planned.
pub fn for_framework(
    s: &Snapshot,
    fw: &Framework,
    r: &FrameworkReadiness,
    as_of: Date,
) -> Option<Ledger> {
    let (audit, start, end) = select_window(s, fw, as_of)?;
    let mut ids: BTreeSet<&ControlId> = BTreeSet::new();
    for req in r
        .requirements
        .iter()
        .filter(|q| q.status != ReqStatus::NotApplicable)
    {
        ids.extend(req.controls.iter().map(|(c, _)| c));
    }
    let mut rows: Vec<LedgerRow> = s
        .controls
        .iter()
        .filter(|c| ids.contains(&c.id) && c.status != ControlStatus::NotApplicable)
        .map(|c| {
            let facts = s.evidence.get(&c.id).map_or(&[][..], Vec::as_slice);
            row(c.id.clone(), c.cadence, facts, start, end, as_of)
        })
        .collect();
    rows.sort_by(|a, b| {
        a.has_evidence
            .cmp(&b.has_evidence)
            .then(b.missed.cmp(&a.missed))
            .then(cov(a).total_cmp(&cov(b)))
            .then(a.control.cmp(&b.control))
    });
    let sum = |f: fn(&LedgerRow) -> usize| rows.iter().map(f).sum::<usize>();
    let (evidenced, missed) = (sum(|r| r.evidenced), sum(|r| r.missed));
    let days = (end - start).num_days() + 1;
    let run = ((as_of.min(end) - start).num_days() + 1).clamp(0, days);
    let report_date = s
        .audits
        .iter()
        .find(|x| x.id == audit)
        .and_then(|x| x.report_date);
    Some(Ledger {
        audit,
        window_start: start,
        window_end: end,
        report_date,
        evidenced,
        missed,
        open: sum(|r| r.open),
        upcoming: sum(|r| r.upcoming),
        coverage_pct: (evidenced + missed > 0).then(|| super::pct(evidenced, evidenced + missed)),
        elapsed_pct: super::pct(run as usize, days as usize),
        rows,
    })
}

fn cov(r: &LedgerRow) -> f64 {
    if r.evidenced + r.missed == 0 {
        100.0
    } else {
        r.evidenced as f64 / (r.evidenced + r.missed) as f64
    }
}

/// One control's periods; `facts` sorted by effective date.
pub fn row(
    control: ControlId,
    cadence: Cadence,
    facts: &[crate::domain::EvidenceFact],
    start: Date,
    end: Date,
    as_of: Date,
) -> LedgerRow {
    let mut passes: Vec<Date> = facts
        .iter()
        .filter(|f| f.result == EvidenceResult::Pass && f.effective <= as_of)
        .map(|f| f.effective)
        .collect();
    passes.sort_unstable();
    let any_in = |a: Date, b: Date| {
        let i = passes.partition_point(|d| *d < a);
        passes.get(i).is_some_and(|d| *d <= b)
    };
    let mut out = LedgerRow {
        control,
        cadence,
        periods: Vec::new(),
        evidenced: 0,
        missed: 0,
        open: 0,
        upcoming: 0,
        events: 0,
        sample: sample_size(cadence),
        has_evidence: any_in(start, end),
    };
    if cadence == Cadence::OnEvent {
        let i = passes.partition_point(|d| *d < start);
        out.events = passes[i..].iter().take_while(|d| **d <= end).count();
        return out;
    }
    for (a, b) in periods(cadence, start, end) {
        let status = if any_in(a, b) {
            out.evidenced += 1;
            PeriodStatus::Evidenced
        } else if b < as_of {
            out.missed += 1;
            PeriodStatus::Missed
        } else if a <= as_of {
            out.open += 1;
            PeriodStatus::Open
        } else {
            out.upcoming += 1;
            PeriodStatus::Upcoming
        };
        out.periods.push(PeriodState {
            start: a,
            end: b,
            status,
        });
    }
    out
}
