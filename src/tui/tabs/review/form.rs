//! The Review tab's forms: a decision of the meeting, an action that becomes a remediation
//! task, and the clause 9.3 inputs the model cannot supply (one field per input, holding what
//! is stored), as on the CLI. None needs a selected row. An action is submitted only with an
//! owner and a valid due date (proposed two weeks after the meeting), as `ops::review` needs.

use crate::tui::action::Action;
use crate::tui::prompt::{self, Prompt, Target};
use crate::tui::tabs::Form;
use crate::tui::tabs::forms::FormCx;

/// The form `a` opens on the Review tab.
pub fn form(a: Action, cx: &FormCx) -> Option<Form> {
    if a == Action::ReviewInput {
        return Some(Form::Open(inputs(&cx.data.review_inputs)));
    }
    build(a, cx.today).map(Form::Open)
}

/// The typed 9.3 inputs: one optional field per input, preset to the stored text.
fn inputs(stored: &[(String, String)]) -> Prompt {
    let prompted = crate::report::review::iso93::PROMPTED;
    let fields = prompted
        .iter()
        .map(|(k, _, _)| {
            let cur = stored
                .iter()
                .find(|(s, _)| s == k)
                .map_or("", |(_, t)| t.as_str());
            prompt::text(k, cur, true)
        })
        .collect();
    let mut p = Prompt::new(
        "Clause 9.3 inputs of this review (empty: not covered)",
        Target::ReviewInputs(prompted.iter().map(|(k, _, _)| (*k).to_owned()).collect()),
        fields,
    );
    p.preview = vec![
        "9.3.2 b external and internal issues, c interested parties'".into(),
        "needs, e their feedback, g improvement; 9.3.3 ISMS changes".into(),
    ];
    p
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
