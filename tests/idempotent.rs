//! Commands that raise or record something settle: run twice, the second run changes nothing.
//! Each test runs a command twice and compares a canonical dump of the whole database (every
//! table, every row, sorted; nothing left out) before and after the second run: `vendors
//! check` (on the demo, and on a vendor with two agreements ending soon, in either order), a
//! tabletop script (open, then ended), and an import of a model file, of CSV lists and of
//! catalogs and mapping libraries. Runs on SQLite here and on PostgreSQL as
//! `pg_matrix_idempotent` (the dump then reads the workspace's database).

use std::path::{Path, PathBuf};

mod common;
use common::{bin_for, db, fixture, init, run};

/// Every row of every table, as text, sorted within its table; tables by name.
fn dump(ws: &Path) -> Vec<String> {
    if let Some(rows) = common::backend::database_rows(ws) {
        return rows;
    }
    let c = rusqlite::Connection::open(ws.join("certready.db")).unwrap();
    let mut tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.sort();
    let mut out = Vec::new();
    for t in tables {
        let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect();
                Ok(format!("{t}|{}", cells.join("|")))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        out.extend(rows);
    }
    out
}

/// Rows in the change log.
fn log_size(ws: &Path) -> i64 {
    let c = db(ws);
    c.query_row("SELECT COUNT(*) FROM change_log", [], |r| r.get(0))
        .unwrap()
}

/// Runs `args` twice; the first run must change something (`must_change`), the second
/// nothing: same dump, same change-log size, same `status --json`.
fn settles(ws: &Path, args: &[&str], must_change: bool) -> String {
    let before = dump(ws);
    let first = run(ws, args);
    let once = dump(ws);
    if must_change {
        assert_ne!(before, once, "{args:?}: the first run changed nothing");
    }
    let (log, status) = (
        log_size(ws),
        run(ws, &["status", "--json", "--as-of", "2026-11-26"]),
    );
    run(ws, args);
    assert_eq!(
        log_size(ws),
        log,
        "{args:?}: the second run logged something"
    );
    let twice = dump(ws);
    let changed: Vec<_> = twice.iter().filter(|r| !once.contains(r)).collect();
    assert!(
        changed.is_empty(),
        "{args:?}: the second run changed {changed:?}"
    );
    assert_eq!(once, twice);
    assert_eq!(
        status,
        run(ws, &["status", "--json", "--as-of", "2026-11-26"])
    );
    first
}

fn demo() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("demo");
    bin_for(&ws)
        .arg("demo")
        .arg(&ws)
        .args(["--as-of", "2026-11-26"])
        .assert()
        .success();
    (t, ws)
}

fn finding_titles(ws: &Path) -> Vec<(String, String)> {
    let c = db(ws);
    let mut stmt = c
        .prepare("SELECT id, title FROM findings WHERE id LIKE 'F-VENDOR-%' ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn vendors_check_settles_on_the_demo_without_duplicating_its_own_finding() {
    let (_t, ws) = demo();
    let check = ["vendors", "check", "--as-of", "2026-11-26"];
    settles(&ws, &check, true);
    let titles = finding_titles(&ws);
    // F-2026-017 already stands for Meridian's missing BAA.
    assert!(
        titles.iter().all(|(id, _)| !id.contains("MERIDIAN")),
        "{titles:?}"
    );
    assert!(!titles.is_empty());
    // A day later the titles (no assessment date in them) and the log stay as they were.
    let log = log_size(&ws);
    run(&ws, &["vendors", "check", "--as-of", "2026-11-27"]);
    assert_eq!(finding_titles(&ws), titles);
    assert_eq!(log_size(&ws), log);
}

/// A vendor with two agreements ending within 60 days, in the given order.
fn two_expiring(dir: &Path, name: &str, first_baa: bool) -> PathBuf {
    let baa = "{ kind: baa, signed: 2026-01-10, expires: 2026-12-20 }";
    let soc = "{ kind: soc2_type2, period_start: 2025-01-01, period_end: 2025-12-31, expires: 2027-01-05 }";
    let (a, b) = if first_baa { (baa, soc) } else { (soc, baa) };
    let p = dir.join(name);
    std::fs::write(
        &p,
        format!(
            "vendors:\n  - id: V-TWO\n    name: Two Ends\n    kind: model_provider\n    data: [phi, prompts]\n    agreements:\n      - {a}\n      - {b}\n      - {{ kind: zero_retention, signed: 2026-01-01 }}\n"
        ),
    )
    .unwrap();
    p
}

#[test]
fn vendors_check_gives_one_finding_per_rule_whatever_the_agreement_order() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("ws");
    init(&ws);
    let one = two_expiring(t.path(), "one.yaml", true);
    run(&ws, &["import", one.to_str().unwrap()]);
    let check = ["vendors", "check", "--as-of", "2026-11-26"];
    settles(&ws, &check, true);
    let titles = finding_titles(&ws);
    let expiring: Vec<_> = titles
        .iter()
        .filter(|(id, _)| id == "F-VENDOR-V-TWO-expiring_soon")
        .collect();
    assert_eq!(expiring.len(), 1, "{titles:?}");
    assert!(
        expiring[0]
            .1
            .contains("business associate agreement ends on 2026-12-20")
            && expiring[0]
                .1
                .contains("SOC 2 Type II report ends on 2027-01-05"),
        "{titles:?}"
    );
    // The same agreements listed the other way round: the check changes nothing.
    let other = two_expiring(t.path(), "other.yaml", false);
    run(&ws, &["import", other.to_str().unwrap()]);
    let (log, rows) = (log_size(&ws), dump(&ws));
    run(&ws, &check);
    assert_eq!(log_size(&ws), log);
    assert_eq!(dump(&ws), rows);
    assert_eq!(finding_titles(&ws), titles);
}

#[test]
fn a_tabletop_script_run_twice_resumes_and_creates_nothing_again() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("ws");
    init(&ws);
    let full = std::fs::read_to_string(fixture("tabletop/prompt-injection.script")).unwrap();
    let open = t.path().join("open.script");
    std::fs::write(&open, full.replace("\nend", "\n")).unwrap();
    let ended = t.path().join("ended.script");
    std::fs::write(&ended, &full).unwrap();
    let tt = |p: &Path| {
        vec![
            "tabletop".to_owned(),
            "run".into(),
            "prompt-injection-exfil".into(),
            "--script".into(),
            p.display().to_string(),
            "--as-of".into(),
            "2026-11-26".into(),
        ]
    };
    let args = tt(&open);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    settles(&ws, &args, true);
    // The script with `end` resumes the open exercise, ends it, and a rerun does nothing.
    let args = tt(&ended);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = settles(&ws, &args, true);
    assert!(out.contains("resumed exercise TT-20261126-1"), "{out}");
    let c = db(&ws);
    let count = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT COUNT(*) FROM exercises"), 1);
    assert_eq!(
        count("SELECT COUNT(*) FROM exercises WHERE ended IS NOT NULL"),
        1
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM findings WHERE source = 'tabletop'"),
        2
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM tasks WHERE id LIKE 'T-TT-%'"),
        3
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM evidence WHERE source = 'tabletop'"),
        1
    );
}

#[test]
fn a_second_import_of_a_model_file_changes_nothing() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("ws");
    init(&ws);
    let model = fixture("import/model.yaml");
    settles(&ws, &["import", model.to_str().unwrap()], true);
}

#[test]
fn a_second_import_of_csv_lists_changes_nothing() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("ws");
    init(&ws);
    let files: Vec<String> = [
        "controls",
        "vendors",
        "agreements",
        "evidence",
        "risks",
        "findings",
        "tasks",
    ]
    .iter()
    .map(|f| fixture(&format!("import/{f}.csv")).display().to_string())
    .collect();
    let mut args = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    settles(&ws, &args, true);
}

#[test]
fn a_second_import_of_catalogs_and_mapping_libraries_changes_nothing() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("ws");
    init(&ws);
    let f = |p: &str| fixture(&format!("import/{p}")).display().to_string();
    let (oscal, ciso, crosswalk) = (
        f("oscal-catalog.json"),
        f("ciso-framework.yaml"),
        f("ciso-mapping.yaml"),
    );
    settles(&ws, &["import", &oscal, &ciso], true);
    settles(&ws, &["import", &crosswalk], true);
}
