//! Projected report dates (DESIGN, "Scoring": honest projections).
//!
//! A task not `done` blocks a gap or partial requirement through the control it names, or
//! through the control of the finding it names (not_applicable controls block nothing). A gap
//! or partial requirement no such task blocks is **unplanned**. With any unplanned requirement,
//! or a blocking task without a due date, there is **no Type I date**: the date would assume
//! the unplanned work away. Otherwise the earliest Type I date is the latest finish among the
//! blocking tasks; a task finishes at its due date, not before the tasks it depends on, and a
//! late task not before `as_of`; `as_of` when nothing blocks. The earliest Type II report is
//! the audit's own report date when it records one (on or after the window's end: a date is
//! derived only where none is given), else the planned window end + the report lag (6 weeks),
//! with a caveat when controls in the window are not designed or the ledger holds exceptions;
//! with no window planned, the Type I date + the window length (6 months) + the lag, and no
//! date when there is no Type I date ([`type2`]).

mod type2;
mod words;
pub use words::no_date;

use super::ledger::Ledger;
use super::readiness::FrameworkReadiness;
use crate::domain::{
    ControlId, ControlStatus, Date, Framework, ReqStatus, Snapshot, Task, TaskId, TaskStatus,
};
use serde::Serialize;
/// Maps keyed by ids on the what-if path: a fast hasher (ids are not attacker-chosen).
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// Sets of ids, hashed the same way.
type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// Days between the window's end and the report.
pub const REPORT_LAG_DAYS: u64 = 42;
/// Default Type II window length in months when none is planned.
pub const DEFAULT_WINDOW_MONTHS: u32 = 6;

/// Projected dates with their explanation.
#[derive(Debug, Clone, Serialize)]
pub struct Projection {
    /// Earliest date every in-scope requirement can be met (Type I ready); `None` while any
    /// requirement is unplanned or a blocking task has no due date.
    pub type1_ready: Option<Date>,
    /// Earliest Type II report (SOC 2 only).
    pub type2_report: Option<Date>,
    /// The task that decides the Type I date, if any.
    pub critical_task: Option<TaskId>,
    /// The chain of tasks ending at the critical task, first to last.
    pub critical_path: Vec<TaskId>,
    /// Gap or partial requirements with no open task planned against them.
    pub unplanned: Vec<String>,
    /// Blocking tasks without a due date.
    pub undated: Vec<TaskId>,
    /// Why the Type II opinion is likely qualified, when it is.
    pub type2_caveat: Option<String>,
    /// The explanation, one line per step.
    pub why: Vec<String>,
}

/// Projects the dates of one framework.
pub fn project(
    s: &Snapshot,
    fw: &Framework,
    r: &FrameworkReadiness,
    ledger: Option<&Ledger>,
    states: &[super::ControlState],
    as_of: Date,
) -> Projection {
    let na: HashSet<&ControlId> = s
        .controls
        .iter()
        .filter(|c| c.status == ControlStatus::NotApplicable)
        .map(|c| &c.id)
        .collect();
    let finding_control: HashMap<&str, &ControlId> = s
        .findings
        .iter()
        .filter_map(|f| Some((f.id.as_str(), f.control.as_ref()?)))
        .collect();
    let tasks: Vec<(&Task, Option<&ControlId>)> = s
        .tasks
        .iter()
        .map(|t| (t, blocks_through(t, &finding_control, &na)))
        .collect();
    project_tasks(fw, r, ledger, states, &tasks, as_of)
}

/// The control an open task blocks through: the control it names, or that of the finding it
/// names; none for a done task or a not_applicable control (`na`).
pub fn blocks_through<'a, S: std::hash::BuildHasher, T: std::hash::BuildHasher>(
    t: &'a Task,
    finding_control: &std::collections::HashMap<&str, &'a ControlId, S>,
    na: &std::collections::HashSet<&ControlId, T>,
) -> Option<&'a ControlId> {
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
}

/// Projects the dates of one framework over `tasks`, in task order, each with the control it
/// blocks through ([`blocks_through`]). Every task a listed task depends on and that can
/// delay it must be listed too; the what-if lists only the few that decide the dates.
pub fn project_tasks(
    fw: &Framework,
    r: &FrameworkReadiness,
    ledger: Option<&Ledger>,
    states: &[super::ControlState],
    tasks: &[(&Task, Option<&ControlId>)],
    as_of: Date,
) -> Projection {
    let mut open_reqs: HashMap<&ControlId, Vec<String>> = HashMap::default();
    let mut open_total = Vec::new();
    for q in r.requirements.iter().filter(|q| q.assessable) {
        if matches!(q.status, ReqStatus::Gap | ReqStatus::Partial) {
            open_total.push(q.ref_id.to_string());
            for (c, _) in &q.controls {
                open_reqs.entry(c).or_default().push(q.ref_id.to_string());
            }
        }
    }
    let by_id: HashMap<&TaskId, &Task> = tasks.iter().map(|(t, _)| (&t.id, *t)).collect();
    let mut memo = HashMap::default();
    let mut best: Option<(Date, &Task, &ControlId)> = None;
    let mut covered: HashSet<String> = HashSet::default();
    let mut undated = Vec::new();
    for &(t, control) in tasks {
        let Some(control) = control else {
            continue;
        };
        let Some(reqs) = open_reqs.get(control) else {
            continue;
        };
        covered.extend(reqs.iter().cloned());
        match finish(t, &by_id, as_of, &mut memo, 0) {
            Some(d) => {
                if best.is_none_or(|(b, bt, _)| d > b || (d == b && t.id < bt.id)) {
                    best = Some((d, t, control));
                }
            }
            None => undated.push(t.id.clone()),
        }
    }
    let unplanned: Vec<String> = open_total
        .into_iter()
        .filter(|q| !covered.contains(q))
        .collect();
    let mut why = Vec::new();
    let dated = match best {
        Some((d, t, control)) => {
            why.push(format!(
                "latest finish among open tasks that block a gap or partial requirement is {} \"{}\" on {d} (due {}, status {})",
                t.id,
                t.title,
                t.due.map_or("none".to_owned(), |x| x.to_string()),
                t.status
            ));
            let unblocks = open_reqs
                .get(control)
                .map(|r| r.join(", "))
                .unwrap_or_default();
            why.push(format!(
                "{} unblocks {} {unblocks} through {control}",
                t.id, fw.name
            ));
            d
        }
        None => as_of,
    };
    let type1_ready = if !unplanned.is_empty() {
        why.insert(
            0,
            format!("{}: {}", no_date(unplanned.len()), unplanned.join(", ")),
        );
        None
    } else if !undated.is_empty() {
        let ids: Vec<&str> = undated.iter().map(TaskId::as_str).collect();
        why.insert(
            0,
            format!(
                "no date: {} blocking task(s) have no due date: {}",
                undated.len(),
                ids.join(", ")
            ),
        );
        None
    } else {
        why.insert(
            0,
            if best.is_some() {
                format!("Type I ready {dated}: every gap or partial requirement has a dated task")
            } else {
                format!("Type I ready {dated}: no gap or partial requirement is open")
            },
        );
        Some(dated)
    };
    let critical_path = best
        .map(|(_, t, _)| path(t, &by_id, &memo))
        .unwrap_or_default();
    let (type2_report, type2_caveat) = if fw.key.as_str() == "soc2" {
        type2::project(ledger, states, type1_ready, &mut why)
    } else {
        (None, None)
    };
    Projection {
        type1_ready,
        type2_report,
        critical_task: best.map(|(_, t, _)| t.id.clone()),
        critical_path,
        unplanned,
        undated,
        type2_caveat,
        why,
    }
}

/// When a task can finish: its due date, not before its dependencies, a late one not before
/// `as_of`. None when it (or a dependency) has no due date. Done tasks finish at `as_of` at
/// the latest and never delay others.
fn finish<'a>(
    t: &'a Task,
    tasks: &HashMap<&TaskId, &'a Task>,
    as_of: Date,
    memo: &mut HashMap<&'a TaskId, Option<Date>>,
    depth: usize,
) -> Option<Date> {
    if let Some(v) = memo.get(&t.id) {
        return *v;
    }
    if t.status == TaskStatus::Done {
        return Some(Date::MIN);
    }
    if depth > tasks.len() {
        return None;
    }
    let mut d = t.due.map(|d| d.max(as_of));
    for dep in &t.depends_on {
        let Some(dt) = tasks.get(dep) else { continue };
        let f = finish(dt, tasks, as_of, memo, depth + 1);
        d = match (d, f) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
    }
    memo.insert(&t.id, d);
    d
}

/// The dependency chain that decides `t`'s finish, first to last.
fn path(
    t: &Task,
    tasks: &HashMap<&TaskId, &Task>,
    memo: &HashMap<&TaskId, Option<Date>>,
) -> Vec<TaskId> {
    let mut out = vec![t.id.clone()];
    let mut cur = t;
    while let Some(next) = cur
        .depends_on
        .iter()
        .filter_map(|d| tasks.get(d).copied())
        .filter(|d| d.status != TaskStatus::Done)
        .max_by_key(|d| memo.get(&d.id).copied().flatten())
    {
        if out.contains(&next.id) {
            break;
        }
        out.push(next.id.clone());
        cur = next;
    }
    out.reverse();
    out
}
