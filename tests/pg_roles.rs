//! The database enforces who may do what: `db roles` run twice grants the same; a reader
//! (`bob`) reads status and verify, sees a recorded review and is refused any change with one
//! line naming him and his read-only role, the data unchanged; an editor (`alice`) imports,
//! adds evidence and changes a control's status, each change logged as `alice`, but cannot
//! rewrite or delete the change log or retitle evidence with direct SQL.

mod common;

use common::pg::connect;
use common::pgws::{AS_OF, PgWs};

/// A model file that changes a control's status (and adds one evidence item).
const MODEL: &str = "controls:
  - id: GW-MFA-01
    title: MFA for all administrative access to the gateway and cloud consoles
    owner: platform-security
    status: in_progress
    cadence: quarterly
evidence:
  - control: GW-MFA-01
    title: Admin MFA export for the role test
    effective: 2026-11-02
    result: pass
";

/// Every grant and policy the roles hold in the database, in a stable order.
fn grants(ws: &PgWs) -> Vec<String> {
    let sql = "SELECT grantee || ' ' || privilege_type || ' ' || table_name FROM information_schema.role_table_grants
                 WHERE grantee LIKE 'certready_%'
               UNION ALL
               SELECT grantee || ' ' || privilege_type || ' ' || table_name || '.' || column_name
                 FROM information_schema.column_privileges WHERE grantee LIKE 'certready_%'
               UNION ALL
               SELECT policyname || ' ' || cmd || ' ' || array_to_string(roles, ',') || ' '
                      || COALESCE(qual, '') || ' ' || COALESCE(with_check, '') FROM pg_policies
               ORDER BY 1";
    connect(&ws.url)
        .query(sql, &[])
        .unwrap()
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect()
}

#[test]
fn db_roles_twice_grants_the_same() {
    let ws = PgWs::new("roles_twice");
    let first = grants(&ws);
    assert!(
        first.contains(&"certready_reader SELECT controls".to_owned())
            && first.contains(&"certready_editor INSERT change_log".to_owned())
            && !first.contains(&"certready_editor UPDATE change_log".to_owned())
            && !first
                .iter()
                .any(|g| g.starts_with("certready_reader INSERT")),
        "{first:#?}"
    );
    let again = ws.roles();
    assert!(
        String::from_utf8_lossy(&again.stdout)
            .contains("certready_reader, certready_editor, certready_collector")
    );
    assert_eq!(grants(&ws), first, "a second `db roles` changes nothing");
}

#[test]
fn a_reader_reads_and_every_change_is_refused_in_one_line() {
    let ws = PgWs::new("roles_reader");
    let status = ws.ok("bob", &["status", "--json", "--as-of", AS_OF]);
    assert!(status.contains("\"controls\""), "{status}");
    let verify = ws.ok("bob", &["verify"]);
    assert!(
        verify.contains("change log") && verify.contains("ok"),
        "{verify}"
    );
    let changes = ws.count("SELECT COUNT(*) FROM change_log");
    let model = ws.dir.join("change.yaml");
    std::fs::write(&model, MODEL).unwrap();
    let model = model.to_str().unwrap();
    let attempts: [&[&str]; 4] = [
        &["import", model],
        &[
            "evidence",
            "add",
            "GW-MFA-01",
            "--effective",
            "2026-11-02",
            "--result",
            "pass",
        ],
        &["review", "--as-of", AS_OF],
        &["review", "--as-of", AS_OF, "--decision", "Keep the plan"],
    ];
    for args in attempts {
        let line = ws.refused("bob", args);
        assert!(
            line.starts_with("certready: the database refused the change: user bob may not write ")
                && line.contains("certready_reader")
                && line.contains("read-only")
                && line.ends_with("(permission denied)"),
            "{args:?}: {line}"
        );
    }
    assert_eq!(
        ws.count("SELECT COUNT(*) FROM change_log"),
        changes,
        "nothing logged"
    );
    assert_eq!(
        ws.ok("bob", &["status", "--json", "--as-of", AS_OF]),
        status,
        "the refused changes left the data as it was"
    );
    // Recording the week is the editor's; once recorded, the reader sees it and writes nothing.
    let recorded = ws.ok("alice", &["review", "--as-of", AS_OF]);
    let changes = ws.count("SELECT COUNT(*) FROM change_log");
    let out = ws.cmd("bob", &["review", "--as-of", AS_OF]);
    assert!(out.status.success(), "{}", common::pgws::stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), recorded);
    assert!(common::pgws::stderr(&out).contains("nothing stored again"));
    assert_eq!(ws.count("SELECT COUNT(*) FROM change_log"), changes);
}

#[test]
fn an_editor_edits_as_herself_but_the_logs_only_grow() {
    let ws = PgWs::new("roles_editor");
    let model = ws.dir.join("change.yaml");
    std::fs::write(&model, MODEL).unwrap();
    let before = ws.count("SELECT MAX(seq) FROM change_log");
    ws.ok("alice", &["import", model.to_str().unwrap()]);
    ws.ok(
        "alice",
        &[
            "evidence",
            "add",
            "GW-MFA-01",
            "--effective",
            "2026-11-03",
            "--title",
            "Alice's export",
        ],
    );
    let mut db = connect(&ws.url);
    let status: String = db
        .query_one("SELECT status FROM controls WHERE id = 'GW-MFA-01'", &[])
        .unwrap()
        .get(0);
    assert_eq!(status, "in_progress");
    let who: Vec<String> = db
        .query(
            "SELECT DISTINCT who FROM change_log WHERE seq > $1",
            &[&before],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        who,
        ["alice"],
        "alice's edits are logged as the database user"
    );
    assert_eq!(
        ws.count("SELECT COUNT(*) FROM evidence WHERE title = 'Alice''s export'"),
        1
    );
    // Direct SQL as alice: the logs cannot be rewritten.
    let mut alice = connect(&ws.url_as("alice"));
    for sql in [
        "UPDATE change_log SET who = 'mallory' WHERE seq = 1",
        "DELETE FROM change_log WHERE seq = 1",
        "UPDATE evidence SET title = 'rewritten' WHERE seq = 1",
        "DELETE FROM certready_schema",
    ] {
        let e = alice.batch_execute(sql).expect_err(sql);
        assert_eq!(
            e.code(),
            Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE),
            "{sql}: {e}"
        );
    }
    assert_eq!(
        ws.count("SELECT COUNT(*) FROM change_log WHERE who = 'mallory'"),
        0
    );
    let verify = ws.ok("alice", &["verify"]);
    assert!(
        verify.contains("change log: ") && verify.contains("rows ok"),
        "{verify}"
    );
}

#[test]
fn an_editor_may_remove_only_the_newest_evidence_row() {
    let ws = PgWs::new("roles_delete");
    let (first, newest) = (
        ws.count("SELECT MIN(seq) FROM evidence"),
        ws.count("SELECT MAX(seq) FROM evidence"),
    );
    assert!(newest > first);
    let mut alice = connect(&ws.url_as("alice"));
    for sql in [
        format!("DELETE FROM evidence WHERE seq = {first}"),
        // The tail at once: its first row is not the newest when it goes.
        format!("DELETE FROM evidence WHERE seq >= {}", newest - 1),
    ] {
        let e = alice.batch_execute(&sql).expect_err(&sql);
        assert_eq!(
            e.code(),
            Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE),
            "{sql}: {e}"
        );
    }
    assert_eq!(ws.count("SELECT MAX(seq) FROM evidence"), newest);
    assert_eq!(
        ws.count(&format!(
            "SELECT COUNT(*) FROM evidence WHERE seq = {first}"
        )),
        1,
        "the refused deletion left its row"
    );
    // The undo of the newest item, which the editor needs, still works.
    alice
        .batch_execute(&format!("DELETE FROM evidence WHERE seq = {newest}"))
        .unwrap();
    assert_eq!(ws.count("SELECT MAX(seq) FROM evidence"), newest - 1);
}

#[test]
fn a_migration_grants_the_recorded_roles_again() {
    let ws = PgWs::new("roles_regrant");
    let mut admin = connect(&ws.url);
    let prefixes: Vec<String> = admin
        .query("SELECT prefix FROM certready_roles", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(prefixes, ["certready"]);
    // As if the reader's grant on a table had never been made (a table a newer migration
    // adds), with the last migration still to apply (it is written to be re-runnable).
    admin
        .batch_execute(
            "REVOKE SELECT ON controls FROM certready_reader;
             UPDATE certready_schema SET version = version - 1;",
        )
        .unwrap();
    let e = connect(&ws.url_as("bob"))
        .query("SELECT id FROM controls", &[])
        .expect_err("the grant was revoked");
    assert_eq!(
        e.code(),
        Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)
    );
    let before = grants(&ws);
    // Opening the workspace as its owner migrates it and grants the roles again.
    ws.ok("certready", &["status", "--json", "--as-of", AS_OF]);
    let n = connect(&ws.url_as("bob"))
        .query("SELECT id FROM controls", &[])
        .unwrap()
        .len();
    assert!(n > 0);
    let after = grants(&ws);
    assert_ne!(before, after);
    ws.roles();
    assert_eq!(after, grants(&ws), "the same grants as `db roles` gives");
}
