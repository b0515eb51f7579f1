//! What one framework's projection reads, worked out once from the base snapshot and
//! assessment: the open tasks that block it, the first of them per control, the tasks whose
//! finish can move it, and the selected Type II window; and, per key press, the few tasks
//! that decide its projection under the new finish dates.
//!
//! Invariant: projecting over [`deciding`]'s tasks gives what projecting over every task
//! gives: which requirements are covered needs one blocking task per control, the undated
//! blocking tasks are listed, and the critical task and its chain are there with everything
//! they depend on.

use super::graph::Graph;
use crate::analysis::{FrameworkAssessment, ledger};
use crate::domain::{AuditId, ControlId, Date, ReqStatus, Snapshot};
use foldhash::fast::RandomState;
use std::collections::HashSet;

/// What one framework's projection reads, from the base snapshot and assessment.
#[derive(Debug, Clone)]
pub(super) struct Frame {
    /// Position of the framework in the snapshot.
    pub fw: Option<usize>,
    /// Open tasks that block an open requirement of the framework, in task order.
    pub blocking: Vec<usize>,
    /// The first of `blocking` per control, in task order.
    pub firsts: Vec<usize>,
    /// Whether a task's finish can move the projection: it blocks, or lies on the base
    /// critical task's chain.
    pub reads: Vec<bool>,
    /// The Type II window selected on the base snapshot.
    pub window: Option<(AuditId, Date, Date)>,
}

impl Frame {
    /// Works out what the projection of `fa` reads; `control_of` is the control each task
    /// blocks through, by position.
    pub fn new(
        s: &Snapshot,
        fa: &FrameworkAssessment,
        graph: &Graph,
        control_of: &[Option<ControlId>],
        as_of: Date,
    ) -> Self {
        let fw = s.frameworks.iter().position(|f| f.key == fa.key);
        let open: HashSet<&ControlId, RandomState> = fa
            .readiness
            .requirements
            .iter()
            .filter(|q| q.assessable && matches!(q.status, ReqStatus::Gap | ReqStatus::Partial))
            .flat_map(|q| q.controls.iter().map(|(c, _)| c))
            .collect();
        let mut represented: HashSet<&ControlId, RandomState> = HashSet::default();
        let (mut blocking, mut firsts) = (Vec::new(), Vec::new());
        let mut reads = vec![false; s.tasks.len()];
        for (i, c) in control_of.iter().enumerate() {
            let Some(c) = c.as_ref().filter(|c| open.contains(c)) else {
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
        Self {
            window: fw.and_then(|f| ledger::select_window(s, &s.frameworks[f], as_of)),
            fw,
            blocking,
            firsts,
            reads,
        }
    }

    /// The tasks that decide the projection under the finish dates `fin` (positions, in task
    /// order): one blocking task per control, the undated blocking tasks, the critical task,
    /// and everything they depend on.
    pub fn deciding(&self, s: &Snapshot, fin: &[Option<Date>], graph: &Graph) -> Vec<usize> {
        let mut seeds = self.firsts.clone();
        let mut best: Option<(Date, usize)> = None;
        for &i in &self.blocking {
            match fin[i] {
                Some(d) => {
                    if best.is_none_or(|(b, j)| d > b || (d == b && s.tasks[i].id < s.tasks[j].id))
                    {
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
}
