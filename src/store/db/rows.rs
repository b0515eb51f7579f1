//! Prepared statements, result rows and columns for both backends.
//!
//! SQLite rows stream straight from rusqlite. PostgreSQL rows arrive whole and each cell is
//! decoded, when read, to SQLite's storage classes (borrowed from the wire row where it can
//! be), so `Row::get` runs the same `FromSql` on either with no per-row allocation.

#![allow(clippy::needless_pass_by_value)]

use super::pg::{PgConn, codec};
use super::{DbError, Params, Result};
use rusqlite::types::{FromSql, ValueRef};

/// A prepared statement.
pub enum Statement<'c> {
    /// SQLite's cached statement.
    Sqlite(rusqlite::CachedStatement<'c>),
    /// PostgreSQL: the text, prepared (and cached) by the connection on first use.
    Pg {
        /// The connection.
        conn: &'c PgConn,
        /// The statement in SQLite syntax.
        sql: String,
    },
}

impl Statement<'_> {
    /// Runs the statement; rows come from [`Rows::next`].
    pub fn query<P: Params>(&mut self, p: P) -> Result<Rows<'_>> {
        match self {
            Self::Sqlite(st) => Ok(Rows::Sqlite(
                st.query(rusqlite::params_from_iter(p.refs()))?,
            )),
            Self::Pg { conn, sql } => Ok(Rows::Pg {
                rows: conn.query(sql, &p.refs())?.into_iter(),
                current: None,
            }),
        }
    }

    /// Every row through `f`, in order.
    pub fn query_map<T, P, F>(&mut self, p: P, mut f: F) -> Result<std::vec::IntoIter<Result<T>>>
    where
        P: Params,
        F: FnMut(&Row<'_>) -> Result<T>,
    {
        let mut out = Vec::new();
        let mut rows = self.query(p)?;
        while let Some(r) = rows.next()? {
            out.push(f(&r));
        }
        Ok(out.into_iter())
    }

    /// Runs the statement; returns the rows it changed.
    pub fn execute<P: Params>(&mut self, p: P) -> Result<usize> {
        match self {
            Self::Sqlite(st) => Ok(st.execute(rusqlite::params_from_iter(p.refs()))?),
            Self::Pg { conn, sql } => conn.execute(sql, &p.refs()),
        }
    }

    /// The first row through `f`; `NoRows` when there is none.
    pub fn query_row<T, P, F>(&mut self, p: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        let mut rows = self.query(p)?;
        match rows.next()? {
            Some(r) => f(&r),
            None => Err(DbError::NoRows),
        }
    }

    /// Whether the statement returns at least one row.
    pub fn exists<P: Params>(&mut self, p: P) -> Result<bool> {
        Ok(self.query(p)?.next()?.is_some())
    }
}

/// The rows of a query.
pub enum Rows<'s> {
    /// Streaming from SQLite.
    Sqlite(rusqlite::Rows<'s>),
    /// PostgreSQL rows, as they came off the wire.
    Pg {
        /// Rows still to come.
        rows: std::vec::IntoIter<postgres::Row>,
        /// The row last returned.
        current: Option<postgres::Row>,
    },
}

impl Rows<'_> {
    /// The next row, or `None` at the end.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Row<'_>>> {
        match self {
            Self::Sqlite(r) => Ok(r.next()?.map(Row::Sqlite)),
            Self::Pg { rows, current } => {
                *current = rows.next();
                Ok(current.as_ref().map(Row::Pg))
            }
        }
    }
}

/// One row.
pub enum Row<'r> {
    /// A SQLite row.
    Sqlite(&'r rusqlite::Row<'r>),
    /// A PostgreSQL row.
    Pg(&'r postgres::Row),
}

/// A column index: its position.
pub trait RowIndex {
    /// The position.
    fn at(&self) -> usize;
}

impl RowIndex for usize {
    fn at(&self) -> usize {
        *self
    }
}

impl Row<'_> {
    /// Column `i` converted to `T`.
    pub fn get<I: RowIndex, T: FromSql>(&self, i: I) -> Result<T> {
        match self {
            Self::Sqlite(r) => Ok(r.get(i.at())?),
            Self::Pg(r) => T::column_result(codec::cell(r, i.at())?.as_ref())
                .map_err(|e| DbError::Conversion(format!("column {}: {e}", i.at()))),
        }
    }

    /// Column `i` as it is stored.
    pub fn get_ref<I: RowIndex>(&self, i: I) -> Result<ValueRef<'_>> {
        match self {
            Self::Sqlite(r) => Ok(r.get_ref(i.at())?),
            Self::Pg(r) => match codec::cell(r, i.at())? {
                codec::Cell::Ref(v) => Ok(v),
                codec::Cell::Owned(_) => Err(DbError::Conversion(format!(
                    "column {} is converted on reading; read it with `get`",
                    i.at()
                ))),
            },
        }
    }
}
