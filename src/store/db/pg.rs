//! The PostgreSQL side of [`super::Connection`].
//!
//! One synchronous client per process side (`RefCell`: the store is single-threaded per
//! connection, like a rusqlite `Connection`), statements prepared once and cached by their
//! text, SQLite syntax translated on the way in.
//!
//! Invariants: write transactions take [`WRITER_LOCK`] (transaction-scoped advisory lock), so
//! writers from every process queue one at a time, as SQLite's `BEGIN IMMEDIATE` makes them;
//! the session `LISTEN`s on [`CHANNEL`] so [`PgConn::data_version`] moves when another session
//! commits (schema triggers `NOTIFY` on every change), never for this session's own writes.

pub(super) mod codec;
mod connect;

pub use connect::{
    ConnectError, Target, connect_url, parse, password_in_url, user_in_url, with_database,
};

use super::{DbError, Result, ToSql, sql};
use postgres::fallible_iterator::FallibleIterator;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

/// The advisory-lock key every write transaction takes (`certwrit` as bytes).
pub const WRITER_LOCK: i64 = 0x6365_7274_7772_6974;

/// The notification channel changes are announced on.
pub const CHANNEL: &str = "certready_change";

/// A PostgreSQL session.
pub struct PgConn {
    client: RefCell<postgres::Client>,
    cache: RefCell<HashMap<String, postgres::Statement>>,
    pid: i32,
    seen: Cell<i64>,
    user: String,
    target: Target,
}

impl PgConn {
    /// Wraps a connected client: listens for changes and learns who it is.
    pub fn new(mut client: postgres::Client, target: Target) -> Result<Self> {
        client.batch_execute(&format!("LISTEN {CHANNEL}"))?;
        let row = client.query_one("SELECT pg_backend_pid(), current_user::text", &[])?;
        Ok(Self {
            pid: row.get(0),
            user: row.get(1),
            client: RefCell::new(client),
            cache: RefCell::new(HashMap::new()),
            seen: Cell::new(0),
            target,
        })
    }

    /// The database user this session runs as.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// Where this session connected (without any password).
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Another session to the same database.
    pub fn reopen(&self) -> anyhow::Result<Self> {
        Ok(self.target.connect()?)
    }

    fn statement(&self, text: &str) -> Result<postgres::Statement> {
        if let Some(s) = self.cache.borrow().get(text) {
            return Ok(s.clone());
        }
        let st = self
            .client
            .borrow_mut()
            .prepare(&sql::translate(text))
            .map_err(|e| with_sql(e, text))?;
        self.cache.borrow_mut().insert(text.to_owned(), st.clone());
        Ok(st)
    }

    /// Runs one statement; returns the rows it changed.
    pub fn execute(&self, text: &str, p: &[&dyn ToSql]) -> Result<usize> {
        let st = self.statement(text)?;
        let vals = codec::params(p)?;
        let refs = codec::refs(&vals);
        let n = self
            .client
            .borrow_mut()
            .execute(&st, &refs)
            .map_err(|e| with_sql(e, text))?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    /// Runs a query; returns every row decoded to SQLite's storage classes. The rows arrive
    /// in one round of the client's runtime (stepping it once per row costs more than the
    /// rows themselves); bulk reads use [`PgConn::each_row`] with arrays instead.
    pub fn query(&self, text: &str, p: &[&dyn ToSql]) -> Result<Vec<postgres::Row>> {
        let st = self.statement(text)?;
        let vals = codec::params(p)?;
        let refs = codec::refs(&vals);
        self.client
            .borrow_mut()
            .query(&st, &refs)
            .map_err(|e| with_sql(e, text))
    }

    /// Runs a query without parameters and hands each wire row to `f` as it arrives, for
    /// the bulk reads that decode columns themselves (no per-cell `Value`).
    pub fn each_row(
        &self,
        text: &str,
        mut f: impl FnMut(&postgres::Row) -> Result<()>,
    ) -> Result<()> {
        use postgres::fallible_iterator::FallibleIterator;
        let st = self.statement(text)?;
        let mut client = self.client.borrow_mut();
        let mut rows = client
            .query_raw(
                &st,
                std::iter::empty::<&(dyn postgres::types::ToSql + Sync)>(),
            )
            .map_err(|e| with_sql(e, text))?;
        while let Some(r) = rows.next().map_err(|e| with_sql(e, text))? {
            f(&r)?;
        }
        Ok(())
    }

    /// Runs statements without parameters (already in PostgreSQL syntax).
    pub fn batch(&self, text: &str) -> Result<()> {
        Ok(self.client.borrow_mut().batch_execute(text)?)
    }

    /// Starts a transaction; a writer's takes the writer lock first. A lock wait that fails
    /// (the session's `lock_timeout`, a cancel) rolls the transaction back, so the session is
    /// left outside any transaction, as SQLite leaves it after a busy `BEGIN IMMEDIATE`, and
    /// the caller can retry on the same connection.
    pub fn begin(&self, writer: bool) -> Result<()> {
        if !writer {
            return self.batch("BEGIN");
        }
        let locked = self.batch(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock({WRITER_LOCK})"
        ));
        if locked.is_err() {
            // The lock's own error is the one to report; a failed rollback means the
            // connection is gone, which the next statement says.
            let _ = self.batch("ROLLBACK");
        }
        locked
    }

    /// A number that changes when another session has committed a change since the last call.
    pub fn data_version(&self) -> Result<i64> {
        let mut client = self.client.borrow_mut();
        // An empty round trip reads whatever notifications the server has sent.
        client.batch_execute("")?;
        let mut n = self.seen.get();
        let mut notes = client.notifications();
        let mut it = notes.iter();
        while let Some(note) = it.next().map_err(DbError::Pg)? {
            if note.process_id() != self.pid {
                n += 1;
            }
        }
        self.seen.set(n);
        Ok(n)
    }

    /// The raw client, for bulk copies.
    pub fn client(&self) -> std::cell::RefMut<'_, postgres::Client> {
        self.client.borrow_mut()
    }
}

fn with_sql(e: postgres::Error, text: &str) -> DbError {
    tracing::debug!(sql = text, "postgres error: {e}");
    if std::env::var_os("CERTREADY_SQL_DEBUG").is_some() {
        eprintln!("postgres error: {e}\n  in: {}", sql::translate(text));
    }
    DbError::Pg(e)
}
