//! The PostgreSQL figures of `certready bench`: one command on SQLite and on PostgreSQL in the
//! same run (`--compare-with URL`), and `db push` into fresh databases (`--push SERVER_URL`).
//!
//! Invariants: compared runs alternate (SQLite, then PostgreSQL, then SQLite...) so drift in the
//! machine's speed hits both alike; a push always goes into a database this bench created
//! (never into one given), and the databases of all but the last run are dropped again.

use super::{Measured, exe, quantiles, workspace_arg};
use anyhow::{Context, Result, bail};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// Times `args` (ending in `--stats`) `runs` times on the SQLite file and on `url`, alternating.
pub fn compare(args: &[String], url: &str, runs: usize) -> Result<ExitCode> {
    let (mut sqlite, mut pg) = (Measured::default(), Measured::default());
    for _ in 0..runs.max(1) {
        sqlite.once(args, None)?;
        pg.once(args, Some(url))?;
    }
    let a = sqlite.print(args, " [SQLite]");
    let b = pg.print(args, " [PostgreSQL]");
    println!(
        "PostgreSQL/SQLite median ratio: {:.2} (budget 2.00: {})",
        b / a,
        if b <= 2.0 * a { "within" } else { "OVER" }
    );
    Ok(ExitCode::SUCCESS)
}

pub use crate::store::db::pg::with_database;

/// Creates an empty database named `name` (UTF-8, C collation) on `server`; returns its URL.
pub fn create_database(server: &str, name: &str) -> Result<String> {
    let conn = crate::store::db::pg::connect_url(server)
        .with_context(|| format!("cannot connect to the PostgreSQL server {server}"))?;
    conn.batch(&format!(
        "CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
    ))
    .with_context(|| format!("cannot create database {name}"))?;
    Ok(with_database(server, name))
}

/// Drops a database this bench created.
pub fn drop_database(server: &str, name: &str) -> Result<()> {
    let conn = crate::store::db::pg::connect_url(server)?;
    conn.batch(&format!("DROP DATABASE IF EXISTS \"{name}\""))?;
    Ok(())
}

/// Times `db push` of this workspace into a fresh database on `server`, `runs` times.
pub fn push(server: &str, runs: usize) -> Result<ExitCode> {
    let ws = workspace_arg().unwrap_or_else(|| ".".to_owned());
    let runs = runs.max(1);
    let (mut secs, mut rows) = (Vec::new(), 0u64);
    let mut kept = String::new();
    for n in 0..runs {
        let name = format!("certready_bench_push_{}_{n}", std::process::id());
        let url = create_database(server, &name)?;
        let t = Instant::now();
        let out = Command::new(exe()?)
            .args(["--workspace", &ws, "db", "push", &url])
            .env_remove("CERTREADY_DATABASE_URL")
            .stdin(Stdio::null())
            .output()?;
        let s = t.elapsed().as_secs_f64();
        if !out.status.success() {
            let _ = drop_database(server, &name);
            bail!(
                "db push failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        let text = String::from_utf8_lossy(&out.stdout);
        // "pushed FILE to DB: N rows in T tables; ..."
        rows = text
            .split(": ")
            .nth(1)
            .and_then(|t| t.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .context("db push printed no row count")?;
        println!("run {}: {s:.1} s, {:.0} rows/s", n + 1, rows as f64 / s);
        secs.push(s);
        if n + 1 < runs {
            drop_database(server, &name)?;
        } else {
            kept = url;
        }
    }
    let (median, p95, min) = quantiles(&mut secs);
    println!(
        "db push of {ws} ({rows} rows): runs={runs} median_s={median:.1} p95_s={p95:.1} min_s={min:.1} rows_per_s={:.0}",
        rows as f64 / median
    );
    println!("kept the last copy: {kept}");
    Ok(ExitCode::SUCCESS)
}
