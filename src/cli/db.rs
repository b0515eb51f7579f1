//! `certready db`: the workspace in PostgreSQL: roles, push (SQLite to PostgreSQL) and pull
//! (PostgreSQL to a new SQLite file).
//!
//! Invariants: a push or pull verifies both hash chains before it copies and verifies the copy
//! again where it landed, comparing the heads; a failed check leaves the destination as it was
//! (the copy is one transaction; a pulled file that fails is removed). A URL with a password
//! is never taken from the command line (refused before any connection). Only the database
//! moves: `certready.toml` and the attached files under `evidence/` stay in the workspace
//! folder, which both backends share (the rows keep each file's digest, so `verify` rehashes
//! them either way); a pulled file is used by copying it into a workspace folder as
//! `certready.db` next to that config and `evidence/`. Progress is a bar on stderr when it is
//! a terminal, nothing otherwise.

use crate::store::{Store, db::pg::password_in_url, role_names};
use crate::workspace::Workspace;
use anyhow::{Context, Result, bail};
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// `db` subcommands.
#[derive(Subcommand, Debug)]
pub enum DbCommand {
    /// Create the reader (reviewers, auditors: read only), editor (the compliance team) and
    /// collector (appends evidence and source state) roles in the --database; grant them to
    /// people with `GRANT certready_editor TO alice`.
    Roles {
        /// Name prefix of the three roles.
        #[arg(long, default_value = "certready")]
        prefix: String,
    },
    /// Copy this workspace's SQLite data into an empty PostgreSQL database (URL, else
    /// --database or CERTREADY_DATABASE_URL), verifying the chains before and after.
    Push {
        /// The database (no password here: use CERTREADY_DATABASE_URL or ~/.pgpass).
        url: Option<String>,
    },
    /// Write a SQLite copy of the PostgreSQL workspace (for an auditor or a laptop offline),
    /// verified the same way.
    Pull {
        /// The new SQLite file (must not exist).
        file: PathBuf,
    },
}

/// Runs a `db` subcommand.
pub fn run(ws: &Workspace, cmd: DbCommand) -> Result<ExitCode> {
    match cmd {
        DbCommand::Roles { prefix } => {
            let store = ws.open()?;
            let names = store.create_roles(&prefix)?;
            println!("roles in {}: {}", store.describe(), names.join(", "));
            let [r, e, c] = role_names(&prefix);
            println!(
                "grant them with: GRANT {r} TO <auditor>; GRANT {e} TO <lead>; GRANT {c} TO <service user>;"
            );
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Push { url } => push(ws, url.as_deref()),
        DbCommand::Pull { file } => pull(ws, &file),
    }
}

fn checked(store: &Store, what: &str) -> Result<crate::store::VerifyReport> {
    let r = store.verify()?;
    if let Some(b) = r.first_break() {
        bail!(
            "{what} ({}) fails verification, nothing was copied: {b}",
            store.describe()
        );
    }
    Ok(r)
}

fn same(
    a: &crate::store::VerifyReport,
    b: &crate::store::VerifyReport,
    dest: &Store,
) -> Result<()> {
    if let Some(x) = b.first_break() {
        bail!("the copy in {} fails verification: {x}", dest.describe());
    }
    if (a.evidence_rows, a.change_rows) != (b.evidence_rows, b.change_rows) {
        bail!(
            "the copy in {} holds {} evidence and {} change-log rows, the source {} and {}",
            dest.describe(),
            b.evidence_rows,
            b.change_rows,
            a.evidence_rows,
            a.change_rows
        );
    }
    Ok(())
}

/// A bar over the rows to copy, labelled with the table being copied.
struct Bar(std::cell::OnceCell<indicatif::ProgressBar>);

impl Bar {
    fn new() -> Self {
        Self(std::cell::OnceCell::new())
    }

    fn step(&self, table: &str, done: u64, total: u64) {
        let bar = self
            .0
            .get_or_init(|| super::progress::bar(total, "copying"));
        bar.set_message(table.to_owned());
        bar.set_position(done);
    }

    fn finish(&self) {
        if let Some(b) = self.0.get() {
            b.finish_and_clear();
        }
    }
}

fn push(ws: &Workspace, url: Option<&str>) -> Result<ExitCode> {
    let url = match url {
        Some(u) if password_in_url(u) => bail!(
            "db push: a URL with a password is refused on the command line; set CERTREADY_DATABASE_URL or put the password in ~/.pgpass"
        ),
        Some(u) => u.to_owned(),
        None => ws
            .database()
            .context("db push: name the database (URL, --database or CERTREADY_DATABASE_URL)")?
            .to_owned(),
    };
    let file = ws.db_path();
    if !file.is_file() {
        bail!("no SQLite workspace in {} to push", ws.dir().display());
    }
    ws.trusted()?;
    let start = Instant::now();
    let src = Store::open(&file)?;
    let before = checked(&src, "the workspace")?;
    let dest = Store::open_postgres(&url, ws.dir())?;
    let bar = Bar::new();
    let report = src.copy_into(&dest, &|t, d, n| bar.step(t, d, n));
    bar.finish();
    let report = report?;
    let after = dest.verify()?;
    same(&before, &after, &dest)?;
    println!(
        "pushed {} to {}: {} rows in {} tables; verified there: {} evidence and {} change-log rows, chains intact ({:.1} s)",
        file.display(),
        dest.describe(),
        report.rows(),
        report.tables.len(),
        after.evidence_rows,
        after.change_rows,
        start.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

fn pull(ws: &Workspace, file: &Path) -> Result<ExitCode> {
    if ws.database().is_none() {
        bail!("db pull: name the PostgreSQL database with --database or CERTREADY_DATABASE_URL");
    }
    if std::fs::symlink_metadata(file).is_ok() {
        bail!("{} already exists; choose a new file", file.display());
    }
    let start = Instant::now();
    let src = ws.open()?;
    let before = checked(&src, "the workspace")?;
    let result = (|| -> Result<(crate::store::CopyReport, crate::store::VerifyReport)> {
        let dest = Store::open(file)?;
        let bar = Bar::new();
        let report = src.copy_to_sqlite(&dest, &|t, d, n| bar.step(t, d, n));
        bar.finish();
        let report = report?;
        let dest = reopen(file)?;
        // Attached files stay in the workspace folder: rehash them there, not next to the file.
        let after = dest.verify_in(Some(ws.dir()))?.0;
        same(&before, &after, &dest)?;
        Ok((report, after))
    })();
    let (report, after) = match result {
        Ok(v) => v,
        Err(e) => {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
            return Err(e);
        }
    };
    println!(
        "pulled {} into {}: {} rows in {} tables; verified there: {} evidence and {} change-log rows, chains intact ({:.1} s)",
        src.describe(),
        file.display(),
        report.rows(),
        report.tables.len(),
        after.evidence_rows,
        after.change_rows,
        start.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// The pulled file opened afresh, as its next user will.
fn reopen(file: &Path) -> Result<Store> {
    Store::open(file)
}
