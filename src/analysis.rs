//! Scoring: pure functions of a [`Snapshot`] and a date `as_of`.
//!
//! Invariants: no I/O and no clock reads; the same snapshot and date always give the same
//! numbers; every number carries the rule and the items that decided it (DESIGN, "Scoring").

pub mod availability;
pub mod carve_out;
pub mod gateway;
pub mod gateway_state;
pub mod ledger;
pub mod periods;
pub mod projection;
pub mod readiness;
pub mod timeline;
pub mod totals;
pub mod validity;
pub mod vendor_findings;
pub mod vendors;
pub mod whatif;

use crate::domain::{Date, FrameworkKey, Snapshot};
use serde::Serialize;

pub use ledger::{Ledger, LedgerRow, PeriodState, PeriodStatus};
pub use projection::Projection;
pub use readiness::{FrameworkReadiness, RequirementState};
pub use totals::Totals;
pub use validity::ControlState;

/// Everything scored for one framework.
#[derive(Debug, Clone, Serialize)]
pub struct FrameworkAssessment {
    /// Framework key.
    pub key: FrameworkKey,
    /// Display name.
    pub name: String,
    /// Whether the framework is in scope at all.
    pub in_scope: bool,
    /// Requirement statuses and Type I readiness.
    pub readiness: FrameworkReadiness,
    /// The Type II ledger, where a window is planned.
    pub type2: Option<Ledger>,
    /// Projected report dates.
    pub projected: Projection,
}

/// The whole assessment as of a date.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// The date scored.
    pub as_of: Date,
    /// Per framework, in catalog order.
    pub frameworks: Vec<FrameworkAssessment>,
    /// Per control, whether it is designed and why.
    pub controls: Vec<ControlState>,
    /// Totals across the workspace.
    pub totals: Totals,
    /// Vendor issues (missing agreements, lapsing attestations).
    pub vendors: vendors::VendorAssessment,
}

impl Assessment {
    /// One framework's assessment by key.
    pub fn framework(&self, key: &str) -> Option<&FrameworkAssessment> {
        self.frameworks.iter().find(|f| f.key.as_str() == key)
    }
}

/// Scores the snapshot as of `as_of`.
pub fn assess(s: &Snapshot, as_of: Date) -> Assessment {
    let controls = validity::control_states(s, as_of);
    let vendor_issues = vendors::assess(s, as_of);
    let blocked = vendors::blocked_requirements(&vendor_issues);
    let frameworks = s
        .frameworks
        .iter()
        .map(|fw| {
            let readiness = readiness::framework(s, fw, &controls, &blocked, as_of);
            let type2 = ledger::for_framework(s, fw, &readiness, as_of);
            let projected =
                projection::project(s, fw, &readiness, type2.as_ref(), &controls, as_of);
            FrameworkAssessment {
                key: fw.key.clone(),
                name: fw.name.clone(),
                in_scope: s.scope.contains_key(&fw.key),
                readiness,
                type2,
                projected,
            }
        })
        .collect();
    let mut totals = totals::totals(s, &controls, as_of);
    totals.vendors.missing_baa = vendor_issues.missing_baa;
    totals.vendors.expiring_60d = vendor_issues.expiring_60d;
    Assessment {
        as_of,
        frameworks,
        totals,
        controls,
        vendors: vendor_issues,
    }
}

/// A percentage with one decimal.
pub fn pct(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 * 1000.0 / whole as f64).round() / 10.0
    }
}
