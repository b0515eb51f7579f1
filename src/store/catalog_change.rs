//! Moving a workspace to a new edition of a framework: mappings follow renamed requirements,
//! the new edition is installed, and requirements the new edition dropped are kept (for
//! history) but no longer assessed, all in one transaction and logged.

use super::Store;
use super::changelog::ChangeLog;
use crate::domain::CatalogChange as Change;
use crate::domain::Framework;
use anyhow::Result;
use rusqlite::params;

impl Store {
    /// Applies a reviewed diff: `changes` from the installed edition to `new`.
    pub fn apply_catalog_change(
        &mut self,
        new: &Framework,
        changes: &[Change],
        now: &str,
    ) -> Result<()> {
        let key = new.key.as_str().to_owned();
        let org = self.meta("organization")?.unwrap_or_default();
        {
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let mut log = ChangeLog::start(&tx, now)?;
            for c in changes {
                if let Change::Renamed { from, to, .. } = c {
                    // The new id must exist before mappings point at it.
                    let r = new.requirements.iter().find(|r| r.ref_id.as_str() == to);
                    if let Some(r) = r {
                        tx.execute(
                            "INSERT OR IGNORE INTO requirements (framework, ref_id, title, description, group_id, parent, assessable, hipaa, note, left_to_org, ord)
                             VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, NULL, NULL, NULL, 0)",
                            params![key, to, r.title, r.description, r.group, r.assessable],
                        )?;
                    }
                    tx.execute(
                        "INSERT INTO framework_groups (framework, id, title, ord) SELECT ?1, ?2, ?2, 999
                         WHERE NOT EXISTS (SELECT 1 FROM framework_groups WHERE framework = ?1 AND id = ?2)",
                        params![key, r.map_or("", |r| r.group.as_str())],
                    )?;
                    let n = tx.execute("UPDATE OR IGNORE mappings SET ref_id = ?3 WHERE framework = ?1 AND ref_id = ?2", params![key, from, to])?;
                    tx.execute(
                        "DELETE FROM mappings WHERE framework = ?1 AND ref_id = ?2",
                        params![key, from],
                    )?;
                    tx.execute(
                        "UPDATE requirements SET assessable = 0, note = ?3 WHERE framework = ?1 AND ref_id = ?2",
                        params![key, from, format!("renamed to {to} in {} (kept for history)", new.version)],
                    )?;
                    log.record(
                        &tx,
                        "rename",
                        "requirements",
                        &format!("{key}:{from}"),
                        Some(&format!("{{\"id\":\"{from}\"}}")),
                        Some(&format!("{{\"id\":\"{to}\",\"mappings_moved\":{n}}}")),
                    )?;
                }
                if let Change::Removed { id, .. } = c {
                    tx.execute(
                        "UPDATE requirements SET assessable = 0, note = ?3 WHERE framework = ?1 AND ref_id = ?2",
                        params![key, id, format!("not in {} (kept for history)", new.version)],
                    )?;
                    log.record(
                        &tx,
                        "retire",
                        "requirements",
                        &format!("{key}:{id}"),
                        None,
                        Some(&format!(
                            "{{\"edition\":{}}}",
                            serde_json::to_string(&new.version)?
                        )),
                    )?;
                }
            }
            tx.commit()?;
        }
        self.install_catalogs(&org, std::slice::from_ref(new), now)
    }
}
