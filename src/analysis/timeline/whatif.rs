//! The what-if: task due dates and Type II windows moved in memory before anything is saved,
//! and the dependants a moved task pushes.
//!
//! Dependency order is kept finish-to-start: a task moved later than its saved due date pushes
//! every open, dated task that depends on it (directly or through others) just far enough to
//! start after it ends (a task of `e` estimated days starts `e - 1` days before its due date).
//! A task moved earlier pulls nothing, and a pushed task never moves earlier than its own
//! date. Done tasks are never pushed; tasks in a dependency cycle keep their own dates.
//! The push is worked out from the moves by hand every time, so a move undone undoes its
//! pushes too.

use crate::domain::{AuditId, Date, Snapshot, Task, TaskId, TaskStatus};
use chrono::Days;
use std::collections::BTreeMap;

/// Maps keyed by task indexes and ids: a fast hasher (ids are not attacker-chosen).
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// Changes tried in memory before anything is saved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WhatIf {
    /// New due dates of tasks, as moved by hand (the tasks they push are worked out).
    pub due: BTreeMap<TaskId, Date>,
    /// New Type II windows (start, end) of audits.
    pub windows: BTreeMap<AuditId, (Date, Date)>,
}

impl WhatIf {
    /// Whether nothing is changed.
    pub fn is_empty(&self) -> bool {
        self.due.is_empty() && self.windows.is_empty()
    }

    /// The snapshot with the changes applied, dependants pushed.
    pub fn apply(&self, s: &Snapshot) -> Snapshot {
        let mut out = s.clone();
        let index: HashMap<&TaskId, usize> = s
            .tasks
            .iter()
            .enumerate()
            .map(|(i, t)| (&t.id, i))
            .collect();
        let (deps, dependents) = task_edges(&s.tasks, |d| index.get(d).copied());
        let moved: Vec<(usize, Date)> = self
            .due
            .iter()
            .filter_map(|(id, d)| Some((*index.get(id)?, *d)))
            .collect();
        for (i, d) in cascade(&s.tasks, &moved, &deps, &dependents) {
            out.tasks[i].due = Some(d);
        }
        for a in &mut out.audits {
            if let Some((ws, we)) = self.windows.get(&a.id) {
                a.report_date = super::moved_report(a, *we);
                a.window_start = Some(*ws);
                a.window_end = Some(*we);
            }
        }
        out
    }
}

/// The due dates under the moves by hand `moved` (task position, new due date): each moved
/// task's new date and each pushed dependant's, by position, in no set order. `deps` and
/// `dependents` are the dependency edges by position, both ways.
pub fn cascade(
    tasks: &[Task],
    moved: &[(usize, Date)],
    deps: &[Vec<usize>],
    dependents: &[Vec<usize>],
) -> Vec<(usize, Date)> {
    let n = tasks.len();
    let mut inside = vec![false; n];
    let mut reach = Vec::new();
    let mut stack: Vec<usize> = moved.iter().map(|(i, _)| *i).filter(|i| *i < n).collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut inside[i], true) {
            continue;
        }
        reach.push(i);
        stack.extend_from_slice(&dependents[i]);
    }
    let mut due: Vec<Option<Date>> = vec![None; n];
    for &(i, d) in moved.iter().filter(|(i, _)| *i < n) {
        due[i] = Some(d);
    }
    // Kahn's order within the reached tasks: a task once every reached prerequisite is done.
    let mut waiting: HashMap<usize, usize> = reach
        .iter()
        .map(|&i| (i, deps[i].iter().filter(|&&j| inside[j]).count()))
        .collect();
    let mut ready: Vec<usize> = reach.iter().copied().filter(|i| waiting[i] == 0).collect();
    while let Some(i) = ready.pop() {
        let t = &tasks[i];
        if t.status != TaskStatus::Done
            && let Some(own) = due[i].or(t.due)
        {
            let length = u64::from(t.estimate_days.unwrap_or(1).max(1));
            let need = deps[i]
                .iter()
                .filter(|&&j| inside[j] && tasks[j].status != TaskStatus::Done)
                .filter_map(|&j| {
                    let d = due[j]?;
                    tasks[j].due.is_none_or(|saved| d > saved).then_some(d)
                })
                .max()
                .and_then(|d| d.checked_add_days(Days::new(length)));
            if let Some(need) = need.filter(|n| *n > own) {
                due[i] = Some(need);
            }
        }
        for &k in &dependents[i] {
            if let Some(w) = waiting.get_mut(&k) {
                *w -= 1;
                if *w == 0 {
                    ready.push(k);
                }
            }
        }
    }
    reach
        .into_iter()
        .filter_map(|i| Some((i, due[i]?)))
        .collect()
}

/// Every task's dependencies and dependents, by position, with `position` finding a task by
/// id (dependencies on unknown tasks are left out).
pub(crate) fn task_edges(
    tasks: &[Task],
    position: impl Fn(&TaskId) -> Option<usize>,
) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let deps: Vec<Vec<usize>> = tasks
        .iter()
        .map(|t| t.depends_on.iter().filter_map(&position).collect())
        .collect();
    let mut dependents = vec![Vec::new(); tasks.len()];
    for (i, ds) in deps.iter().enumerate() {
        for &j in ds {
            dependents[j].push(i);
        }
    }
    (deps, dependents)
}
