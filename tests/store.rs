//! The store's guarantees: schema version, WAL, foreign keys, owner-only files, and a change
//! log entry (with before and after) for every write. Runs on SQLite here and on PostgreSQL
//! as `pg_matrix_store` (the journal mode and file modes are SQLite's; on PostgreSQL the
//! tests assert that no database file appears in the folder instead).

mod common;

use certready::import;
use common::{Backend, backend, workspace};

#[test]
fn schema_pragmas_and_change_log() {
    let t = tempfile::tempdir().unwrap();
    let ws = workspace(&t.path().join("ws"));
    let mut store = ws.init("Org", true, "2026-11-26T10:00:00Z").unwrap();
    // One schema version per migration file (of this backend).
    assert_eq!(
        store.schema_version().unwrap(),
        common::backend::latest_schema_version()
    );
    let conn = common::db(ws.dir());
    match backend() {
        Backend::Sqlite => {
            let mode: String = conn
                .sqlite()
                .unwrap()
                .pragma_query_value(None, "journal_mode", |r| r.get(0))
                .unwrap();
            assert_eq!(mode, "wal");
        }
        Backend::Postgres => {
            assert_eq!(store.backend(), certready::store::db::Backend::Postgres);
            assert!(!ws.db_path().exists(), "no SQLite file next to a PG store");
        }
    }
    // Installing five catalogs is logged once per framework.
    let n: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM change_log WHERE action = 'install'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 5);

    let text = "controls:\n  - { id: C-1, title: One, status: in_progress, cadence: monthly }\n";
    let parsed = import::parse_yaml("a.yaml", text).unwrap();
    import::validate(&parsed, &store.known().unwrap()).unwrap();
    store
        .apply(&parsed.model, "a.yaml", "2026-11-26T10:01:00Z", false)
        .unwrap();
    let patch = import::parse_yaml(
        "b.yaml",
        "controls:\n  - { id: C-1, status: implemented }\n",
    )
    .unwrap();
    let report = store
        .apply(&patch.model, "b.yaml", "2026-11-26T10:02:00Z", false)
        .unwrap();
    assert_eq!(report.counts["controls"].updated, 1);
    let (before, after): (String, String) = conn
        .query_row(
            "SELECT before, after FROM change_log WHERE entity = 'controls' AND action = 'update'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(before.contains("\"in_progress\"") && after.contains("\"implemented\""));
    // A patch keeps what it does not name.
    assert!(after.contains("\"One\"") && after.contains("\"monthly\""));
    assert!(store.verify().unwrap().ok());

    // Foreign keys are enforced by the store's connection.
    let bad = import::ModelFile {
        risks: vec![
            serde_json::from_str(
                r#"{"id":"R","title":"t","likelihood":1,"impact":1,"controls":["NOPE"]}"#,
            )
            .unwrap(),
        ],
        ..Default::default()
    };
    assert!(
        store
            .apply(&bad, "x", "2026-11-26T10:03:00Z", false)
            .is_err()
    );
    assert!(store.verify().unwrap().ok());
}

#[cfg(unix)]
#[test]
fn wal_and_shared_memory_files_are_owner_only_too() {
    use std::os::unix::fs::PermissionsExt;
    let t = tempfile::tempdir().unwrap();
    let ws = workspace(&t.path().join("ws"));
    let _store = ws.init("Org", true, "2026-11-26T10:00:00Z").unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&ws.config_path()), 0o600, "certready.toml");
    assert_eq!(mode(ws.dir()), 0o700, "the workspace folder");
    let files = ["certready.db", "certready.db-wal", "certready.db-shm"];
    match backend() {
        Backend::Sqlite => {
            assert!(ws.db_path().exists(), "init writes certready.db");
            for f in files {
                let p = ws.dir().join(f);
                if p.exists() {
                    assert_eq!(mode(&p), 0o600, "{f}");
                }
            }
        }
        // The store is the server's: nothing of it may land in the folder.
        Backend::Postgres => {
            for f in files {
                assert!(!ws.dir().join(f).exists(), "{f} next to a PostgreSQL store");
            }
        }
    }
}
