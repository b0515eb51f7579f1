//! The Controls tab's forms: a control's status and owner, and manual evidence for it.

use crate::domain::{ControlStatus, EvidenceResult};
use crate::tui::action::Action;
use crate::tui::prompt::{self, Prompt, Target};
use crate::tui::tabs::Form;
use crate::tui::tabs::forms::{self, FormCx, names};

/// The form `a` opens on the selected control.
pub fn form(a: Action, cx: &FormCx) -> Option<Form> {
    build(a, cx).map(Form::Open)
}

fn build(a: Action, cx: &FormCx) -> Option<Prompt> {
    let id = cx.item()?;
    let control = cx
        .data
        .snapshot
        .controls
        .iter()
        .find(|c| c.id.as_str() == id);
    match a {
        Action::EditStatus => Some(forms::status(
            id,
            Target::ControlStatus(id.into()),
            &names(ControlStatus::ALL, ControlStatus::as_str),
            control.map_or("not_started", |c| c.status.as_str()),
        )),
        Action::EditOwner => Some(forms::owner(
            id,
            Target::ControlOwner(id.into()),
            control.map_or("", |c| c.owner.as_str()),
        )),
        Action::AddEvidence => Some(Prompt::new(
            format!("Manual evidence for {id}"),
            Target::Evidence(id.into()),
            vec![
                prompt::text("title", "Manual evidence", false),
                prompt::date("effective", &cx.today.to_string(), false),
                prompt::choice(
                    "result",
                    &names(EvidenceResult::ALL, EvidenceResult::as_str),
                    "pass",
                ),
                prompt::text("file", "", true),
            ],
        )),
        _ => None,
    }
}
