//! Second, read-only connections for work split across threads (loading evidence facts,
//! verifying a long chain in parallel).
//!
//! Invariant: an opener carries no connection, only where to open one, so it can move to
//! another thread; what it opens cannot write (SQLite read-only flags; a PostgreSQL session
//! with read-only transactions).

use super::Store;
use super::db::{Connection, pg::Target};
use anyhow::Result;
use std::path::PathBuf;

/// Where a read-only connection to this store's data is opened.
pub(crate) enum Opener {
    Sqlite(PathBuf),
    Pg(Box<Target>),
}

impl Opener {
    /// Opens one read-only connection.
    pub(crate) fn open(&self) -> Result<Connection> {
        match self {
            Self::Sqlite(path) => {
                use rusqlite::OpenFlags as F;
                let c = rusqlite::Connection::open_with_flags(
                    path,
                    F::SQLITE_OPEN_READ_ONLY | F::SQLITE_OPEN_NO_MUTEX,
                )?;
                c.busy_timeout(std::time::Duration::from_secs(10))?;
                Ok(Connection::Sqlite(c))
            }
            Self::Pg(t) => {
                let c = t.connect()?;
                c.batch("SET default_transaction_read_only = on")?;
                Ok(Connection::Pg(c))
            }
        }
    }
}

impl Store {
    /// Where more read-only connections to this store are opened.
    pub(crate) fn reader_opener(&self) -> Opener {
        match &self.conn {
            Connection::Sqlite(_) => Opener::Sqlite(self.path.clone()),
            Connection::Pg(p) => Opener::Pg(Box::new(p.target().clone())),
        }
    }
}
