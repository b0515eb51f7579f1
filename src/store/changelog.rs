//! The hash-chained change log: every write made through certready, who made it, before and
//! after. `verify` recomputes the chain and names the first row that does not match.

use super::chain;
use crate::store::db::{OptionalExtension, Transaction, params};
use anyhow::Result;

/// The OS user making changes.
pub fn current_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.is_empty())
        .or_else(user_from_uid)
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Who the change log names for writes on `conn`: on PostgreSQL the database user (what the
/// server authenticated and enforces), on SQLite the OS user.
pub(crate) fn actor(conn: &crate::store::db::Connection) -> String {
    match conn.pg() {
        Some(p) => p.user().to_owned(),
        None => current_user(),
    }
}

/// The name of this process's real uid, from `/proc/self/status` and `/etc/passwd` (Linux).
fn user_from_uid() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let uid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .to_owned();
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|l| {
        let mut f = l.split(':');
        let name = f.next()?;
        (f.nth(1)? == uid).then(|| name.to_owned())
    })
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
            who: actor(tx),
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

/// One change-log row, for display.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ChangeEntry {
    /// Sequence number.
    pub seq: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub who: String,
    /// add, update, append, install...
    pub action: String,
    /// Entity kind.
    pub entity: String,
    /// Entity id.
    pub entity_id: String,
    /// JSON before the change.
    pub before: Option<String>,
    /// JSON after the change.
    pub after: Option<String>,
}

impl super::Store {
    /// The newest `limit` change-log rows, newest first.
    pub fn change_log(&self, limit: usize) -> Result<Vec<ChangeEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, at, who, action, entity, entity_id, before, after FROM change_log
             ORDER BY seq DESC LIMIT ?1",
        )?;
        let rows = stmt
            .query_map([limit as i64], |r| {
                Ok(ChangeEntry {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    who: r.get(2)?,
                    action: r.get(3)?,
                    entity: r.get(4)?,
                    entity_id: r.get(5)?,
                    before: r.get(6)?,
                    after: r.get(7)?,
                })
            })?
            .collect::<crate::store::db::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
