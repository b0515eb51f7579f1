//! Review snapshots: one row of metrics per review date, so each pack can show what changed.

use super::Store;
use super::changelog::ChangeLog;
use anyhow::Result;
use rusqlite::params;

impl Store {
    /// Stores (or replaces) the metrics of the review held on `as_of`.
    pub fn save_review(&mut self, as_of: &str, metrics_json: &str, now: &str) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
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
}
