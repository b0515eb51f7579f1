//! Workspaces kept in PostgreSQL for the end-to-end tests: the demo written into a SQLite
//! workspace and pushed into a fresh database, and the built binary run against either
//! backend. A SQLite run never sees `CERTREADY_DATABASE_URL` (it is removed from the child's
//! environment), a PostgreSQL run always has it, so the same `--workspace` folder is read from
//! the backend the test names and from no other. In `roles`, such a workspace with the
//! certready roles granted to login users.

mod roles;

#[allow(unused_imports)]
pub use roles::{PgWs, as_user};

use super::{bin, pg};
use std::path::{Path, PathBuf};
use std::process::Output;

/// The review date every test scores with.
pub const AS_OF: &str = "2026-11-30";

/// A demo workspace folder (its SQLite file intact) and the PostgreSQL database it was pushed to.
pub struct Pushed {
    pub dir: tempfile::TempDir,
    pub ws: PathBuf,
    pub url: String,
}

/// Writes the demo into a new folder (as of [`AS_OF`]), without touching any database.
pub fn demo_sqlite() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("demo");
    demo(&ws);
    (dir, ws)
}

/// Writes the demo (as of [`AS_OF`]) into the SQLite workspace `ws`.
pub fn demo(ws: &Path) {
    let out = sqlite(ws, &[])
        .args(["demo"])
        .arg(ws)
        .args(["--as-of", AS_OF])
        .output()
        .unwrap();
    assert!(out.status.success(), "demo: {}", stderr(&out));
}

/// A command's standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The demo in a SQLite workspace, pushed with `db push` into a fresh database.
pub fn demo_pushed(label: &str) -> Pushed {
    let (dir, ws) = demo_sqlite();
    let url = pg::fresh_database(label);
    let out = run_sqlite(&ws, &["db", "push", &url]);
    assert!(
        out.status.success(),
        "db push: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Pushed { dir, ws, url }
}

/// `certready --workspace WS ARGS` on the workspace's SQLite file (not yet run).
pub fn sqlite(ws: &Path, args: &[&str]) -> assert_cmd::Command {
    let mut c = bin();
    c.env_remove("CERTREADY_DATABASE_URL");
    if !args.is_empty() {
        c.arg("--workspace").arg(ws).args(args);
    }
    c
}

/// `certready --workspace WS ARGS` with the workspace's data in the database at `url`.
pub fn postgres(ws: &Path, url: &str, args: &[&str]) -> assert_cmd::Command {
    let mut c = bin();
    c.env("CERTREADY_DATABASE_URL", url)
        .arg("--workspace")
        .arg(ws)
        .args(args);
    c
}

/// Runs [`sqlite`] and returns its output, whatever its exit status.
pub fn run_sqlite(ws: &Path, args: &[&str]) -> Output {
    sqlite(ws, args).output().unwrap()
}

/// Runs [`postgres`] and returns its output, whatever its exit status.
pub fn run_pg(ws: &Path, url: &str, args: &[&str]) -> Output {
    postgres(ws, url, args).output().unwrap()
}

/// Standard output of a run that must succeed.
pub fn ok(out: Output, what: &str) -> Vec<u8> {
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Standard error of a run that must fail.
pub fn failed(out: &Output, what: &str) -> String {
    assert!(
        !out.status.success(),
        "{what} succeeded: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file under `root`, as paths relative to it, sorted.
pub fn files_under(root: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.push(p.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

/// Asserts the trees under `a` and `b` hold the same file names with the same bytes; returns
/// how many files were compared.
pub fn same_tree(a: &Path, b: &Path) -> usize {
    let (fa, fb) = (files_under(a), files_under(b));
    assert_eq!(
        fa,
        fb,
        "{} and {} list different files",
        a.display(),
        b.display()
    );
    assert!(!fa.is_empty(), "{} is empty", a.display());
    for f in &fa {
        let (x, y) = (
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
        );
        assert!(x == y, "{} differs between the backends", f.display());
    }
    fa.len()
}
