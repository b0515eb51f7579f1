//! What a projection says: the Type I date or the "no date" sentence every screen and report
//! uses, and why a Type II opinion is likely qualified.

use super::{Ledger, Projection};
use crate::domain::ControlId;
use std::collections::HashMap;

impl Projection {
    /// The Type I date, or the "no date" sentence with the count of unplanned requirements.
    pub fn type1_text(&self) -> String {
        match self.type1_ready {
            Some(d) => d.to_string(),
            None if !self.unplanned.is_empty() => no_date(self.unplanned.len()),
            None => format!(
                "no date: {} blocking task(s) have no due date",
                self.undated.len()
            ),
        }
    }

    /// The date, or "no date (N)" with N unplanned (or undated) items: fits a 13-wide cell.
    pub fn type1_compact(&self) -> String {
        match self.type1_ready {
            Some(d) => d.to_string(),
            None if !self.unplanned.is_empty() => format!("no date ({})", self.unplanned.len()),
            None => format!("no date ({})", self.undated.len()),
        }
    }

    /// The same, short enough for a table cell.
    pub fn type1_short(&self) -> String {
        match self.type1_ready {
            Some(d) => d.to_string(),
            None if !self.unplanned.is_empty() => {
                format!("no date ({} unplanned)", self.unplanned.len())
            }
            None => format!("no date ({} undated)", self.undated.len()),
        }
    }
}

/// The words every screen and report uses when there is no Type I date.
pub fn no_date(unplanned: usize) -> String {
    format!("no date: {unplanned} requirements have no remediation task")
}

/// Why a Type II opinion over this window is likely qualified: controls in it that are not
/// designed today, and the exceptions (missed periods) the ledger already holds.
pub(super) fn caveat(l: &Ledger, states: &[crate::analysis::ControlState]) -> Option<String> {
    let designed: HashMap<&ControlId, bool> = states.iter().map(|c| (&c.id, c.designed)).collect();
    let not_designed: Vec<&str> = l
        .rows
        .iter()
        .filter(|r| !designed.get(&r.control).copied().unwrap_or(false))
        .map(|r| r.control.as_str())
        .collect();
    if not_designed.is_empty() && l.missed == 0 {
        return None;
    }
    Some(format!(
        "opinion likely qualified: {} control(s) in the window not designed{}, and the ledger holds {} exception(s) (missed periods)",
        not_designed.len(),
        if not_designed.is_empty() {
            String::new()
        } else {
            format!(" ({})", not_designed.join(", "))
        },
        l.missed
    ))
}
