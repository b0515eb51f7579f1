//! Helpers shared by the end-to-end test binaries: the built binary, fixture paths, commands
//! that must succeed, fresh workspaces and the evidence count (in `backend`, which store this
//! binary's workspaces use: SQLite, or PostgreSQL for the `pg_matrix_*` copies of a suite; in
//! `pg`, the PostgreSQL server and fresh databases on it). Each test binary compiles its own
//! copy and uses a subset, hence the `dead_code` allowance. Paths inside these modules are
//! relative (`super::`), since a matrix copy mounts this folder under another module path.

#![allow(dead_code)]

pub mod backend;
pub mod pg;
pub mod pgws;

#[allow(unused_imports)]
pub use backend::{Backend, backend, bin_for, bin_in, count, db, workspace};

use assert_cmd::Command;
use std::path::{Path, PathBuf};

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

/// `certready --workspace WS ARGS` on this binary's backend, which must succeed; returns its
/// standard output.
pub fn run(ws: &Path, args: &[&str]) -> String {
    let out = bin_in(ws).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Creates a workspace at `ws` with `certready init` (the built-in control set), on this
/// binary's backend.
pub fn init(ws: &Path) {
    let out = bin_for(ws).arg("init").arg(ws).output().unwrap();
    assert!(
        out.status.success(),
        "init {} failed: {}",
        ws.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Evidence rows in the workspace's store, after checking (on SQLite) the file is whole.
pub fn evidence_rows(ws: &Path) -> i64 {
    let c = db(ws);
    if let Some(file) = c.sqlite() {
        let ok: String = file
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
    }
    c.query_row("SELECT COUNT(*) FROM evidence", [], |r| r.get(0))
        .unwrap()
}
