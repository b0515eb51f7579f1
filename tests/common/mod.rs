//! Helpers shared by the end-to-end test binaries: the built binary, fixture paths, commands
//! that must succeed, fresh workspaces and the evidence count (and in `pg`, the PostgreSQL
//! server and fresh databases on it). Each test binary compiles its own copy and uses a subset,
//! hence the `dead_code` allowance.

#![allow(dead_code)]

pub mod pg;
pub mod pgws;

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// The built `certready` binary as a command, with checkpoint keys kept in a folder of this
/// test process (never the user's own configuration).
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_certready"));
    c.env("CERTREADY_KEY_DIR", key_dir());
    c
}

/// The folder this test process keeps checkpoint keys in.
pub fn key_dir() -> PathBuf {
    std::env::temp_dir().join(format!("certready-test-keys-{}", std::process::id()))
}

/// A file under `fixtures/`.
pub fn fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(p)
}

/// `certready --workspace WS ARGS`, which must succeed; returns its standard output.
pub fn run(ws: &Path, args: &[&str]) -> String {
    let out = bin()
        .arg("--workspace")
        .arg(ws)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Creates a workspace at `ws` with `certready init` (the built-in control set).
pub fn init(ws: &Path) {
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_certready"))
        .arg("init")
        .arg(ws)
        .stdout(Stdio::null())
        .status()
        .unwrap()
        .success();
    assert!(ok, "init {} failed", ws.display());
}

/// Evidence rows in the workspace's database, after checking the database is whole.
pub fn evidence_rows(ws: &Path) -> i64 {
    let c = rusqlite::Connection::open(ws.join("certready.db")).unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    c.query_row("SELECT COUNT(*) FROM evidence", [], |r| r.get(0))
        .unwrap()
}
