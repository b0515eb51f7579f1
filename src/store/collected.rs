//! The single writer for collected evidence: a batch of observations in one transaction.
//!
//! Invariants: an unchanged result (same source, control, day, result and content digest)
//! extends the open run's row (`run_last`, `run_count`, outside the chain); anything else
//! appends a chained row, so every change of state and every day stays provable. A source
//! that fails `fail_after` times in a row opens one `monitoring` finding; recovery adds a note
//! and never deletes it.

use super::Store;
use super::changelog::ChangeLog;
use super::evidence::{EvidenceWriter, NewEvidence};
use crate::domain::{ControlId, EvidenceResult, EvidenceSource, Observation};
use anyhow::Result;
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use std::collections::HashSet;

/// What a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ingested {
    /// Observations written.
    pub observations: usize,
    /// New chained evidence rows.
    pub appended: usize,
    /// Runs extended instead.
    pub extended: usize,
    /// Monitoring findings opened.
    pub opened: Vec<String>,
    /// Findings whose source recovered (a note was added).
    pub recovered: Vec<String>,
    /// Controls named by a source that the workspace does not hold (skipped).
    pub unknown_controls: Vec<String>,
}

fn time(at: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(at, 0).unwrap_or_default()
}

fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '-'
            }
        })
        .collect()
}

struct Batch<'a, 'b> {
    tx: &'a Transaction<'b>,
    writer: EvidenceWriter,
    log: ChangeLog,
    controls: HashSet<String>,
    out: Ingested,
}

impl Batch<'_, '_> {
    fn evidence(&mut self, o: &Observation, control: &str) -> Result<()> {
        let at = time(o.at);
        let day = at.date_naive();
        let result = if o.ok { "pass" } else { "fail" };
        let digest = super::chain::sha256_hex(o.content.as_bytes());
        let collected = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let open: Option<(i64, String, String, String)> = self
            .tx
            .prepare_cached(
                "SELECT r.seq, r.day, r.result, r.digest FROM source_runs r
                 JOIN evidence e ON e.seq = r.seq AND e.purged IS NULL
                 WHERE r.name = ?1 AND r.control_id = ?2",
            )?
            .query_row(params![o.source, control], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        if let Some((seq, d, r, g)) = &open
            && *d == day.to_string()
            && r == result
            && *g == digest
        {
            self.tx
                .prepare_cached(
                    "UPDATE evidence SET run_last = ?1, run_count = run_count + 1 WHERE seq = ?2",
                )?
                .execute(params![collected, seq])?;
            self.out.extended += 1;
            return Ok(());
        }
        let e = NewEvidence {
            natural_key: format!("collect:{}:{control}:{collected}", o.source),
            control: ControlId(control.to_owned()),
            title: format!("{} {}", o.kind, o.source),
            source: o.kind.parse().unwrap_or(EvidenceSource::Http),
            result: if o.ok {
                EvidenceResult::Pass
            } else {
                EvidenceResult::Fail
            },
            effective: day,
            collected: collected.clone(),
            expires: None,
            summary: o.summary.clone(),
            content: Some(o.content.clone()),
            file: None,
        };
        if self.writer.append(self.tx, &e)? {
            self.tx
                .prepare_cached(
                    "INSERT INTO source_runs (name, control_id, seq, day, result, digest)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (name, control_id) DO UPDATE SET seq = excluded.seq,
                       day = excluded.day, result = excluded.result, digest = excluded.digest",
                )?
                .execute(params![
                    o.source,
                    control,
                    self.writer.last_seq(),
                    day.to_string(),
                    result,
                    digest
                ])?;
            self.tx
                .prepare_cached("UPDATE evidence SET run_last = ?1 WHERE seq = ?2")?
                .execute(params![collected, self.writer.last_seq()])?;
            self.out.appended += 1;
        }
        Ok(())
    }

    fn gateway(&mut self, o: &Observation) -> Result<()> {
        let Some(g) = &o.gateway else { return Ok(()) };
        let last: Option<(i64, i64, String)> = self
            .tx
            .prepare_cached(
                "SELECT first_at, last_at, state FROM gateway_runs WHERE gateway = ?1
                 ORDER BY first_at DESC LIMIT 1",
            )?
            .query_row([&o.source], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let stale = (3 * o.interval_s as i64).max(60);
        let lat = o.latency_ms as i64;
        if let Some((first, last_at, state)) = last
            && state == g.state.as_str()
            && first / 3600 == o.at / 3600
            && o.at >= last_at
            && o.at - last_at <= stale
        {
            self.tx
                .prepare_cached(
                    "UPDATE gateway_runs SET last_at = ?1, n = n + 1, latency_sum = latency_sum + ?2,
                       latency_max = max(latency_max, ?2), version = coalesce(?3, version)
                     WHERE gateway = ?4 AND first_at = ?5",
                )?
                .execute(params![o.at, lat, g.version, o.source, first])?;
        } else {
            self.tx
                .prepare_cached(
                    "INSERT INTO gateway_runs (gateway, state, first_at, last_at, n, latency_sum,
                       latency_max, version) VALUES (?1, ?2, ?3, ?3, 1, ?4, ?4, ?5)
                     ON CONFLICT (gateway, first_at) DO UPDATE SET state = excluded.state,
                       n = n + 1, latency_sum = latency_sum + excluded.latency_sum",
                )?
                .execute(params![o.source, g.state.as_str(), o.at, lat, g.version])?;
        }
        Ok(())
    }

    fn state(&mut self, o: &Observation) -> Result<()> {
        let prior: Option<(i64, Option<String>)> = self
            .tx
            .prepare_cached(
                "SELECT consecutive_failures, finding_id FROM source_state WHERE name = ?1",
            )?
            .query_row([&o.source], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let (prior_streak, finding) = prior.unwrap_or((0, None));
        let streak = if o.ok { 0 } else { prior_streak + 1 };
        let finding_open = match &finding {
            Some(id) => self
                .tx
                .query_row("SELECT status FROM findings WHERE id = ?1", [id], |r| {
                    r.get::<_, String>(0)
                })
                .optional()?
                .is_some_and(|s| s != "closed"),
            None => false,
        };
        let mut finding_id = finding.clone();
        let now = time(o.at);
        if !o.ok && streak >= i64::from(o.fail_after) && !finding_open {
            let id = self.open_finding(o, streak, now)?;
            finding_id = Some(id);
        } else if o.ok && finding_open && prior_streak > 0 {
            let id = finding.clone().unwrap_or_default();
            let text = format!(
                "Source `{}` recovered at {} after {} consecutive failure(s): {}",
                o.source,
                now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                prior_streak,
                o.summary
            );
            self.tx.execute(
                "INSERT INTO notes (entity, entity_id, text, at, author) VALUES ('finding', ?1, ?2, ?3, 'certready')",
                params![id, text, now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)],
            )?;
            self.log
                .record(self.tx, "note", "finding", &id, None, Some(&text))?;
            self.out.recovered.push(id);
        }
        self.tx
            .prepare_cached(
                "INSERT INTO source_state (name, kind, controls, last_at, last_ok, last_summary,
                   latency_ms, interval_s, consecutive_failures, checks, failures, finding_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?11)
                 ON CONFLICT (name) DO UPDATE SET kind = excluded.kind,
                   controls = excluded.controls, last_at = excluded.last_at,
                   last_ok = excluded.last_ok, last_summary = excluded.last_summary,
                   latency_ms = excluded.latency_ms, interval_s = excluded.interval_s,
                   consecutive_failures = excluded.consecutive_failures,
                   checks = checks + 1, failures = failures + excluded.failures,
                   finding_id = excluded.finding_id",
            )?
            .execute(params![
                o.source,
                o.kind,
                serde_json::to_string(&o.controls)?,
                o.at,
                o.ok,
                o.summary,
                o.latency_ms as i64,
                o.interval_s as i64,
                streak,
                i64::from(!o.ok),
                finding_id
            ])?;
        Ok(())
    }

    fn open_finding(&mut self, o: &Observation, streak: i64, now: DateTime<Utc>) -> Result<String> {
        let base = format!("MON-{}", slug(&o.source));
        let mut id = base.clone();
        let mut n = 1;
        while self
            .tx
            .query_row("SELECT 1 FROM findings WHERE id = ?1", [&id], |_| Ok(()))
            .optional()?
            .is_some()
        {
            n += 1;
            id = format!("{base}-{n}");
        }
        let control = o.controls.iter().find(|c| self.controls.contains(*c));
        let severity = if o.kind == "gateway" {
            "high"
        } else {
            "medium"
        };
        let title = format!("Evidence source `{}` failing", o.source);
        let description = format!(
            "{streak} consecutive failed checks since monitoring began failing; last: {}",
            o.summary
        );
        let today = now.date_naive();
        self.tx.execute(
            "INSERT INTO findings (id, title, description, source, severity, status, control_id, opened, due)
             VALUES (?1, ?2, ?3, 'monitoring', ?4, 'open', ?5, ?6, ?7)",
            params![
                id,
                title,
                description,
                severity,
                control,
                today.to_string(),
                (today + chrono::Days::new(14)).to_string()
            ],
        )?;
        let after = serde_json::json!({"title": title, "source": "monitoring", "severity": severity, "control": control}).to_string();
        self.log
            .record(self.tx, "insert", "finding", &id, None, Some(&after))?;
        self.out.opened.push(id.clone());
        Ok(id)
    }
}

impl Store {
    /// Writes a batch of observations in one transaction (the single writer's job).
    pub fn ingest(&mut self, batch: &[Observation]) -> Result<Ingested> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let controls: HashSet<String> = tx
            .prepare("SELECT id FROM controls")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mut b = Batch {
            writer: EvidenceWriter::start(&tx)?,
            log: ChangeLog::start(&tx, &now)?,
            tx: &tx,
            controls,
            out: Ingested::default(),
        };
        for o in batch {
            for c in &o.controls {
                if b.controls.contains(c) {
                    b.evidence(o, c)?;
                } else if !b.out.unknown_controls.contains(c) {
                    b.out.unknown_controls.push(c.clone());
                }
            }
            b.gateway(o)?;
            b.state(o)?;
            b.out.observations += 1;
        }
        if b.out.appended > 0 {
            let after = format!(
                "{{\"appended\":{},\"chain_head\":\"{}\",\"by\":\"collectors\"}}",
                b.out.appended,
                b.writer.head()
            );
            b.log
                .record(&tx, "append", "evidence", "collected", None, Some(&after))?;
        }
        let out = b.out;
        tx.commit()?;
        Ok(out)
    }
}
