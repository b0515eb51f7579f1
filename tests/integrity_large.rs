//! A log large enough that `verify` checks it in two halves at once (each on its own
//! connection, each building its part of the Merkle tree): a change in either half, a row
//! removed from the middle and an edited derived row are each named, and a checkpoint signed
//! over the joined tree verifies.

mod common;

use common::bin;
use std::path::Path;

fn verify(ws: &Path, args: &[&str]) -> (bool, String) {
    let out = bin()
        .arg("--workspace")
        .arg(ws)
        .arg("verify")
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn sql(ws: &Path, statements: &str) {
    rusqlite::Connection::open(ws.join("certready.db"))
        .unwrap()
        .execute_batch(statements)
        .unwrap();
}

#[test]
fn a_log_checked_in_two_halves_names_a_change_in_either_and_its_checkpoint_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    bin()
        .args(["gen", ws.to_str().unwrap(), "--evidence", "140000"])
        .args([
            "--controls",
            "40",
            "--records",
            "50",
            "--as-of",
            "2026-11-26",
        ])
        .assert()
        .success();
    let (ok, out) = verify(&ws, &[]);
    assert!(ok, "{out}");
    assert!(out.contains("140000 rows ok"), "{out}");

    let cp = dir.path().join("cp.json");
    common::run(&ws, &["checkpoint", "--out", cp.to_str().unwrap()]);
    let (ok, out) = verify(&ws, &["--checkpoint", cp.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert!(
        out.contains("extends it (consistency proof verified)"),
        "{out}"
    );

    // One field of one row in each half (the halves meet near row 65,536), then put back.
    for seq in [3_000, 65_536, 65_537, 131_000] {
        let title: String = rusqlite::Connection::open(ws.join("certready.db"))
            .unwrap()
            .query_row("SELECT title FROM evidence WHERE seq = ?1", [seq], |r| {
                r.get(0)
            })
            .unwrap();
        sql(
            &ws,
            &format!("UPDATE evidence SET title = 'edited' WHERE seq = {seq}"),
        );
        let (ok, out) = verify(&ws, &[]);
        assert!(!ok, "seq {seq}: {out}");
        assert!(
            out.contains(&format!("evidence seq {seq} ")),
            "seq {seq}: {out}"
        );
        sql(
            &ws,
            &format!("UPDATE evidence SET title = '{title}' WHERE seq = {seq}"),
        );
        assert!(verify(&ws, &[]).0, "seq {seq} put back");
    }

    // A derived row scoring reads.
    sql(
        &ws,
        "UPDATE evidence_facts SET n = n + 1 WHERE (control_id, effective, expires, result) = (SELECT control_id, effective, expires, result FROM evidence_facts ORDER BY control_id DESC, effective DESC LIMIT 1)",
    );
    let (ok, out) = verify(&ws, &[]);
    assert!(!ok && out.contains("evidence_facts differs"), "{out}");
    sql(
        &ws,
        "UPDATE evidence_facts SET n = n - 1 WHERE (control_id, effective, expires, result) = (SELECT control_id, effective, expires, result FROM evidence_facts ORDER BY control_id DESC, effective DESC LIMIT 1)",
    );

    // A row removed from the middle leaves a gap: the next row's link is named, and the
    // checkpoint no longer matches.
    sql(&ws, "DELETE FROM evidence WHERE seq = 70000");
    let (ok, out) = verify(&ws, &[]);
    assert!(!ok && out.contains("evidence seq 70001 "), "{out}");
    let (ok, out) = verify(&ws, &["--checkpoint", cp.to_str().unwrap()]);
    assert!(!ok, "{out}");
}
