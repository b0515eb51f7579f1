//! Evidence validity by cadence, and whether each control is *designed* on a date.
//!
//! An item is valid from its `effective` date up to and including `effective` + the cadence's
//! days (continuous 1, daily 2, weekly 10, monthly 35, quarterly 100, semiannual 190, annual
//! and on_event 380); an explicit `expires` overrides that. A control is designed on D when it
//! is implemented and a passing item effective on or before D is valid on D.

use crate::domain::{
    Cadence, Control, ControlId, ControlStatus, Date, EvidenceFact, EvidenceResult, Snapshot,
};
use chrono::Days;
use serde::Serialize;

/// Days an item stays valid after its effective date, by cadence.
pub fn validity_days(c: Cadence) -> u64 {
    match c {
        Cadence::Continuous => 1,
        Cadence::Daily => 2,
        Cadence::Weekly => 10,
        Cadence::Monthly => 35,
        Cadence::Quarterly => 100,
        Cadence::Semiannual => 190,
        Cadence::Annual | Cadence::OnEvent => 380,
    }
}

/// The last day an item is valid.
pub fn valid_until(f: &EvidenceFact, cadence: Cadence) -> Date {
    f.expires.unwrap_or_else(|| {
        f.effective
            .checked_add_days(Days::new(validity_days(cadence)))
            .unwrap_or(Date::MAX)
    })
}

/// Whether a control is designed on a date, and why.
#[derive(Debug, Clone, Serialize)]
pub struct ControlState {
    /// Control.
    pub id: ControlId,
    /// Its status.
    pub status: ControlStatus,
    /// Designed on `as_of`.
    pub designed: bool,
    /// Effective date of the passing item that keeps it valid longest (on or before `as_of`).
    pub last_pass: Option<Date>,
    /// Last day that item is valid.
    pub valid_until: Option<Date>,
    /// The rule applied, in words.
    pub reason: String,
}

/// Judges one control.
pub fn control_state(c: &Control, facts: &[EvidenceFact], as_of: Date) -> ControlState {
    let best = facts
        .iter()
        .filter(|f| f.result == EvidenceResult::Pass && f.effective <= as_of)
        .map(|f| (valid_until(f, c.cadence), f.effective))
        .max();
    let valid = best.is_some_and(|(until, _)| until >= as_of);
    let designed = c.status == ControlStatus::Implemented && valid;
    let reason = match (c.status, best) {
        (ControlStatus::NotApplicable, _) => "not applicable: ignored by scoring".to_owned(),
        (s, _) if s != ControlStatus::Implemented => {
            format!("not designed: status is {s}, not implemented")
        }
        (_, None) => {
            "not designed: implemented but no passing evidence on or before this date".to_owned()
        }
        (_, Some((until, eff))) if until < as_of => format!(
            "not designed: latest passing evidence (effective {eff}) expired {until} ({} cadence, {} days)",
            c.cadence,
            validity_days(c.cadence)
        ),
        (_, Some((until, eff))) => {
            format!("designed: implemented, passing evidence effective {eff} valid to {until}")
        }
    };
    ControlState {
        id: c.id.clone(),
        status: c.status,
        designed,
        last_pass: best.map(|b| b.1),
        valid_until: best.map(|b| b.0),
        reason,
    }
}

/// Judges every control of the snapshot, in the snapshot's order.
pub fn control_states(s: &Snapshot, as_of: Date) -> Vec<ControlState> {
    s.controls
        .iter()
        .map(|c| control_state(c, s.evidence.get(&c.id).map_or(&[], Vec::as_slice), as_of))
        .collect()
}
