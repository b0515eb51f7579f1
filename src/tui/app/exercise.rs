//! Facilitating a tabletop exercise: single keys log a note, a decision, a gap or an action
//! item; the clock ticks; injects fall due on their own or are skipped; every change is saved
//! at once (an effect for the store thread), and ending it writes findings, tasks, evidence and
//! the after-action report.

use super::{App, Effect, Mode};
use crate::tabletop::exercise::Kind;
use crate::tui::action::Action;
use crate::tui::prompt::{self, Prompt, Target};
use crate::tui::tab::Tab;

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
                self.mode = Mode::Prompt(Prompt::new(
                    format!("End exercise {}?", ex.id),
                    Target::TtEnd,
                    vec![prompt::choice("end", &["no", "yes"], "no")],
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

    /// A submitted exercise form.
    pub(super) fn exercise_form(&mut self, p: &Prompt) -> Vec<Effect> {
        let now = self.now;
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
            Target::TtEnd => {
                if p.value("end") != "yes" {
                    return Vec::new();
                }
                r.exercise.end(now);
                let done = self.running.take();
                return done
                    .map(|d| vec![Effect::FinishExercise(d)])
                    .unwrap_or_default();
            }
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
