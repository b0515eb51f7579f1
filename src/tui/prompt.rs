//! Small forms for edits: free text, dates and choices, with validation before anything is
//! sent to the store; and the yes/no questions asked before work would be lost.
//!
//! Invariant: Tab, Shift-Tab, ↑/↓, Enter and Esc belong to the form (focus, submit, cancel);
//! every other key goes to the focused field, which edits like a terminal line
//! ([`field`]), so no key is ever typed into a value as a stray letter.

pub mod confirm;
pub mod field;

pub use field::{Field, Kind};

use crate::domain::{AuditId, ControlId, Date, FindingId, TaskId};
use crossterm::event::{KeyCode, KeyEvent};

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
    /// The typed clause 9.3 inputs of the review, one field per input key.
    ReviewInputs(Vec<String>),
    /// Draft tasks for a framework's unplanned requirements (the due date is the form's).
    PlanUnplanned(Vec<crate::tui::tabs::frameworks::plan::Draft>),
    /// Choosing a preset to add a source from (the filter is the form's one field).
    PickPreset(Box<crate::tui::tabs::evidence::picker::Pick>),
    /// A new source from a preset (its name), one field per parameter in this order.
    AddSource(String, Vec<crate::tui::tabs::evidence::picker::Param>),
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
        let n = self.fields.len().max(1);
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
            _ => {
                if let Some(f) = self.fields.get_mut(self.focus) {
                    f.edit(k);
                }
            }
        }
        self.error = None;
        Outcome::Editing
    }

    /// The key hints under the form, for the focused field.
    pub fn hint(&self) -> &'static str {
        match self.fields.get(self.focus) {
            Some(f) if f.is_choice() => "Enter saves · Tab next field · ←/→ choose · Esc cancels",
            _ => "Enter saves · Tab next field · Ctrl-U clears · Esc cancels",
        }
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
    Field::new(
        label,
        current,
        Kind::Choice(options.iter().map(|s| (*s).to_owned()).collect()),
    )
}

/// A text field (the cursor at the end of `value`).
pub fn text(label: &'static str, value: &str, optional: bool) -> Field {
    Field::new(label, value, Kind::Text { optional })
}

/// A date field (the cursor at the end of `value`).
pub fn date(label: &'static str, value: &str, optional: bool) -> Field {
    Field::new(label, value, Kind::Date { optional })
}

#[cfg(test)]
mod tests;
