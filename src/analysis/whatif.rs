//! The what-if rescored without copying the model: moving task due dates and Type II windows
//! changes only the projections (and, for a framework whose selected window moved, its
//! ledger). Readiness and control states depend on neither, so they are reused from the base
//! assessment; evidence is read where it lies.
//!
//! What depends only on the base snapshot and assessment is worked out once, in a [`Cache`]
//! kept beside them: the tasks by position with their dependency edges and finish dates
//! (`graph`), the control each open task blocks through, per framework what its projection
//! reads (`frame`), and the base schedule (`patch`). A key press then works out due dates
//! again only for the moved tasks and the dependants they push, finish dates only for those
//! and the tasks that depend on them, and schedule items only for what changed.
//!
//! A moved due date changes a projection only through the finish dates of the tasks that
//! block it or lie on its critical chain: which requirements are planned, and which blocking
//! tasks are undated, depend on nothing else the what-if moves. So each framework keeps its
//! base projection when none of those tasks changed finish or due date and its selected window
//! did not move; otherwise it is projected again over the few tasks that decide it.
//!
//! Invariant: the result equals what [`super::assess`] and [`super::timeline::schedule`] give
//! on the snapshot with the changes applied ([`WhatIf::apply`]; a test checks it); the
//! snapshot handed in is as it was on return. A cache answers only for the snapshot and
//! assessment it was built from: build a new one on every reload.

mod apply;
mod frame;
mod graph;
mod patch;

pub use patch::Patched;

use super::timeline::WhatIf;
use super::{Assessment, Projection, ledger, projection};
use crate::domain::{ControlId, ControlStatus, Date, Snapshot, TaskId};
use frame::Frame;
use graph::{Graph, Map};
use std::collections::{BTreeMap, HashSet};

/// The projections and the schedule under a what-if.
#[derive(Debug, Clone)]
pub struct Rescored {
    /// Per framework, in the order of the assessment's frameworks.
    pub projections: Vec<Projection>,
    /// The schedule drawn from them.
    pub schedule: Patched,
    /// Every task whose due date the what-if changes (moved by hand, or pushed by a task it
    /// depends on): its saved and its new due date.
    pub moved: BTreeMap<TaskId, (Option<Date>, Date)>,
}

/// What a what-if key press needs from the base snapshot and assessment, worked out once.
#[derive(Debug, Clone)]
pub struct Cache {
    as_of: Date,
    tasks: usize,
    audits: usize,
    graph: Graph,
    /// The control each open task blocks through, by position.
    control_of: Vec<Option<ControlId>>,
    frames: Vec<Frame>,
    base: patch::Base,
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
        let control_of: Vec<Option<ControlId>> = s
            .tasks
            .iter()
            .map(|t| projection::blocks_through(t, &finding_control, &na).cloned())
            .collect();
        let frames = a
            .frameworks
            .iter()
            .map(|fa| Frame::new(s, fa, &graph, &control_of, a.as_of))
            .collect();
        Self {
            as_of: a.as_of,
            tasks: s.tasks.len(),
            audits: s.audits.len(),
            base: patch::Base::new(s, a, &graph),
            graph,
            control_of,
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
    /// from. The moved dates stand in `s` for the duration of the call and are put back
    /// before returning.
    pub fn rescore(&self, s: &mut Snapshot, base: &Assessment, w: &WhatIf) -> Rescored {
        let as_of = self.as_of;
        let m = apply::apply(s, w, &self.graph);
        let moved_tasks: Vec<usize> = m.due.iter().map(|(i, _)| *i).collect();
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
            let few: Vec<_> = fr
                .deciding(s, fin, &self.graph)
                .into_iter()
                .map(|i| (&s.tasks[i], self.control_of[i].as_ref()))
                .collect();
            projections.push(projection::project_tasks(
                fw,
                &fa.readiness,
                l,
                &base.controls,
                &few,
                as_of,
            ));
        }
        let schedule = self.base.patch(
            s,
            base,
            &projections,
            !w.windows.is_empty(),
            &moved_tasks,
            &self.graph,
        );
        let moved = m
            .due
            .iter()
            .filter_map(|&(i, was)| {
                let t = &s.tasks[i];
                Some((t.id.clone(), (was, t.due?)))
            })
            .collect();
        apply::restore(s, m);
        Rescored {
            projections,
            schedule,
            moved,
        }
    }
}

/// Rescores the what-if `w` against `base`, the assessment of `s`, building the cache for the
/// one call (see [`Cache::rescore`]; keep a [`Cache`] to rescore many times).
pub fn rescore(s: &mut Snapshot, base: &Assessment, w: &WhatIf) -> Rescored {
    Cache::new(s, base).rescore(s, base, w)
}
