//! Applying a validated model file in one transaction, with a change-log entry (before and
//! after) for every entity that changed. A dry run does the same work and rolls it back.
//! A whole import (catalogs, mapping libraries and model files together) goes through
//! [`Store::apply_batch`], which is one transaction too.

use super::Store;
use super::changelog::ChangeLog;
use super::evidence::{EvidenceWriter, NewEvidence};
use crate::domain::EvidenceSource;
use crate::domain::model_file::ModelFile;
use crate::domain::sha256_hex;
use crate::store::db::{OptionalExtension, Transaction, params};
use anyhow::Result;
use std::collections::BTreeMap;

mod batch;
mod mappings;
mod records;

pub use batch::{BatchReport, ImportBatch};

/// Added / updated / unchanged counts for one entity kind.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct EntityCounts {
    /// New rows.
    pub added: usize,
    /// Changed rows.
    pub updated: usize,
    /// Rows given again without a change.
    pub unchanged: usize,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct ApplyReport {
    /// Counts per entity kind (`controls`, `evidence`...).
    pub counts: BTreeMap<&'static str, EntityCounts>,
    /// Whether the changes were rolled back.
    pub dry_run: bool,
}

impl ApplyReport {
    /// Whether anything would change.
    pub fn changed(&self) -> bool {
        self.counts.values().any(|c| c.added + c.updated > 0)
    }
}

/// The transaction, the change log and the report, threaded through every write.
pub(crate) struct Ctx<'t> {
    pub tx: &'t Transaction<'t>,
    pub log: ChangeLog,
    pub report: ApplyReport,
    pub now: String,
    pub origin: String,
}

impl Ctx<'_> {
    /// Runs `write` for one entity, comparing its JSON before and after to count and log it.
    pub fn track(
        &mut self,
        entity: &'static str,
        id: &str,
        json_sql: &str,
        write: impl FnOnce(&Transaction<'_>) -> Result<()>,
    ) -> Result<()> {
        let read = |tx: &Transaction<'_>| -> Result<Option<String>> {
            Ok(tx.query_row(json_sql, [id], |r| r.get(0)).optional()?)
        };
        let before = read(self.tx)?;
        write(self.tx)?;
        let after = read(self.tx)?;
        let c = self.report.counts.entry(entity).or_default();
        match (&before, &after) {
            (None, _) => c.added += 1,
            (Some(b), Some(a)) if b == a => {
                c.unchanged += 1;
                return Ok(());
            }
            _ => c.updated += 1,
        }
        let action = if before.is_none() { "add" } else { "update" };
        self.log.record(
            self.tx,
            action,
            entity,
            id,
            before.as_deref(),
            after.as_deref(),
        )
    }
}

const CONTROL_JSON: &str =
    "SELECT json_object('id', id, 'title', title, 'description', description,
  'domain', domain, 'owner', owner, 'status', status, 'cadence', cadence,
  'evidence_expected', json(evidence_expected), 'note', note,
  'maps', (SELECT json_group_array(framework || ' ' || ref_id || ' ' || relationship)
           FROM (SELECT * FROM mappings m WHERE m.control_id = c.id ORDER BY framework, ref_id) sub))
  FROM controls c WHERE id = ?1";

impl Store {
    /// Applies a validated model file. `origin` names where mappings came from.
    pub fn apply(
        &mut self,
        m: &ModelFile,
        origin: &str,
        now: &str,
        dry_run: bool,
    ) -> Result<ApplyReport> {
        let tx = self
            .conn
            .transaction_with_behavior(crate::store::db::TransactionBehavior::Immediate)?;
        let mut report = apply_in(&tx, m, origin, now)?;
        report.dry_run = dry_run;
        if dry_run {
            tx.rollback()?;
        } else {
            tx.commit()?;
        }
        Ok(report)
    }
}

/// Applies a model file inside an open transaction (the caller commits).
pub(crate) fn apply_in(
    tx: &Transaction<'_>,
    m: &ModelFile,
    origin: &str,
    now: &str,
) -> Result<ApplyReport> {
    let log = ChangeLog::start(tx, now)?;
    let mut cx = Ctx {
        tx,
        log,
        report: ApplyReport::default(),
        now: now.to_owned(),
        origin: origin.to_owned(),
    };
    if let Some(org) = &m.organization {
        cx.track(
            "organization",
            "organization",
            "SELECT json_quote(value) FROM meta WHERE key = ?1",
            |tx| {
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES ('organization', ?1)
                     ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [org],
                )?;
                Ok(())
            },
        )?;
    }
    records::scope(&mut cx, m)?;
    controls(&mut cx, m)?;
    evidence(&mut cx, m)?;
    records::risks(&mut cx, m)?;
    records::findings(&mut cx, m)?;
    records::tasks(&mut cx, m)?;
    records::audits(&mut cx, m)?;
    records::vendors(&mut cx, m)?;
    records::agreements(&mut cx, m)?;
    records::agreement_evidence(&mut cx, m)?;
    mappings::overrides(&mut cx, m)?;
    Ok(std::mem::take(&mut cx.report))
}

fn controls(cx: &mut Ctx<'_>, m: &ModelFile) -> Result<()> {
    for c in &m.controls {
        let origin = cx.origin.clone();
        cx.track("controls", &c.id, CONTROL_JSON, |tx| {
            let expected = c.evidence_expected.as_ref().map(serde_json::to_string).transpose()?;
            tx.execute(
                "INSERT INTO controls (id, title, description, domain, owner, status, cadence,
                   evidence_expected, note, origin)
                 VALUES (?1, COALESCE(?2, ''), COALESCE(?3, ''), COALESCE(?4, ''), COALESCE(?5, ''),
                   COALESCE(?6, 'not_started'), COALESCE(?7, 'annual'), COALESCE(?8, '[]'),
                   COALESCE(?9, ''), ?10)
                 ON CONFLICT(id) DO UPDATE SET title = COALESCE(?2, controls.title),
                   description = COALESCE(?3, controls.description), domain = COALESCE(?4, controls.domain),
                   owner = COALESCE(?5, controls.owner), status = COALESCE(?6, controls.status),
                   cadence = COALESCE(?7, controls.cadence),
                   evidence_expected = COALESCE(?8, controls.evidence_expected), note = COALESCE(?9, controls.note)",
                params![
                    c.id,
                    c.title,
                    c.description,
                    c.domain,
                    c.owner,
                    c.status.map(|s| s.as_str()),
                    c.cadence.map(|s| s.as_str()),
                    expected,
                    c.note,
                    origin
                ],
            )?;
            for (fw, entries) in c.maps.iter().flatten() {
                tx.execute(
                    "DELETE FROM mappings WHERE control_id = ?1 AND framework = ?2",
                    params![c.id, fw],
                )?;
                let mut stmt = tx.prepare_cached(
                    "INSERT INTO mappings (control_id, framework, ref_id, relationship, rationale, source, carve_out, overrides)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                     ON CONFLICT (control_id, framework, ref_id) DO UPDATE SET
                       relationship = excluded.relationship, rationale = excluded.rationale,
                       source = excluded.source, carve_out = excluded.carve_out,
                       overrides = excluded.overrides",
                )?;
                for e in entries {
                    let carve = mappings::carve_out(e.vendor.as_deref(), e.vendor_kind);
                    stmt.execute(params![c.id, fw, e.id, e.relationship.as_str(), e.rationale, origin, carve, e.overrides])?;
                }
            }
            Ok(())
        })?;
    }
    Ok(())
}

fn evidence(cx: &mut Ctx<'_>, m: &ModelFile) -> Result<()> {
    if m.evidence.is_empty() {
        return Ok(());
    }
    let mut w = EvidenceWriter::start(cx.tx)?;
    let mut counts = super::EntityCounts::default();
    for e in &m.evidence {
        let source = e.source.unwrap_or(EvidenceSource::Manual);
        let natural_key = match &e.id {
            Some(id) => format!("id:{id}"),
            None => format!(
                "row:{}",
                sha256_hex(
                    format!(
                        "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
                        e.control,
                        e.title,
                        e.effective,
                        e.result,
                        source,
                        e.expires.map(|d| d.to_string()).unwrap_or_default()
                    )
                    .as_bytes()
                )
            ),
        };
        let item = NewEvidence {
            natural_key,
            control: e.control.as_str().into(),
            title: e.title.clone(),
            source,
            result: e.result,
            effective: e.effective,
            collected: cx.now.clone(),
            expires: e.expires,
            summary: e.summary.clone().unwrap_or_default(),
            content: None,
            file: None,
        };
        if w.append(cx.tx, &item)? {
            counts.added += 1;
        } else {
            counts.unchanged += 1;
        }
    }
    cx.report.counts.insert("evidence", counts);
    if counts.added > 0 {
        let after = format!(
            "{{\"appended\":{},\"chain_head\":\"{}\"}}",
            counts.added,
            w.head()
        );
        cx.log
            .record(cx.tx, "append", "evidence", "batch", None, Some(&after))?;
    }
    Ok(())
}
