//! The schedule under a what-if as the base schedule with a few items replaced, so a key
//! press builds and copies only what its moves change: the projected milestones (always),
//! the audit lane (when a Type II window moved), and the bars of the tasks whose due date
//! changed or whose place on a critical path changed. The base is shared, not copied.
//!
//! Invariant: [`Patched::items`] yields, in the schedule's order, what
//! [`timeline::schedule`] gives on the snapshot and assessment with the what-if applied.

use super::graph::Graph;
use crate::analysis::timeline::{self, Item, Lane, Schedule};
use crate::analysis::{Assessment, Projection};
use crate::domain::{Date, Snapshot, TaskId};
use std::cmp::Ordering;
use std::sync::Arc;

/// The base schedule and where its parts lie, worked out once.
#[derive(Debug, Clone)]
pub(super) struct Base {
    schedule: Arc<Schedule>,
    /// Position in the schedule of each task's bar, by task position.
    task_at: Vec<Option<usize>>,
    /// Positions of the tasks on a critical path of the base assessment, sorted.
    critical: Vec<usize>,
    /// Where the projection lane ends and where the audit lane ends.
    projection_end: usize,
    audit_end: usize,
}

/// Positions of the tasks on a critical path of any of `projections`, sorted.
fn critical<'a>(projections: impl Iterator<Item = &'a Projection>, g: &Graph) -> Vec<usize> {
    let mut out: Vec<usize> = timeline::critical_tasks(projections)
        .into_iter()
        .filter_map(|t| g.index.get(t).copied())
        .collect();
    out.sort_unstable();
    out
}

impl Base {
    /// The schedule of `s` and `a`, indexed.
    pub fn new(s: &Snapshot, a: &Assessment, g: &Graph) -> Self {
        let schedule = timeline::schedule(s, a);
        let mut task_at = vec![None; s.tasks.len()];
        for (k, it) in schedule.items.iter().enumerate() {
            if let Some(id) = it.id.strip_prefix("task:")
                && let Some(&i) = g.index.get(&TaskId::from(id))
            {
                task_at[i] = Some(k);
            }
        }
        let lane_end = |l: Lane| {
            schedule
                .items
                .iter()
                .position(|i| i.lane > l)
                .unwrap_or(schedule.items.len())
        };
        Self {
            projection_end: lane_end(Lane::Projection),
            audit_end: lane_end(Lane::Audit),
            critical: critical(a.frameworks.iter().map(|f| &f.projected), g),
            task_at,
            schedule: Arc::new(schedule),
        }
    }

    /// The schedule with `projections` (one per framework of `a`) drawn, the audit lane built
    /// again when `windows_moved`, and the bars of the tasks `moved` (positions) and of every
    /// task whose place on a critical path changed built again, from `s` with the what-if's
    /// dates in place.
    pub fn patch(
        &self,
        s: &Snapshot,
        a: &Assessment,
        projections: &[Projection],
        windows_moved: bool,
        moved: &[usize],
        g: &Graph,
    ) -> Patched {
        let as_of = self.schedule.as_of;
        let mut hidden: Vec<usize> = (0..self.projection_end).collect();
        let mut items = timeline::projection_items(a.frameworks.iter().zip(projections));
        if windows_moved {
            hidden.extend(self.projection_end..self.audit_end);
            items.extend(timeline::audit_items(s, as_of));
        }
        let now = critical(projections.iter(), g);
        let mut redo = moved.to_vec();
        redo.extend(
            now.iter()
                .filter(|i| self.critical.binary_search(i).is_err()),
        );
        redo.extend(
            self.critical
                .iter()
                .filter(|i| now.binary_search(i).is_err()),
        );
        redo.sort_unstable();
        redo.dedup();
        for i in redo.into_iter().filter(|i| *i < s.tasks.len()) {
            hidden.extend(self.task_at[i]);
            items.extend(timeline::task_item(
                &s.tasks[i],
                now.binary_search(&i).is_ok(),
                as_of,
            ));
        }
        hidden.sort_unstable();
        hidden.dedup();
        items.sort_by(timeline::order);
        Patched {
            base: Arc::clone(&self.schedule),
            hidden,
            items,
        }
    }
}

/// A schedule as a shared base with some items hidden and others added.
#[derive(Debug, Clone)]
pub struct Patched {
    base: Arc<Schedule>,
    /// Positions of the base items replaced, sorted.
    hidden: Vec<usize>,
    /// The items added, in the schedule's order.
    items: Vec<Item>,
}

impl Patched {
    /// The date the schedule is for.
    pub fn as_of(&self) -> Date {
        self.base.as_of
    }

    /// The items, in the schedule's order.
    pub fn items(&self) -> impl Iterator<Item = &Item> + '_ {
        let base = &self.base.items;
        let (mut b, mut h, mut o) = (0usize, 0usize, 0usize);
        std::iter::from_fn(move || {
            while b < base.len() && self.hidden.get(h) == Some(&b) {
                b += 1;
                h += 1;
            }
            match (base.get(b), self.items.get(o)) {
                (Some(x), Some(y)) if timeline::order(y, x) == Ordering::Less => {
                    o += 1;
                    Some(y)
                }
                (Some(x), _) => {
                    b += 1;
                    Some(x)
                }
                (None, Some(y)) => {
                    o += 1;
                    Some(y)
                }
                (None, None) => None,
            }
        })
    }

    /// The whole schedule, copied.
    pub fn to_schedule(&self) -> Schedule {
        Schedule {
            as_of: self.as_of(),
            items: self.items().cloned().collect(),
        }
    }
}
