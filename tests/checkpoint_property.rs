//! Property: any single-row change, deletion or truncation of either log, within what a signed
//! checkpoint covers, is caught by `verify --checkpoint` (the library call the command runs).

use certready::ops::checkpoint::{self, Checkpoint};
use certready::store::Store;
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A signed workspace built once: (folder, checkpoint, evidence rows, change-log rows covered).
struct Base {
    dir: PathBuf,
    cp: Checkpoint,
    evidence: i64,
    change: i64,
}

fn observation(at: i64, ok: bool, i: i64) -> certready::domain::Observation {
    certready::domain::Observation {
        source: format!("s{}", i % 3),
        kind: "http",
        controls: vec!["GW-AVAIL-01".into()],
        at,
        ok,
        summary: format!("HTTP {i}"),
        content: format!("{{\"n\":{}}}", i % 2),
        latency_ms: 1,
        attempts: 1,
        gateway: None,
        fail_after: 3,
        interval_s: 15,
    }
}

fn base() -> &'static Base {
    static BASE: OnceLock<Base> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("certready-prop-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let ws = dir.join("ws");
        let keys = dir.join("keys");
        let ok = std::process::Command::new(env!("CARGO_BIN_EXE_certready"))
            .args(["demo", ws.to_str().unwrap(), "--as-of", "2026-11-26"])
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok);
        let mut store = Store::open(&ws.join("certready.db")).unwrap();
        // Runs, changes of result and new days: extensions and chained rows both.
        let mut batch = Vec::new();
        for i in 0..300 {
            batch.push(observation(1_795_000_000 + i * 3_000, i % 7 != 0, i));
        }
        for chunk in batch.chunks(40) {
            store.ingest(chunk).unwrap();
        }
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_certready"))
            .env("CERTREADY_KEY_DIR", &keys)
            .args(["--workspace", ws.to_str().unwrap(), "checkpoint"])
            .output()
            .unwrap();
        assert!(out.status.success());
        let cp: Checkpoint = serde_json::from_slice(&out.stdout).unwrap();
        let evidence = cp.body.evidence.size as i64;
        let change = cp.body.change_log.size as i64;
        Base {
            dir,
            cp,
            evidence,
            change,
        }
    })
}

/// A copy of the signed workspace with `sql` applied; whether `verify --checkpoint` holds.
fn holds_after(sql: &str) -> bool {
    let b = base();
    let copy = tempfile::tempdir().unwrap();
    let ws = copy.path();
    for f in ["certready.db", "certready.toml"] {
        let src = b.dir.join("ws").join(f);
        if src.exists() {
            std::fs::copy(&src, ws.join(f)).unwrap();
        }
    }
    copy_dir(&b.dir.join("ws/evidence"), &ws.join("evidence"));
    {
        let c = rusqlite::Connection::open(ws.join("certready.db")).unwrap();
        c.execute_batch(sql).unwrap();
    }
    let store = Store::open(&ws.join("certready.db")).unwrap();
    checkpoint::extends(&store, ws, &b.cp).is_ok_and(|x| x.ok())
}

fn copy_dir(from: &Path, to: &Path) {
    if let Ok(rd) = std::fs::read_dir(from) {
        std::fs::create_dir_all(to).unwrap();
        for e in rd.flatten() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

const EVIDENCE_COLUMNS: &[&str] = &[
    "control_id",
    "natural_key",
    "title",
    "source",
    "result",
    "effective",
    "collected",
    "expires",
    "summary",
    "content",
    "content_digest",
    "file_ref",
    "chain_hash",
    "keep_until",
    "run_last",
    "run_count",
    "purged",
];
const CHANGE_COLUMNS: &[&str] = &[
    "at",
    "who",
    "action",
    "entity",
    "entity_id",
    "before",
    "after",
    "chain_hash",
];

#[test]
fn the_untouched_copy_holds() {
    assert!(holds_after("SELECT 1"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_changed_evidence_field_is_caught(row in 1i64..10_000, col in 0usize..EVIDENCE_COLUMNS.len()) {
        let seq = 1 + row % base().evidence;
        let c = EVIDENCE_COLUMNS[col];
        let value = match c {
            "run_count" => "run_count + 1".to_owned(),
            // Another control that exists (the foreign key holds).
            "control_id" => "(SELECT id FROM controls WHERE id <> evidence.control_id LIMIT 1)".to_owned(),
            _ => format!("COALESCE({c}, '') || 'x'"),
        };
        let sql = format!("UPDATE evidence SET {c} = {value} WHERE seq = {seq}");
        prop_assert!(!holds_after(&sql), "{}", sql);
    }

    #[test]
    fn any_changed_change_log_field_is_caught(row in 1i64..10_000, col in 0usize..CHANGE_COLUMNS.len()) {
        let seq = 1 + row % base().change;
        let c = CHANGE_COLUMNS[col];
        let sql = format!("UPDATE change_log SET {c} = COALESCE({c}, '') || 'x' WHERE seq = {seq}");
        prop_assert!(!holds_after(&sql), "{}", sql);
    }

    #[test]
    fn any_deleted_row_is_caught(row in 1i64..10_000, evidence in any::<bool>()) {
        let (table, n) = if evidence { ("evidence", base().evidence) } else { ("change_log", base().change) };
        let sql = format!("DELETE FROM {table} WHERE seq = {}", 1 + row % n);
        prop_assert!(!holds_after(&sql), "{}", sql);
    }

    #[test]
    fn any_truncation_is_caught(row in 1i64..10_000, evidence in any::<bool>()) {
        let (table, n) = if evidence { ("evidence", base().evidence) } else { ("change_log", base().change) };
        let sql = format!("DELETE FROM {table} WHERE seq >= {}", 1 + row % n);
        prop_assert!(!holds_after(&sql), "{}", sql);
    }
}
