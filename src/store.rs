//! The SQLite store: the only module that speaks SQL.
//!
//! Invariants: WAL mode, foreign keys on, a busy timeout; schema changes are numbered
//! migrations in `assets/migrations`; every multi-row write runs in one `IMMEDIATE`
//! transaction (it takes the write lock up front, so concurrent writers queue on the busy
//! timeout instead of failing with a stale read snapshot) and is recorded in the hash-chained change log; the database file is created owner-only (0600).

mod apply;
mod backup;
mod catalog_change;
mod catalogs;
pub mod chain;
mod changelog;
mod checkpoint;
mod collected;
mod edit;
mod evidence;
mod exercise;
pub mod files;
mod gateway_runs;
mod load;
pub mod merkle;
pub mod pg_schema;
mod rechain;
mod review;
mod sources;
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
pub use sources::{PurgeReport, SourceRow};
pub use verify::VerifyReport;

use anyhow::{Context, Result};
use rusqlite::Connection;
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
        M::up_with_hook(
            include_str!("../assets/migrations/0006_evidence_chain_v2.sql"),
            rechain::to_v2,
        ),
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
    /// Opens (creating owner-only if missing) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        if !path.exists() {
            create_owner_only(path)?;
        }
        let mut conn = Connection::open(path)
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
        let m = migrations();
        m.to_latest(&mut conn)
            .with_context(|| format!("cannot migrate database {}", path.display()))?;
        Ok(Self {
            conn,
            path: path.to_owned(),
        })
    }

    /// The database file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// SQLite's `PRAGMA data_version`: changes whenever another connection (another
    /// `certready` process) commits to the database, never for this connection's own writes.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// Reads a meta value.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
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
