//! Keyboard edits: the current tab says which form an action opens (see `TabView::form`);
//! here the form is opened, keyed and, once valid, turned into an [`Effect`] for the store
//! thread. What a form becomes depends on its target (the entity it edits), not on the tab:
//! a task's due date is the same edit from the Tasks tab and from a Timeline bar.

use super::{App, Effect, Mode};
use crate::domain::{Date, FindingStatus};
use crate::store::Edit;
use crate::tui::action::Action;
use crate::tui::prompt::{Outcome, Prompt, Target};
use crate::tui::tabs::evidence::picker;
use crate::tui::tabs::{self, Form, FormCx, forms};
use crossterm::event::{KeyCode, KeyEvent};

impl App {
    /// Opens the form the current tab gives `a` on the selected item (a note where the tab
    /// says what notes are about), or says why not.
    pub(super) fn start_edit(&mut self, a: Action, today: Date) {
        let Some(d) = &self.data else { return };
        let view = tabs::view(self.tab);
        let row = self.selected_row();
        let cx = FormCx {
            data: d,
            row,
            shape: &self.shape,
            today,
        };
        let form = view.form(a, &cx).or_else(|| {
            let id = cx.item().filter(|_| a == Action::AddNote)?;
            let (entity, key) = view.note_target(id, &self.shape)?;
            Some(Form::Open(forms::note(entity, key)))
        });
        let why = match (form, row) {
            (Some(Form::Open(p)), _) => {
                self.mode = Mode::Prompt(p);
                return;
            }
            (Some(Form::Say(m)), _) => {
                self.message = Some((m, false));
                return;
            }
            (None, None) if self.tab.is_list() => "select an item first".to_owned(),
            (None, Some(r)) if r.heading => "select an item, not a group heading".to_owned(),
            (None, _) => self.not_here(a),
        };
        self.message = Some((why, true));
    }

    /// Why `a` does nothing here: its description, naming the tab it works on when its
    /// description starts with one ("Frameworks: plan …").
    fn not_here(&self, a: Action) -> String {
        let what = self
            .keymap
            .bindings
            .iter()
            .find(|b| b.action == a)
            .map_or(String::new(), |b| b.description.clone());
        match what.split_once(": ") {
            Some((tab, rest)) if tabs::REGISTRY.iter().any(|v| v.title() == tab) => {
                format!("on the {tab} tab only: {rest}")
            }
            _ => format!("not available here: {what}"),
        }
    }

    pub(super) fn prompt_key(&mut self, k: KeyEvent, today: Date) -> Vec<Effect> {
        let Mode::Prompt(p) = &mut self.mode else {
            return Vec::new();
        };
        let picking = matches!(p.target, Target::PickPreset(_));
        if picking && matches!(k.code, KeyCode::Up | KeyCode::Down) {
            picker::step(p, k.code == KeyCode::Down);
            return Vec::new();
        }
        match p.key(k) {
            Outcome::Editing => {
                if picking {
                    picker::refresh(p);
                }
                Vec::new()
            }
            Outcome::Cancel => {
                self.mode = Mode::Normal;
                Vec::new()
            }
            Outcome::Submit => {
                if picking {
                    match picker::chosen(p) {
                        Some(c) => self.mode = Mode::Prompt(picker::form(&c)),
                        None => p.error = Some("no preset matches the filter".into()),
                    }
                    return Vec::new();
                }
                let p = p.clone();
                self.mode = Mode::Normal;
                if matches!(
                    p.target,
                    Target::TtLog(_) | Target::TtAction | Target::TtEnd
                ) {
                    return self.exercise_form(&p);
                }
                submit(&p, today).into_iter().collect()
            }
        }
    }
}

/// What a valid form becomes.
pub fn submit(p: &Prompt, today: Date) -> Option<Effect> {
    let v = |l: &str| p.value(l);
    let edit = match &p.target {
        Target::ControlStatus(id) => Edit::ControlStatus(id.clone(), v("status").parse().ok()?),
        Target::ControlOwner(id) => Edit::ControlOwner(id.clone(), v("owner")),
        Target::FindingStatus(id) => {
            let s: FindingStatus = v("status").parse().ok()?;
            Edit::FindingStatus(id.clone(), s, (s == FindingStatus::Closed).then_some(today))
        }
        Target::TaskStatus(id) => Edit::TaskStatus(id.clone(), v("status").parse().ok()?),
        Target::TaskOwner(id) => Edit::TaskOwner(id.clone(), v("owner")),
        Target::TaskDue(id) => Edit::TaskDue(id.clone(), v("due").parse().ok()),
        Target::AuditStatus(id) => Edit::AuditStatus(id.clone(), v("status").parse().ok()?),
        Target::AuditDates(id) => Edit::AuditDates(
            id.clone(),
            v("window from").parse().ok(),
            v("window to").parse().ok(),
            v("report").parse().ok(),
        ),
        Target::TtLog(_) | Target::TtAction | Target::TtEnd | Target::PickPreset(_) => {
            return None;
        }
        Target::AddSource(preset, params) => {
            return Some(Effect::AddSource(preset.clone(), picker::given(p, params)));
        }
        Target::ReviewDecision => return Some(Effect::ReviewDecision(today, v("decision"))),
        Target::ReviewAction => {
            return Some(Effect::ReviewAction(
                today,
                crate::ops::review::Action {
                    text: v("action"),
                    owner: v("owner"),
                    due: v("due").parse().ok()?,
                },
            ));
        }
        Target::ReviewInputs(keys) => {
            let values = keys
                .iter()
                .zip(&p.fields)
                .map(|(k, f)| (k.clone(), f.value.clone()));
            return Some(Effect::ReviewInputs(today, values.collect()));
        }
        Target::Note(entity, id) => Edit::AddNote {
            entity: entity.clone(),
            id: id.clone(),
            text: v("note"),
        },
        Target::PlanUnplanned(drafts) => {
            let due: Date = v("due").parse().ok()?;
            Edit::AddTasks(drafts.iter().map(|d| d.task(due)).collect())
        }
        Target::Evidence(id) => {
            let file = v("file");
            return Some(Effect::AddEvidence {
                control: id.clone(),
                title: v("title"),
                effective: v("effective").parse().ok()?,
                result: v("result").parse().ok()?,
                file: (!file.is_empty()).then(|| file.into()),
            });
        }
    };
    Some(Effect::Edit { edit, undo: false })
}
