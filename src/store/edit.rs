//! Single edits made from the dashboard or the CLI: each runs in its own transaction, is
//! recorded in the change log with before and after, and returns its inverse so it can be
//! undone (the undo is itself logged).

use super::Store;
use super::changelog::ChangeLog;
use super::evidence::{EvidenceWriter, NewEvidence};
use crate::domain::{
    AuditId, AuditStatus, ControlId, ControlStatus, Date, FindingId, FindingStatus, TaskId,
    TaskStatus,
};
use anyhow::{Result, bail};

mod tasks;
use crate::store::db::{OptionalExtension, Transaction, params};
pub use tasks::NewTask;

/// One edit.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Set a control's status.
    ControlStatus(ControlId, ControlStatus),
    /// Set a control's owner.
    ControlOwner(ControlId, String),
    /// Set a finding's status and closed date.
    FindingStatus(FindingId, FindingStatus, Option<Date>),
    /// Set a task's status.
    TaskStatus(TaskId, TaskStatus),
    /// Set a task's owner.
    TaskOwner(TaskId, String),
    /// Set or clear a task's due date.
    TaskDue(TaskId, Option<Date>),
    /// Set an audit's status.
    AuditStatus(AuditId, AuditStatus),
    /// Set an audit's window (start, end) and report date.
    AuditDates(AuditId, Option<Date>, Option<Date>, Option<Date>),
    /// Add a note to any item (`entity` is `control`, `finding`, `task`, `risk`, `requirement`...).
    AddNote {
        /// Entity kind.
        entity: String,
        /// Entity id.
        id: String,
        /// The note.
        text: String,
    },
    /// Remove a note (the inverse of adding it).
    RemoveNote(i64),
    /// Append manual evidence.
    AddEvidence(Box<NewEvidence>),
    /// Remove the newest evidence item (only the chain head can go, so the chain stays valid).
    RemoveEvidence(i64),
    /// Add draft remediation tasks (planning unplanned requirements), as one edit.
    AddTasks(Vec<NewTask>),
    /// Remove those drafts again (the inverse of adding them).
    RemoveTasks(Vec<NewTask>),
}

impl Edit {
    /// A short description for the status line and the log.
    pub fn describe(&self) -> String {
        match self {
            Edit::ControlStatus(id, s) => format!("{id} status → {s}"),
            Edit::ControlOwner(id, o) => format!("{id} owner → {o}"),
            Edit::FindingStatus(id, s, _) => format!("{id} status → {s}"),
            Edit::TaskStatus(id, s) => format!("{id} status → {s}"),
            Edit::TaskOwner(id, o) => format!("{id} owner → {o}"),
            Edit::TaskDue(id, d) => {
                format!("{id} due → {}", d.map_or("none".into(), |d| d.to_string()))
            }
            Edit::AuditStatus(id, s) => format!("{id} status → {s}"),
            Edit::AuditDates(id, ws, we, r) => {
                let f = |d: &Option<Date>| d.map_or("-".into(), |d| d.to_string());
                format!("{id} window {}..{} report {}", f(ws), f(we), f(r))
            }
            Edit::AddNote { entity, id, .. } => format!("note on {entity} {id}"),
            Edit::RemoveNote(n) => format!("note {n} removed"),
            Edit::AddEvidence(e) => format!("evidence for {} ({})", e.control, e.result),
            Edit::RemoveEvidence(seq) => format!("evidence {seq} removed"),
            Edit::AddTasks(t) => format!("{} draft task(s) added", t.len()),
            Edit::RemoveTasks(t) => format!("{} draft task(s) removed", t.len()),
        }
    }
}

fn one(tx: &Transaction<'_>, sql: &str, id: &str) -> Result<Option<String>> {
    Ok(tx.query_row(sql, [id], |r| r.get(0)).optional()?)
}

impl Store {
    /// Applies `edit` (logged with `action`, e.g. `edit` or `undo`); returns its inverse.
    pub fn edit(&mut self, edit: &Edit, action: &str, now: &str) -> Result<Edit> {
        let tx = self
            .conn
            .transaction_with_behavior(crate::store::db::TransactionBehavior::Immediate)?;
        let mut log = ChangeLog::start(&tx, now)?;
        let (entity, id, before, after, inverse) = apply(&tx, edit, now)?;
        log.record(
            &tx,
            action,
            entity,
            &id,
            before.as_deref(),
            after.as_deref(),
        )?;
        tx.commit()?;
        Ok(inverse)
    }
}

type Applied = (&'static str, String, Option<String>, Option<String>, Edit);

fn set_field(
    tx: &Transaction<'_>,
    table: &str,
    field: &str,
    id: &str,
    value: Option<&str>,
) -> Result<Option<String>> {
    let before = one(
        tx,
        &format!("SELECT {field} FROM {table} WHERE id = ?1"),
        id,
    )
    .or_else(|_| Ok::<_, anyhow::Error>(None))?;
    let exists: bool = tx.query_row(
        &format!("SELECT EXISTS(SELECT 1 FROM {table} WHERE id = ?1)"),
        [id],
        |r| r.get(0),
    )?;
    if !exists {
        bail!("no {} `{id}`", table.trim_end_matches('s'));
    }
    tx.execute(
        &format!("UPDATE {table} SET {field} = ?2 WHERE id = ?1"),
        params![id, value],
    )?;
    Ok(before)
}

fn apply(tx: &Transaction<'_>, edit: &Edit, now: &str) -> Result<Applied> {
    let q = |v: &Option<String>| {
        v.as_ref()
            .map(|s| serde_json::to_string(s).unwrap_or_default())
    };
    Ok(match edit {
        Edit::ControlStatus(id, s) => {
            let b = set_field(tx, "controls", "status", id.as_str(), Some(s.as_str()))?;
            let old = b
                .as_deref()
                .and_then(|x| x.parse().ok())
                .unwrap_or(ControlStatus::NotStarted);
            (
                "controls",
                id.to_string(),
                q(&b),
                q(&Some(s.to_string())),
                Edit::ControlStatus(id.clone(), old),
            )
        }
        Edit::ControlOwner(id, o) => {
            let b = set_field(tx, "controls", "owner", id.as_str(), Some(o))?;
            (
                "controls",
                id.to_string(),
                q(&b),
                q(&Some(o.clone())),
                Edit::ControlOwner(id.clone(), b.unwrap_or_default()),
            )
        }
        Edit::FindingStatus(id, s, closed) => {
            let old_closed = one(tx, "SELECT closed FROM findings WHERE id = ?1", id.as_str())?;
            let b = set_field(tx, "findings", "status", id.as_str(), Some(s.as_str()))?;
            tx.execute(
                "UPDATE findings SET closed = ?2 WHERE id = ?1",
                params![id.as_str(), closed.map(|d| d.to_string())],
            )?;
            let old = b
                .as_deref()
                .and_then(|x| x.parse().ok())
                .unwrap_or(FindingStatus::Open);
            let old_date = old_closed.and_then(|d| d.parse().ok());
            (
                "findings",
                id.to_string(),
                q(&b),
                q(&Some(s.to_string())),
                Edit::FindingStatus(id.clone(), old, old_date),
            )
        }
        Edit::TaskStatus(id, s) => {
            let b = set_field(tx, "tasks", "status", id.as_str(), Some(s.as_str()))?;
            let old = b
                .as_deref()
                .and_then(|x| x.parse().ok())
                .unwrap_or(TaskStatus::Todo);
            (
                "tasks",
                id.to_string(),
                q(&b),
                q(&Some(s.to_string())),
                Edit::TaskStatus(id.clone(), old),
            )
        }
        Edit::TaskOwner(id, o) => {
            let b = set_field(tx, "tasks", "owner", id.as_str(), Some(o))?;
            (
                "tasks",
                id.to_string(),
                q(&b),
                q(&Some(o.clone())),
                Edit::TaskOwner(id.clone(), b.unwrap_or_default()),
            )
        }
        Edit::TaskDue(id, d) => {
            let new = d.map(|x| x.to_string());
            let b = set_field(tx, "tasks", "due", id.as_str(), new.as_deref())?;
            let old = b.as_deref().and_then(|x| x.parse().ok());
            (
                "tasks",
                id.to_string(),
                q(&b),
                q(&new),
                Edit::TaskDue(id.clone(), old),
            )
        }
        Edit::AuditStatus(id, s) => {
            let b = set_field(tx, "audits", "status", id.as_str(), Some(s.as_str()))?;
            let old = b
                .as_deref()
                .and_then(|x| x.parse().ok())
                .unwrap_or(AuditStatus::Planned);
            (
                "audits",
                id.to_string(),
                q(&b),
                q(&Some(s.to_string())),
                Edit::AuditStatus(id.clone(), old),
            )
        }
        Edit::AuditDates(id, ws, we, r) => {
            let old: Option<(Option<String>, Option<String>, Option<String>)> = tx
                .query_row(
                    "SELECT window_start, window_end, report_date FROM audits WHERE id = ?1",
                    [id.as_str()],
                    |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?)),
                )
                .optional()?;
            let Some((ows, owe, orp)) = old else {
                bail!("no audit `{id}`")
            };
            let d = |v: &Option<Date>| v.map(|x| x.to_string());
            if let (Some(a), Some(b)) = (ws, we)
                && b < a
            {
                bail!("the window of {id} would end before it starts");
            }
            tx.execute(
                "UPDATE audits SET window_start = ?2, window_end = ?3, report_date = ?4 WHERE id = ?1",
                params![id.as_str(), d(ws), d(we), d(r)],
            )?;
            let p = |v: &Option<String>| v.as_deref().and_then(|x| x.parse().ok());
            let before = format!("{:?}", (ows.clone(), owe.clone(), orp.clone()));
            let after = format!("{:?}", (d(ws), d(we), d(r)));
            (
                "audits",
                id.to_string(),
                q(&Some(before)),
                q(&Some(after)),
                Edit::AuditDates(id.clone(), p(&ows), p(&owe), p(&orp)),
            )
        }
        Edit::AddNote { entity, id, text } => {
            let n: i64 = tx.query_row(
                "INSERT INTO notes (entity, entity_id, text, at, author) VALUES (?1, ?2, ?3, ?4, ?5)
                 RETURNING id",
                params![entity, id, text, now, super::changelog::actor(tx)],
                |r| r.get(0),
            )?;
            (
                "notes",
                format!("{entity}:{id}"),
                None,
                q(&Some(text.clone())),
                Edit::RemoveNote(n),
            )
        }
        Edit::RemoveNote(n) => {
            let row: Option<(String, String, String)> = tx
                .query_row(
                    "SELECT entity, entity_id, text FROM notes WHERE id = ?1",
                    [n],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((entity, id, text)) = row else {
                bail!("no note {n}")
            };
            tx.execute("DELETE FROM notes WHERE id = ?1", [n])?;
            (
                "notes",
                format!("{entity}:{id}"),
                q(&Some(text.clone())),
                None,
                Edit::AddNote { entity, id, text },
            )
        }
        Edit::AddEvidence(e) => {
            let mut w = EvidenceWriter::start(tx)?;
            if !w.append(tx, e)? {
                bail!("this evidence item is already stored");
            }
            let seq: i64 = tx.query_row("SELECT MAX(seq) FROM evidence", [], |r| r.get(0))?;
            let after = format!(
                "{{\"seq\":{seq},\"control\":{},\"result\":\"{}\",\"effective\":\"{}\",\"chain_head\":\"{}\"}}",
                serde_json::to_string(e.control.as_str())?,
                e.result,
                e.effective,
                w.head()
            );
            (
                "evidence",
                seq.to_string(),
                None,
                Some(after),
                Edit::RemoveEvidence(seq),
            )
        }
        Edit::AddTasks(t) => {
            tasks::add(tx, t)?;
            let after = serde_json::to_string(t)?;
            (
                "tasks",
                tasks::ids(t),
                None,
                Some(after),
                Edit::RemoveTasks(t.clone()),
            )
        }
        Edit::RemoveTasks(t) => {
            tasks::remove(tx, t)?;
            let before = serde_json::to_string(t)?;
            (
                "tasks",
                tasks::ids(t),
                Some(before),
                None,
                Edit::AddTasks(t.clone()),
            )
        }
        Edit::RemoveEvidence(seq) => {
            let head: Option<i64> =
                tx.query_row("SELECT MAX(seq) FROM evidence", [], |r| r.get(0))?;
            if head != Some(*seq) {
                bail!("only the newest evidence item can be removed (the chain must stay intact)");
            }
            let e: NewEvidence = tx.query_row(
                "SELECT natural_key, control_id, title, source, result, effective, collected, expires, summary, content, file_ref, content_digest
                 FROM evidence WHERE seq = ?1",
                [seq],
                |r| {
                    let file_ref: Option<String> = r.get(10)?;
                    let digest: String = r.get(11)?;
                    Ok(NewEvidence {
                        natural_key: r.get(0)?,
                        control: r.get::<_, String>(1)?.into(),
                        title: r.get(2)?,
                        source: super::load::en(&r.get::<_, String>(3)?)?,
                        result: super::load::en(&r.get::<_, String>(4)?)?,
                        effective: super::load::date(Some(r.get(5)?))?.unwrap_or_default(),
                        collected: r.get(6)?,
                        expires: super::load::date(r.get(7)?)?,
                        summary: r.get(8)?,
                        content: r.get(9)?,
                        file: file_ref.map(|f| (f, digest)),
                    })
                },
            )?;
            if let Some(covered) = super::checkpoint::covered_evidence(tx)?
                && *seq <= covered
            {
                bail!(
                    "evidence {seq} is covered by a signed checkpoint of {covered} rows and cannot be removed; add a correcting item instead"
                );
            }
            tx.execute("DELETE FROM evidence WHERE seq = ?1", [seq])?;
            let head: String = tx
                .query_row(
                    "SELECT chain_hash FROM evidence ORDER BY seq DESC LIMIT 1",
                    [],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or_else(|| super::chain::GENESIS.to_owned());
            let before = format!(
                "{{\"seq\":{seq},\"control\":{},\"chain_head\":\"{head}\"}}",
                serde_json::to_string(e.control.as_str())?
            );
            (
                "evidence",
                seq.to_string(),
                Some(before),
                None,
                Edit::AddEvidence(Box::new(e)),
            )
        }
    })
}
