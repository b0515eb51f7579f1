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
use std::collections::{HashMap, HashSet};

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
    /// The evidence chain's last sequence number after the batch.
    pub head_seq: i64,
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

/// The open run of one source and control, as this batch leaves it.
struct Run {
    seq: i64,
    day: String,
    result: &'static str,
    digest: String,
    /// Checks this batch added to the run, and the last one's time.
    added: i64,
    last: String,
    /// Whether `source_runs` must point at `seq`.
    moved: bool,
}

/// One source's standing, as this batch leaves it.
struct SourceAcc {
    streak: i64,
    finding: Option<String>,
    finding_open: bool,
    checks: i64,
    failures: i64,
    last: Option<Observation>,
}

struct Batch<'a, 'b> {
    tx: &'a Transaction<'b>,
    writer: EvidenceWriter,
    log: ChangeLog,
    controls: HashSet<String>,
    runs: HashMap<(String, String), Run>,
    sources: HashMap<String, SourceAcc>,
    gateways: super::gateway_runs::Runs,
    out: Ingested,
}

impl Batch<'_, '_> {
    fn run(&mut self, source: &str, control: &str) -> Result<Option<&mut Run>> {
        let key = (source.to_owned(), control.to_owned());
        if !self.runs.contains_key(&key) {
            let open: Option<(i64, String, String, String)> = self
                .tx
                .prepare_cached(
                    "SELECT r.seq, r.day, r.result, r.digest FROM source_runs r
                     JOIN evidence e ON e.seq = r.seq AND e.purged IS NULL
                     WHERE r.name = ?1 AND r.control_id = ?2",
                )?
                .query_row(params![source, control], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })
                .optional()?;
            let Some((seq, day, result, digest)) = open else {
                return Ok(None);
            };
            let result = if result == "pass" { "pass" } else { "fail" };
            self.runs.insert(
                key.clone(),
                Run {
                    seq,
                    day,
                    result,
                    digest,
                    added: 0,
                    last: String::new(),
                    moved: false,
                },
            );
        }
        Ok(self.runs.get_mut(&key))
    }

    fn evidence(&mut self, o: &Observation, control: &str, digest: &str) -> Result<()> {
        let at = time(o.at);
        let day = at.date_naive();
        let day_s = day.to_string();
        let result = if o.ok { "pass" } else { "fail" };
        let collected = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        if let Some(run) = self.run(&o.source, control)?
            && run.day == day_s
            && run.result == result
            && run.digest == digest
        {
            run.added += 1;
            run.last = collected;
            self.out.extended += 1;
            return Ok(());
        }
        let e = NewEvidence {
            // The next sequence number makes the key unique even for two results in one second.
            natural_key: format!(
                "collect:{}:{control}:{collected}:{}",
                o.source,
                self.writer.last_seq() + 1
            ),
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
            let key = (o.source.clone(), control.to_owned());
            if let Some(old) = self.runs.remove(&key) {
                self.close(&old)?;
            }
            self.runs.insert(
                key,
                Run {
                    seq: self.writer.last_seq(),
                    day: day_s,
                    result,
                    digest: digest.to_owned(),
                    added: 0,
                    last: collected,
                    moved: true,
                },
            );
            self.out.appended += 1;
        }
        Ok(())
    }

    /// Writes what the batch added to a run.
    fn close(&self, run: &Run) -> Result<()> {
        if run.added > 0 {
            self.tx
                .prepare_cached(
                    "UPDATE evidence SET run_last = ?1, run_count = run_count + ?2 WHERE seq = ?3",
                )?
                .execute(params![run.last, run.added, run.seq])?;
        }
        Ok(())
    }

    fn flush_runs(&mut self) -> Result<()> {
        let runs = std::mem::take(&mut self.runs);
        for ((name, control), run) in &runs {
            self.close(run)?;
            if run.moved {
                self.tx
                    .prepare_cached(
                        "INSERT INTO source_runs (name, control_id, seq, day, result, digest)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                         ON CONFLICT (name, control_id) DO UPDATE SET seq = excluded.seq,
                           day = excluded.day, result = excluded.result, digest = excluded.digest",
                    )?
                    .execute(params![
                        name, control, run.seq, run.day, run.result, run.digest
                    ])?;
            }
        }
        Ok(())
    }

    fn source(&mut self, name: &str) -> Result<&mut SourceAcc> {
        if !self.sources.contains_key(name) {
            let prior: Option<(i64, Option<String>)> = self
                .tx
                .prepare_cached(
                    "SELECT consecutive_failures, finding_id FROM source_state WHERE name = ?1",
                )?
                .query_row([name], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let (streak, finding) = prior.unwrap_or((0, None));
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
            self.sources.insert(
                name.to_owned(),
                SourceAcc {
                    streak,
                    finding,
                    finding_open,
                    checks: 0,
                    failures: 0,
                    last: None,
                },
            );
        }
        Ok(self.sources.get_mut(name).expect("inserted above"))
    }

    fn state(&mut self, o: &Observation) -> Result<()> {
        let acc = self.source(&o.source)?;
        let prior_streak = acc.streak;
        acc.streak = if o.ok { 0 } else { prior_streak + 1 };
        acc.checks += 1;
        acc.failures += i64::from(!o.ok);
        acc.last = Some(o.clone());
        let (streak, open, finding) = (acc.streak, acc.finding_open, acc.finding.clone());
        let now = time(o.at);
        if !o.ok && streak >= i64::from(o.fail_after) && !open {
            let id = self.open_finding(o, streak, now)?;
            let acc = self.source(&o.source)?;
            acc.finding = Some(id);
            acc.finding_open = true;
        } else if o.ok && open && prior_streak > 0 {
            let id = finding.unwrap_or_default();
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
        Ok(())
    }

    fn flush_sources(&mut self) -> Result<()> {
        for (name, acc) in std::mem::take(&mut self.sources) {
            let Some(o) = acc.last else { continue };
            self.tx
                .prepare_cached(
                    "INSERT INTO source_state (name, kind, controls, last_at, last_ok, last_summary,
                       latency_ms, interval_s, consecutive_failures, checks, failures, finding_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                     ON CONFLICT (name) DO UPDATE SET kind = excluded.kind,
                       controls = excluded.controls, last_at = excluded.last_at,
                       last_ok = excluded.last_ok, last_summary = excluded.last_summary,
                       latency_ms = excluded.latency_ms, interval_s = excluded.interval_s,
                       consecutive_failures = excluded.consecutive_failures,
                       checks = checks + excluded.checks, failures = failures + excluded.failures,
                       finding_id = excluded.finding_id",
                )?
                .execute(params![
                    name,
                    o.kind,
                    serde_json::to_string(&o.controls)?,
                    o.at,
                    o.ok,
                    o.summary,
                    o.latency_ms as i64,
                    o.interval_s as i64,
                    acc.streak,
                    acc.checks,
                    acc.failures,
                    acc.finding
                ])?;
        }
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
    /// Writes a batch of observations in one transaction (the single writer's job). Runs,
    /// gateway runs and source rows are accumulated in memory and written once per batch.
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
            runs: HashMap::new(),
            sources: HashMap::new(),
            gateways: super::gateway_runs::Runs::default(),
            out: Ingested::default(),
        };
        for o in batch {
            let digest = super::chain::sha256_hex(o.content.as_bytes());
            for c in &o.controls {
                if b.controls.contains(c) {
                    b.evidence(o, c, &digest)?;
                } else if !b.out.unknown_controls.contains(c) {
                    b.out.unknown_controls.push(c.clone());
                }
            }
            b.gateways.add(&tx, o)?;
            b.state(o)?;
            b.out.observations += 1;
        }
        b.flush_runs()?;
        b.flush_sources()?;
        b.gateways.flush(&tx)?;
        if b.out.appended > 0 {
            let after = format!(
                "{{\"appended\":{},\"chain_head\":\"{}\",\"by\":\"collectors\"}}",
                b.out.appended,
                b.writer.head()
            );
            b.log
                .record(&tx, "append", "evidence", "collected", None, Some(&after))?;
        }
        let mut out = b.out;
        out.head_seq = b.writer.last_seq();
        tx.commit()?;
        Ok(out)
    }
}
