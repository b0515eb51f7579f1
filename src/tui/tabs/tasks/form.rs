//! The task forms, shared by the Tasks tab and the Timeline's task bars: status, owner and
//! due date.

use crate::domain::TaskStatus;
use crate::tui::action::Action;
use crate::tui::data::Data;
use crate::tui::prompt::{Prompt, Target};
use crate::tui::tabs::Form;
use crate::tui::tabs::forms::{self, FormCx, names};

/// The form `a` opens on the selected task.
pub fn form(a: Action, cx: &FormCx) -> Option<Form> {
    build(a, cx).map(Form::Open)
}

fn build(a: Action, cx: &FormCx) -> Option<Prompt> {
    task_form(a, cx.data, cx.item()?, true)
}

/// The form `a` opens on task `id` (`owner`: whether the owner may be edited here).
pub fn task_form(a: Action, d: &Data, id: &str, owner: bool) -> Option<Prompt> {
    let task = d.snapshot.tasks.iter().find(|c| c.id.as_str() == id);
    match a {
        Action::EditStatus => Some(forms::status(
            id,
            Target::TaskStatus(id.into()),
            &names(TaskStatus::ALL, TaskStatus::as_str),
            task.map_or("todo", |c| c.status.as_str()),
        )),
        Action::EditOwner if owner => Some(forms::owner(
            id,
            Target::TaskOwner(id.into()),
            task.map_or("", |c| c.owner.as_str()),
        )),
        Action::EditDue => Some(forms::due(
            id,
            Target::TaskDue(id.into()),
            task.and_then(|c| c.due),
        )),
        _ => None,
    }
}
