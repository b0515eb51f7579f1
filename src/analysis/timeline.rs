//! The schedule the Timeline tab draws and `certready timeline` prints: audits with their
//! windows, fieldwork and report dates; the rhythms each framework implies but nobody has
//! planned yet (the next SOC 2 Type II window back to back, ISO surveillance and
//! recertification, the annual PCI assessment, quarterly PCI ASV scans, the annual penetration
//! test and HIPAA evaluation), marked projected;
//! the projected Type I and Type II dates; the remediation plan with its critical path; and
//! tabletop exercises. Also the what-if (`whatif`): task due dates and Type II windows moved
//! in memory, dependants pushed.
//!
//! Invariant: items are sorted by lane, first day and id ([`order`]); the schedule is built
//! from parts ([`projection_items`], [`audit_items`], [`task_item`]) so the what-if can build
//! again only the parts its moves change.

mod audits;
mod rhythms;
mod whatif;

pub use audits::{audit_items, moved_report};

pub(crate) use whatif::task_edges;
pub use whatif::{WhatIf, cascade};

use super::{Assessment, FrameworkAssessment, Projection};
use crate::domain::{AuditKind, Date, Snapshot, Task, TaskId, TaskStatus};
use chrono::{Days, Months};
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::HashSet;

/// Which band of the chart an item belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lane {
    /// Projected report dates.
    Projection,
    /// Audits and assessments (planned, running, done, projected).
    Audit,
    /// Tabletop exercises.
    Exercise,
    /// Remediation tasks.
    Task,
}

/// How an item should be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Finished.
    Done,
    /// Under way now.
    Running,
    /// Planned.
    Planned,
    /// Implied by the framework's rhythm; nobody has planned it yet.
    Projected,
    /// Past due and not done.
    Late,
    /// On the critical path to Type I readiness.
    Critical,
}

/// One bar or milestone.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// Stable id (`audit:ID`, `task:ID`, `projected:...`).
    pub id: String,
    /// Lane.
    pub lane: Lane,
    /// Label.
    pub label: String,
    /// First day.
    pub start: Date,
    /// Last day (equal to start for a milestone).
    pub end: Date,
    /// Reading.
    pub state: State,
    /// Extra words (dependencies, what it unblocks).
    pub note: String,
}

impl Item {
    /// Whether this is a single-day milestone.
    pub fn is_point(&self) -> bool {
        self.start == self.end
    }
}

pub(super) fn add_months(d: Date, m: u32) -> Date {
    d.checked_add_months(Months::new(m)).unwrap_or(d)
}

pub(super) fn day_after(d: Date) -> Date {
    d.checked_add_days(Days::new(1)).unwrap_or(d)
}

/// Human name of an audit kind.
pub fn kind_label(k: AuditKind) -> &'static str {
    match k {
        AuditKind::Soc2Type1 => "SOC 2 Type I",
        AuditKind::Soc2Type2 => "SOC 2 Type II",
        AuditKind::IsoStage1 => "ISO stage 1",
        AuditKind::IsoStage2 => "ISO stage 2",
        AuditKind::IsoSurveillance => "ISO surveillance",
        AuditKind::IsoRecertification => "ISO recertification",
        AuditKind::HipaaAssessment => "HIPAA assessment",
        AuditKind::PciRoc => "PCI ROC",
        AuditKind::PciSaq => "PCI SAQ",
        AuditKind::PciAsvScan => "PCI ASV scan",
        AuditKind::PciPentest => "PCI penetration test",
    }
}

/// The order of the schedule: lane, first day, id.
pub fn order(x: &Item, y: &Item) -> Ordering {
    x.lane
        .cmp(&y.lane)
        .then(x.start.cmp(&y.start))
        .then(x.id.cmp(&y.id))
}

/// Builds the schedule.
pub fn schedule(s: &Snapshot, a: &Assessment) -> Schedule {
    let as_of = a.as_of;
    let mut items = projection_items(a.frameworks.iter().map(|f| (f, &f.projected)));
    items.extend(audit_items(s, as_of));
    items.extend(exercise_items(s));
    let critical = critical_tasks(a.frameworks.iter().map(|f| &f.projected));
    items.extend(
        s.tasks
            .iter()
            .filter_map(|t| task_item(t, critical.contains(&t.id), as_of)),
    );
    items.sort_by(order);
    Schedule { as_of, items }
}

/// The tasks on the critical path of any of `projections`.
pub fn critical_tasks<'a>(
    projections: impl Iterator<Item = &'a Projection>,
) -> HashSet<&'a TaskId> {
    projections.flat_map(|p| p.critical_path.iter()).collect()
}

/// The projected Type I and Type II milestones of the in-scope frameworks, each with the
/// projection to draw (the assessed one, or a what-if's).
pub fn projection_items<'a>(
    frameworks: impl Iterator<Item = (&'a FrameworkAssessment, &'a Projection)>,
) -> Vec<Item> {
    let mut items = Vec::new();
    for (f, p) in frameworks.filter(|(f, _)| f.in_scope) {
        let why = &p.why;
        // With unplanned requirements there is no Type I date to draw: the why line says so.
        let milestones = [
            ("type1", "ready (Type I)", p.type1_ready, why.first()),
            ("type2", "Type II report", p.type2_report, why.last()),
        ];
        for (kind, label, date, note) in milestones {
            let Some(d) = date else { continue };
            items.push(Item {
                id: format!("projected:{}:{kind}", f.key),
                lane: Lane::Projection,
                label: format!("{} {label}", f.name),
                start: d,
                end: d,
                state: State::Projected,
                note: note.cloned().unwrap_or_default(),
            });
        }
    }
    items
}

fn exercise_items(s: &Snapshot) -> Vec<Item> {
    s.exercises
        .iter()
        .map(|(d, title)| Item {
            id: format!("exercise:{d}"),
            lane: Lane::Exercise,
            label: if title.to_lowercase().starts_with("tabletop") {
                title.clone()
            } else {
                format!("Tabletop: {title}")
            },
            start: *d,
            end: *d,
            state: State::Done,
            note: String::new(),
        })
        .collect()
}

/// The bar of a task with a due date (`critical`: on a critical path); none without one.
pub fn task_item(t: &Task, critical: bool, as_of: Date) -> Option<Item> {
    let due = t.due?;
    let start = t.estimate_days.map_or(due, |e| {
        due.checked_sub_days(Days::new(u64::from(e.saturating_sub(1))))
            .unwrap_or(due)
    });
    let state = if t.status == TaskStatus::Done {
        State::Done
    } else if critical {
        State::Critical
    } else if due < as_of {
        State::Late
    } else if t.status == TaskStatus::Doing {
        State::Running
    } else {
        State::Planned
    };
    let deps: Vec<&str> = t.depends_on.iter().map(|d| d.as_str()).collect();
    Some(Item {
        id: format!("task:{}", t.id),
        lane: Lane::Task,
        label: format!("{} {}", t.id, t.title),
        start,
        end: due,
        state,
        note: if deps.is_empty() {
            t.owner.clone()
        } else {
            format!("{} · after {}", t.owner, deps.join(", "))
        },
    })
}

/// The schedule, in lane order.
#[derive(Debug, Clone, Serialize)]
pub struct Schedule {
    /// The date it was computed for.
    pub as_of: Date,
    /// Items.
    pub items: Vec<Item>,
}
