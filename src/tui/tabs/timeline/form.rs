//! The Timeline's forms: on a task bar, the task's status and due date; on an audit
//! milestone, the audit's status and its window and report dates. Notes go to the task, the
//! audit, or (in the ledger) the control.

use crate::domain::{AuditStatus, Date};
use crate::tui::action::Action;
use crate::tui::prompt::{self, Prompt, Target};
use crate::tui::tabs::Form;
use crate::tui::tabs::Shape;
use crate::tui::tabs::forms::{self, FormCx, names};

/// The form `a` opens on the selected bar or milestone.
pub fn form(a: Action, cx: &FormCx) -> Option<Form> {
    build(a, cx).map(Form::Open)
}

fn build(a: Action, cx: &FormCx) -> Option<Prompt> {
    if !matches!(a, Action::EditStatus | Action::EditDue) {
        return None;
    }
    let (kind, rest) = cx.item()?.split_once(':')?;
    let key = rest.split(':').next().unwrap_or(rest);
    match kind {
        "task" => crate::tui::tabs::tasks::form::task_form(a, cx.data, key, false),
        "audit" => {
            let au = cx
                .data
                .snapshot
                .audits
                .iter()
                .find(|c| c.id.as_str() == key);
            if a == Action::EditStatus {
                return Some(forms::status(
                    &format!("audit {key}"),
                    Target::AuditStatus(key.into()),
                    &names(AuditStatus::ALL, AuditStatus::as_str),
                    au.map_or("planned", |c| c.status.as_str()),
                ));
            }
            let f = |v: Option<Date>| v.map(|x| x.to_string()).unwrap_or_default();
            Some(Prompt::new(
                format!("Dates of audit {key} (empty: none)"),
                Target::AuditDates(key.into()),
                vec![
                    prompt::date("window from", &f(au.and_then(|x| x.window_start)), true),
                    prompt::date("window to", &f(au.and_then(|x| x.window_end)), true),
                    prompt::date("report", &f(au.and_then(|x| x.report_date)), true),
                ],
            ))
        }
        _ => None,
    }
}

/// What a note on row `id` is about.
pub fn note_target(id: &str, shape: &Shape) -> Option<(&'static str, String)> {
    match id.split_once(':') {
        Some(("task", t)) => Some(("task", t.to_owned())),
        Some(("audit", a)) => Some(("audit", a.split(':').next().unwrap_or(a).to_owned())),
        _ if shape.timeline.ledger => Some(("control", id.to_owned())),
        _ => None,
    }
}
