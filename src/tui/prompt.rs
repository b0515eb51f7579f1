//! Small forms for edits: free text, dates and choices, with validation before anything is
//! sent to the store.

use crate::domain::{AuditId, ControlId, Date, FindingId, TaskId};
use crossterm::event::{KeyCode, KeyEvent};

/// What a field holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Any text (required unless optional).
    Text {
        /// May be left empty.
        optional: bool,
    },
    /// A date as YYYY-MM-DD (optional: empty means none).
    Date {
        /// May be left empty.
        optional: bool,
    },
    /// One of a fixed list (cycled with ←/→ or space).
    Choice(Vec<String>),
}

/// One field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Label.
    pub label: &'static str,
    /// Current value.
    pub value: String,
    /// Kind.
    pub kind: Kind,
}

/// What the form edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A control's status.
    ControlStatus(ControlId),
    /// A control's owner.
    ControlOwner(ControlId),
    /// A finding's status.
    FindingStatus(FindingId),
    /// A task's status.
    TaskStatus(TaskId),
    /// A task's owner.
    TaskOwner(TaskId),
    /// A task's due date.
    TaskDue(TaskId),
    /// An audit's status.
    AuditStatus(AuditId),
    /// An audit's window and report date.
    AuditDates(AuditId),
    /// A note on an item.
    Note(String, String),
    /// Manual evidence for a control.
    Evidence(ControlId),
    /// A tabletop log entry of a kind.
    TtLog(crate::tabletop::exercise::Kind),
    /// A tabletop action item.
    TtAction,
    /// Ending the exercise.
    TtEnd,
    /// A decision of the review meeting.
    ReviewDecision,
    /// An action of the review meeting.
    ReviewAction,
    /// Draft tasks for a framework's unplanned requirements (the due date is the form's).
    PlanUnplanned(Vec<crate::tui::tabs::frameworks::plan::Draft>),
}

/// An open form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    /// Title.
    pub title: String,
    /// Fields.
    pub fields: Vec<Field>,
    /// Focused field.
    pub focus: usize,
    /// What it edits.
    pub target: Target,
    /// The last validation error.
    pub error: Option<String>,
    /// Lines shown under the fields: what submitting would write.
    pub preview: Vec<String>,
}

/// What a key did to the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Still editing.
    Editing,
    /// Cancelled.
    Cancel,
    /// Submitted and valid.
    Submit,
}

impl Prompt {
    /// A form.
    pub fn new(title: impl Into<String>, target: Target, fields: Vec<Field>) -> Self {
        Self {
            title: title.into(),
            fields,
            focus: 0,
            target,
            error: None,
            preview: Vec::new(),
        }
    }

    /// Handles a key.
    pub fn key(&mut self, k: KeyEvent) -> Outcome {
        let n = self.fields.len();
        match k.code {
            KeyCode::Esc => return Outcome::Cancel,
            KeyCode::Enter => {
                return match self.validate() {
                    Ok(()) => Outcome::Submit,
                    Err(e) => {
                        self.error = Some(e);
                        Outcome::Editing
                    }
                };
            }
            KeyCode::Tab | KeyCode::Down => self.focus = (self.focus + 1) % n,
            KeyCode::BackTab | KeyCode::Up => self.focus = (self.focus + n - 1) % n,
            KeyCode::Left | KeyCode::Right | KeyCode::Char(' ')
                if matches!(self.fields[self.focus].kind, Kind::Choice(_)) =>
            {
                let f = &mut self.fields[self.focus];
                if let Kind::Choice(c) = &f.kind {
                    let i = c.iter().position(|x| *x == f.value).unwrap_or(0);
                    let j = if k.code == KeyCode::Left {
                        (i + c.len() - 1) % c.len()
                    } else {
                        (i + 1) % c.len()
                    };
                    f.value = c[j].clone();
                }
            }
            KeyCode::Backspace if !matches!(self.fields[self.focus].kind, Kind::Choice(_)) => {
                self.fields[self.focus].value.pop();
            }
            KeyCode::Char(ch) if !matches!(self.fields[self.focus].kind, Kind::Choice(_)) => {
                self.fields[self.focus].value.push(ch);
            }
            _ => {}
        }
        self.error = None;
        Outcome::Editing
    }

    /// Checks every field.
    pub fn validate(&self) -> Result<(), String> {
        for f in &self.fields {
            let v = f.value.trim();
            match &f.kind {
                Kind::Text { optional } if !optional && v.is_empty() => {
                    return Err(format!("{} is required", f.label));
                }
                Kind::Date { optional } => {
                    if v.is_empty() && !optional {
                        return Err(format!("{} is required (YYYY-MM-DD)", f.label));
                    }
                    if !v.is_empty() && v.parse::<Date>().is_err() {
                        return Err(format!("{}: `{v}` is not a date (YYYY-MM-DD)", f.label));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// A field's trimmed value by label.
    pub fn value(&self, label: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.label == label)
            .map(|f| f.value.trim().to_owned())
            .unwrap_or_default()
    }
}

/// A choice field preset to `current`.
pub fn choice(label: &'static str, options: &[&str], current: &str) -> Field {
    Field {
        label,
        value: current.to_owned(),
        kind: Kind::Choice(options.iter().map(|s| (*s).to_owned()).collect()),
    }
}

/// A text field.
pub fn text(label: &'static str, value: &str, optional: bool) -> Field {
    Field {
        label,
        value: value.to_owned(),
        kind: Kind::Text { optional },
    }
}

/// A date field.
pub fn date(label: &'static str, value: &str, optional: bool) -> Field {
    Field {
        label,
        value: value.to_owned(),
        kind: Kind::Date { optional },
    }
}
