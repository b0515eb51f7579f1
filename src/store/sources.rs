//! Reading what the collectors wrote (the Sources view, the gateway panel) and purging
//! evidence content past its keep-until date.
//!
//! Invariants: purge clears `content` only where `keep_until` is before the date given and the
//! framework rule (recomputed here) agrees; the digest and the chain link stay, so `verify`
//! still passes; nothing is deleted earlier.

use super::Store;
use super::changelog::ChangeLog;
use super::evidence::Retention;
use crate::domain::{Date, GatewayRun, GatewayState};
use crate::store::db::params;
use anyhow::{Result, bail};

/// One configured source as the collectors last saw it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SourceRow {
    /// Name.
    pub name: String,
    /// Kind (evidence source).
    pub kind: String,
    /// Controls evidenced.
    pub controls: Vec<String>,
    /// Last check, seconds since the epoch.
    pub last_at: Option<i64>,
    /// Whether the last check passed.
    pub last_ok: Option<bool>,
    /// The last check's summary.
    pub last_summary: String,
    /// The last check's latency.
    pub latency_ms: Option<i64>,
    /// Poll interval, seconds.
    pub interval_s: i64,
    /// Failures in a row.
    pub consecutive_failures: i64,
    /// Checks so far.
    pub checks: i64,
    /// Failed checks so far.
    pub failures: i64,
    /// The monitoring finding opened for it, if any.
    pub finding_id: Option<String>,
}

/// What a purge did (or would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct PurgeReport {
    /// Rows whose content was cleared.
    pub rows: usize,
    /// Attached files removed.
    pub files: Vec<String>,
    /// Rows past keep-until that a stricter framework rule kept.
    pub kept_by_rule: usize,
}

impl Store {
    /// Every source the collectors have written, by name.
    pub fn sources(&self) -> Result<Vec<SourceRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT name, kind, controls, last_at, last_ok, last_summary, latency_ms, interval_s,
               consecutive_failures, checks, failures, finding_id FROM source_state ORDER BY name",
        )?;
        let rows = stmt
            .query_map([], |r| {
                let controls: String = r.get(2)?;
                Ok(SourceRow {
                    name: r.get(0)?,
                    kind: r.get(1)?,
                    controls: serde_json::from_str(&controls).unwrap_or_default(),
                    last_at: r.get(3)?,
                    last_ok: r.get(4)?,
                    last_summary: r.get(5)?,
                    latency_ms: r.get(6)?,
                    interval_s: r.get(7)?,
                    consecutive_failures: r.get(8)?,
                    checks: r.get(9)?,
                    failures: r.get(10)?,
                    finding_id: r.get(11)?,
                })
            })?
            .collect::<crate::store::db::Result<_>>()?;
        Ok(rows)
    }

    /// Gateway runs overlapping `[since, ∞)`, oldest first.
    pub fn gateway_runs(&self, since: i64) -> Result<Vec<GatewayRun>> {
        let mut stmt = self.conn.prepare(
            "SELECT gateway, state, first_at, last_at, n, latency_sum, latency_max, version
             FROM gateway_runs WHERE last_at >= ?1 ORDER BY gateway, first_at",
        )?;
        let rows = stmt
            .query_map([since], |r| {
                let state: String = r.get(1)?;
                Ok(GatewayRun {
                    gateway: r.get(0)?,
                    state: GatewayState::parse(&state).unwrap_or(GatewayState::Down),
                    first_at: r.get(2)?,
                    last_at: r.get(3)?,
                    n: r.get(4)?,
                    latency_sum: r.get(5)?,
                    latency_max: r.get(6)?,
                    version: r.get(7)?,
                })
            })?
            .collect::<crate::store::db::Result<_>>()?;
        Ok(rows)
    }

    /// Writes a gateway's history as runs and its source row (the demo's 30 days of checks).
    pub fn seed_gateway(
        &mut self,
        runs: &[GatewayRun],
        interval_s: i64,
        summary: &str,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(crate::store::db::TransactionBehavior::Immediate)?;
        {
            let mut ins = tx.prepare(
                "INSERT INTO gateway_runs (gateway, state, first_at, last_at, n,
                   latency_sum, latency_max, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (gateway, first_at) DO UPDATE SET state = excluded.state,
                   last_at = excluded.last_at, n = excluded.n, latency_sum = excluded.latency_sum,
                   latency_max = excluded.latency_max, version = excluded.version",
            )?;
            for r in runs {
                ins.execute(params![
                    r.gateway,
                    r.state.as_str(),
                    r.first_at,
                    r.last_at,
                    r.n,
                    r.latency_sum,
                    r.latency_max,
                    r.version
                ])?;
            }
            if let Some(last) = runs.last() {
                let checks: i64 = runs.iter().map(|r| r.n).sum();
                let failures: i64 = runs
                    .iter()
                    .filter(|r| r.state == GatewayState::Down)
                    .map(|r| r.n)
                    .sum();
                tx.execute(
                    "INSERT INTO source_state (name, kind, controls, last_at, last_ok,
                       last_summary, latency_ms, interval_s, consecutive_failures, checks, failures)
                     VALUES (?1, 'gateway', '[\"GW-AVAIL-01\"]', ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8)
                     ON CONFLICT (name) DO UPDATE SET kind = excluded.kind,
                       controls = excluded.controls, last_at = excluded.last_at,
                       last_ok = excluded.last_ok, last_summary = excluded.last_summary,
                       latency_ms = excluded.latency_ms, interval_s = excluded.interval_s,
                       consecutive_failures = excluded.consecutive_failures,
                       checks = excluded.checks, failures = excluded.failures",
                    params![
                        last.gateway,
                        last.last_at,
                        last.state != GatewayState::Down,
                        summary,
                        last.latency_sum / last.n.max(1),
                        interval_s,
                        checks,
                        failures
                    ],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The newest gateway check, seconds since the epoch.
    pub fn gateway_last_at(&self) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row("SELECT max(last_at) FROM gateway_runs", [], |r| r.get(0))?)
    }

    /// Clears the content of evidence kept past `as_of`; with `dry_run` only counts. Returns
    /// the attached files (workspace-relative) that the caller should now delete.
    pub fn purge_evidence(&mut self, as_of: Date, dry_run: bool, now: &str) -> Result<PurgeReport> {
        let tx = self
            .conn
            .transaction_with_behavior(crate::store::db::TransactionBehavior::Immediate)?;
        let mut retention = Retention::start(&tx)?;
        let due: Vec<(i64, String, String, Option<String>)> = tx
            .prepare(
                "SELECT seq, control_id, effective, file_ref FROM evidence
                 WHERE purged IS NULL AND keep_until < ?1
                   AND (content IS NOT NULL OR file_ref IS NOT NULL)",
            )?
            .query_map([as_of.to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<crate::store::db::Result<_>>()?;
        // A reference outside the evidence folder stops the purge before anything changes.
        for (seq, _, _, file) in &due {
            if let Some(Err(e)) = file.as_deref().map(super::files::check_ref) {
                bail!("evidence seq {seq} has {e}; nothing was purged (run `certready verify`)");
            }
        }
        let mut report = PurgeReport::default();
        let mut purged = Vec::new();
        for (seq, control, effective, file) in due {
            let Ok(eff) = effective.parse::<Date>() else {
                continue;
            };
            if retention.keep_until(&tx, &control, eff)? >= as_of {
                report.kept_by_rule += 1;
                continue;
            }
            if !dry_run {
                tx.execute(
                    "UPDATE evidence SET content = NULL, purged = ?1 WHERE seq = ?2",
                    params![as_of.to_string(), seq],
                )?;
            }
            report.rows += 1;
            purged.push(seq);
            report.files.extend(file);
        }
        let mut still =
            tx.prepare("SELECT 1 FROM evidence WHERE file_ref = ?1 AND purged IS NULL")?;
        let mut files = std::mem::take(&mut report.files);
        files.sort();
        files.dedup();
        for f in files {
            if dry_run || !still.exists([&f])? {
                report.files.push(f);
            }
        }
        drop(still);
        if !dry_run && report.rows > 0 {
            let mut log = ChangeLog::start(&tx, now)?;
            // The rows are listed so `verify` can tell a purge from content deleted by hand.
            let after = serde_json::json!({
                "purged": report.rows,
                "as_of": as_of.to_string(),
                "files": report.files.len(),
                "seqs": purged,
            })
            .to_string();
            log.record(&tx, "purge", "evidence", "content", None, Some(&after))?;
        }
        if dry_run {
            tx.rollback()?;
        } else {
            tx.commit()?;
        }
        Ok(report)
    }
}
