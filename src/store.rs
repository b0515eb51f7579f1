//! The store: the only module that speaks SQL, to one SQLite file or a PostgreSQL database.
//!
//! Invariants: SQLite runs in WAL mode with foreign keys on and a busy timeout, the file created
//! owner-only (0600); schema changes are numbered migrations (`assets/migrations` for SQLite,
//! `assets/migrations/pg` for PostgreSQL); every multi-row write runs in one writer
//! transaction (SQLite `BEGIN IMMEDIATE`, PostgreSQL an advisory writer lock: it takes the
//! write lock up front, so concurrent writers queue instead of failing with a stale read
//! snapshot) and is recorded in the hash-chained change log. Both backends run the same SQL
//! through [`db::Connection`].

mod apply;
mod backup;
mod catalog_change;
mod catalogs;
pub mod chain;
mod changelog;
mod checkpoint;
mod collected;
pub mod db;
mod edit;
mod evidence;
mod exercise;
pub mod files;
mod gateway_runs;
mod load;
pub mod merkle;
pub mod pg_schema;
mod reader;
mod rechain;
mod review;
mod roles;
mod sources;
mod transfer;
mod verify;

pub use apply::{ApplyReport, BatchReport, EntityCounts, ImportBatch};
pub use changelog::{ChangeEntry, current_user};
pub use checkpoint::{LogHead, TreeHeads, Trees, compare as compare_heads};
pub use collected::Ingested;
pub use edit::{Edit, NewTask};
pub use evidence::{NewEvidence, RETENTION_META};
pub use evidence::{StoredFields, evidence_link};
pub use exercise::ExerciseRow;
pub use load::{EvidenceRecord, Known, Note};
pub use review::ReviewRecord;
pub use roles::role_names;
pub use sources::{PurgeReport, SourceRow};
pub use transfer::CopyReport;
pub use verify::VerifyReport;

use crate::store::db::Connection;
use anyhow::{Context, Result};
use rusqlite_migration::{M, Migrations};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The numbered migrations, applied in order; `PRAGMA user_version` records the last one.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("../assets/migrations/0001_init.sql")),
        M::up(include_str!("../assets/migrations/0002_evidence_facts.sql")),
        M::up(include_str!(
            "../assets/migrations/0003_evidence_by_source.sql"
        )),
        M::up(include_str!("../assets/migrations/0004_collectors.sql")),
        M::up(include_str!("../assets/migrations/0005_mapping_review.sql")),
        // Version 6 (chain version 2) re-links existing rows: see `rechain::migrate`.
        M::up(include_str!(
            "../assets/migrations/0006_evidence_chain_v2.sql"
        )),
        M::up(include_str!("../assets/migrations/0007_review_record.sql")),
        M::up(include_str!(
            "../assets/migrations/0008_catalog_retired.sql"
        )),
    ])
}

/// An open workspace database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating owner-only if missing) and migrates the SQLite database at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        if !path.exists() {
            create_owner_only(path)?;
        }
        let mut conn = rusqlite::Connection::open(path)
            .with_context(|| format!("cannot open database {}", path.display()))?;
        conn.busy_timeout(Duration::from_secs(10))?;
        // The collectors' writer alone reuses a dozen statements per observation.
        conn.set_prepared_statement_cache_capacity(64);
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "cache_size", -32_768)?;
        let at: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let m = migrations();
        let fail = || format!("cannot migrate database {}", path.display());
        if at < rechain::BEFORE {
            m.to_version(&mut conn, usize::try_from(rechain::BEFORE)?)
                .with_context(fail)?;
        }
        let conn = Connection::Sqlite(conn);
        if at <= rechain::BEFORE {
            rechain::migrate(&conn).with_context(fail)?;
        }
        let Connection::Sqlite(mut conn) = conn else {
            unreachable!("opened as SQLite")
        };
        m.to_latest(&mut conn).with_context(fail)?;
        Ok(Self {
            conn: Connection::Sqlite(conn),
            path: path.to_owned(),
        })
    }

    /// Opens and migrates the PostgreSQL database `url` for the workspace folder `dir`
    /// (attached files and the configuration stay in the folder).
    /// After a migration, the roles `db roles` created get their grants again (a new table
    /// included).
    pub fn open_postgres(url: &str, dir: &Path) -> Result<Self> {
        let pg = db::pg::connect_url(url)?;
        let (before, after) = {
            let mut client = pg.client();
            let before = pg_schema::version(&mut client)?;
            (before, pg_schema::migrate_from(&mut client, before)?)
        };
        let store = Self {
            conn: Connection::Pg(pg),
            path: dir.join(DB_FILE),
        };
        if before > 0 && after > before {
            store.regrant_roles()?;
        }
        Ok(store)
    }

    /// The database file's path. On PostgreSQL, where the file would be: its folder is the
    /// workspace's, which holds the attached files.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Which backend holds the data.
    pub fn backend(&self) -> db::Backend {
        self.conn.backend()
    }

    /// Where the data lives, for messages: the file, or `user@host:port/database`.
    pub fn describe(&self) -> String {
        match &self.conn {
            Connection::Sqlite(_) => self.path.display().to_string(),
            Connection::Pg(p) => format!("postgres {}", p.target().describe()),
        }
    }

    /// The connection's SQLite handle, or a clear refusal naming `what` on PostgreSQL.
    pub(crate) fn sqlite(&self, what: &str) -> Result<&rusqlite::Connection> {
        self.conn.sqlite().ok_or_else(|| {
            anyhow::anyhow!(
                "{what} works on a SQLite workspace; on PostgreSQL use `certready db pull`"
            )
        })
    }

    /// The schema version.
    pub fn schema_version(&self) -> Result<i64> {
        match &self.conn {
            Connection::Sqlite(c) => Ok(c.pragma_query_value(None, "user_version", |r| r.get(0))?),
            Connection::Pg(_) => {
                Ok(self
                    .conn
                    .query_row("SELECT version FROM certready_schema", [], |r| r.get(0))?)
            }
        }
    }

    /// Changes whenever another connection (another `certready` process) commits to the
    /// database, never for this connection's own writes: SQLite's `PRAGMA data_version`, or
    /// the count of other sessions' change notifications on PostgreSQL.
    pub fn data_version(&self) -> Result<i64> {
        match &self.conn {
            Connection::Sqlite(c) => Ok(c.pragma_query_value(None, "data_version", |r| r.get(0))?),
            Connection::Pg(p) => Ok(p.data_version()?),
        }
    }

    /// Whether the database already holds a workspace (its catalogs are installed).
    pub fn holds_workspace(&self) -> Result<bool> {
        let n: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM frameworks", [], |r| r.get(0))?;
        Ok(n > 0)
    }

    /// Reads a meta value.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        use crate::store::db::OptionalExtension;
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Sets a meta value when it differs (no write otherwise).
    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        if self.meta(key)?.as_deref() != Some(value) {
            self.conn.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )?;
        }
        Ok(())
    }
}

/// The SQLite file's name inside a workspace folder.
pub const DB_FILE: &str = "certready.db";

#[cfg(unix)]
pub(crate) fn create_owner_only(path: &Path) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot create database {}", path.display()))?;
    Ok(())
}

#[cfg(not(unix))]
pub(crate) fn create_owner_only(path: &Path) -> Result<()> {
    std::fs::File::create(path)
        .with_context(|| format!("cannot create database {}", path.display()))?;
    Ok(())
}
