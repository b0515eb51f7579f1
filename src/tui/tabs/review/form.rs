//! The Review tab's forms: a decision of the meeting, and an action (owner, due date) that
//! becomes a task. Neither needs a selected row.

use crate::tui::action::Action;
use crate::tui::prompt::{self, Prompt, Target};
use crate::tui::tabs::Form;
use crate::tui::tabs::forms::FormCx;

/// The form `a` opens on the Review tab.
pub fn form(a: Action, _cx: &FormCx) -> Option<Form> {
    build(a).map(Form::Open)
}

fn build(a: Action) -> Option<Prompt> {
    match a {
        Action::ReviewDecision => Some(Prompt::new(
            "Decision of this review",
            Target::ReviewDecision,
            vec![prompt::text("decision", "", false)],
        )),
        Action::ReviewAction => Some(Prompt::new(
            "Action of this review",
            Target::ReviewAction,
            vec![
                prompt::text("action", "", false),
                prompt::text("owner", "", false),
                prompt::date("due", "", true),
            ],
        )),
        _ => None,
    }
}
