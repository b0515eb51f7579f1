//! Moving a workspace between SQLite and PostgreSQL: the demo pushed and pulled back gives
//! byte-identical `status --json` and `verify` (attached files stay in the folder and are
//! rehashed from there); a PostgreSQL → SQLite → PostgreSQL round trip keeps both chain heads;
//! a password in a URL argument is refused in one line before anything connects; a pull never
//! overwrites a file.

mod common;

use common::bin;
use common::pg::fresh_database;
use common::pgws::{AS_OF, demo, stderr};
use std::net::TcpListener;
use std::path::Path;
use std::process::Output;

/// The heads of the evidence chain and the change log.
const HEADS: [&str; 2] = [
    "SELECT chain_hash FROM evidence ORDER BY seq DESC LIMIT 1",
    "SELECT chain_hash FROM change_log ORDER BY seq DESC LIMIT 1",
];

/// `certready --workspace WS [--database URL] ARGS`.
fn cmd(ws: &Path, db: Option<&str>, args: &[&str]) -> Output {
    let mut c = bin();
    c.arg("--workspace").arg(ws);
    if let Some(u) = db {
        c.arg("--database").arg(u);
    }
    c.args(args).output().unwrap()
}

fn ok(ws: &Path, db: Option<&str>, args: &[&str]) -> String {
    let out = cmd(ws, db, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

/// `status --json` and `verify` of a workspace.
fn outputs(ws: &Path, db: Option<&str>) -> (String, String) {
    (
        ok(ws, db, &["status", "--json", "--as-of", AS_OF]),
        ok(ws, db, &["verify"]),
    )
}

/// A new workspace folder holding `db_file` as its SQLite file, with `from`'s config and
/// attached files.
fn workspace_from(from: &Path, db_file: &Path, to: &Path) {
    std::fs::create_dir_all(to.join("evidence")).unwrap();
    std::fs::copy(from.join("certready.toml"), to.join("certready.toml")).unwrap();
    std::fs::copy(db_file, to.join("certready.db")).unwrap();
    for e in std::fs::read_dir(from.join("evidence")).unwrap() {
        let e = e.unwrap();
        assert!(e.file_type().unwrap().is_file(), "flat evidence folder");
        std::fs::copy(e.path(), to.join("evidence").join(e.file_name())).unwrap();
    }
}

#[test]
fn push_then_pull_gives_the_same_workspace_and_pg_sqlite_pg_keeps_the_heads() {
    let tmp = tempfile::tempdir().unwrap();
    let orig = tmp.path().join("orig");
    demo(&orig);
    let file = tmp.path().join("mfa-export.txt");
    std::fs::write(&file, "admin MFA export\n").unwrap();
    ok(
        &orig,
        None,
        &[
            "evidence",
            "add",
            "GW-MFA-01",
            file.to_str().unwrap(),
            "--effective",
            "2026-11-02",
        ],
    );
    let (status, verify) = outputs(&orig, None);
    assert!(verify.contains("attached files: 1 rehashed"), "{verify}");

    let db1 = fresh_database("transfer_push");
    let pushed = ok(&orig, None, &["db", "push", &db1]);
    assert!(pushed.contains("chains intact"), "{pushed}");
    // The push leaves the facts vacuumed and every table analysed, so the first `status`
    // reads the facts by an index-only scan instead of visiting every row.
    let (all_visible, analysed): (bool, bool) = {
        let row = common::pg::connect(&db1)
            .query_one(
                "SELECT relallvisible > 0, reltuples >= 0 FROM pg_class
                 WHERE relname = 'evidence_facts'",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1))
    };
    assert!(
        all_visible && analysed,
        "evidence_facts not vacuumed after the push"
    );
    assert_eq!(outputs(&orig, Some(&db1)), (status.clone(), verify.clone()));

    let pulled = tmp.path().join("pulled.db");
    ok(&orig, Some(&db1), &["db", "pull", pulled.to_str().unwrap()]);
    let back = tmp.path().join("back");
    workspace_from(&orig, &pulled, &back);
    assert_eq!(outputs(&back, None), (status.clone(), verify.clone()));

    // PostgreSQL → SQLite → PostgreSQL: the second database verifies with the same heads.
    let db2 = fresh_database("transfer_again");
    ok(&back, None, &["db", "push", &db2]);
    assert_eq!(outputs(&back, Some(&db2)), (status, verify.clone()));
    assert_eq!(ok(&orig, Some(&db1), &["verify"]), verify);
    let heads = |db: &str| -> Vec<String> {
        let mut c = common::pg::connect(db);
        HEADS
            .iter()
            .map(|q| c.query_one(*q, &[]).unwrap().get(0))
            .collect()
    };
    let sqlite = rusqlite::Connection::open(orig.join("certready.db")).unwrap();
    let original: Vec<String> = HEADS
        .iter()
        .map(|q| sqlite.query_row(q, [], |r| r.get(0)).unwrap())
        .collect();
    assert_eq!(heads(&db1), original);
    assert_eq!(heads(&db2), original);
}

#[test]
fn a_password_in_a_url_argument_is_refused_before_anything_connects() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    demo(&ws);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let url = format!("postgres://alice:hunter2-secret@127.0.0.1:{port}/certready");
    for args in [
        vec!["db", "push", url.as_str()],
        vec!["--database", url.as_str(), "status"],
        vec!["--database", url.as_str(), "db", "pull", "x.db"],
    ] {
        let out = bin()
            .arg("--workspace")
            .arg(&ws)
            .args(&args)
            .output()
            .unwrap();
        let err = stderr(&out);
        assert!(!out.status.success(), "{args:?}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains("password is refused"), "{err}");
        assert!(
            !err.contains("hunter2") && !String::from_utf8_lossy(&out.stdout).contains("hunter2")
        );
        assert!(
            matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
            "{args:?} connected to the server"
        );
    }
    assert!(!ws.join("x.db").exists() && !Path::new("x.db").exists());
}

#[test]
fn a_pull_never_overwrites_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    demo(&ws);
    let db = fresh_database("transfer_exists");
    ok(&ws, None, &["db", "push", &db]);
    let target = tmp.path().join("already.db");
    std::fs::write(&target, b"keep me").unwrap();
    let out = cmd(&ws, Some(&db), &["db", "pull", target.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read(&target).unwrap(), b"keep me");
    // A second push into the filled database is refused too, leaving it as it was.
    let before = outputs(&ws, Some(&db));
    let out = cmd(&ws, None, &["db", "push", &db]);
    assert!(
        !out.status.success() && stderr(&out).contains("not empty"),
        "{}",
        stderr(&out)
    );
    assert_eq!(outputs(&ws, Some(&db)), before);
}
