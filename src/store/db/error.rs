//! The store's database error: either backend's, or a row that did not exist.
//!
//! Invariant: "no row" is one variant whichever backend ran the query, so `optional()` and
//! callers that test for it behave the same on both.

/// A database error.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// SQLite reported it.
    #[error(transparent)]
    Sqlite(rusqlite::Error),
    /// PostgreSQL reported it.
    #[error("{}", pg_text(.0))]
    Pg(#[from] postgres::Error),
    /// `query_row` found no row.
    #[error("query returned no rows")]
    NoRows,
    /// A column or parameter could not be converted.
    #[error("{0}")]
    Conversion(String),
}

fn pg_text(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut s = format!("{}: {}", db.severity(), db.message());
            if let Some(d) = db.detail() {
                s.push_str(&format!(" ({d})"));
            }
            s
        }
        None => e.to_string(),
    }
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::QueryReturnedNoRows => Self::NoRows,
            e => Self::Sqlite(e),
        }
    }
}

impl From<rusqlite::types::FromSqlError> for DbError {
    fn from(e: rusqlite::types::FromSqlError) -> Self {
        Self::Conversion(e.to_string())
    }
}

impl DbError {
    /// The SQLSTATE code PostgreSQL gave, if any.
    pub fn pg_code(&self) -> Option<&str> {
        match self {
            Self::Pg(e) => e.code().map(postgres::error::SqlState::code),
            _ => None,
        }
    }

    /// Whether PostgreSQL refused for lack of privilege (a reader editing, say).
    pub fn is_permission_denied(&self) -> bool {
        self.pg_code() == Some("42501")
    }

    /// Whether the failure passes with time (SQLite busy/locked/full/I-O; a lost or
    /// serialization-failed PostgreSQL connection, or a lock wait that ran past the session's
    /// `lock_timeout`, PostgreSQL's counterpart of SQLite's busy timeout).
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Sqlite(e) => sqlite_transient(e),
            Self::Pg(e) => {
                e.is_closed()
                    || matches!(
                        e.code().map(postgres::error::SqlState::code),
                        Some("40001" | "40P01" | "53100" | "55P03" | "57P01" | "08006" | "08003")
                    )
            }
            _ => false,
        }
    }
}

/// Whether a SQLite error passes with time: the disk is full, the database is busy or locked,
/// or the file system failed (SQLITE_FULL, BUSY, LOCKED, IOERR, CANTOPEN, READONLY, NOMEM).
fn sqlite_transient(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode as C;
    matches!(
        e.sqlite_error_code(),
        Some(
            C::DatabaseBusy
                | C::DatabaseLocked
                | C::DiskFull
                | C::SystemIoFailure
                | C::CannotOpen
                | C::ReadOnly
                | C::OutOfMemory
        )
    )
}

/// Whether any cause in `e`'s chain is a store failure that passes with time (either
/// backend's, or rusqlite's own from opening the file).
pub fn transient(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<DbError>()
            .is_some_and(DbError::is_transient)
            || c.downcast_ref::<rusqlite::Error>()
                .is_some_and(sqlite_transient)
    })
}

/// The store's result type.
pub type Result<T, E = DbError> = std::result::Result<T, E>;

/// `optional()` as rusqlite has it: "no row" becomes `None`.
pub trait OptionalExtension<T> {
    /// `Ok(None)` for "no row"; other errors stay errors.
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(DbError::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
