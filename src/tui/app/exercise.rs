//! Facilitating a tabletop exercise: Enter on a scenario asks who facilitates and starts it;
//! single keys log a note, a decision, a gap or an action item; the clock ticks; injects fall
//! due on their own or are skipped; every change is saved at once (an effect for the store
//! thread), and ending it (after a yes) writes findings, tasks, evidence and the after-action
//! report. Quitting while it runs, or with unsaved what-if changes, asks first.

use super::{App, Effect, Mode};
use crate::tabletop::exercise::Kind;
use crate::tui::action::Action;
use crate::tui::prompt::confirm::{Confirm, Question};
use crate::tui::prompt::{self, Prompt, Target};
use crate::tui::tab::Tab;

use crate::tui::tabs::tabletop::FACILITATOR;

impl App {
    /// The keymap context in force.
    pub(super) fn context(&self) -> Option<&'static str> {
        crate::tui::tabs::view(self.tab).context(self.running.is_some())
    }

    pub(super) fn tick(&mut self, t: i64) -> Vec<Effect> {
        self.now = t;
        let Some(r) = self.running.as_mut() else {
            self.dirty = false;
            return Vec::new();
        };
        if self.tab != Tab::Tabletop {
            self.dirty = false;
        }
        if r.exercise.tick(&r.scenario, t) {
            let i = r.exercise.current();
            self.message = Some((
                format!("inject {} is due: {}", i + 1, r.scenario.injects[i].title),
                false,
            ));
            return vec![Effect::SaveExercise(Box::new(r.exercise.clone()))];
        }
        Vec::new()
    }

    pub(super) fn exercise_action(&mut self, a: Action) -> Vec<Effect> {
        let now = self.now;
        let Some(r) = self.running.as_mut() else {
            self.message = Some((
                "no exercise under way: pick a scenario on the Tabletop tab and press Enter".into(),
                true,
            ));
            return Vec::new();
        };
        let ex = &mut r.exercise;
        let form = |title: &str, kind: Kind| {
            Prompt::new(
                title,
                Target::TtLog(kind),
                vec![prompt::text("text", "", false)],
            )
        };
        match a {
            Action::TtNote => self.mode = Mode::Prompt(form("Note", Kind::Note)),
            Action::TtDecision => {
                self.mode = Mode::Prompt(form("Decision the room took", Kind::Decision));
            }
            Action::TtGap => {
                self.mode = Mode::Prompt(form("Gap found (becomes a finding)", Kind::Gap));
            }
            Action::TtParticipants => {
                let current = ex.participants().join(", ");
                self.mode = Mode::Prompt(Prompt::new(
                    "Participants (comma separated)",
                    Target::TtLog(Kind::Participants),
                    vec![prompt::text("text", &current, false)],
                ));
            }
            Action::TtAction => {
                self.mode = Mode::Prompt(Prompt::new(
                    "Action item (becomes a task)",
                    Target::TtAction,
                    vec![
                        prompt::text("action", "", false),
                        prompt::text("owner", "", false),
                        prompt::date("due", "", true),
                    ],
                ));
            }
            Action::TtEnd => {
                let played = ex.played().len();
                self.mode = Mode::Confirm(Confirm::new(
                    Question::EndExercise,
                    format!("End exercise {}? (y/n)", ex.id),
                    vec![
                        format!("Injects played: {played} of {}.", r.scenario.injects.len()),
                        "Ending writes the findings, tasks, evidence and the after-action report."
                            .into(),
                    ],
                ));
            }
            Action::TtPause => {
                ex.toggle_pause(now);
                return vec![Effect::SaveExercise(Box::new(ex.clone()))];
            }
            Action::TtNext | Action::TtBack => {
                let moved = if a == Action::TtNext {
                    ex.next(&r.scenario, now)
                } else {
                    ex.back(now)
                };
                if !moved {
                    self.message = Some(("no inject that way".into(), true));
                    return Vec::new();
                }
                let save = vec![Effect::SaveExercise(Box::new(ex.clone()))];
                return with_signal(r, save);
            }
            _ => {}
        }
        Vec::new()
    }

    /// `q`: quits at once unless an exercise runs or what-if changes are unsaved; then asks.
    pub(super) fn quit_or_ask(&mut self) {
        self.mode = if let Some(r) = &self.running {
            Mode::Confirm(Confirm::new(
                Question::QuitExercise,
                "Quit? the exercise is running (y/n)",
                vec![format!(
                    "{} is saved as it goes and resumes when its scenario is opened again.",
                    r.exercise.id
                )],
            ))
        } else if !self.shape.timeline.whatif.is_empty() {
            Mode::Confirm(Confirm::new(
                Question::QuitWhatIf,
                "Quit? the what-if changes are not saved (y/n)",
                vec!["W on the Timeline saves them; quitting discards them.".into()],
            ))
        } else {
            self.quit = true;
            Mode::Normal
        };
    }

    /// The answer to an open question.
    pub(super) fn answered(&mut self, q: Question, yes: bool) -> Vec<Effect> {
        match (q, yes) {
            (Question::QuitExercise | Question::QuitWhatIf, true) => self.quit = true,
            (Question::EndExercise, true) => {
                let now = self.now;
                return self
                    .running
                    .take()
                    .map(|mut d| {
                        d.exercise.end(now);
                        vec![Effect::FinishExercise(d)]
                    })
                    .unwrap_or_default();
            }
            (Question::EndExercise | Question::QuitExercise, false) => {
                self.message = Some(("the exercise goes on".into(), false));
            }
            (Question::QuitWhatIf, false) => {}
        }
        Vec::new()
    }

    /// A submitted exercise form.
    pub(super) fn exercise_form(&mut self, p: &Prompt) -> Vec<Effect> {
        let now = self.now;
        if p.target == Target::TtLog(Kind::Start) {
            // The form is modal: the selection is still the scenario it was opened on.
            return self
                .selected_row()
                .map(|r| vec![Effect::StartExercise(r.id.clone(), p.value(FACILITATOR))])
                .unwrap_or_default();
        }
        let Some(r) = self.running.as_mut() else {
            return Vec::new();
        };
        match &p.target {
            Target::TtLog(kind) => r.exercise.log(*kind, &p.value("text"), now),
            Target::TtAction => r.exercise.action(
                &p.value("action"),
                &p.value("owner"),
                p.value("due").parse().ok(),
                now,
            ),
            Target::TtEnd => return self.answered(Question::EndExercise, true),
            _ => return Vec::new(),
        }
        vec![Effect::SaveExercise(Box::new(r.exercise.clone()))]
    }
}

/// Adds the current inject's live signal, if it has one, to `effects`.
fn with_signal(r: &crate::tui::tabs::tabletop::Running, mut effects: Vec<Effect>) -> Vec<Effect> {
    if let Some(sig) = r
        .scenario
        .injects
        .get(r.exercise.current())
        .and_then(|i| i.signal.as_ref())
    {
        effects.push(Effect::Signal(sig.gateway.clone()));
    }
    effects
}
