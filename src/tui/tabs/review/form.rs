//! The Review tab's forms: a decision of the meeting, and an action that becomes a remediation
//! task, as on the CLI. Neither needs a selected row. An action is submitted only with an
//! owner and a valid due date (proposed two weeks after the meeting), as `ops::review` needs.

use crate::tui::action::Action;
use crate::tui::prompt::{self, Prompt, Target};
use crate::tui::tabs::Form;
use crate::tui::tabs::forms::FormCx;

/// The form `a` opens on the Review tab.
pub fn form(a: Action, cx: &FormCx) -> Option<Form> {
    build(a, cx.today).map(Form::Open)
}

/// Days from the meeting to an action's proposed due date.
const ACTION_DAYS: u64 = 14;

fn build(a: Action, today: crate::domain::Date) -> Option<Prompt> {
    match a {
        Action::ReviewDecision => Some(Prompt::new(
            "Decision of this review",
            Target::ReviewDecision,
            vec![prompt::text("decision", "", false)],
        )),
        Action::ReviewAction => {
            let due = today
                .checked_add_days(chrono::Days::new(ACTION_DAYS))
                .unwrap_or(today);
            Some(Prompt::new(
                "Action of this review (becomes a task)",
                Target::ReviewAction,
                vec![
                    prompt::text("action", "", false),
                    prompt::text("owner", "", false),
                    prompt::date("due", &due.to_string(), false),
                ],
            ))
        }
        _ => None,
    }
}
