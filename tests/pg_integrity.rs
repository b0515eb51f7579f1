//! Tampering with a workspace's PostgreSQL rows as the database superuser is caught as on
//! SQLite (tests/integrity.rs): an edited evidence title, a forged change-log link and a removed
//! `evidence_facts` row each make `verify` fail naming the break; removing the change log's tail
//! is named by `verify` once it cuts below the last recorded head, and by `verify --checkpoint`
//! always. A tampered workspace is never copied: `db pull` leaves no file, `db push` leaves the
//! target database empty; `db push` into a database that holds a workspace is refused.

mod common;
use common::pg;
use common::pgws::{Pushed, demo_pushed, demo_sqlite, failed, ok, run_pg, run_sqlite};

/// Runs `sql` on the pushed workspace's database as the superuser.
fn tamper(d: &Pushed, sql: &str) {
    pg::connect(&d.url)
        .batch_execute(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// `verify` on PostgreSQL must fail; returns its error output.
fn verify_fails(d: &Pushed, args: &[&str]) -> String {
    let mut a = vec!["verify"];
    a.extend(args);
    failed(&run_pg(&d.ws, &d.url, &a), "verify of a tampered workspace")
}

/// Rows in every table of the database's `public` schema.
fn rows_in(url: &str) -> i64 {
    let mut c = pg::connect(url);
    let tables: Vec<String> = c
        .query(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    tables
        .iter()
        .map(|t| {
            c.query_one(&format!("SELECT COUNT(*) FROM \"{t}\""), &[])
                .unwrap()
                .get::<_, i64>(0)
        })
        .sum()
}

#[test]
fn each_kind_of_tampering_is_named_by_verify() {
    for (sql, words) in [
        (
            "UPDATE evidence SET title = 'all fine' WHERE seq = 5",
            "evidence seq 5 (control GW-VUL-02): chain hash does not match",
        ),
        (
            "UPDATE change_log SET chain_hash = repeat('0', 64) WHERE seq = 10",
            "change_log seq 10: chain hash does not match",
        ),
        (
            "DELETE FROM evidence_facts WHERE ctid = (SELECT MIN(ctid) FROM evidence_facts)",
            "evidence_facts differs from the evidence",
        ),
        // The last row is `db push`'s own record, which holds the same evidence head as the one
        // before it; cutting one more reaches a row whose recorded head no longer matches.
        (
            "DELETE FROM change_log WHERE seq > (SELECT MAX(seq) - 2 FROM change_log)",
            "recorded head",
        ),
        (
            "DELETE FROM evidence WHERE seq > (SELECT MAX(seq) - 2 FROM evidence)",
            "rows were removed or added outside certready",
        ),
    ] {
        let d = demo_pushed("integrity_tamper");
        let report = ok(
            run_pg(&d.ws, &d.url, &["verify"]),
            "verify before tampering",
        );
        let report = String::from_utf8(report).unwrap();
        assert!(
            report.contains("rows ok; change log: ") && report.contains("derived tables: ok"),
            "{report}"
        );
        tamper(&d, sql);
        let err = verify_fails(&d, &[]);
        assert!(err.contains("verify failed"), "{sql}: {err}");
        assert!(err.contains(words), "{sql}: expected `{words}` in: {err}");
    }
}

#[test]
fn a_checkpoint_proves_the_tail_on_postgres() {
    let d = demo_pushed("integrity_checkpoint");
    let cp = d.dir.path().join("cp.json");
    ok(
        run_pg(
            &d.ws,
            &d.url,
            &["checkpoint", "--out", cp.to_str().unwrap()],
        ),
        "checkpoint",
    );
    let cp_arg = ["--checkpoint", cp.to_str().unwrap()];
    let mut a = vec!["verify"];
    a.extend(cp_arg);
    let out = String::from_utf8(ok(run_pg(&d.ws, &d.url, &a), "verify --checkpoint")).unwrap();
    assert!(
        out.contains("extends it (consistency proof verified)"),
        "{out}"
    );
    // The checkpoint's own record comes after what it signed; cut into the signed rows.
    tamper(
        &d,
        "DELETE FROM change_log WHERE seq > (SELECT MAX(seq) - 2 FROM change_log)",
    );
    let err = verify_fails(&d, &cp_arg);
    assert!(err.contains("change log: the checkpoint holds"), "{err}");
}

#[test]
fn a_tampered_workspace_is_neither_pulled_nor_pushed() {
    let d = demo_pushed("integrity_pull");
    tamper(&d, "UPDATE evidence SET title = 'all fine' WHERE seq = 7");
    let file = d.dir.path().join("pulled.db");
    let err = failed(
        &run_pg(&d.ws, &d.url, &["db", "pull", file.to_str().unwrap()]),
        "db pull",
    );
    assert!(
        err.contains("fails verification, nothing was copied"),
        "{err}"
    );
    assert!(err.contains("evidence seq 7"), "{err}");
    assert!(!file.exists(), "a refused pull leaves no file");

    let (_t, ws) = demo_sqlite();
    let c = rusqlite::Connection::open(ws.join("certready.db")).unwrap();
    c.execute("UPDATE evidence SET title = 'all fine' WHERE seq = 9", [])
        .unwrap();
    drop(c);
    let url = pg::fresh_database("integrity_push");
    let err = failed(
        &run_sqlite(&ws, &["db", "push", &url]),
        "db push of a tampered file",
    );
    assert!(
        err.contains("fails verification, nothing was copied"),
        "{err}"
    );
    assert!(err.contains("evidence seq 9"), "{err}");
    assert_eq!(rows_in(&url), 0, "a refused push leaves the database empty");
}

#[test]
fn push_into_a_database_that_holds_a_workspace_is_refused() {
    let d = demo_pushed("integrity_nonempty");
    let before = rows_in(&d.url);
    let err = failed(
        &run_sqlite(&d.ws, &["db", "push", &d.url]),
        "a second db push",
    );
    assert!(err.contains("is not empty"), "{err}");
    assert_eq!(rows_in(&d.url), before, "the refused push changed nothing");
    ok(
        run_pg(&d.ws, &d.url, &["verify"]),
        "verify after the refused push",
    );
}
