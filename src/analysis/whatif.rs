//! The what-if rescored without copying the model: moving task due dates and Type II windows
//! changes only the projections (and, for a framework whose selected window moved, its
//! ledger). Readiness and control states depend on neither, so they are reused from the base
//! assessment; evidence is read where it lies.
//!
//! What depends only on the base snapshot and assessment is worked out once, in a [`Cache`]
//! kept beside them: the tasks by position with their dependency edges and finish dates
//! (`graph`), and per framework the open tasks that block it, the first of them per control,
//! the base critical task's dependency chain and the selected Type II window. A key press then
//! works out finish dates again only for the moved tasks and the tasks that depend on them.
//!
//! A moved due date changes a projection only through the finish dates of the tasks that
//! block it or lie on its critical chain: which requirements are planned, and which blocking
//! tasks are undated, depend on nothing else the what-if moves. So each framework keeps its
//! base projection when none of those tasks changed finish or due date and its selected window
//! did not move; otherwise it is projected again over the few tasks that decide it: one
//! blocking task per control, the undated ones, the new critical task, and whatever they
//! depend on.
//!
//! Invariant: the result equals what [`super::assess`] and [`super::timeline::schedule`] give
//! on the snapshot with the changes applied (a test checks it); the snapshot and assessment
//! handed in are as they were on return. A cache answers only for the snapshot and assessment
//! it was built from: build a new one on every reload.

mod graph;

use super::timeline::{self, Schedule, WhatIf};
use super::{Assessment, FrameworkAssessment, Projection, ledger, projection};
use crate::domain::{
    AuditId, ControlId, ControlStatus, Date, ReqStatus, Snapshot, Task, TaskStatus,
};
use graph::{Graph, Map};
use std::collections::HashSet;

/// The projections and the schedule under a what-if.
#[derive(Debug, Clone)]
pub struct Rescored {
    /// Per framework, in the order of the assessment's frameworks.
    pub projections: Vec<Projection>,
    /// The schedule drawn from them.
    pub schedule: Schedule,
}

/// What one framework's projection reads, from the base snapshot and assessment.
#[derive(Debug, Clone)]
struct Frame {
    /// Position of the framework in the snapshot.
    fw: Option<usize>,
    /// Open tasks that block an open requirement of the framework, in task order.
    blocking: Vec<usize>,
    /// The first of `blocking` per control, in task order.
    firsts: Vec<usize>,
    /// Whether a task's finish can move the projection: it blocks, or lies on the base
    /// critical task's chain.
    reads: Vec<bool>,
    /// The Type II window selected on the base snapshot.
    window: Option<(AuditId, Date, Date)>,
}

/// What a what-if key press needs from the base snapshot and assessment, worked out once.
#[derive(Debug, Clone)]
pub struct Cache {
    as_of: Date,
    tasks: usize,
    audits: usize,
    graph: Graph,
    frames: Vec<Frame>,
}

fn frame(
    s: &Snapshot,
    fa: &FrameworkAssessment,
    graph: &Graph,
    control_of: &[Option<&ControlId>],
    as_of: Date,
) -> Frame {
    let fw = s.frameworks.iter().position(|f| f.key == fa.key);
    let open: HashSet<&ControlId, foldhash::fast::RandomState> = fa
        .readiness
        .requirements
        .iter()
        .filter(|q| q.assessable && matches!(q.status, ReqStatus::Gap | ReqStatus::Partial))
        .flat_map(|q| q.controls.iter().map(|(c, _)| c))
        .collect();
    let mut represented: HashSet<&ControlId, foldhash::fast::RandomState> = HashSet::default();
    let (mut blocking, mut firsts) = (Vec::new(), Vec::new());
    let mut reads = vec![false; s.tasks.len()];
    for (i, c) in control_of.iter().enumerate() {
        let Some(c) = c.filter(|c| open.contains(c)) else {
            continue;
        };
        blocking.push(i);
        reads[i] = true;
        if represented.insert(c) {
            firsts.push(i);
        }
    }
    let mut stack: Vec<usize> = fa
        .projected
        .critical_task
        .as_ref()
        .and_then(|t| graph.index.get(t).copied())
        .into_iter()
        .collect();
    let mut seen = vec![false; s.tasks.len()];
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        reads[i] = true;
        stack.extend_from_slice(graph.deps(i));
    }
    Frame {
        window: fw.and_then(|f| ledger::select_window(s, &s.frameworks[f], as_of)),
        fw,
        blocking,
        firsts,
        reads,
    }
}

impl Cache {
    /// Works out what the what-if reads from `s` and `a`, its assessment.
    pub fn new(s: &Snapshot, a: &Assessment) -> Self {
        let graph = Graph::new(&s.tasks, a.as_of);
        let na: HashSet<&ControlId, foldhash::fast::RandomState> = s
            .controls
            .iter()
            .filter(|c| c.status == ControlStatus::NotApplicable)
            .map(|c| &c.id)
            .collect();
        let finding_control: Map<&str, &ControlId> = s
            .findings
            .iter()
            .filter_map(|f| Some((f.id.as_str(), f.control.as_ref()?)))
            .collect();
        // The control each open task blocks through, whatever the framework.
        let control_of: Vec<Option<&ControlId>> = s
            .tasks
            .iter()
            .map(|t| {
                if t.status == TaskStatus::Done {
                    return None;
                }
                t.control
                    .as_ref()
                    .or_else(|| {
                        t.finding
                            .as_ref()
                            .and_then(|f| finding_control.get(f.as_str()).copied())
                    })
                    .filter(|c| !na.contains(c))
            })
            .collect();
        let frames = a
            .frameworks
            .iter()
            .map(|fa| frame(s, fa, &graph, &control_of, a.as_of))
            .collect();
        Self {
            as_of: a.as_of,
            tasks: s.tasks.len(),
            audits: s.audits.len(),
            graph,
            frames,
        }
    }

    /// Whether this cache can stand for `s` and `a` (a cheap check of what a reload changes
    /// most often; a reload should build a new cache regardless).
    pub fn fits(&self, s: &Snapshot, a: &Assessment) -> bool {
        self.as_of == a.as_of
            && self.tasks == s.tasks.len()
            && self.audits == s.audits.len()
            && self.frames.len() == a.frameworks.len()
    }

    /// Rescores the what-if `w` against `base`, the assessment of `s` this cache was built
    /// from. The moved dates stand in `s` for the duration of the call, and the new
    /// projections in `base` while the schedule is drawn; both are put back before returning.
    pub fn rescore(&self, s: &mut Snapshot, base: &mut Assessment, w: &WhatIf) -> Rescored {
        let as_of = self.as_of;
        let moved = apply(s, w, &self.graph);
        let moved_tasks: Vec<usize> = moved.due.iter().map(|(i, _)| *i).collect();
        let (fresh_fin, changed) = if moved_tasks.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            self.graph.refinish(&s.tasks, &moved_tasks, as_of)
        };
        let fin: &[Option<Date>] = if moved_tasks.is_empty() {
            &self.graph.finish
        } else {
            &fresh_fin
        };
        let mut projections = Vec::with_capacity(base.frameworks.len());
        for (fa, fr) in base.frameworks.iter().zip(&self.frames) {
            let Some(fw) = fr.fw.and_then(|i| s.frameworks.get(i)) else {
                projections.push(fa.projected.clone());
                continue;
            };
            let same_window =
                w.windows.is_empty() || ledger::select_window(s, fw, as_of) == fr.window;
            if same_window && !changed.iter().any(|i| fr.reads[*i]) {
                projections.push(fa.projected.clone());
                continue;
            }
            let fresh;
            let l = if same_window {
                fa.type2.as_ref()
            } else {
                fresh = ledger::for_framework(s, fw, &fa.readiness, as_of);
                fresh.as_ref()
            };
            let few: Vec<Task> = deciding(s, fr, fin, &self.graph)
                .into_iter()
                .map(|i| s.tasks[i].clone())
                .collect();
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
}

/// The tasks that decide one framework's projection under the finish dates `fin` (positions,
/// in task order): one blocking task per control, the undated blocking tasks, the critical
/// task, and everything they depend on.
fn deciding(s: &Snapshot, fr: &Frame, fin: &[Option<Date>], graph: &Graph) -> Vec<usize> {
    let mut seeds = fr.firsts.clone();
    let mut best: Option<(Date, usize)> = None;
    for &i in &fr.blocking {
        match fin[i] {
            Some(d) => {
                if best.is_none_or(|(b, j)| d > b || (d == b && s.tasks[i].id < s.tasks[j].id)) {
                    best = Some((d, i));
                }
            }
            None => seeds.push(i),
        }
    }
    seeds.extend(best.map(|(_, i)| i));
    let mut keep = vec![false; s.tasks.len()];
    let mut out = Vec::new();
    while let Some(i) = seeds.pop() {
        if std::mem::replace(&mut keep[i], true) {
            continue;
        }
        out.push(i);
        seeds.extend_from_slice(graph.deps(i));
    }
    out.sort_unstable();
    out
}

/// Rescores the what-if `w` against `base`, the assessment of `s`, building the cache for the
/// one call (see [`Cache::rescore`]; keep a [`Cache`] to rescore many times).
pub fn rescore(s: &mut Snapshot, base: &mut Assessment, w: &WhatIf) -> Rescored {
    Cache::new(s, base).rescore(s, base, w)
}

/// The dates the what-if replaced, to put back.
struct Moved {
    due: Vec<(usize, Option<Date>)>,
    windows: Vec<(usize, Option<Date>, Option<Date>)>,
}

fn apply(s: &mut Snapshot, w: &WhatIf, g: &Graph) -> Moved {
    let mut m = Moved {
        due: Vec::with_capacity(w.due.len()),
        windows: Vec::with_capacity(w.windows.len()),
    };
    for (id, d) in &w.due {
        if let Some(&i) = g.index.get(id)
            && let Some(t) = s.tasks.get_mut(i)
        {
            m.due.push((i, t.due.replace(*d)));
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
