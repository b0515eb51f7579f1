//! Review snapshots (one row of metrics per review date, so each pack can show what changed),
//! the review inputs typed for a date, and the recorded packs (frozen JSON and digests).
//!
//! Invariant: every write is skipped when it would store what is already there, so running a
//! review again changes neither the tables nor the change log; a real change is logged.

use super::Store;
use super::changelog::ChangeLog;
use crate::store::db::{OptionalExtension, params};
use anyhow::Result;

/// A recorded pack: the JSON the templates saw and the SHA-256 of each rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRecord {
    /// The review date.
    pub as_of: String,
    /// When it was recorded (RFC 3339).
    pub taken: String,
    /// The frozen template context.
    pub pack: String,
    /// SHA-256 of the Markdown rendering.
    pub md_sha256: String,
    /// SHA-256 of the HTML rendering.
    pub html_sha256: String,
    /// The signed checkpoint of that day (JSON).
    pub checkpoint: String,
}

impl Store {
    /// Stores (or replaces) the metrics of the review held on `as_of`; a no-op when the same
    /// metrics are stored already.
    pub fn save_review(&mut self, as_of: &str, metrics_json: &str, now: &str) -> Result<()> {
        let same: Option<String> = self
            .conn
            .query_row(
                "SELECT metrics FROM review_snapshots WHERE as_of = ?1",
                params![as_of],
                |r| r.get(0),
            )
            .optional()?;
        if same.as_deref() == Some(metrics_json) {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(crate::store::db::TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO review_snapshots (as_of, taken, metrics) VALUES (?1, ?2, ?3)
             ON CONFLICT(as_of) DO UPDATE SET taken = ?2, metrics = ?3",
            params![as_of, now, metrics_json],
        )?;
        let mut log = ChangeLog::start(&tx, now)?;
        log.record(&tx, "snapshot", "review", as_of, None, Some(metrics_json))?;
        tx.commit()?;
        Ok(())
    }

    /// Every stored review's metrics (JSON), oldest first.
    pub fn reviews(&self) -> Result<Vec<String>> {
        self.query_all("SELECT metrics FROM review_snapshots ORDER BY as_of", |r| {
            r.get(0)
        })
    }

    /// The review inputs typed for `as_of`: (input key, text), by key.
    pub fn review_inputs(&self, as_of: &str) -> Result<Vec<(String, String)>> {
        let mut st = self
            .conn
            .prepare("SELECT input, text FROM review_inputs WHERE as_of = ?1 ORDER BY input")?;
        let rows = st.query_map(params![as_of], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<crate::store::db::Result<_>>()?)
    }

    /// Sets the text of review input `input` for `as_of` (empty text removes it); returns
    /// whether anything changed (the same text again is not a change).
    pub fn set_review_input(
        &mut self,
        as_of: &str,
        input: &str,
        text: &str,
        now: &str,
    ) -> Result<bool> {
        let before: Option<String> = self
            .conn
            .query_row(
                "SELECT text FROM review_inputs WHERE as_of = ?1 AND input = ?2",
                params![as_of, input],
                |r| r.get(0),
            )
            .optional()?;
        let after = (!text.is_empty()).then_some(text);
        if before.as_deref() == after {
            return Ok(false);
        }
        let tx = self
            .conn
            .transaction_with_behavior(crate::store::db::TransactionBehavior::Immediate)?;
        match after {
            Some(t) => tx.execute(
                "INSERT INTO review_inputs (as_of, input, text, updated) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(as_of, input) DO UPDATE SET text = ?3, updated = ?4",
                params![as_of, input, t, now],
            )?,
            None => tx.execute(
                "DELETE FROM review_inputs WHERE as_of = ?1 AND input = ?2",
                params![as_of, input],
            )?,
        };
        let mut log = ChangeLog::start(&tx, now)?;
        let id = format!("{as_of}:{input}");
        log.record(&tx, "update", "review input", &id, before.as_deref(), after)?;
        tx.commit()?;
        Ok(true)
    }

    /// The pack recorded for `as_of`, if any.
    pub fn review_record(&self, as_of: &str) -> Result<Option<ReviewRecord>> {
        Ok(self
            .conn
            .query_row(
                "SELECT as_of, taken, pack, md_sha256, html_sha256, checkpoint FROM review_records
                 WHERE as_of = ?1",
                params![as_of],
                |r| {
                    Ok(ReviewRecord {
                        as_of: r.get(0)?,
                        taken: r.get(1)?,
                        pack: r.get(2)?,
                        md_sha256: r.get(3)?,
                        html_sha256: r.get(4)?,
                        checkpoint: r.get(5)?,
                    })
                },
            )
            .optional()?)
    }

    /// Records (or replaces) the pack of `rec.as_of`; the change log keeps both digests.
    pub fn save_review_record(&mut self, rec: &ReviewRecord) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(crate::store::db::TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO review_records (as_of, taken, pack, md_sha256, html_sha256, checkpoint)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(as_of) DO UPDATE SET taken = ?2, pack = ?3, md_sha256 = ?4,
             html_sha256 = ?5, checkpoint = ?6",
            params![
                rec.as_of,
                rec.taken,
                rec.pack,
                rec.md_sha256,
                rec.html_sha256,
                rec.checkpoint
            ],
        )?;
        let mut log = ChangeLog::start(&tx, &rec.taken)?;
        let after = format!(
            "{{\"md_sha256\":\"{}\",\"html_sha256\":\"{}\"}}",
            rec.md_sha256, rec.html_sha256
        );
        log.record(&tx, "record", "review pack", &rec.as_of, None, Some(&after))?;
        tx.commit()?;
        Ok(())
    }
}
