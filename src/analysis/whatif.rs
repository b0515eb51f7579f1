//! The what-if rescored without copying the model: moving task due dates and Type II windows
//! changes only the projections (and, for a framework whose selected window moved, its
//! ledger). Readiness and control states depend on neither, so they are reused from the base
//! assessment; evidence is read where it lies.
//!
//! A moved due date changes a projection only through the latest finish among the tasks that
//! block it: which requirements are planned, and which blocking tasks are undated, stay as
//! they were (the what-if moves dates, never removes one). So each framework keeps its base
//! projection when its critical task, that task's finish and its dependency chain are
//! untouched and its window did not move; otherwise it is projected again over the few tasks
//! that decide it: one blocking task per control, the undated ones, the new critical task,
//! and whatever they depend on.
//!
//! Invariant: the result equals what [`super::assess`] and [`super::timeline::schedule`] give
//! on the snapshot with the changes applied (a test checks it); the snapshot and assessment
//! handed in are as they were on return.

use super::timeline::{self, Schedule, WhatIf};
use super::{Assessment, FrameworkAssessment, Projection, ledger, projection};
use crate::domain::{
    ControlId, ControlStatus, Date, ReqStatus, Snapshot, Task, TaskId, TaskStatus,
};
use std::collections::{HashMap, HashSet};

/// The projections and the schedule under a what-if.
#[derive(Debug, Clone)]
pub struct Rescored {
    /// Per framework, in the order of the assessment's frameworks.
    pub projections: Vec<Projection>,
    /// The schedule drawn from them.
    pub schedule: Schedule,
}

/// The dates the what-if replaced, to put back.
struct Moved {
    due: Vec<(usize, Option<Date>)>,
    windows: Vec<(usize, Option<Date>, Option<Date>)>,
}

fn apply(s: &mut Snapshot, w: &WhatIf) -> Moved {
    let mut m = Moved {
        due: Vec::with_capacity(w.due.len()),
        windows: Vec::with_capacity(w.windows.len()),
    };
    if !w.due.is_empty() {
        for (i, t) in s.tasks.iter_mut().enumerate() {
            if let Some(d) = w.due.get(&t.id) {
                m.due.push((i, t.due.replace(*d)));
            }
        }
    }
    for (i, a) in s.audits.iter_mut().enumerate() {
        if let Some((start, end)) = w.windows.get(&a.id) {
            m.windows.push((
                i,
                a.window_start.replace(*start),
                a.window_end.replace(*end),
            ));
        }
    }
    m
}

fn restore(s: &mut Snapshot, m: Moved) {
    for (i, due) in m.due {
        if let Some(t) = s.tasks.get_mut(i) {
            t.due = due;
        }
    }
    for (i, start, end) in m.windows {
        if let Some(a) = s.audits.get_mut(i) {
            a.window_start = start;
            a.window_end = end;
        }
    }
}

/// Finish dates as the projection reckons them: the due date (not before `as_of`), not before
/// every dependency's; none without a due date or in a cycle; done tasks never delay others.
fn finishes(tasks: &[Task], as_of: Date) -> HashMap<&TaskId, Option<Date>> {
    fn go<'a>(
        t: &'a Task,
        by_id: &HashMap<&'a TaskId, &'a Task>,
        as_of: Date,
        memo: &mut HashMap<&'a TaskId, Option<Date>>,
        visiting: &mut HashSet<&'a TaskId>,
    ) -> Option<Date> {
        if t.status == TaskStatus::Done {
            return Some(Date::MIN);
        }
        if let Some(v) = memo.get(&t.id) {
            return *v;
        }
        if !visiting.insert(&t.id) {
            return None;
        }
        let mut d = t.due.map(|d| d.max(as_of));
        for dep in &t.depends_on {
            let Some(dt) = by_id.get(dep) else { continue };
            let f = go(dt, by_id, as_of, memo, visiting);
            d = match (d, f) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            };
        }
        visiting.remove(&t.id);
        memo.insert(&t.id, d);
        d
    }
    let by_id: HashMap<&TaskId, &Task> = tasks.iter().map(|t| (&t.id, t)).collect();
    let mut memo = HashMap::with_capacity(tasks.len());
    let mut visiting = HashSet::new();
    for t in tasks {
        go(t, &by_id, as_of, &mut memo, &mut visiting);
    }
    memo
}

/// The tasks that decide one framework's projection (indices into the snapshot's tasks, in
/// order), and its critical task with that task's finish.
struct Deciding {
    tasks: Vec<usize>,
    /// The critical task and everything it depends on: what its finish and path read.
    chain: Vec<usize>,
    critical: Option<(TaskId, Date)>,
}

fn deciding(
    s: &Snapshot,
    fa: &FrameworkAssessment,
    fin: &HashMap<&TaskId, Option<Date>>,
    index: &HashMap<&TaskId, usize>,
) -> Deciding {
    let na: HashSet<&ControlId> = s
        .controls
        .iter()
        .filter(|c| c.status == ControlStatus::NotApplicable)
        .map(|c| &c.id)
        .collect();
    let open: HashSet<&ControlId> = fa
        .readiness
        .requirements
        .iter()
        .filter(|q| q.assessable && matches!(q.status, ReqStatus::Gap | ReqStatus::Partial))
        .flat_map(|q| q.controls.iter().map(|(c, _)| c))
        .collect();
    let finding_control: HashMap<&str, &ControlId> = s
        .findings
        .iter()
        .filter_map(|f| Some((f.id.as_str(), f.control.as_ref()?)))
        .collect();
    let mut seeds: Vec<usize> = Vec::new();
    let mut represented: HashSet<&ControlId> = HashSet::new();
    let mut best: Option<(Date, usize)> = None;
    for (i, t) in s.tasks.iter().enumerate() {
        if t.status == TaskStatus::Done {
            continue;
        }
        let control = t.control.as_ref().or_else(|| {
            t.finding
                .as_ref()
                .and_then(|f| finding_control.get(f.as_str()).copied())
        });
        let Some(control) = control.filter(|c| !na.contains(c) && open.contains(c)) else {
            continue;
        };
        if represented.insert(control) {
            seeds.push(i);
        }
        match fin.get(&t.id).copied().flatten() {
            Some(d) => {
                if best.is_none_or(|(b, j)| d > b || (d == b && t.id < s.tasks[j].id)) {
                    best = Some((d, i));
                }
            }
            None => seeds.push(i),
        }
    }
    let mut keep = vec![false; s.tasks.len()];
    let close = |seeds: &mut Vec<usize>, keep: &mut Vec<bool>| {
        while let Some(i) = seeds.pop() {
            if std::mem::replace(&mut keep[i], true) {
                continue;
            }
            seeds.extend(
                s.tasks[i]
                    .depends_on
                    .iter()
                    .filter_map(|d| index.get(d).copied()),
            );
        }
    };
    close(&mut best.map(|(_, i)| i).into_iter().collect(), &mut keep);
    let chain = (0..s.tasks.len()).filter(|i| keep[*i]).collect();
    close(&mut seeds, &mut keep);
    Deciding {
        tasks: (0..s.tasks.len()).filter(|i| keep[*i]).collect(),
        chain,
        critical: best.map(|(d, i)| (s.tasks[i].id.clone(), d)),
    }
}

/// Rescores the what-if `w` against `base`, the assessment of `s`. The moved dates stand in
/// `s` for the duration of the call, and the new projections in `base` while the schedule is
/// drawn; both are put back before returning.
pub fn rescore(s: &mut Snapshot, base: &mut Assessment, w: &WhatIf) -> Rescored {
    let as_of = base.as_of;
    let before: HashMap<TaskId, Option<Date>> = if w.due.is_empty() {
        HashMap::new()
    } else {
        finishes(&s.tasks, as_of)
            .into_iter()
            .map(|(k, v)| (k.clone(), v))
            .collect()
    };
    let moved = apply(s, w);
    let after = finishes(&s.tasks, as_of);
    let index: HashMap<&TaskId, usize> = s
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (&t.id, i))
        .collect();
    let mut decided = Vec::with_capacity(base.frameworks.len());
    for fa in &base.frameworks {
        decided.push(deciding(s, fa, &after, &index));
    }
    drop((after, index));
    let mut projections = Vec::with_capacity(base.frameworks.len());
    for (fa, dec) in base.frameworks.iter().zip(&decided) {
        let Some(fw) = s.frameworks.iter().find(|f| f.key == fa.key) else {
            projections.push(fa.projected.clone());
            continue;
        };
        let window = ledger::select_window(s, fw, as_of);
        let unchanged = match (&fa.type2, &window) {
            (Some(l), Some((id, start, end))) => {
                l.audit == *id && l.window_start == *start && l.window_end == *end
            }
            (None, None) => true,
            _ => false,
        };
        let chain_moved = dec
            .chain
            .iter()
            .any(|i| w.due.contains_key(&s.tasks[*i].id));
        let same_critical = match (&dec.critical, &fa.projected.critical_task) {
            (Some((id, d)), Some(was)) => {
                id == was && before.get(id).copied().flatten() == Some(*d) && !chain_moved
            }
            (None, None) => true,
            _ => false,
        };
        if unchanged && (w.due.is_empty() || same_critical) {
            projections.push(fa.projected.clone());
            continue;
        }
        let fresh;
        let l = if unchanged {
            fa.type2.as_ref()
        } else {
            fresh = ledger::for_framework(s, fw, &fa.readiness, as_of);
            fresh.as_ref()
        };
        let few: Vec<Task> = dec.tasks.iter().map(|i| s.tasks[*i].clone()).collect();
        let all = std::mem::replace(&mut s.tasks, few);
        projections.push(projection::project(
            s,
            fw,
            &fa.readiness,
            l,
            &base.controls,
            as_of,
        ));
        s.tasks = all;
    }
    for (fa, p) in base.frameworks.iter_mut().zip(projections.iter_mut()) {
        std::mem::swap(&mut fa.projected, p);
    }
    let schedule = timeline::schedule(s, base);
    for (fa, p) in base.frameworks.iter_mut().zip(projections.iter_mut()) {
        std::mem::swap(&mut fa.projected, p);
    }
    restore(s, moved);
    Rescored {
        projections,
        schedule,
    }
}
