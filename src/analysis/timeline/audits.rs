//! The audit lane: each audit's window, fieldwork, date and report as its own item, then the
//! rhythms nobody has planned yet ([`super::rhythms`]).
//!
//! Invariant: an item's state is read from its own dates against `as_of` (passed in, never the
//! clock): a completed audit's parts are done; otherwise a part is running only while `as_of`
//! lies within it, planned before it starts, and after it ends done (the audit is under way)
//! or late (the audit is still only planned).

use super::{Item, Lane, State, kind_label};
use crate::domain::{Audit, AuditStatus, Date, Snapshot};

/// The state of one part (`start..=end`) of an audit on `as_of`.
pub fn part_state(status: AuditStatus, start: Date, end: Date, as_of: Date) -> State {
    match status {
        AuditStatus::Completed => State::Done,
        _ if start <= as_of && as_of <= end => State::Running,
        _ if as_of < start => State::Planned,
        AuditStatus::InProgress => State::Done,
        AuditStatus::Planned => State::Late,
    }
}

/// The report date of `a` when its window is moved to end on `end` (a what-if): the recorded
/// date keeps its lag after the window's end; none stays none.
pub fn moved_report(a: &Audit, end: Date) -> Option<Date> {
    let (Some(r), Some(old)) = (a.report_date, a.window_end) else {
        return a.report_date;
    };
    r.checked_add_signed(end - old).or(Some(r))
}

/// The audit lane: the audits' windows, fieldwork, dates and reports, and the rhythms
/// nobody has planned yet.
pub fn audit_items(s: &Snapshot, as_of: Date) -> Vec<Item> {
    let mut items = Vec::new();
    for au in &s.audits {
        let name = kind_label(au.kind);
        let mut push = |suffix: &str, label: String, start: Date, end: Date| {
            items.push(Item {
                id: format!("audit:{}{suffix}", au.id),
                lane: Lane::Audit,
                label,
                start,
                end,
                state: part_state(au.status, start, end, as_of),
                note: au.auditor.clone(),
            });
        };
        if let (Some(ws), Some(we)) = (au.window_start, au.window_end) {
            push("", format!("{name} window"), ws, we);
        }
        match (au.fieldwork_start, au.fieldwork_end) {
            (Some(fs), Some(fe)) => push(":fieldwork", format!("{name} fieldwork"), fs, fe),
            (Some(fs), None) if au.window_start.is_some() => {
                push(":fieldwork", format!("{name} fieldwork"), fs, fs);
            }
            (Some(fs), None) => push("", name.to_owned(), fs, fs),
            _ => {}
        }
        if let Some(p) = au.point_in_time {
            push(
                if au.window_start.is_some() || au.fieldwork_start.is_some() {
                    ":date"
                } else {
                    ""
                },
                name.to_owned(),
                p,
                p,
            );
        }
        if let Some(r) = au.report_date {
            push(":report", format!("{name} report"), r, r);
        }
    }
    items.extend(super::rhythms::rhythms(s, as_of));
    items
}
