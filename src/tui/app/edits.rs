//! Keyboard edits: which form each action opens on each tab, and what a submitted form
//! becomes (an [`Effect`] for the store thread).

use super::{App, Effect, Mode};
use crate::domain::{AuditStatus, ControlStatus, Date, EvidenceResult, FindingStatus, TaskStatus};
use crate::store::Edit;
use crate::tui::action::Action;
use crate::tui::prompt::{self, Outcome, Prompt, Target};
use crate::tui::tab::Tab;
use crossterm::event::KeyEvent;

fn names<T: Copy>(all: &[T], f: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|x| f(*x)).collect()
}

impl App {
    /// Opens the form for `a` on the selected item, or says why not.
    pub(super) fn start_edit(&mut self, a: Action, today: Date) {
        let Some(row) = self.selected_row().cloned() else {
            self.message = Some(("select an item first".into(), true));
            return;
        };
        let Some(d) = &self.data else { return };
        if row.heading && self.tab != Tab::Frameworks {
            self.message = Some(("select an item, not a group heading".into(), true));
            return;
        }
        let id = row.id.clone();
        let p = match (a, self.tab) {
            (Action::EditStatus, Tab::Controls) => {
                let cur = d
                    .snapshot
                    .controls
                    .iter()
                    .find(|c| c.id.as_str() == id)
                    .map_or("not_started", |c| c.status.as_str());
                Some(Prompt::new(
                    format!("Status of {id}"),
                    Target::ControlStatus(id.as_str().into()),
                    vec![prompt::choice(
                        "status",
                        &names(ControlStatus::ALL, ControlStatus::as_str),
                        cur,
                    )],
                ))
            }
            (Action::EditStatus, Tab::Findings) => {
                let cur = d
                    .snapshot
                    .findings
                    .iter()
                    .find(|c| c.id.as_str() == id)
                    .map_or("open", |c| c.status.as_str());
                Some(Prompt::new(
                    format!("Status of {id}"),
                    Target::FindingStatus(id.as_str().into()),
                    vec![prompt::choice(
                        "status",
                        &names(FindingStatus::ALL, FindingStatus::as_str),
                        cur,
                    )],
                ))
            }
            (Action::EditStatus, Tab::Tasks) => {
                let cur = d
                    .snapshot
                    .tasks
                    .iter()
                    .find(|c| c.id.as_str() == id)
                    .map_or("todo", |c| c.status.as_str());
                Some(Prompt::new(
                    format!("Status of {id}"),
                    Target::TaskStatus(id.as_str().into()),
                    vec![prompt::choice(
                        "status",
                        &names(TaskStatus::ALL, TaskStatus::as_str),
                        cur,
                    )],
                ))
            }
            (Action::EditOwner, Tab::Controls) => {
                let cur = d
                    .snapshot
                    .controls
                    .iter()
                    .find(|c| c.id.as_str() == id)
                    .map_or("", |c| c.owner.as_str());
                Some(Prompt::new(
                    format!("Owner of {id}"),
                    Target::ControlOwner(id.as_str().into()),
                    vec![prompt::text("owner", cur, false)],
                ))
            }
            (Action::EditOwner, Tab::Tasks) => {
                let cur = d
                    .snapshot
                    .tasks
                    .iter()
                    .find(|c| c.id.as_str() == id)
                    .map_or("", |c| c.owner.as_str());
                Some(Prompt::new(
                    format!("Owner of {id}"),
                    Target::TaskOwner(id.as_str().into()),
                    vec![prompt::text("owner", cur, false)],
                ))
            }
            (Action::EditDue, Tab::Tasks) => {
                let cur = d
                    .snapshot
                    .tasks
                    .iter()
                    .find(|c| c.id.as_str() == id)
                    .and_then(|c| c.due)
                    .map(|v| v.to_string())
                    .unwrap_or_default();
                Some(Prompt::new(
                    format!("Due date of {id} (empty: none)"),
                    Target::TaskDue(id.as_str().into()),
                    vec![prompt::date("due", &cur, true)],
                ))
            }
            (Action::EditStatus | Action::EditDue, Tab::Timeline)
                if id.starts_with("audit:") || id.starts_with("task:") =>
            {
                let (kind, rest) = id.split_once(':').unwrap_or(("", ""));
                let key = rest.split(':').next().unwrap_or(rest).to_owned();
                if kind == "task" {
                    let t = d.snapshot.tasks.iter().find(|c| c.id.as_str() == key);
                    if a == Action::EditStatus {
                        let cur = t.map_or("todo", |c| c.status.as_str());
                        Some(Prompt::new(
                            format!("Status of {key}"),
                            Target::TaskStatus(key.as_str().into()),
                            vec![prompt::choice(
                                "status",
                                &names(TaskStatus::ALL, TaskStatus::as_str),
                                cur,
                            )],
                        ))
                    } else {
                        let cur = t
                            .and_then(|c| c.due)
                            .map(|v| v.to_string())
                            .unwrap_or_default();
                        Some(Prompt::new(
                            format!("Due date of {key} (empty: none)"),
                            Target::TaskDue(key.as_str().into()),
                            vec![prompt::date("due", &cur, true)],
                        ))
                    }
                } else {
                    let au = d.snapshot.audits.iter().find(|c| c.id.as_str() == key);
                    let f = |v: Option<Date>| v.map(|x| x.to_string()).unwrap_or_default();
                    if a == Action::EditStatus {
                        let cur = au.map_or("planned", |c| c.status.as_str());
                        Some(Prompt::new(
                            format!("Status of audit {key}"),
                            Target::AuditStatus(key.as_str().into()),
                            vec![prompt::choice(
                                "status",
                                &names(AuditStatus::ALL, AuditStatus::as_str),
                                cur,
                            )],
                        ))
                    } else {
                        Some(Prompt::new(
                            format!("Dates of audit {key} (empty: none)"),
                            Target::AuditDates(key.as_str().into()),
                            vec![
                                prompt::date(
                                    "window from",
                                    &f(au.and_then(|x| x.window_start)),
                                    true,
                                ),
                                prompt::date("window to", &f(au.and_then(|x| x.window_end)), true),
                                prompt::date("report", &f(au.and_then(|x| x.report_date)), true),
                            ],
                        ))
                    }
                }
            }
            (Action::AddEvidence, Tab::Controls) => Some(Prompt::new(
                format!("Manual evidence for {id}"),
                Target::Evidence(id.as_str().into()),
                vec![
                    prompt::text("title", "Manual evidence", false),
                    prompt::date("effective", &today.to_string(), false),
                    prompt::choice(
                        "result",
                        &names(EvidenceResult::ALL, EvidenceResult::as_str),
                        "pass",
                    ),
                    prompt::text("file", "", true),
                ],
            )),
            (Action::AddNote, tab) if !row.heading => {
                let (entity, key) = match tab {
                    Tab::Frameworks => {
                        let mut p = id.splitn(3, '/');
                        let (fw, _, req) =
                            (p.next().unwrap_or(""), p.next(), p.next().unwrap_or(""));
                        ("requirement", format!("{fw}:{req}"))
                    }
                    Tab::Controls => ("control", id.clone()),
                    Tab::Risks => ("risk", id.clone()),
                    Tab::Findings => ("finding", id.clone()),
                    Tab::Tasks => ("task", id.clone()),
                    Tab::Evidence => ("evidence", id.clone()),
                    Tab::Timeline => match id.split_once(':') {
                        Some(("task", t)) => ("task", t.to_owned()),
                        Some(("audit", a)) => {
                            ("audit", a.split(':').next().unwrap_or(a).to_owned())
                        }
                        _ if self.shape.timeline.ledger => ("control", id.clone()),
                        _ => ("", String::new()),
                    },
                    Tab::Vendors => ("vendor", id.clone()),
                    Tab::Tabletop | Tab::Overview | Tab::Review => ("", String::new()),
                };
                (!entity.is_empty()).then(|| {
                    Prompt::new(
                        format!("Note on {entity} {key}"),
                        Target::Note(entity.into(), key),
                        vec![prompt::text("note", "", false)],
                    )
                })
            }
            _ => None,
        };
        match p {
            Some(p) => self.mode = Mode::Prompt(p),
            None => {
                let what = self
                    .keymap
                    .bindings
                    .iter()
                    .find(|b| b.action == a)
                    .map_or(String::new(), |b| b.description.clone());
                self.message = Some((format!("not available here: {what}"), true));
            }
        }
    }

    pub(super) fn prompt_key(&mut self, k: KeyEvent, today: Date) -> Vec<Effect> {
        let Mode::Prompt(p) = &mut self.mode else {
            return Vec::new();
        };
        match p.key(k) {
            Outcome::Editing => Vec::new(),
            Outcome::Cancel => {
                self.mode = Mode::Normal;
                Vec::new()
            }
            Outcome::Submit => {
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
        Target::TtLog(_) | Target::TtAction | Target::TtEnd => return None,
        Target::ReviewDecision => Edit::AddNote {
            entity: "review".into(),
            id: today.to_string(),
            text: format!("decision: {}", v("decision")),
        },
        Target::ReviewAction => Edit::AddNote {
            entity: "review".into(),
            id: today.to_string(),
            text: format!("action: {} | {} | {}", v("action"), v("owner"), v("due")),
        },
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
