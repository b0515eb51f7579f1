//! Moving a workspace to a new edition of a framework: mappings (and scope exclusions) follow
//! renamed and swapped requirements, the new edition is installed, and requirements the new
//! edition dropped are retired: kept for history, no longer assessed, and marked with the
//! edition that dropped them. All in one transaction, every change logged with the edition.
//!
//! Invariants: applying no change to the installed edition writes nothing; a retired
//! requirement is left out of the installed edition a diff compares with
//! ([`Store::retired_requirements`]), so it is never "removed" twice, and it is brought back
//! (not retired) when an edition lists its id again.

use super::Store;
use super::catalogs::install_catalogs_in;
use super::changelog::ChangeLog;
use crate::domain::CatalogChange as Change;
use crate::domain::Framework;
use crate::store::db::{Transaction, params};
use anyhow::Result;
use serde_json::json;

/// Tables whose rows name a requirement and follow it when it is renamed or swapped.
const FOLLOWERS: &[&str] = &["mappings", "scope_exclusions"];

/// Moves the rows of `table` from each `src` id to its `dst` id (all at once, so swaps and
/// chains work); a row whose new key is already taken is dropped. Returns rows moved.
fn move_rows(tx: &Transaction<'_>, table: &str, key: &str) -> Result<usize> {
    tx.execute_batch(&format!(
        "DROP TABLE IF EXISTS temp.cat_moved;
         CREATE TEMP TABLE cat_moved AS SELECT * FROM main.{table} WHERE 1 = 0;"
    ))?;
    tx.execute(
        &format!(
            "INSERT INTO temp.cat_moved SELECT * FROM main.{table}
             WHERE framework = ?1 AND ref_id IN (SELECT src FROM temp.cat_moves)"
        ),
        [key],
    )?;
    tx.execute(
        &format!(
            "DELETE FROM main.{table}
             WHERE framework = ?1 AND ref_id IN (SELECT src FROM temp.cat_moves)"
        ),
        [key],
    )?;
    tx.execute(
        "UPDATE temp.cat_moved SET ref_id = (SELECT dst FROM temp.cat_moves WHERE src = cat_moved.ref_id)",
        [],
    )?;
    let n = tx.execute(
        &format!("INSERT OR IGNORE INTO main.{table} SELECT * FROM temp.cat_moved"),
        [],
    )?;
    tx.execute_batch("DROP TABLE temp.cat_moved;")?;
    Ok(n)
}

/// Every (from, to) move of a requirement's content the changes make.
fn moves(changes: &[Change]) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    for c in changes {
        match c {
            Change::Renamed { from, to, .. } => out.push((from.as_str(), to.as_str())),
            Change::Swapped { a, b, .. } => {
                out.push((a.as_str(), b.as_str()));
                out.push((b.as_str(), a.as_str()));
            }
            _ => {}
        }
    }
    out
}

/// The change-log action, requirement id, before and after of one change.
fn log_entry(
    c: &Change,
    edition: &str,
) -> (&'static str, String, serde_json::Value, serde_json::Value) {
    match c {
        Change::Added { id, title } => (
            "added",
            id.clone(),
            json!(null),
            json!({"id": id, "title": title, "edition": edition}),
        ),
        Change::Removed {
            id,
            title,
            controls,
        } => (
            "retired",
            id.clone(),
            json!({"id": id, "title": title}),
            json!({"edition": edition, "orphaned_controls": controls}),
        ),
        Change::Renamed {
            from, to, controls, ..
        } => (
            "renamed",
            from.clone(),
            json!({"id": from}),
            json!({"id": to, "controls_moved": controls, "edition": edition}),
        ),
        Change::Swapped {
            a,
            b,
            controls_a,
            controls_b,
        } => (
            "swapped",
            format!("{a}<->{b}"),
            json!({a: controls_a, b: controls_b}),
            json!({a: controls_b, b: controls_a, "edition": edition}),
        ),
        Change::Retitled { id, from, to, .. } => (
            "retitled",
            id.clone(),
            json!({"title": from}),
            json!({"title": to, "edition": edition}),
        ),
        Change::Described { id, from, to, .. } => (
            "description_changed",
            id.clone(),
            json!({"description": from}),
            json!({"description": to, "edition": edition}),
        ),
        Change::Assessable { id, from, to, .. } => (
            "assessable_changed",
            id.clone(),
            json!({"assessable": from}),
            json!({"assessable": to, "edition": edition}),
        ),
        Change::Moved { id, from, to, .. } => (
            "moved",
            id.clone(),
            json!({"place": from}),
            json!({"place": to, "edition": edition}),
        ),
    }
}

impl Store {
    /// The ids of `framework`'s requirements that an applied edition retired.
    pub fn retired_requirements(&self, framework: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT ref_id FROM requirements WHERE framework = ?1 AND retired IS NOT NULL ORDER BY ord",
        )?;
        let rows = stmt.query_map([framework], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<crate::store::db::Result<_>>()?)
    }

    /// Applies a reviewed diff: `changes` from the installed edition to `new`. Returns how
    /// many change-log entries it wrote (0 when there was nothing to apply).
    pub fn apply_catalog_change(
        &mut self,
        new: &Framework,
        changes: &[Change],
        now: &str,
    ) -> Result<usize> {
        let key = new.key.as_str();
        let org = self.meta("organization")?.unwrap_or_default();
        let tx = self
            .conn
            .transaction_with_behavior(crate::store::db::TransactionBehavior::Immediate)?;
        let was: Option<String> = tx
            .query_row(
                "SELECT version FROM frameworks WHERE key = ?1",
                [key],
                |r| r.get(0),
            )
            .ok();
        if changes.is_empty() && was.as_deref() == Some(new.version.as_str()) {
            return Ok(0);
        }
        install_catalogs_in(&tx, &org, std::slice::from_ref(new), now)?;
        for r in &new.requirements {
            tx.execute(
                "UPDATE requirements SET retired = NULL WHERE framework = ?1 AND ref_id = ?2 AND retired IS NOT NULL",
                params![key, r.ref_id.as_str()],
            )?;
        }
        let moves = moves(changes);
        if !moves.is_empty() {
            tx.execute_batch(
                "DROP TABLE IF EXISTS temp.cat_moves;
                 CREATE TEMP TABLE cat_moves (src TEXT PRIMARY KEY, dst TEXT NOT NULL);",
            )?;
            for (src, dst) in &moves {
                tx.execute(
                    "INSERT INTO temp.cat_moves (src, dst) VALUES (?1, ?2)\n                     ON CONFLICT (src) DO UPDATE SET dst = excluded.dst",
                    params![src, dst],
                )?;
            }
            for table in FOLLOWERS {
                move_rows(&tx, table, key)?;
            }
            tx.execute_batch("DROP TABLE temp.cat_moves;")?;
        }
        let edition = new.version.as_str();
        for c in changes {
            let (gone, note) = match c {
                Change::Removed { id, .. } => (id, format!("not in {edition} (kept for history)")),
                Change::Renamed { from, to, .. } => (
                    from,
                    format!("renamed to {to} in {edition} (kept for history)"),
                ),
                _ => continue,
            };
            tx.execute(
                "UPDATE requirements SET assessable = 0, retired = ?3, note = ?4
                 WHERE framework = ?1 AND ref_id = ?2",
                params![key, gone, edition, note],
            )?;
        }
        let mut log = ChangeLog::start(&tx, now)?;
        let mut written = 0;
        if was.as_deref() != Some(edition) {
            log.record(
                &tx,
                "edition",
                "framework",
                key,
                Some(&json!({"version": was}).to_string()),
                Some(&json!({"version": edition, "changes": changes.len()}).to_string()),
            )?;
            written += 1;
        }
        for c in changes {
            let (action, id, before, after) = log_entry(c, edition);
            let before = (!before.is_null()).then(|| before.to_string());
            log.record(
                &tx,
                action,
                "requirements",
                &format!("{key}:{id}"),
                before.as_deref(),
                Some(&after.to_string()),
            )?;
            written += 1;
        }
        tx.commit()?;
        Ok(written)
    }
}
