//! Migration 0006's hook: moves an existing evidence log to chain version 2.
//!
//! It first checks the version-1 chain and records the outcome, the old and new heads and the
//! runs already extended in one change-log entry, so the upgrade cannot quietly launder an
//! earlier tampering: a broken version-1 chain stays visible in the chained log for ever.

use super::chain;
use super::changelog::ChangeLog;
use super::collected::EXTEND_ACTION;
use super::evidence::{StoredFields, evidence_link};
use crate::store::db::{Connection, Transaction, TransactionBehavior, params};
use anyhow::Result;

/// The schema version this step starts from; it leaves the database at `BEFORE + 1`.
pub(crate) const BEFORE: i64 = 5;

/// Runs migration 6 on a SQLite database at version [`BEFORE`]: the index, the re-link, and
/// the version bump, in one transaction. Does nothing at any other version.
pub(crate) fn migrate(conn: &Connection) -> Result<()> {
    let Some(c) = conn.sqlite() else {
        return Ok(());
    };
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let at: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if at != BEFORE {
        return Ok(());
    }
    tx.execute_batch(include_str!(
        "../../assets/migrations/0006_evidence_chain_v2.sql"
    ))?;
    to_v2(&tx)?;
    c.pragma_update(None, "user_version", BEFORE + 1)?;
    tx.commit()?;
    Ok(())
}

struct Row {
    seq: i64,
    text: [String; 10],
    expires: Option<String>,
    file_ref: Option<String>,
    keep_until: Option<String>,
    stored: String,
    run: (i64, Option<String>),
}

/// Re-links every evidence row with the version-2 fields.
fn to_v2(tx: &Transaction<'_>) -> Result<()> {
    let rows: Vec<Row> = tx
        .prepare(
            "SELECT seq, control_id, natural_key, title, source, result, effective, collected,
               content_digest, summary, chain_hash, expires, file_ref, keep_until, run_count,
               run_last FROM evidence ORDER BY seq",
        )?
        .query_map([], |r| {
            Ok(Row {
                seq: r.get(0)?,
                text: [
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    String::new(),
                ],
                stored: r.get(10)?,
                expires: r.get(11)?,
                file_ref: r.get(12)?,
                keep_until: r.get(13)?,
                run: (r.get(14)?, r.get(15)?),
            })
        })?
        .collect::<crate::store::db::Result<_>>()?;
    if rows.is_empty() {
        return Ok(());
    }
    let mut v1 = chain::GENESIS.to_owned();
    let mut v1_broken = None;
    let mut v2 = chain::GENESIS.to_owned();
    let mut runs = Vec::new();
    let mut update = tx.prepare("UPDATE evidence SET chain_hash = ?1 WHERE seq = ?2")?;
    for row in &rows {
        let t = &row.text;
        let seq_s = row.seq.to_string();
        let expires = row.expires.as_deref().unwrap_or("");
        let old = chain::link(
            &v1,
            &[
                &seq_s, &t[0], &t[1], &t[2], &t[3], &t[4], &t[5], &t[6], expires, &t[7],
            ],
        );
        if old != row.stored && v1_broken.is_none() {
            v1_broken = Some(row.seq);
        }
        v1.clone_from(&row.stored);
        let fields = StoredFields {
            control: &t[0],
            natural_key: &t[1],
            title: &t[2],
            source: &t[3],
            result: &t[4],
            effective: &t[5],
            collected: &t[6],
            expires: row.expires.as_deref(),
            content_digest: &t[7],
            summary: &t[8],
            file_ref: row.file_ref.as_deref(),
            keep_until: row.keep_until.as_deref().unwrap_or(""),
        };
        v2 = evidence_link(&v2, row.seq, &fields);
        update.execute(params![v2, row.seq])?;
        if row.run.0 != 1 || row.run.1.as_deref().is_some_and(|l| l != t[6]) {
            runs.push(serde_json::json!([
                row.seq,
                row.run.0,
                row.run.1.clone().unwrap_or_default()
            ]));
        }
    }
    drop(update);
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut log = ChangeLog::start(tx, &now)?;
    let after = serde_json::json!({
        "rows": rows.len(),
        "v1_chain": v1_broken.map_or_else(|| "ok".to_owned(), |s| format!("broken at seq {s}")),
        "v1_head": v1,
        "chain_head": v2,
    });
    log.record(
        tx,
        "rechain",
        "evidence",
        "v2",
        None,
        Some(&after.to_string()),
    )?;
    if !runs.is_empty() {
        let after = serde_json::json!({ "runs": runs, "as_found": "upgrade to chain v2" });
        log.record(
            tx,
            EXTEND_ACTION,
            "evidence",
            "runs",
            None,
            Some(&after.to_string()),
        )?;
    }
    Ok(())
}
