//! The PostgreSQL server the tests run against, and fresh databases on it.
//!
//! `CERTREADY_TEST_PG` (a connection URL, as `.ci/run` sets it) names a running server; when it
//! is unset, the first call in a test binary starts a throwaway cluster with `.ci/pg start` in a
//! temporary directory, and a detached watchdog stops it and removes the directory once this
//! test process has exited. A server that cannot be installed or started fails the test with
//! one message; nothing is skipped. Each test takes its own database, so tests never share
//! tables.

use postgres::{Client, NoTls};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// The environment variable naming a running server's URL.
pub const ENV: &str = "CERTREADY_TEST_PG";

/// The server's URL (its `postgres` database, as a superuser).
pub fn server_url() -> String {
    static STARTED: OnceLock<Result<String, String>> = OnceLock::new();
    if let Ok(url) = std::env::var(ENV)
        && !url.is_empty()
    {
        return url;
    }
    match STARTED.get_or_init(start_cluster) {
        Ok(url) => url.clone(),
        Err(e) => panic!("PostgreSQL for the tests: {e}"),
    }
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci").join("pg")
}

/// Starts a cluster in a new temporary directory, with the watchdog that stops it.
fn start_cluster() -> Result<String, String> {
    let dir = tempfile::Builder::new()
        .prefix("certready-pg-")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary directory: {e}"))?
        .keep();
    cluster_in(&dir)
}

/// Starts (or restarts, after [`stop_cluster`]) the cluster in `dir` with `.ci/pg start`, and
/// the first time the watchdog that stops it and removes `dir` once this process has ended.
pub fn cluster_in(dir: &Path) -> Result<String, String> {
    let fresh = !dir.join("data").exists();
    let out = Command::new(script())
        .arg("start")
        .arg(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", script().display()))?;
    // The watchdog goes first, so even a half-started cluster is cleaned up.
    if fresh {
        watchdog(dir)?;
    }
    let url = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if !out.status.success() || url.is_empty() {
        return Err(format!(
            "`.ci/pg start {}` failed ({}): {}",
            dir.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(url)
}

/// Stops the cluster in `dir` (`.ci/pg stop`).
pub fn stop_cluster(dir: &Path) {
    let ok = Command::new(script())
        .arg("stop")
        .arg(dir)
        .stdin(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "`.ci/pg stop {}` failed", dir.display());
}

/// A detached shell that waits for this process to end, then stops the cluster in `dir` and
/// removes the directory.
fn watchdog(dir: &Path) -> Result<(), String> {
    use std::os::unix::process::CommandExt;
    Command::new("sh")
        .arg("-c")
        .arg(r#"while kill -0 "$1" 2>/dev/null; do sleep 1; done; "$2" stop "$3"; rm -rf "$3""#)
        .arg("pg-watchdog")
        .arg(std::process::id().to_string())
        .arg(script())
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map(drop)
        .map_err(|e| format!("cannot start the cluster's watchdog: {e}"))
}

/// A connection to the database at `url` (unix socket or local server, no TLS).
pub fn connect(url: &str) -> Client {
    Client::connect(url, NoTls).unwrap_or_else(|e| panic!("cannot connect to PostgreSQL: {e}"))
}

/// Creates a new, empty, uniquely named database (UTF-8, C collation) and returns its URL.
pub fn fresh_database(label: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let clean: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(24)
        .collect();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let name = format!(
        "t_{clean}_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let server = server_url();
    connect(&server)
        .batch_execute(&format!(
            "CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' \
             LC_COLLATE 'C' LC_CTYPE 'C'"
        ))
        .unwrap_or_else(|e| panic!("cannot create database {name}: {e}"));
    with_database(&server, &name)
}

pub use certready::store::db::pg::with_database;
