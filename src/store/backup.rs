//! Online backup and checked restore.
//!
//! `backup` copies the live database with SQLite's online backup API (safe while the dashboard
//! or a poller writes: the copy is a consistent snapshot); the copy is created owner-only.
//! `restore` opens the copy, recomputes both hash chains, checks every attached file's reference
//! stays inside the workspace's `evidence/` folder, and only when all that holds replaces the
//! workspace's data, again through the backup API (in one step, never half-written).

use super::{Store, create_owner_only};
use anyhow::{Context, Result, bail};
use rusqlite::{Connection, MAIN_DB, OpenFlags};
use std::path::Path;
use std::time::Duration;

impl Store {
    /// Writes a consistent copy of the database to `dest` (which must not exist).
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            bail!("{} already exists; choose a new file", dest.display());
        }
        let conn = self.sqlite("backup")?;
        create_owner_only(dest)?;
        conn.backup(MAIN_DB, dest, None)
            .with_context(|| format!("cannot back up to {}", dest.display()))?;
        Ok(())
    }

    /// Replaces this database with the copy at `src` after checking the copy's chains.
    pub fn restore_from(&mut self, src: &Path) -> Result<super::VerifyReport> {
        self.sqlite("restore")?;
        if !src.is_file() {
            bail!("no backup at {}", src.display());
        }
        // Check a scratch copy, so the backup file itself is never modified (opening migrates).
        let scratch = tempfile::tempdir()?;
        let probe = scratch.path().join("probe.db");
        {
            let from = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY)
                .with_context(|| format!("{} is not a certready database", src.display()))?;
            from.backup(MAIN_DB, &probe, None)
                .with_context(|| format!("{} is not a readable SQLite database", src.display()))?;
        }
        let checked = Store::open(&probe)
            .with_context(|| format!("{} is not a certready database", src.display()))?;
        // Attached files are not in the backup; their references must still be confined.
        let report = checked.verify_in(None)?.0;
        if let Some(b) = report.first_break() {
            bail!(
                "{} fails verification, nothing was replaced: {b}",
                src.display()
            );
        }
        let refs: Vec<(i64, String)> = checked
            .conn
            .prepare("SELECT seq, file_ref FROM evidence WHERE file_ref IS NOT NULL")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<crate::store::db::Result<_>>()?;
        for (seq, r) in refs {
            if let Err(e) = super::files::check_ref(&r) {
                bail!(
                    "{} holds evidence seq {seq} with {e}; nothing was replaced",
                    src.display()
                );
            }
        }
        let super::db::Connection::Sqlite(conn) = &mut self.conn else {
            bail!("restore works on a SQLite workspace");
        };
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.restore(MAIN_DB, &probe, None::<fn(rusqlite::backup::Progress)>)
            .context("cannot restore")?;
        Ok(report)
    }
}
