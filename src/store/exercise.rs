//! Tabletop exercises in the store: saved after every event (the log is the state), and
//! finished in one transaction that writes the findings, the tasks, the evidence item with the
//! after-action report as its content, and the end time.

use super::Store;
use super::apply::apply_in;
use super::changelog::ChangeLog;
use super::evidence::{EvidenceWriter, NewEvidence};
use crate::domain::model_file::ModelFile;
use crate::domain::{Exercise, ExerciseKind};
use crate::store::db::{OptionalExtension, params};
use anyhow::{Context, Result};

/// A stored exercise, summarised.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExerciseRow {
    /// Id.
    pub id: String,
    /// Scenario id.
    pub scenario: String,
    /// Started (RFC 3339).
    pub started: String,
    /// Ended (RFC 3339).
    pub ended: Option<String>,
    /// Facilitator.
    pub facilitator: String,
}

fn rfc(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0).map_or_else(String::new, |d| {
        d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    })
}

impl Store {
    /// Saves the exercise's log (creating the row, and a change-log entry, the first time).
    pub fn save_exercise(&mut self, ex: &Exercise, now: &str) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(crate::store::db::TransactionBehavior::Immediate)?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM exercises WHERE id = ?1)",
            [&ex.id],
            |r| r.get(0),
        )?;
        let log = serde_json::to_string(&ex.events)?;
        let participants = serde_json::to_string(&ex.participants())?;
        tx.execute(
            "INSERT INTO exercises (id, scenario, started, ended, facilitator, participants, log)
             VALUES (?1, ?2, ?3, NULL, ?4, ?5, ?6)
             ON CONFLICT(id) DO UPDATE SET facilitator = ?4, participants = ?5, log = ?6",
            params![
                ex.id,
                ex.scenario,
                rfc(ex.started()),
                ex.facilitator,
                participants,
                log
            ],
        )?;
        if !exists {
            let mut cl = ChangeLog::start(&tx, now)?;
            cl.record(
                &tx,
                "start",
                "exercises",
                &ex.id,
                None,
                Some(&format!(
                    "{{\"scenario\":{}}}",
                    serde_json::to_string(&ex.scenario)?
                )),
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Loads an exercise by id.
    pub fn exercise(&self, id: &str) -> Result<Option<Exercise>> {
        let row: Option<(String, String, String)> = self
            .conn
            .query_row(
                "SELECT scenario, facilitator, log FROM exercises WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((scenario, facilitator, log)) = row else {
            return Ok(None);
        };
        let events = serde_json::from_str(&log)
            .with_context(|| format!("exercise {id}: its log does not parse"))?;
        Ok(Some(Exercise {
            id: id.to_owned(),
            scenario,
            facilitator,
            events,
        }))
    }

    /// Every exercise, newest first.
    pub fn exercises(&self) -> Result<Vec<ExerciseRow>> {
        self.query_all(
            "SELECT id, scenario, started, ended, facilitator FROM exercises ORDER BY started DESC, id DESC",
            |r| {
                Ok(ExerciseRow {
                    id: r.get(0)?,
                    scenario: r.get(1)?,
                    started: r.get(2)?,
                    ended: r.get(3)?,
                    facilitator: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                })
            },
        )
    }

    /// How many exercises started with this id prefix (for numbering).
    pub fn count_exercises(&self, prefix: &str) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM exercises WHERE id LIKE ?1 || '%'",
            [prefix],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    /// Ends the exercise: findings and tasks (`model`), the evidence item, and the end time, in
    /// one transaction.
    pub fn finish_exercise(
        &mut self,
        ex: &Exercise,
        model: &ModelFile,
        evidence: Option<&NewEvidence>,
        now: &str,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(crate::store::db::TransactionBehavior::Immediate)?;
        apply_in(&tx, model, &format!("tabletop {}", ex.id), now)?;
        let mut head = None;
        if let Some(e) = evidence {
            let mut w = EvidenceWriter::start(&tx)?;
            if w.append(&tx, e)? {
                head = Some(w.head().to_owned());
            }
        }
        let end = ex
            .events
            .iter()
            .rev()
            .find(|e| e.kind == ExerciseKind::End)
            .map_or(ex.started(), |e| e.t);
        tx.execute(
            "UPDATE exercises SET ended = ?2, log = ?3, participants = ?4, facilitator = ?5 WHERE id = ?1",
            params![ex.id, rfc(end), serde_json::to_string(&ex.events)?, serde_json::to_string(&ex.participants())?, ex.facilitator],
        )?;
        let mut cl = ChangeLog::start(&tx, now)?;
        let mut after = serde_json::json!({
            "findings": model.findings.len(),
            "tasks": model.tasks.len(),
        });
        if let Some(h) = head {
            after["chain_head"] = h.into();
        }
        let after = after.to_string();
        cl.record(&tx, "end", "exercises", &ex.id, None, Some(&after))?;
        tx.commit()?;
        Ok(())
    }
}
