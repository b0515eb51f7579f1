//! The Findings tab's form: a finding's status (closing it records today as the close date).

use crate::domain::FindingStatus;
use crate::tui::action::Action;
use crate::tui::prompt::{Prompt, Target};
use crate::tui::tabs::Form;
use crate::tui::tabs::forms::{self, FormCx, names};

/// The form `a` opens on the selected finding.
pub fn form(a: Action, cx: &FormCx) -> Option<Form> {
    build(a, cx).map(Form::Open)
}

fn build(a: Action, cx: &FormCx) -> Option<Prompt> {
    let id = cx.item()?;
    let finding = cx
        .data
        .snapshot
        .findings
        .iter()
        .find(|c| c.id.as_str() == id);
    (a == Action::EditStatus).then(|| {
        forms::status(
            id,
            Target::FindingStatus(id.into()),
            &names(FindingStatus::ALL, FindingStatus::as_str),
            finding.map_or("open", |c| c.status.as_str()),
        )
    })
}
