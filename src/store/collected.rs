//! The single writer for collected evidence: a batch of observations in one transaction.
//!
//! Invariants: an unchanged result (same source, control, day, result and content digest)
//! extends the open run's row (`run_last`, `run_count`, outside the row's chain hash, but each
//! batch's extensions are recorded in the chained change log, so `verify` proves them); anything else
//! appends a chained row, so every change of state and every day stays provable. A source
//! that fails `fail_after` times in a row opens one `monitoring` finding; recovery adds a note
//! and never deletes it.

use super::Store;
use super::changelog::ChangeLog;
use super::evidence::{EvidenceWriter, NewEvidence};
use crate::domain::{ControlId, EvidenceResult, EvidenceSource, Observation};
use crate::store::db::{OptionalExtension, Transaction, params};
use anyhow::Result;
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

mod monitoring;

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

/// The change-log action that records run extensions (`after` = `{"runs": [[seq, run_count,
/// run_last], ...]}`).
pub(crate) const EXTEND_ACTION: &str = "extend";

fn time(at: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(at, 0).unwrap_or_default()
}

/// The upper-case id part of a monitoring control (`MON-<SLUG>`): ASCII letters and digits
/// upper-cased, anything else `-`. Stored in the database as part of control ids, so it must
/// not change; the file-name slug of `report::bundle` and the key slug of `import::libraries`
/// follow other rules (case, separator, length) and stay separate.
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

struct Batch<'a, 'b> {
    tx: &'a Transaction<'b>,
    writer: EvidenceWriter,
    log: ChangeLog,
    controls: HashSet<String>,
    runs: HashMap<(String, String), Run>,
    sources: HashMap<String, monitoring::SourceAcc>,
    gateways: super::gateway_runs::Runs,
    out: Ingested,
    /// `[seq, run_count, run_last]` of every run this batch extended.
    extended: Vec<serde_json::Value>,
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

    /// Writes what the batch added to a run, and notes the run's new state for the log.
    fn close(&mut self, run: &Run) -> Result<()> {
        if run.added > 0 {
            let count: i64 = self
                .tx
                .prepare_cached(
                    "UPDATE evidence SET run_last = ?1, run_count = run_count + ?2 WHERE seq = ?3
                     RETURNING run_count",
                )?
                .query_row(params![run.last, run.added, run.seq], |r| r.get(0))?;
            self.extended
                .push(serde_json::json!([run.seq, count, run.last]));
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
}

impl Store {
    /// Writes a batch of observations in one transaction (the single writer's job). Runs,
    /// gateway runs and source rows are accumulated in memory and written once per batch.
    pub fn ingest(&mut self, batch: &[Observation]) -> Result<Ingested> {
        let tx = self
            .conn
            .transaction_with_behavior(crate::store::db::TransactionBehavior::Immediate)?;
        let controls: HashSet<String> = tx
            .prepare("SELECT id FROM controls")?
            .query_map([], |r| r.get(0))?
            .collect::<crate::store::db::Result<_>>()?;
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
            extended: Vec::new(),
        };
        for o in batch {
            let digest = crate::domain::sha256_hex(o.content.as_bytes());
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
        if !b.extended.is_empty() {
            let after = serde_json::json!({ "runs": std::mem::take(&mut b.extended) }).to_string();
            b.log
                .record(&tx, EXTEND_ACTION, "evidence", "runs", None, Some(&after))?;
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
        let mut out = b.out;
        out.head_seq = b.writer.last_seq();
        tx.commit()?;
        Ok(out)
    }
}
