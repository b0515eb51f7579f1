//! The tasks indexed by position for the what-if: each task's dependencies and dependents as
//! positions, and the finish dates of the base snapshot. A moved due date can change only the
//! finish of the moved task and of the tasks that depend on it, so only those are worked out
//! again.
//!
//! Finish dates follow the projection (DESIGN, "Scoring"): the due date, not before `as_of`,
//! not before every dependency's; none without a due date or in a cycle; done tasks never
//! delay others. Invariant: `finish` is what that rule gives on the snapshot the graph was
//! built from.

use crate::domain::{Date, Task, TaskId, TaskStatus};
use foldhash::fast::RandomState;
use std::collections::HashMap;

/// A map with the fast hasher: the keys are the workspace's own IDs, not input an attacker
/// chooses per request.
pub(super) type Map<K, V> = HashMap<K, V, RandomState>;

/// Position of each task, its dependency edges both ways, and the base finish dates.
#[derive(Debug, Clone)]
pub(super) struct Graph {
    /// Position of a task by ID.
    pub index: Map<TaskId, usize>,
    /// Positions of the known tasks each task depends on, in its `depends_on` order.
    deps: Vec<Vec<usize>>,
    /// Positions of the tasks that depend on each task.
    dependents: Vec<Vec<usize>>,
    /// Finish of each task on the base snapshot (`Date::MIN` for done tasks).
    pub finish: Vec<Option<Date>>,
}

const STALE: u8 = 0;
const VISITING: u8 = 1;
const KNOWN: u8 = 2;

fn go(
    i: usize,
    tasks: &[Task],
    deps: &[Vec<usize>],
    as_of: Date,
    fin: &mut [Option<Date>],
    state: &mut [u8],
) -> Option<Date> {
    if tasks[i].status == TaskStatus::Done {
        return Some(Date::MIN);
    }
    match state[i] {
        KNOWN => return fin[i],
        VISITING => return None,
        _ => {}
    }
    state[i] = VISITING;
    let mut d = tasks[i].due.map(|d| d.max(as_of));
    for &j in &deps[i] {
        let f = go(j, tasks, deps, as_of, fin, state);
        d = match (d, f) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
    }
    state[i] = KNOWN;
    fin[i] = d;
    d
}

impl Graph {
    /// Indexes `tasks` and works out their finish dates as of `as_of`.
    pub fn new(tasks: &[Task], as_of: Date) -> Self {
        let index: Map<TaskId, usize> = tasks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.clone(), i))
            .collect();
        let (deps, dependents) =
            crate::analysis::timeline::task_edges(tasks, |d| index.get(d).copied());
        let mut finish = vec![None; tasks.len()];
        let mut state = vec![STALE; tasks.len()];
        for i in 0..tasks.len() {
            let d = go(i, tasks, &deps, as_of, &mut finish, &mut state);
            finish[i] = d;
        }
        Self {
            index,
            deps,
            dependents,
            finish,
        }
    }

    /// Positions of the tasks `t` depends on.
    pub fn deps(&self, t: usize) -> &[usize] {
        &self.deps[t]
    }

    /// Every task's dependencies and dependents, by position.
    pub fn edges(&self) -> (&[Vec<usize>], &[Vec<usize>]) {
        (&self.deps, &self.dependents)
    }

    /// The finish dates with `tasks` (the base snapshot with the `moved` tasks' due dates
    /// changed), and the positions whose finish or due date differs from the base.
    pub fn refinish(
        &self,
        tasks: &[Task],
        moved: &[usize],
        as_of: Date,
    ) -> (Vec<Option<Date>>, Vec<usize>) {
        let mut fin = self.finish.clone();
        let mut state = vec![KNOWN; tasks.len()];
        let mut stack: Vec<usize> = moved.to_vec();
        let mut stale = Vec::new();
        while let Some(i) = stack.pop() {
            if state[i] == STALE {
                continue;
            }
            state[i] = STALE;
            stale.push(i);
            stack.extend(self.dependents[i].iter().copied());
        }
        for &i in &stale {
            let d = go(i, tasks, &self.deps, as_of, &mut fin, &mut state);
            fin[i] = d;
        }
        let mut changed: Vec<usize> = stale
            .into_iter()
            .filter(|&i| fin[i] != self.finish[i] || moved.contains(&i))
            .collect();
        changed.sort_unstable();
        changed.dedup();
        (fin, changed)
    }
}
