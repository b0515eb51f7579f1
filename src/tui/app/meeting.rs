//! The Review tab's meeting record: `D` logs a decision, `a` an action with an owner and a due
//! date. Both go to the store thread as their own effects (not as plain notes), so the status
//! line says what was saved and an action becomes a remediation task there, as on the CLI.
//!
//! Invariant: an action form is submitted only with an owner and a valid due date (the form
//! requires both, as `ops::review` does).

use super::{App, Effect, Mode};
use crate::domain::Date;
use crate::tui::action::Action;
use crate::tui::prompt::{self, Outcome, Prompt, Target};
use crossterm::event::KeyEvent;

/// Days from the meeting to an action's proposed due date.
const ACTION_DAYS: u64 = 14;

impl App {
    /// Opens the decision or action form of the review of `today`.
    pub(super) fn review_form(&mut self, a: Action, today: Date) {
        let p = if a == Action::ReviewDecision {
            Prompt::new(
                "Decision of this review",
                Target::ReviewDecision,
                vec![prompt::text("decision", "", false)],
            )
        } else {
            let due = today
                .checked_add_days(chrono::Days::new(ACTION_DAYS))
                .unwrap_or(today);
            Prompt::new(
                "Action of this review (becomes a task)",
                Target::ReviewAction,
                vec![
                    prompt::text("action", "", false),
                    prompt::text("owner", "", false),
                    prompt::date("due", &due.to_string(), false),
                ],
            )
        };
        self.mode = Mode::Prompt(p);
    }

    /// A key in a review form; None when the open form is not one.
    pub(super) fn review_key(&mut self, k: KeyEvent, today: Date) -> Option<Vec<Effect>> {
        let Mode::Prompt(p) = &mut self.mode else {
            return None;
        };
        if !matches!(p.target, Target::ReviewDecision | Target::ReviewAction) {
            return None;
        }
        Some(match p.key(k) {
            Outcome::Editing => Vec::new(),
            Outcome::Cancel => {
                self.mode = Mode::Normal;
                Vec::new()
            }
            Outcome::Submit => {
                let p = p.clone();
                self.mode = Mode::Normal;
                review_effect(&p, today).into_iter().collect()
            }
        })
    }
}

/// What a submitted review form asks of the store thread.
fn review_effect(p: &Prompt, today: Date) -> Option<Effect> {
    match p.target {
        Target::ReviewDecision => Some(Effect::ReviewDecision(today, p.value("decision"))),
        Target::ReviewAction => Some(Effect::ReviewAction(
            today,
            crate::ops::review::Action {
                text: p.value("action"),
                owner: p.value("owner"),
                due: p.value("due").parse().ok()?,
            },
        )),
        _ => None,
    }
}
