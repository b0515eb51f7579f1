//! The derived checks of `verify`: the evidence head the change log recorded last, the
//! `evidence_facts` table scoring reads (recomputed from the evidence rows), and every attached
//! file rehashed through the confined path rules.

use super::super::files;
use super::changes::ChangePass;
use super::evidence::EvidencePass;
use anyhow::Result;
use rusqlite::Connection;
use std::path::Path;

pub(crate) fn check(
    conn: &Connection,
    ev: &EvidencePass,
    log: &ChangePass,
    ws_dir: Option<&Path>,
    files_checked: &mut u64,
) -> Result<Option<String>> {
    if let Some((seq, head)) = &log.head
        && *head != ev.head
    {
        return Ok(Some(format!(
            "the evidence log ends at {} but change_log seq {seq} recorded head {}: rows were removed or added outside certready",
            short(&ev.head),
            short(head)
        )));
    }
    if let Some(d) = facts(conn)? {
        return Ok(Some(d));
    }
    if let Some(dir) = ws_dir {
        for (seq, r, digest) in &ev.files {
            let bytes = match files::read(dir, r) {
                Ok(b) => b,
                Err(e) => return Ok(Some(format!("evidence seq {seq}: {e}"))),
            };
            *files_checked += 1;
            if super::super::chain::sha256_hex(&bytes) != *digest {
                return Ok(Some(format!(
                    "evidence seq {seq}: attached file {r} does not match its recorded SHA-256"
                )));
            }
        }
    }
    Ok(None)
}

fn short(h: &str) -> &str {
    h.get(..16).unwrap_or(h)
}

/// The first row of `evidence_facts` that differs from a recomputation over `evidence`.
fn facts(conn: &Connection) -> Result<Option<String>> {
    const DERIVED: &str = "SELECT control_id,
           CAST(julianday(effective) - 2440587.5 AS INTEGER) AS effective,
           COALESCE(CAST(julianday(expires) - 2440587.5 AS INTEGER), -1) AS expires,
           CASE result WHEN 'pass' THEN 0 WHEN 'fail' THEN 1 ELSE 2 END AS result,
           COUNT(*) AS n
         FROM evidence GROUP BY 1, 2, 3, 4";
    let sql = format!(
        "SELECT 'stored', * FROM (SELECT control_id, effective, expires, result, n FROM evidence_facts
                                  EXCEPT {DERIVED})
         UNION ALL
         SELECT 'derived', * FROM ({DERIVED} EXCEPT
                                   SELECT control_id, effective, expires, result, n FROM evidence_facts)
         LIMIT 1"
    );
    let diff: Option<(String, String, i64, i64)> = conn
        .query_row(&sql, [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(5)?))
        })
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?;
    Ok(diff.map(|(side, control, day, n)| {
        let date = chrono::DateTime::from_timestamp(day * 86_400, 0)
            .map_or_else(|| day.to_string(), |d| d.date_naive().to_string());
        if side == "stored" {
            format!(
                "evidence_facts differs from the evidence: control {control} on {date} holds n={n}, which the evidence rows do not give"
            )
        } else {
            format!(
                "evidence_facts differs from the evidence: control {control} on {date} should hold n={n}"
            )
        }
    }))
}
