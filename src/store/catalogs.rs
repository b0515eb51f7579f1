//! Installing framework catalogs and the initial workspace metadata.

use super::Store;
use super::changelog::ChangeLog;
use crate::domain::Framework;
use crate::store::db::{Transaction, params};
use anyhow::Result;

impl Store {
    /// Installs (or refreshes) catalogs, the default scope and the organisation name, in one
    /// transaction. Frameworks already installed keep their scope.
    pub fn install_catalogs(
        &mut self,
        organization: &str,
        frameworks: &[Framework],
        now: &str,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(crate::store::db::TransactionBehavior::Immediate)?;
        install_catalogs_in(&tx, organization, frameworks, now)?;
        tx.commit()?;
        Ok(())
    }
}

/// Installs catalogs inside an open transaction (the caller commits); see
/// [`Store::install_catalogs`].
pub(crate) fn install_catalogs_in(
    tx: &Transaction<'_>,
    organization: &str,
    frameworks: &[Framework],
    now: &str,
) -> Result<()> {
    let mut log = ChangeLog::start(tx, now)?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('organization', ?1)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [organization],
    )?;
    tx.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('created', ?1)",
        [now],
    )?;
    for (i, fw) in frameworks.iter().enumerate() {
        let existed: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM frameworks WHERE key = ?1)",
            [fw.key.as_str()],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO frameworks (key, name, version, source, notes, ord)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(key) DO UPDATE SET name = excluded.name, version = excluded.version,
                   source = excluded.source, notes = excluded.notes, ord = excluded.ord",
            params![
                fw.key.as_str(),
                fw.name,
                fw.version,
                fw.source,
                serde_json::to_string(&fw.notes)?,
                i as i64
            ],
        )?;
        for (j, g) in fw.groups.iter().enumerate() {
            tx.execute(
                    "INSERT INTO framework_groups (framework, id, title, ord) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(framework, id) DO UPDATE SET title = excluded.title, ord = excluded.ord",
                    params![fw.key.as_str(), g.id, g.title, j as i64],
                )?;
        }
        let mut stmt = tx.prepare_cached(
            "INSERT INTO requirements (framework, ref_id, title, description, group_id, parent,
                   assessable, hipaa, note, left_to_org, ord, usually_na)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                 ON CONFLICT(framework, ref_id) DO UPDATE SET title = excluded.title,
                   description = excluded.description, group_id = excluded.group_id,
                   parent = excluded.parent, assessable = excluded.assessable,
                   hipaa = excluded.hipaa, note = excluded.note,
                   left_to_org = excluded.left_to_org, ord = excluded.ord,
                   usually_na = excluded.usually_na",
        )?;
        for (j, r) in fw.requirements.iter().enumerate() {
            stmt.execute(params![
                fw.key.as_str(),
                r.ref_id.as_str(),
                r.title,
                r.description,
                r.group,
                r.parent.as_ref().map(|p| p.as_str().to_owned()),
                r.assessable,
                r.hipaa.map(|h| h.as_str()),
                r.note,
                r.left_to_org,
                j as i64,
                r.usually_na
            ])?;
        }
        if !existed {
            let categories = if fw.key.as_str() == "soc2" {
                r#"["security","availability","confidentiality"]"#
            } else {
                "[]"
            };
            tx.execute(
                "INSERT OR IGNORE INTO scope (framework, categories) VALUES (?1, ?2)",
                params![fw.key.as_str(), categories],
            )?;
            let after = format!(
                "{{\"version\":{},\"requirements\":{}}}",
                serde_json::to_string(&fw.version)?,
                fw.requirements.len()
            );
            log.record(
                tx,
                "install",
                "framework",
                fw.key.as_str(),
                None,
                Some(&after),
            )?;
        }
    }
    Ok(())
}

impl Store {
    /// Adds mappings that do not exist yet (one transaction, one change-log entry); returns
    /// how many were added.
    pub fn add_mappings(
        &mut self,
        mappings: &[crate::domain::Mapping],
        origin: &str,
        now: &str,
    ) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(crate::store::db::TransactionBehavior::Immediate)?;
        let added = add_mappings_in(&tx, mappings, origin, now)?;
        tx.commit()?;
        Ok(added)
    }
}

/// Adds mappings inside an open transaction (the caller commits); see [`Store::add_mappings`].
pub(crate) fn add_mappings_in(
    tx: &Transaction<'_>,
    mappings: &[crate::domain::Mapping],
    origin: &str,
    now: &str,
) -> Result<usize> {
    let mut added = 0;
    for m in mappings {
        added += tx.execute(
                "INSERT OR IGNORE INTO mappings (control_id, framework, ref_id, relationship, rationale, source, carve_out)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![m.control.as_str(), m.framework.as_str(), m.requirement.as_str(), m.relationship.as_str(), m.rationale, origin, m.carve_out.as_ref().map(crate::domain::CarveOut::to_stored)],
            )?;
    }
    if added > 0 {
        let mut log = ChangeLog::start(tx, now)?;
        log.record(
            tx,
            "add",
            "mappings",
            origin,
            None,
            Some(&format!("{{\"added\":{added}}}")),
        )?;
    }
    Ok(added)
}
