//! The hash-chained change log: every write made through certready, who made it, before and
//! after. `verify` recomputes the chain and names the first row that does not match.

use super::chain;
use anyhow::Result;
use rusqlite::{OptionalExtension, Transaction, params};

/// The OS user making changes.
pub fn current_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".to_owned())
}

/// Appends entries inside one transaction, carrying the chain head in memory.
pub(crate) struct ChangeLog {
    prev: String,
    seq: i64,
    who: String,
    at: String,
}

impl ChangeLog {
    /// Starts at the current head of the chain.
    pub(crate) fn start(tx: &Transaction<'_>, at: &str) -> Result<Self> {
        let head: Option<(i64, String)> = tx
            .query_row(
                "SELECT seq, chain_hash FROM change_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (seq, prev) = head.unwrap_or((0, chain::GENESIS.to_owned()));
        Ok(Self {
            prev,
            seq,
            who: current_user(),
            at: at.to_owned(),
        })
    }

    /// Records one change.
    pub(crate) fn record(
        &mut self,
        tx: &Transaction<'_>,
        action: &str,
        entity: &str,
        entity_id: &str,
        before: Option<&str>,
        after: Option<&str>,
    ) -> Result<()> {
        self.seq += 1;
        let seq = self.seq.to_string();
        let hash = chain::link(
            &self.prev,
            &[
                &seq,
                &self.at,
                &self.who,
                action,
                entity,
                entity_id,
                before.unwrap_or(""),
                after.unwrap_or(""),
            ],
        );
        tx.execute(
            "INSERT INTO change_log (seq, at, who, action, entity, entity_id, before, after, chain_hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![self.seq, self.at, self.who, action, entity, entity_id, before, after, hash],
        )?;
        self.prev = hash;
        Ok(())
    }
}
