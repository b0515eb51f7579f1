//! Backups, checked restores and migrations from the first schema version.

mod common;
use common::{bin, evidence_rows, run as ok};

#[test]
fn backup_while_a_reader_is_open_then_restore_checks_the_chain_first() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("demo");
    bin()
        .arg("demo")
        .arg(&ws)
        .args(["--as-of", "2026-11-26"])
        .assert()
        .success();
    let before = evidence_rows(&ws);
    // A long read transaction (the dashboard) does not stop the online backup.
    let reader = rusqlite::Connection::open(ws.join("certready.db")).unwrap();
    reader
        .execute_batch("BEGIN; SELECT COUNT(*) FROM controls;")
        .unwrap();
    let copy = t.path().join("backup.db");
    ok(&ws, &["backup", copy.to_str().unwrap()]);
    reader.execute_batch("COMMIT").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // A second backup to the same file is refused.
    let out = bin()
        .arg("--workspace")
        .arg(&ws)
        .args(["backup", copy.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    // Work after the backup is undone by the restore.
    let f = t.path().join("e.csv");
    std::fs::write(
        &f,
        "control,title,effective,result\nGW-MFA-01,extra,2026-11-25,pass\n",
    )
    .unwrap();
    ok(&ws, &["import", f.to_str().unwrap()]);
    assert_eq!(evidence_rows(&ws), before + 1);
    let out = ok(&ws, &["restore", copy.to_str().unwrap()]);
    assert!(out.contains("verified"));
    assert_eq!(evidence_rows(&ws), before);
    assert!(ok(&ws, &["verify"]).contains("ok"));
    // A tampered backup is refused and the workspace is left exactly as it was.
    let c = rusqlite::Connection::open(&copy).unwrap();
    c.execute("UPDATE evidence SET title = 'forged' WHERE seq = 5", [])
        .unwrap();
    drop(c);
    let db = std::fs::read(ws.join("certready.db")).unwrap();
    let out = bin()
        .arg("--workspace")
        .arg(&ws)
        .args(["restore", copy.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("fails verification") && err.contains("evidence seq 5"),
        "{err}"
    );
    assert_eq!(std::fs::read(ws.join("certready.db")).unwrap(), db);
    // Not a database at all.
    let junk = t.path().join("junk.db");
    std::fs::write(&junk, b"not sqlite").unwrap();
    assert!(
        !bin()
            .arg("--workspace")
            .arg(&ws)
            .args(["restore", junk.to_str().unwrap()])
            .output()
            .unwrap()
            .status
            .success()
    );
}

#[test]
fn a_database_from_the_first_schema_version_opens_and_migrates() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("old");
    std::fs::create_dir_all(&ws).unwrap();
    {
        // Version 1 exactly as it shipped, with data written by that version.
        let c = rusqlite::Connection::open(ws.join("certready.db")).unwrap();
        c.execute_batch(include_str!("../assets/migrations/0001_init.sql"))
            .unwrap();
        c.pragma_update(None, "user_version", 1).unwrap();
        c.execute_batch(
            "INSERT INTO meta VALUES ('organization', 'Old Org');
             INSERT INTO frameworks VALUES ('soc2', 'SOC 2', 't', 's', '[]', 0);
             INSERT INTO framework_groups VALUES ('soc2', 'security', 'Security', 0);
             INSERT INTO requirements VALUES ('soc2', 'CC6.1', 'Access', 'd', 'security', NULL, 1, NULL, NULL, NULL, 0);
             INSERT INTO scope VALUES ('soc2', '[\"security\"]', NULL);
             INSERT INTO controls (id, title, status, cadence) VALUES ('C-1', 'One', 'implemented', 'monthly');
             INSERT INTO mappings VALUES ('C-1', 'soc2', 'CC6.1', 'full', '', '');",
        )
        .unwrap();
        c.execute(
            "INSERT INTO evidence (seq, control_id, natural_key, title, source, result, effective, collected, content_digest, chain_hash)
             VALUES (1, 'C-1', 'k1', 'proof', 'manual', 'pass', '2026-11-20', '2026-11-20T10:00:00Z', 'd', 'h')",
            [],
        )
        .unwrap();
    }
    let out = ok(&ws, &["status", "--json", "--as-of", "2026-11-26"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let soc2 = v["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "soc2")
        .unwrap();
    assert_eq!(
        soc2["met"], 1,
        "evidence written by version 1 is scored after the migration"
    );
    assert_eq!(v["evidence"], 1);
    let c = rusqlite::Connection::open(ws.join("certready.db")).unwrap();
    let version: i64 = c
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    // One schema version per migration file (the last one applied).
    assert_eq!(version, common::backend::latest_schema_version());
    let facts: i64 = c
        .query_row("SELECT COUNT(*) FROM evidence_facts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(facts, 1);
    // Version 4 gave the old row a keep-until date from its control's frameworks.
    let keep: Option<String> = c
        .query_row("SELECT keep_until FROM evidence", [], |r| r.get(0))
        .unwrap();
    assert!(keep.is_some_and(|k| k.len() == 10), "keep_until backfilled");
    // Version 6 re-linked the row with chain version 2, and the chained change log says the
    // version-1 chain was already broken (its hash was not a link), so the upgrade hides nothing.
    let rechain: String = c
        .query_row(
            "SELECT after FROM change_log WHERE action = 'rechain'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        rechain.contains("\"v1_chain\":\"broken at seq 1\""),
        "{rechain}"
    );
}
