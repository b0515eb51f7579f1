//! What a tab's form builder sees, and the form shapes tabs share (a status choice, an owner,
//! a due date). A form only describes fields and what submitting edits; validation and the
//! edit it becomes live in `prompt` and `app`, so a tab never touches the store.

use super::Shape;
use crate::domain::Date;
use crate::tui::data::Data;
use crate::tui::prompt::{self, Prompt, Target};
use crate::tui::rows::Row;

/// The state a form is built from: the data, the selected row (if any), the tab's shape and
/// the dashboard's date.
pub struct FormCx<'a> {
    /// Loaded data.
    pub data: &'a Data,
    /// The selected row.
    pub row: Option<&'a Row>,
    /// Folding, filters and the timeline's view.
    pub shape: &'a Shape,
    /// The date the dashboard scores as of.
    pub today: Date,
}

impl FormCx<'_> {
    /// The selected item's id, unless nothing or a group heading is selected.
    pub fn item(&self) -> Option<&str> {
        self.row.filter(|r| !r.heading).map(|r| r.id.as_str())
    }
}

/// The names of every value of an enum, for a choice field.
pub fn names<T: Copy>(all: &[T], f: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|x| f(*x)).collect()
}

/// "Status of `what`": one choice among `options`, preset to `current`.
pub fn status(what: &str, target: Target, options: &[&str], current: &str) -> Prompt {
    Prompt::new(
        format!("Status of {what}"),
        target,
        vec![prompt::choice("status", options, current)],
    )
}

/// "Owner of `id`": one required text field, preset to `current`.
pub fn owner(id: &str, target: Target, current: &str) -> Prompt {
    Prompt::new(
        format!("Owner of {id}"),
        target,
        vec![prompt::text("owner", current, false)],
    )
}

/// "Due date of `id`": one optional date, preset to `current` (empty: none).
pub fn due(id: &str, target: Target, current: Option<Date>) -> Prompt {
    let cur = current.map(|v| v.to_string()).unwrap_or_default();
    Prompt::new(
        format!("Due date of {id} (empty: none)"),
        target,
        vec![prompt::date("due", &cur, true)],
    )
}

/// A note on `entity` `key`.
pub fn note(entity: &str, key: String) -> Prompt {
    Prompt::new(
        format!("Note on {entity} {key}"),
        Target::Note(entity.into(), key),
        vec![prompt::text("note", "", false)],
    )
}
