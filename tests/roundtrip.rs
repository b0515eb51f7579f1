//! Round trips: `export json` is a model file that `import` reads back into an empty
//! workspace to the same `status --json` (all but `gateway`, which comes from the workspace's
//! own polls and config) and the same export; every file `export csv` writes re-imports, is
//! recognised by its header (audits never as controls), and changes nothing when read back
//! into the workspace it came from.

use serde_json::Value;
use std::path::{Path, PathBuf};

mod common;
use common::backend::bin_for;
use common::run;

const AS_OF: &str = "2026-11-26";

fn demo(t: &Path) -> PathBuf {
    let ws = t.join("demo");
    bin_for(&ws)
        .arg("demo")
        .arg(&ws)
        .args(["--as-of", AS_OF])
        .assert()
        .success();
    ws
}

fn bare(t: &Path, name: &str) -> PathBuf {
    let ws = t.join(name);
    bin_for(&ws)
        .arg("init")
        .arg(&ws)
        .arg("--bare")
        .assert()
        .success();
    ws
}

fn status(ws: &Path) -> Value {
    let mut v: Value =
        serde_json::from_str(&run(ws, &["status", "--json", "--as-of", AS_OF])).unwrap();
    // Per workspace by nature: the gateway's readings and the configured sources.
    v.as_object_mut().unwrap().remove("gateway");
    v
}

fn count(ws: &Path, sql: &str) -> i64 {
    common::backend::count(ws, sql)
}

fn log_size(ws: &Path) -> i64 {
    count(ws, "SELECT COUNT(*) FROM change_log")
}

/// Drops every `source` member (the provenance of a mapping).
fn without_source(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("source");
            m.values_mut().for_each(without_source);
        }
        Value::Array(a) => a.iter_mut().for_each(without_source),
        _ => {}
    }
}

/// The exported model without its assessment (kept for readers, ignored on import).
fn model(ws: &Path) -> Value {
    let mut v: Value =
        serde_json::from_str(&run(ws, &["export", "json", "--as-of", AS_OF])).unwrap();
    v.as_object_mut().unwrap().remove("assessment");
    v
}

#[test]
fn export_json_imports_into_an_empty_workspace_to_the_same_status() {
    let t = tempfile::tempdir().unwrap();
    let ws = demo(t.path());
    // Findings from vendor rules and an override of a built-in mapping travel too.
    run(&ws, &["vendors", "check", "--as-of", AS_OF]);
    let file = t.path().join("model.json");
    run(
        &ws,
        &[
            "export",
            "json",
            "--as-of",
            AS_OF,
            "--out",
            file.to_str().unwrap(),
        ],
    );
    let fresh = bare(t.path(), "fresh");
    run(&fresh, &["import", file.to_str().unwrap()]);
    let (a, b) = (status(&ws), status(&fresh));
    for key in a.as_object().unwrap().keys() {
        assert_eq!(a[key], b[key], "status field `{key}` differs");
    }
    assert_eq!(a, b);
    assert_eq!(model(&ws), model(&fresh), "the export of the copy differs");
    // Requirement by requirement too, but for each mapping's `source`: where the mapping came
    // from (`builtin` there, the imported file here), which is per workspace by nature.
    for fw in ["soc2", "iso27001", "iso27701", "hipaa", "pci-dss"] {
        let req = |w: &Path| {
            let mut v: Value = serde_json::from_str(&run(
                w,
                &[
                    "requirements",
                    "--framework",
                    fw,
                    "--json",
                    "--as-of",
                    AS_OF,
                ],
            ))
            .unwrap();
            without_source(&mut v);
            v
        };
        assert_eq!(req(&ws), req(&fresh), "{fw}");
    }
    // A second import of the same file changes nothing; nor does importing it back.
    for w in [&fresh, &ws] {
        let log = log_size(w);
        let out = run(w, &["import", file.to_str().unwrap()]);
        assert_eq!(log_size(w), log, "{out}");
    }
}

#[test]
fn the_json_model_names_its_lists_as_a_model_file() {
    let t = tempfile::tempdir().unwrap();
    let ws = demo(t.path());
    let v = model(&ws);
    for list in [
        "controls", "evidence", "risks", "findings", "tasks", "audits", "vendors", "scope",
    ] {
        assert!(v.get(list).is_some(), "{list} missing");
    }
    assert_eq!(
        v["evidence"].as_array().unwrap().len() as i64,
        count(
            &ws,
            "SELECT COUNT(*) FROM evidence WHERE natural_key NOT LIKE 'agreement:%'"
        )
    );
    let mapped: usize = v["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            c["maps"]
                .as_object()
                .unwrap()
                .values()
                .map(|l| l.as_array().unwrap().len())
                .sum::<usize>()
        })
        .sum();
    assert_eq!(mapped as i64, count(&ws, "SELECT COUNT(*) FROM mappings"));
}

/// `export csv` of the demo, into `t/csv`.
fn csv(t: &Path, ws: &Path) -> PathBuf {
    let dir = t.join("csv");
    run(
        ws,
        &["export", "csv", dir.to_str().unwrap(), "--as-of", AS_OF],
    );
    dir
}

/// Importing `file` back into the workspace it came from changes nothing.
fn settles(ws: &Path, file: &Path) {
    let log = log_size(ws);
    let out = run(ws, &["import", file.to_str().unwrap()]);
    assert_eq!(log_size(ws), log, "{}: {out}", file.display());
}

/// Imports `files` (from `dir`) into a new bare workspace; returns it.
fn into_fresh(t: &Path, name: &str, dir: &Path, files: &[&str]) -> PathBuf {
    let fresh = bare(t, name);
    let paths: Vec<String> = files
        .iter()
        .map(|f| dir.join(format!("{f}.csv")).display().to_string())
        .collect();
    let mut args = vec!["import"];
    args.extend(paths.iter().map(String::as_str));
    run(&fresh, &args);
    fresh
}

fn same_count(a: &Path, b: &Path, table: &str) {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    assert_eq!(count(a, &sql), count(b, &sql), "{table}");
}

#[test]
fn controls_and_mappings_csv_reimport() {
    let t = tempfile::tempdir().unwrap();
    let ws = demo(t.path());
    let dir = csv(t.path(), &ws);
    settles(&ws, &dir.join("controls.csv"));
    settles(&ws, &dir.join("mappings.csv"));
    let fresh = into_fresh(t.path(), "c", &dir, &["controls", "vendors", "mappings"]);
    same_count(&ws, &fresh, "controls");
    same_count(&ws, &fresh, "mappings");
    let rels = "SELECT COUNT(*) FROM mappings WHERE relationship = 'partial'";
    assert_eq!(count(&ws, rels), count(&fresh, rels));
}

#[test]
fn evidence_csv_reimports() {
    let t = tempfile::tempdir().unwrap();
    let ws = demo(t.path());
    let dir = csv(t.path(), &ws);
    settles(&ws, &dir.join("evidence.csv"));
    let fresh = into_fresh(t.path(), "e", &dir, &["controls", "evidence"]);
    assert_eq!(
        count(&fresh, "SELECT COUNT(*) FROM evidence"),
        count(
            &ws,
            "SELECT COUNT(*) FROM evidence WHERE natural_key NOT LIKE 'agreement:%'"
        )
    );
}

#[test]
fn risks_findings_and_tasks_csv_reimport() {
    let t = tempfile::tempdir().unwrap();
    let ws = demo(t.path());
    let dir = csv(t.path(), &ws);
    for f in ["risks", "findings", "tasks"] {
        settles(&ws, &dir.join(format!("{f}.csv")));
    }
    let fresh = into_fresh(
        t.path(),
        "r",
        &dir,
        &["controls", "risks", "findings", "tasks"],
    );
    for table in ["risks", "risk_controls", "findings", "tasks", "task_deps"] {
        same_count(&ws, &fresh, table);
    }
}

#[test]
fn audits_csv_reimports_as_audits_never_as_controls() {
    let t = tempfile::tempdir().unwrap();
    let ws = demo(t.path());
    let dir = csv(t.path(), &ws);
    settles(&ws, &dir.join("audits.csv"));
    let fresh = into_fresh(t.path(), "a", &dir, &["audits"]);
    same_count(&ws, &fresh, "audits");
    assert_eq!(count(&fresh, "SELECT COUNT(*) FROM controls"), 0);
}

#[test]
fn vendors_and_agreements_csv_reimport() {
    let t = tempfile::tempdir().unwrap();
    let ws = demo(t.path());
    let dir = csv(t.path(), &ws);
    settles(&ws, &dir.join("vendors.csv"));
    settles(&ws, &dir.join("agreements.csv"));
    let fresh = into_fresh(t.path(), "v", &dir, &["controls", "vendors", "agreements"]);
    same_count(&ws, &fresh, "vendors");
    same_count(&ws, &fresh, "agreements");
}

#[test]
fn requirements_csv_is_recognised_and_changes_nothing() {
    let t = tempfile::tempdir().unwrap();
    let ws = demo(t.path());
    let dir = csv(t.path(), &ws);
    settles(&ws, &dir.join("requirements.csv"));
    let listed: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(listed.len(), 10, "{listed:?}");
}
