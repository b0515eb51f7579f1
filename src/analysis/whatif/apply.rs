//! The what-if's dates put into the snapshot for the length of one rescore, and put back:
//! the tasks moved by hand with the dependants they push ([`cascade`]), and the moved Type II
//! windows (their report dates keep their lag after the window's end). Invariant: [`restore`] after [`apply`] leaves the snapshot as it was.

use super::graph::Graph;
use crate::analysis::timeline::{WhatIf, cascade};
use crate::domain::{Date, Snapshot};

/// The dates the what-if replaced, to put back.
pub(super) struct Moved {
    /// Tasks whose due date changed (moved by hand or pushed), with the saved date.
    pub due: Vec<(usize, Option<Date>)>,
    /// Audits whose window moved, with the saved window and report date.
    pub windows: Vec<(usize, Option<Date>, Option<Date>, Option<Date>)>,
}

/// Puts the what-if `w` into `s`; returns what it replaced.
pub(super) fn apply(s: &mut Snapshot, w: &WhatIf, g: &Graph) -> Moved {
    let by_hand: Vec<(usize, Date)> = w
        .due
        .iter()
        .filter_map(|(id, d)| Some((*g.index.get(id)?, *d)))
        .filter(|(i, _)| *i < s.tasks.len())
        .collect();
    let (deps, dependents) = g.edges();
    let mut m = Moved {
        due: Vec::with_capacity(by_hand.len()),
        windows: Vec::with_capacity(w.windows.len()),
    };
    for (i, d) in cascade(&s.tasks, &by_hand, deps, dependents) {
        if let Some(t) = s.tasks.get_mut(i) {
            m.due.push((i, t.due.replace(d)));
        }
    }
    m.due.sort_unstable_by_key(|(i, _)| *i);
    for (i, a) in s.audits.iter_mut().enumerate() {
        if let Some((start, end)) = w.windows.get(&a.id) {
            let report = a.report_date;
            a.report_date = crate::analysis::timeline::moved_report(a, *end);
            m.windows.push((
                i,
                a.window_start.replace(*start),
                a.window_end.replace(*end),
                report,
            ));
        }
    }
    m
}

/// Puts back what [`apply`] replaced.
pub(super) fn restore(s: &mut Snapshot, m: Moved) {
    for (i, due) in m.due {
        if let Some(t) = s.tasks.get_mut(i) {
            t.due = due;
        }
    }
    for (i, start, end, report) in m.windows {
        if let Some(a) = s.audits.get_mut(i) {
            a.window_start = start;
            a.window_end = end;
            a.report_date = report;
        }
    }
}
