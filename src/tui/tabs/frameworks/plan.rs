//! Planning the unplanned: from a framework's unplanned requirements (gap or partial with no
//! open task), one key drafts a task per requirement on one of its mapped controls, owned by
//! that control's owner, due on a date the user picks. The form previews every task before
//! anything is written; the tasks are stored as one edit, so `u` takes them all back.
//!
//! Invariant: pure (drafts come from the loaded snapshot and assessment); a requirement with
//! no mapped control cannot be planned through a task and is listed as such, never hidden.

use crate::domain::{ControlId, Date, ReqStatus, TaskId};
use crate::store::NewTask;
use crate::tui::data::Data;
use crate::tui::prompt::{self, Prompt, Target};
use crate::tui::tabs::{Form, FormCx};
use chrono::Days;

/// Drafts listed by name in the preview; the rest are counted.
const SHOWN: usize = 12;

/// One task to draft (the due date comes from the form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// New task id.
    pub id: TaskId,
    /// Title.
    pub title: String,
    /// Owner (of the control).
    pub owner: String,
    /// Control it blocks the requirement through.
    pub control: ControlId,
    /// The requirement it plans, with its status (`partial CC1.4`).
    pub requirement: String,
}

impl Draft {
    /// The task to store, due on `due`.
    pub fn task(&self, due: Date) -> NewTask {
        NewTask {
            id: self.id.clone(),
            title: self.title.clone(),
            owner: self.owner.clone(),
            due,
            control: self.control.clone(),
        }
    }
}

/// Drafts for framework `fw`'s unplanned requirements, and the ones no task can plan.
pub fn drafts(d: &Data, fw: &str) -> (Vec<Draft>, Vec<String>) {
    let Some(f) = d.assessment.framework(fw) else {
        return (Vec::new(), Vec::new());
    };
    let mut next = d
        .snapshot
        .tasks
        .iter()
        .filter_map(|t| t.id.as_str().strip_prefix("T-")?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    let designed = |c: &ControlId| {
        d.assessment
            .controls
            .iter()
            .any(|s| &s.id == c && s.designed)
    };
    let mut out = Vec::new();
    let mut unmapped = Vec::new();
    for id in &f.projected.unplanned {
        let Some(r) = f.readiness.requirements.iter().find(|r| {
            r.ref_id.as_str() == id && matches!(r.status, ReqStatus::Gap | ReqStatus::Partial)
        }) else {
            continue;
        };
        // The first mapped control not yet designed is the work; else the first mapped one.
        let Some((control, _)) = r
            .controls
            .iter()
            .find(|(c, _)| !designed(c))
            .or(r.controls.first())
        else {
            unmapped.push(id.clone());
            continue;
        };
        let owner = d
            .snapshot
            .controls
            .iter()
            .find(|c| &c.id == control)
            .map_or(String::new(), |c| c.owner.clone());
        next += 1;
        out.push(Draft {
            id: TaskId(format!("T-{next:03}")),
            title: format!(
                "Close {} {} {} through {control}",
                f.name, r.status, r.ref_id
            ),
            owner,
            control: control.clone(),
            requirement: format!("{} {}", r.status, r.ref_id),
        });
    }
    (out, unmapped)
}

/// The planning form for the framework of the selected row (a framework, group or
/// requirement), or why there is nothing to plan.
pub fn form(cx: &FormCx) -> Option<Form> {
    let (row, d, today) = (cx.row?, cx.data, cx.today);
    let fw = row.id.split('/').next().unwrap_or_default().to_owned();
    let name = d
        .assessment
        .framework(&fw)
        .map_or(fw.clone(), |f| f.name.clone());
    let (drafts, unmapped) = drafts(d, &fw);
    if drafts.is_empty() {
        return Some(Form::Say(if unmapped.is_empty() {
            format!("{name}: every gap or partial requirement has a remediation task")
        } else {
            format!(
                "{name}: {} unplanned requirement(s) have no mapped control, so no task can plan them: {} (map a control or exclude them in the scope)",
                unmapped.len(),
                unmapped.join(", ")
            )
        }));
    }
    let mut preview: Vec<String> = drafts
        .iter()
        .take(SHOWN)
        .map(|x| {
            let owner = if x.owner.is_empty() {
                "no owner"
            } else {
                &x.owner
            };
            format!("{} {} via {} · {owner}", x.id, x.requirement, x.control)
        })
        .collect();
    if drafts.len() > SHOWN {
        preview.push(format!("… and {} more", drafts.len() - SHOWN));
    }
    if !unmapped.is_empty() {
        preview.push(format!(
            "not planned (no mapped control): {}",
            unmapped.join(", ")
        ));
    }
    preview.push("Enter writes them all as one edit; u undoes it.".into());
    let due = today.checked_add_days(Days::new(30)).unwrap_or(today);
    let mut p = Prompt::new(
        format!(
            "Draft {} task(s) for {name}'s unplanned requirements",
            drafts.len()
        ),
        Target::PlanUnplanned(drafts),
        vec![prompt::date("due", &due.to_string(), false)],
    );
    p.preview = preview;
    Some(Form::Open(p))
}
