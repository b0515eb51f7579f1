//! Workspace totals for the status line and the Overview: controls, risks, findings, tasks,
//! evidence and vendors, each counted as of a date (the gateway's figures come from the
//! collectors' runs, `collect::panel`).

use super::ControlState;
use crate::domain::{ControlStatus, Date, FindingStatus, Severity, Snapshot, TaskStatus};
use chrono::Days;
use serde::Serialize;

/// Control counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ControlTotals {
    /// All controls.
    pub total: usize,
    /// implemented.
    pub implemented: usize,
    /// in_progress.
    pub in_progress: usize,
    /// not_started.
    pub not_started: usize,
    /// not_applicable.
    pub not_applicable: usize,
    /// Designed as of the date.
    pub designed: usize,
    /// Designed controls whose evidence lapses within 14 days (weekly or rarer cadences:
    /// continuous and daily evidence renews itself).
    pub expiring_14d: usize,
}

/// Totals across the workspace.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    /// Controls.
    pub controls: ControlTotals,
    /// Risks: total and those with inherent score ≥ 15.
    pub risks: RiskTotals,
    /// Findings.
    pub findings: FindingTotals,
    /// Tasks.
    pub tasks: TaskTotals,
    /// Evidence rows stored.
    pub evidence: u64,
    /// Vendors.
    pub vendors: VendorTotals,
}

/// Risk counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RiskTotals {
    /// All risks.
    pub total: usize,
    /// Inherent score ≥ 15.
    pub high: usize,
    /// Residual score above the appetite (9).
    pub above_appetite: usize,
}

/// Finding counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FindingTotals {
    /// All findings.
    pub total: usize,
    /// Open or remediating.
    pub open: usize,
    /// Open with severity critical.
    pub critical: usize,
    /// Open with severity high.
    pub high: usize,
    /// Open past their due date.
    pub overdue: usize,
}

/// Task counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TaskTotals {
    /// All tasks.
    pub total: usize,
    /// Not done.
    pub open: usize,
    /// Not done and past due.
    pub late: usize,
    /// Blocked.
    pub blocked: usize,
}

/// Vendor counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VendorTotals {
    /// All vendors.
    pub total: usize,
    /// Receiving PHI without a current BAA.
    pub missing_baa: usize,
    /// Agreements or attestations expiring within 60 days.
    pub expiring_60d: usize,
}

/// Residual risk score above which a risk is outside appetite.
pub const RISK_APPETITE: u8 = 9;

/// Whether a designed control's evidence lapses by `end` (ignoring continuous and daily
/// controls, whose evidence renews every day).
pub fn lapses_soon(s: &Snapshot, c: &ControlState, end: Date) -> bool {
    let renews = s.controls.iter().find(|x| x.id == c.id).is_some_and(|x| {
        matches!(
            x.cadence,
            crate::domain::Cadence::Continuous | crate::domain::Cadence::Daily
        )
    });
    c.designed && !renews && c.valid_until.is_some_and(|u| u <= end)
}

/// Counts everything as of `d`.
pub fn totals(s: &Snapshot, states: &[ControlState], d: Date) -> Totals {
    let soon = d.checked_add_days(Days::new(14)).unwrap_or(d);
    let mut t = Totals {
        evidence: s.evidence_rows,
        ..Totals::default()
    };
    for c in states {
        t.controls.total += 1;
        match c.status {
            ControlStatus::Implemented => t.controls.implemented += 1,
            ControlStatus::InProgress => t.controls.in_progress += 1,
            ControlStatus::NotStarted => t.controls.not_started += 1,
            ControlStatus::NotApplicable => t.controls.not_applicable += 1,
        }
        if c.designed {
            t.controls.designed += 1;
            if lapses_soon(s, c, soon) {
                t.controls.expiring_14d += 1;
            }
        }
    }
    t.risks.total = s.risks.len();
    t.risks.high = s.risks.iter().filter(|r| r.score() >= 15).count();
    t.risks.above_appetite = s
        .risks
        .iter()
        .filter(|r| r.residual_score() > RISK_APPETITE)
        .count();
    t.findings.total = s.findings.len();
    for f in s
        .findings
        .iter()
        .filter(|f| matches!(f.status, FindingStatus::Open | FindingStatus::Remediating))
    {
        t.findings.open += 1;
        t.findings.critical += usize::from(f.severity == Severity::Critical);
        t.findings.high += usize::from(f.severity == Severity::High);
        t.findings.overdue += usize::from(f.due.is_some_and(|x| x < d));
    }
    t.tasks.total = s.tasks.len();
    for task in s.tasks.iter().filter(|x| x.status != TaskStatus::Done) {
        t.tasks.open += 1;
        t.tasks.late += usize::from(task.due.is_some_and(|x| x < d));
        t.tasks.blocked += usize::from(task.status == TaskStatus::Blocked);
    }
    // missing_baa and expiring_60d come from the vendor rules (analysis::vendors).
    t.vendors.total = s.vendors.len();
    t
}
