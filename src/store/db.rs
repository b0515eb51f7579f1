//! The connection the store speaks SQL through: SQLite (one file) or PostgreSQL (a server).
//!
//! The API mirrors the part of rusqlite the store uses (`execute`, `query_row`, `prepare`,
//! `query_map`, `query` + `next`, transactions, `optional`), and values are rusqlite's own
//! (`ToSql` parameters, `FromSql` columns), so one body of SQL and row code serves both
//! backends. On PostgreSQL each statement's `?N` placeholders become `$N`, parameters are
//! encoded to the type the server inferred, and columns are decoded to SQLite's five storage
//! classes before `FromSql` sees them.
//!
//! Invariants: a `Transaction` issues `BEGIN` on creation and `ROLLBACK` when dropped
//! uncommitted; an `Immediate` transaction takes the write lock first (SQLite `BEGIN
//! IMMEDIATE`; PostgreSQL a transaction-scoped advisory lock), so writers queue instead of
//! racing, on both backends and across processes.

// Parameters and column indexes are taken by value, as rusqlite takes them.
#![allow(clippy::needless_pass_by_value)]

mod error;
pub mod pg;
mod rows;
pub(crate) mod sql;

pub use error::{DbError, OptionalExtension, Result, transient};
pub use rows::{Row, RowIndex, Rows, Statement};
pub use rusqlite::params;
pub use rusqlite::types::{FromSql, ToSql, Value, ValueRef};

use std::ops::Deref;

/// Statement parameters: what rusqlite accepts (arrays, slices, `params![]`, `()`).
pub trait Params {
    /// The parameters as trait objects, in order.
    fn refs(&self) -> Vec<&dyn ToSql>;
}

impl Params for () {
    fn refs(&self) -> Vec<&dyn ToSql> {
        Vec::new()
    }
}

impl Params for [&(dyn ToSql + Send + Sync); 0] {
    fn refs(&self) -> Vec<&dyn ToSql> {
        Vec::new()
    }
}

macro_rules! array_params {
    ($($n:literal)*) => {$(
        impl<T: ToSql> Params for [T; $n] {
            fn refs(&self) -> Vec<&dyn ToSql> {
                self.iter().map(|v| v as &dyn ToSql).collect()
            }
        }
    )*};
}
array_params!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);

impl<T: ToSql> Params for &[T] {
    fn refs(&self) -> Vec<&dyn ToSql> {
        self.iter().map(|v| v as &dyn ToSql).collect()
    }
}

impl<T: ToSql, const N: usize> Params for &[T; N] {
    fn refs(&self) -> Vec<&dyn ToSql> {
        self.iter().map(|v| v as &dyn ToSql).collect()
    }
}

/// Which database a connection talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// One SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// How a transaction starts (rusqlite's names).
#[derive(Clone, Copy, Debug)]
pub enum TransactionBehavior {
    /// Reads take no lock up front.
    Deferred,
    /// Takes the write lock up front.
    Immediate,
}

/// A connection to either backend (one or two per process: the size does not matter).
#[allow(clippy::large_enum_variant)]
pub enum Connection {
    /// SQLite.
    Sqlite(rusqlite::Connection),
    /// PostgreSQL.
    Pg(pg::PgConn),
}

impl Connection {
    /// The backend.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Pg(_) => Backend::Postgres,
        }
    }

    /// The SQLite connection, when that is the backend.
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Self::Sqlite(c) => Some(c),
            Self::Pg(_) => None,
        }
    }

    /// The PostgreSQL connection, when that is the backend.
    pub fn pg(&self) -> Option<&pg::PgConn> {
        match self {
            Self::Sqlite(_) => None,
            Self::Pg(c) => Some(c),
        }
    }

    /// Runs one statement; returns the rows it changed.
    pub fn execute<P: Params>(&self, sql: &str, p: P) -> Result<usize> {
        match self {
            Self::Sqlite(c) => {
                let mut st = c.prepare_cached(sql)?;
                Ok(st.execute(rusqlite::params_from_iter(p.refs()))?)
            }
            Self::Pg(c) => c.execute(sql, &p.refs()),
        }
    }

    /// Runs statements separated by `;`, without parameters.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Self::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Self::Pg(c) => c.batch(&sql::translate(sql)),
        }
    }

    /// The first row through `f`; `QueryReturnedNoRows` when there is none.
    pub fn query_row<T, P, F>(&self, sql: &str, p: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        let mut st = self.prepare_cached(sql)?;
        let mut rows = st.query(p)?;
        match rows.next()? {
            Some(r) => f(&r),
            None => Err(DbError::NoRows),
        }
    }

    /// Prepares a statement.
    pub fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        self.prepare_cached(sql)
    }

    /// Prepares a statement, reusing one prepared earlier with the same text.
    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>> {
        match self {
            Self::Sqlite(c) => Ok(Statement::Sqlite(c.prepare_cached(sql)?)),
            Self::Pg(c) => Ok(Statement::Pg {
                conn: c,
                sql: sql.to_owned(),
            }),
        }
    }

    /// Starts a transaction.
    pub fn transaction_with_behavior(&self, b: TransactionBehavior) -> Result<Transaction<'_>> {
        Transaction::begin(self, b)
    }

    /// Starts a deferred transaction.
    pub fn unchecked_transaction(&self) -> Result<Transaction<'_>> {
        Transaction::begin(self, TransactionBehavior::Deferred)
    }
}

/// An open transaction; rolls back when dropped without [`Transaction::commit`].
pub struct Transaction<'c> {
    conn: &'c Connection,
    open: bool,
}

impl<'c> Transaction<'c> {
    fn begin(conn: &'c Connection, b: TransactionBehavior) -> Result<Self> {
        match (conn, b) {
            (Connection::Sqlite(c), TransactionBehavior::Immediate) => {
                c.execute_batch("BEGIN IMMEDIATE")?;
            }
            (Connection::Sqlite(c), TransactionBehavior::Deferred) => c.execute_batch("BEGIN")?,
            (Connection::Pg(c), b) => c.begin(matches!(b, TransactionBehavior::Immediate))?,
        }
        Ok(Self { conn, open: true })
    }

    /// Commits.
    pub fn commit(mut self) -> Result<()> {
        self.open = false;
        match self.conn {
            Connection::Sqlite(c) => Ok(c.execute_batch("COMMIT")?),
            Connection::Pg(c) => c.batch("COMMIT"),
        }
    }

    /// Rolls back.
    pub fn rollback(mut self) -> Result<()> {
        self.open = false;
        self.conn.execute_batch("ROLLBACK")
    }
}

impl Deref for Transaction<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}
