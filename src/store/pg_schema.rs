//! The PostgreSQL schema: numbered migrations in `assets/migrations/pg`, applied in order.
//!
//! Invariants: each migration runs in its own transaction together with the bump of the
//! version it reaches, so a failed migration leaves no trace; every such transaction first takes
//! a transaction-scoped advisory lock, so processes migrating the same database at once apply
//! each migration exactly once; `certready_schema` holds a single row, the number of the last
//! migration applied (the table is created, empty meaning 0, on first use); a database whose
//! version is newer than this build knows is refused, never touched.

use anyhow::{Context, Result, bail};
use postgres::{Client, Transaction};

/// The numbered migrations, applied in order; `certready_schema.version` records the last one.
const MIGRATIONS: &[&str] = &[
    include_str!("../../assets/migrations/pg/0001_init.sql"),
    include_str!("../../assets/migrations/pg/0002_live.sql"),
    include_str!("../../assets/migrations/pg/0003_facts_cover.sql"),
    include_str!("../../assets/migrations/pg/0004_roles_kept.sql"),
];

/// The advisory lock key serializing migrations ("certread" in ASCII).
const LOCK_KEY: i64 = 0x6365_7274_7265_6164;

/// Brings the database to the latest schema; returns its version (the number of the last
/// migration). A second call applies nothing and returns the same version.
pub fn migrate(client: &mut Client) -> Result<i64> {
    let current = version(client)?;
    migrate_from(client, current)
}

/// [`migrate`] for a caller that has just read the version (`current`, from [`version`]).
pub fn migrate_from(client: &mut Client, current: i64) -> Result<i64> {
    let latest = i64::try_from(MIGRATIONS.len())?;
    // Up to date: nothing to lock or create (a reader may not create anything).
    if current == latest {
        return Ok(latest);
    }
    loop {
        let mut tx = client
            .transaction()
            .context("cannot begin a schema migration")?;
        let version = lock_and_read(&mut tx)?;
        if version > latest {
            bail!(
                "the database's schema version {version} is newer than this certready knows \
                 ({latest}); upgrade certready"
            );
        }
        if version == latest {
            tx.commit()?;
            return Ok(version);
        }
        let next = version + 1;
        let sql = MIGRATIONS[usize::try_from(version)?];
        tx.batch_execute(sql)
            .with_context(|| format!("PostgreSQL schema migration {next} failed"))?;
        let updated = tx.execute("UPDATE certready_schema SET version = $1", &[&next])?;
        if updated == 0 {
            tx.execute(
                "INSERT INTO certready_schema (version) VALUES ($1)",
                &[&next],
            )?;
        }
        tx.commit()
            .with_context(|| format!("cannot commit PostgreSQL schema migration {next}"))?;
    }
}

/// The schema version without taking any lock: 0 before the first migration.
pub fn version(client: &mut Client) -> Result<i64> {
    let exists: bool = client
        .query_one("SELECT to_regclass('certready_schema') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        return Ok(0);
    }
    Ok(client
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM certready_schema",
            &[],
        )?
        .get(0))
}

/// Takes the migration lock for this transaction, creates the version table when missing and
/// reads the version (0 before the first migration).
fn lock_and_read(tx: &mut Transaction<'_>) -> Result<i64> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])
        .context("cannot take the schema migration lock")?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS certready_schema (version BIGINT NOT NULL)")
        .context("cannot create the schema version table")?;
    let rows = tx.query("SELECT version FROM certready_schema", &[])?;
    match rows.as_slice() {
        [] => Ok(0),
        [row] => Ok(row.get(0)),
        _ => bail!("certready_schema holds {} rows, expected one", rows.len()),
    }
}
