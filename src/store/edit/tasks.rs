//! Adding and removing a batch of draft remediation tasks as one edit, so planning the
//! unplanned requirements of a framework is written (and undone) at once.
//!
//! Invariant: removal takes away only tasks still exactly as drafted (same title, owner, due,
//! control, status `todo`, nothing depending on them); anything changed since is refused, so an
//! undo never destroys later work.

use crate::store::db::{OptionalExtension, Transaction, params};
use anyhow::{Result, bail};

use crate::domain::{ControlId, Date, TaskId};

/// A task as drafted from an unplanned requirement.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewTask {
    /// New id.
    pub id: TaskId,
    /// Title.
    pub title: String,
    /// Owner (the owner of its control).
    pub owner: String,
    /// Due date.
    pub due: Date,
    /// The control it builds or fixes (through which it blocks the requirement).
    pub control: ControlId,
}

/// Inserts the drafts; fails (writing nothing, the caller's transaction rolls back) if an id
/// is taken.
pub(super) fn add(tx: &Transaction<'_>, tasks: &[NewTask]) -> Result<()> {
    for t in tasks {
        let taken: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM tasks WHERE id = ?1)",
            [t.id.as_str()],
            |r| r.get(0),
        )?;
        if taken {
            bail!("task id {} is already taken", t.id);
        }
        tx.execute(
            "INSERT INTO tasks (id, title, owner, status, due, control_id) VALUES (?1, ?2, ?3, 'todo', ?4, ?5)",
            params![t.id.as_str(), t.title, t.owner, t.due.to_string(), t.control.as_str()],
        )?;
    }
    Ok(())
}

/// Deletes the drafts, refusing any that changed since they were drafted.
pub(super) fn remove(tx: &Transaction<'_>, tasks: &[NewTask]) -> Result<()> {
    for t in tasks {
        let row: Option<(String, String, String, Option<String>, Option<String>)> = tx
            .query_row(
                "SELECT title, owner, status, due, control_id FROM tasks WHERE id = ?1",
                [t.id.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let Some((title, owner, status, due, control)) = row else {
            bail!("task {} no longer exists", t.id);
        };
        let same = title == t.title
            && owner == t.owner
            && status == "todo"
            && due.as_deref() == Some(t.due.to_string().as_str())
            && control.as_deref() == Some(t.control.as_str());
        let depended: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM task_deps WHERE depends_on = ?1)",
            [t.id.as_str()],
            |r| r.get(0),
        )?;
        if !same || depended {
            bail!(
                "task {} changed since it was drafted; edit it instead of undoing",
                t.id
            );
        }
        tx.execute("DELETE FROM tasks WHERE id = ?1", [t.id.as_str()])?;
    }
    Ok(())
}

/// The batch's ids, for the change log.
pub(super) fn ids(tasks: &[NewTask]) -> String {
    tasks
        .iter()
        .map(|t| t.id.as_str())
        .collect::<Vec<_>>()
        .join(",")
}
