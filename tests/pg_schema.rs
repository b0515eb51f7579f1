//! The PostgreSQL schema against the SQLite one: migrations apply once (also when two
//! connections race), every SQLite table exists on PostgreSQL with the same columns in the
//! same order, types, nullability and byte-order collation, the same indexes and triggers; the
//! evidence-facts triggers count exactly as SQLite's do; text sorts in the same byte order.

mod common;

use certready::store::pg_schema::migrate;
use common::pg::{connect, fresh_database};
use std::collections::BTreeSet;
use std::path::Path;

/// The number of PostgreSQL migration files: the version a migrated database reaches.
fn migration_files() -> i64 {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/migrations/pg");
    let n = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().ends_with(".sql")
        })
        .count();
    i64::try_from(n).unwrap()
}

/// A fresh SQLite store (created and migrated by `Store::open`) and a plain connection to it.
fn sqlite_store(dir: &Path) -> rusqlite::Connection {
    let path = dir.join("certready.db");
    drop(certready::store::Store::open(&path).unwrap());
    let c = rusqlite::Connection::open(&path).unwrap();
    c.pragma_update(None, "foreign_keys", "ON").unwrap();
    c
}

fn sqlite_strings(c: &rusqlite::Connection, sql: &str) -> Vec<String> {
    let mut st = c.prepare(sql).unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn pg_strings(c: &mut postgres::Client, sql: &str) -> Vec<String> {
    c.query(sql, &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[test]
fn migrations_apply_once_and_record_the_version() {
    let url = fresh_database("migrate");
    let mut c = connect(&url);
    let v = migrate(&mut c).unwrap();
    assert_eq!(v, migration_files());
    c.execute("INSERT INTO meta (key, value) VALUES ('kept', 'yes')", &[])
        .unwrap();
    assert_eq!(
        migrate(&mut c).unwrap(),
        v,
        "second run changes the version"
    );
    let kept: String = c
        .query_one("SELECT value FROM meta WHERE key = 'kept'", &[])
        .unwrap()
        .get(0);
    assert_eq!(kept, "yes", "second run touched the data");
    let rows: Vec<i64> = c
        .query("SELECT version FROM certready_schema", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(rows, vec![v]);

    // A database from a newer certready is refused, not touched.
    c.execute("UPDATE certready_schema SET version = version + 1", &[])
        .unwrap();
    let err = migrate(&mut c).unwrap_err().to_string();
    assert!(err.contains("newer"), "{err}");
}

#[test]
fn racing_migrations_apply_each_file_once() {
    let url = fresh_database("race");
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || migrate(&mut connect(&url)))
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap().unwrap(), migration_files());
    }
    let n: i64 = connect(&url)
        .query_one("SELECT count(*) FROM certready_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
}

#[test]
fn every_sqlite_table_has_the_same_columns_on_postgres() {
    let tmp = tempfile::tempdir().unwrap();
    let lite = sqlite_store(tmp.path());
    let mut pg = connect(&fresh_database("columns"));
    migrate(&mut pg).unwrap();

    let tables = sqlite_strings(
        &lite,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         ORDER BY name",
    );
    assert!(tables.len() > 20, "{tables:?}");
    let mut pg_tables = pg_strings(
        &mut pg,
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = 'public' AND table_name NOT IN ('certready_schema', 'certready_roles')
         ORDER BY 1",
    );
    pg_tables.sort();
    assert_eq!(pg_tables, tables, "the table sets differ");

    for t in &tables {
        let mut st = lite
            .prepare(&format!(
                "SELECT name, type, \"notnull\", pk FROM pragma_table_info('{t}')"
            ))
            .unwrap();
        let want: Vec<(String, String, bool, &str)> = st
            .query_map([], |r| {
                let ty: String = r.get(1)?;
                let not_null = r.get::<_, bool>(2)? || r.get::<_, i64>(3)? > 0;
                let pg_ty = match ty.as_str() {
                    "INTEGER" => "bigint",
                    "TEXT" => "text",
                    "REAL" => "double precision",
                    "BLOB" => "bytea",
                    other => panic!("{t}: unexpected SQLite type {other}"),
                };
                let collation = if pg_ty == "text" { "C" } else { "" };
                Ok((r.get(0)?, pg_ty.to_owned(), not_null, collation))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let got: Vec<(String, String, bool, String)> = pg
            .query(
                "SELECT column_name::text, data_type::text, is_nullable = 'NO',
                        COALESCE(collation_name::text, '')
                 FROM information_schema.columns
                 WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
                &[t],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect();
        let want: Vec<(String, String, bool, String)> = want
            .into_iter()
            .map(|(n, ty, nn, coll)| (n, ty, nn, coll.to_owned()))
            .collect();
        assert_eq!(
            got, want,
            "table {t}: (column, type, not null, collation) differ"
        );
    }

    let named = |kind: &str| {
        sqlite_strings(
            &lite,
            &format!(
                "SELECT name FROM sqlite_master WHERE type = '{kind}' AND sql IS NOT NULL
                 ORDER BY name"
            ),
        )
    };
    let pg_indexes: BTreeSet<String> = pg_strings(
        &mut pg,
        "SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public'",
    )
    .into_iter()
    .collect();
    for index in named("index") {
        assert!(pg_indexes.contains(&index), "index {index} missing");
    }
    let pg_triggers: BTreeSet<String> = pg_strings(
        &mut pg,
        "SELECT trigger_name::text FROM information_schema.triggers",
    )
    .into_iter()
    .collect();
    // PostgreSQL adds one trigger per table that announces changes to open dashboards, and
    // one that keeps the roles' evidence deletions to the newest row.
    let mut pg_triggers = pg_triggers;
    assert!(pg_triggers.remove("evidence_newest_only"));
    let (notify, same): (BTreeSet<String>, BTreeSet<String>) = pg_triggers
        .into_iter()
        .partition(|t| t.ends_with("_notify"));
    let triggers: BTreeSet<String> = named("trigger").into_iter().collect();
    assert_eq!(same, triggers);
    let notified: BTreeSet<String> = notify
        .iter()
        .map(|t| t.trim_end_matches("_notify").to_owned())
        .collect();
    let tables: BTreeSet<String> = named("table").into_iter().collect();
    assert_eq!(notified, tables, "every table announces its changes");
}

/// Statements run verbatim on both databases: a control, evidence rows sharing a fact, an
/// expiry SQLite's julianday() reads leniently (30 February), a time with a zone offset, then
/// deletions one by one.
const EVIDENCE_STEPS: &[&str] = &[
    "INSERT INTO controls (id, title, status, cadence) VALUES ('C-1', 'One', 'implemented', 'annual')",
    "INSERT INTO evidence (control_id, natural_key, title, source, result, effective, collected,
       content_digest, chain_hash) VALUES
       ('C-1', 'k1', 'a', 'manual', 'pass', '2024-03-01', '2024-03-01T10:00:00Z', 'd', 'h'),
       ('C-1', 'k2', 'b', 'manual', 'pass', '2024-03-01', '2024-03-01T11:00:00Z', 'd', 'h')",
    "INSERT INTO evidence (control_id, natural_key, title, source, result, effective, collected,
       expires, content_digest, chain_hash) VALUES
       ('C-1', 'k3', 'c', 'manual', 'fail', '2024-01-01T01:30:00+02:00', 'x', '2024-02-30', 'd', 'h'),
       ('C-1', 'k4', 'd', 'manual', 'info', '1969-12-31', 'x', 'not a date', 'd', 'h')",
    "DELETE FROM evidence WHERE natural_key = 'k1'",
    "DELETE FROM evidence WHERE natural_key IN ('k2', 'k3')",
    "DELETE FROM evidence WHERE natural_key = 'k4'",
];

const FACTS: &str = "SELECT control_id || ' ' || effective || ' ' || expires || ' ' || result
    || ' x' || n FROM evidence_facts ORDER BY 1";

#[test]
fn evidence_facts_triggers_count_as_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    let lite = sqlite_store(tmp.path());
    let mut pg = connect(&fresh_database("facts"));
    migrate(&mut pg).unwrap();
    let mut seen = Vec::new();
    for step in EVIDENCE_STEPS {
        lite.execute_batch(step).unwrap();
        pg.batch_execute(step).unwrap();
        let want = sqlite_strings(&lite, FACTS);
        assert_eq!(pg_strings(&mut pg, FACTS), want, "after {step}");
        seen.push(want);
    }
    // The counts the steps must give (days since 1970-01-01; -1 for no expiry).
    assert_eq!(seen[1], vec!["C-1 19783 -1 0 x2"]);
    assert_eq!(
        seen[2],
        vec![
            "C-1 -1 -1 2 x1",
            "C-1 19722 19783 1 x1",
            "C-1 19783 -1 0 x2"
        ]
    );
    assert_eq!(seen[3][2], "C-1 19783 -1 0 x1");
    assert_eq!(seen[4], vec!["C-1 -1 -1 2 x1"]);
    assert!(seen[5].is_empty(), "{:?}", seen[5]);
    let ids: Vec<i64> = pg
        .query("SELECT seq FROM evidence", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(ids.is_empty(), "{ids:?}");
}

#[test]
fn text_sorts_in_byte_order_as_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    let lite = sqlite_store(tmp.path());
    let mut pg = connect(&fresh_database("order"));
    migrate(&mut pg).unwrap();
    let keys = [
        "a", "B", "_", "Z", "é", "b", "A", "aa", "z", "0", "É", "a b",
    ];
    for k in keys {
        let sql = format!("INSERT INTO meta (key, value) VALUES ('{k}', '')");
        lite.execute_batch(&sql).unwrap();
        pg.batch_execute(&sql).unwrap();
    }
    let order = "SELECT key FROM meta ORDER BY key";
    let want = sqlite_strings(&lite, order);
    let got = pg_strings(&mut pg, order);
    assert_eq!(got, want);
    let at = |k: &str| got.iter().position(|x| x == k).unwrap();
    assert!(at("B") < at("a"), "{got:?}");
    assert!(at("Z") < at("_"), "{got:?}");
    assert!(at("z") < at("É"), "{got:?}");
}
