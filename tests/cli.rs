//! The command line end to end: init, import (YAML and CSV), status and requirements JSON,
//! idempotent re-import, dry runs, bad input, verify, and the demo. Runs on SQLite here and on
//! PostgreSQL as `pg_matrix_cli` ("changes nothing" compares the SQLite file's bytes, or every
//! table's rows on PostgreSQL; file modes are checked where the backend has a file).

use serde_json::Value;
use std::path::{Path, PathBuf};

mod common;
use common::{Backend, backend, bin_for, bin_in, db, fixture, run};

fn json(ws: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&run(ws, args)).unwrap()
}

fn init(bare: bool) -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("ws");
    let mut c = bin_for(&ws);
    c.arg("init").arg(&ws);
    if bare {
        c.arg("--bare");
    }
    c.assert().success();
    (t, ws)
}

fn soc2(status: &Value) -> &Value {
    status["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "soc2")
        .unwrap()
}

fn db_bytes(ws: &Path) -> Vec<u8> {
    common::backend::fingerprint(ws)
}

#[cfg(unix)]
#[test]
fn init_creates_an_owner_only_database_with_every_catalog() {
    use std::os::unix::fs::PermissionsExt;
    let (_t, ws) = init(false);
    let mode = |f: &str| {
        std::fs::metadata(ws.join(f))
            .unwrap_or_else(|e| panic!("{f}: {e}"))
            .permissions()
            .mode()
            & 0o777
    };
    match backend() {
        Backend::Sqlite => assert_eq!(mode("certready.db"), 0o600),
        // The store is the server's; the folder holds no database file.
        Backend::Postgres => assert!(!ws.join("certready.db").exists()),
    }
    assert_eq!(mode("certready.toml"), 0o600);
    for fw in ["soc2", "iso27001", "iso27701", "hipaa", "pci-dss"] {
        let r = json(
            &ws,
            &[
                "requirements",
                "--framework",
                fw,
                "--json",
                "--as-of",
                "2026-11-26",
            ],
        );
        let items = r["requirements"].as_array().unwrap();
        assert!(items.len() > 40, "{fw}");
        assert!(
            items.iter().all(|i| i["ref_id"].is_string()
                && i["title"].is_string()
                && i["status"].is_string())
        );
    }
    let s = json(&ws, &["status", "--json"]);
    assert_eq!(s["controls"]["total"], 83);
    let (_t2, bare) = init(true);
    assert_eq!(json(&bare, &["status", "--json"])["controls"]["total"], 0);
}

#[test]
fn the_model_file_scores_exactly_as_design_says() {
    let (_t, ws) = init(true);
    run(
        &ws,
        &["import", fixture("import/model.yaml").to_str().unwrap()],
    );
    let s = json(&ws, &["status", "--json", "--as-of", "2026-07-15"]);
    let f = soc2(&s);
    // Security (33) + availability (3) in scope; CC6.1 met; CC6.2 and A1.2 partial.
    assert_eq!(f["requirements_in_scope"], 36);
    assert_eq!(
        (f["met"].as_u64(), f["partial"].as_u64(), f["gap"].as_u64()),
        (Some(1), Some(2), Some(33))
    );
    assert_eq!(f["not_applicable"], 25);
    assert_eq!(f["type1_readiness_pct"], 2.8);
    let t2 = &f["type2"];
    assert_eq!(t2["window_start"], "2026-06-01");
    assert_eq!(t2["window_end"], "2026-11-30");
    // MFA quarterly: June missed, Q3 evidenced, Q4 upcoming. Availability daily: 44 missed, 1 open.
    assert_eq!(
        (
            t2["evidenced"].as_u64(),
            t2["missed"].as_u64(),
            t2["open"].as_u64()
        ),
        (Some(1), Some(45), Some(1))
    );
    assert_eq!(t2["coverage_pct"], 2.2);
    // T-032 (due 2027-01-31) waits for T-031 and blocks CC6.2 through GW-MFA-01.
    // Gap and partial requirements without a task leave no Type I date (DESIGN, "Scoring").
    assert_eq!(f["projected"]["type1_ready"], Value::Null);
    let unplanned = f["projected"]["unplanned"].as_u64().unwrap();
    assert!(unplanned > 0);
    assert_eq!(
        f["projected"]["unplanned_requirements"]
            .as_array()
            .unwrap()
            .len() as u64,
        unplanned
    );
    assert!(
        f["projected"]["why"][0]
            .as_str()
            .unwrap()
            .starts_with(&format!(
                "no date: {unplanned} requirements have no remediation task"
            ))
    );
    assert_eq!(f["projected"]["type2_report"], "2027-01-11");
    let iso = s["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "iso27001")
        .unwrap();
    assert_eq!(iso["not_applicable"], 1, "A.7.4 is excluded");
    let pci = s["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "pci-dss")
        .unwrap();
    assert_eq!(pci["in_scope"], false);
    assert_eq!(pci["requirements_in_scope"], 0);
    assert_eq!(s["findings"]["open"], 1);
    assert_eq!(s["tasks"]["open"], 2);
    // requirements explains each status.
    let r = json(
        &ws,
        &[
            "requirements",
            "--framework",
            "soc2",
            "--json",
            "--as-of",
            "2026-07-15",
        ],
    );
    let cc61 = r["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["ref_id"] == "CC6.1")
        .unwrap();
    assert_eq!(cc61["status"], "met");
    assert!(cc61["reason"].as_str().unwrap().contains("GW-MFA-01"));
    // After the quarterly evidence lapses (2026-10-09 is its last valid day) CC6.1 is partial.
    let later = json(&ws, &["status", "--json", "--as-of", "2026-10-10"]);
    assert_eq!(soc2(&later)["met"], 0);
}

#[test]
fn reimport_is_idempotent_and_dry_run_writes_nothing() {
    let (_t, ws) = init(true);
    let model = fixture("import/model.yaml");
    let before = db_bytes(&ws);
    let out = run(&ws, &["import", "--dry-run", model.to_str().unwrap()]);
    assert!(out.contains("dry run"));
    assert!(
        out.lines()
            .any(|l| l.starts_with("controls") && l.split_whitespace().nth(1) == Some("2"))
    );
    assert_eq!(db_bytes(&ws), before, "a dry run changes nothing");
    run(&ws, &["import", model.to_str().unwrap()]);
    let first = json(&ws, &["status", "--json", "--as-of", "2026-07-15"]);
    let out = run(&ws, &["import", model.to_str().unwrap()]);
    for line in out.lines().skip(1).filter(|l| !l.starts_with("imported")) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert_eq!((cols[1], cols[2]), ("0", "0"), "re-import changed {line}");
    }
    let second = json(&ws, &["status", "--json", "--as-of", "2026-07-15"]);
    assert_eq!(first, second);
    assert_eq!(second["evidence"], 1);
    let v = run(&ws, &["verify"]);
    assert!(v.contains("evidence chain: 1 rows ok"), "{v}");
}

#[test]
fn csv_lists_import_together_and_update_by_id() {
    let (_t, ws) = init(true);
    let files = [
        "controls.csv",
        "evidence.csv",
        "risks.csv",
        "findings.csv",
        "tasks.csv",
    ]
    .map(|f| fixture(&format!("import/{f}")));
    let mut args = vec!["import"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    run(&ws, &args);
    let s = json(&ws, &["status", "--json", "--as-of", "2026-11-21"]);
    assert_eq!(s["controls"]["total"], 2);
    assert_eq!(
        s["controls"]["designed"], 1,
        "X-LOG-01 has a pass on 2026-11-20 (continuous: valid 1 day)"
    );
    assert_eq!(s["evidence"], 2);
    assert_eq!(s["risks"]["total"], 1);
    assert_eq!(s["findings"]["open"], 1);
    assert_eq!(s["tasks"]["open"], 2);
    let r = json(&ws, &["requirements", "--framework", "hipaa", "--json"]);
    let b = r["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["ref_id"] == "164.312(b)")
        .unwrap();
    assert_eq!(b["controls"][0]["id"], "X-LOG-01");
    // A second controls file updates by id instead of duplicating.
    let t = tempfile::tempdir().unwrap();
    let upd = t.path().join("controls.csv");
    std::fs::write(&upd, "id,status\nX-KEY-01,implemented\n").unwrap();
    run(&ws, &["import", upd.to_str().unwrap()]);
    let s = json(&ws, &["status", "--json"]);
    assert_eq!(s["controls"]["total"], 2);
    assert_eq!(s["controls"]["implemented"], 2);
}

#[test]
fn bad_input_names_file_line_and_field_and_changes_nothing() {
    let (_t, ws) = init(false);
    let cases = [
        (
            "yaml-syntax.yaml",
            ":2: controls[0].id: ",
            "unexpected end of stream",
        ),
        ("csv-syntax.csv", ":3: ", "row has 2 fields"),
        (
            "csv-short-row.csv",
            ":3: ",
            "row has 2 fields, the header has 3",
        ),
        (
            "unknown-field.yaml",
            ":4: controls[0].colour: ",
            "unknown field `colour`",
        ),
        (
            "unknown-enum.yaml",
            ":4: controls[0].status: ",
            "unknown control status `done`",
        ),
        (
            "unknown-enum.csv",
            ":2: status: ",
            "unknown control status `finished`",
        ),
        (
            "unknown-result.yaml",
            ":5: evidence[0].result: ",
            "unknown evidence result `passed`",
        ),
        (
            "duplicate-id.yaml",
            ":4: controls[1].id: ",
            "duplicate control id `X-1`",
        ),
        (
            "unknown-requirement.yaml",
            ":5: controls[0].maps.soc2[1]: ",
            "unknown requirement `CC99.9`",
        ),
        (
            "unknown-framework.yaml",
            ":5: controls[0].maps.sox[0]: ",
            "unknown framework `sox`",
        ),
        (
            "bad-date.yaml",
            ":7: evidence[0].effective: ",
            "expected a date as YYYY-MM-DD",
        ),
        (
            "bad-date.csv",
            ":3: effective: ",
            "expected a date as YYYY-MM-DD",
        ),
        (
            "unknown-control-evidence.yaml",
            ":2: evidence[0].control: ",
            "unknown control `X-1`",
        ),
        (
            "unknown-control.csv",
            ":2: evidence[0].control: ",
            "unknown control `NOPE-9`",
        ),
        (
            "risk-out-of-range.csv",
            ":2: risks[0].likelihood: ",
            "out of range",
        ),
        ("task-cycle.yaml", ":2: tasks[0].depends_on: ", "cycle"),
    ];
    let before = db_bytes(&ws);
    for (file, at, what) in cases {
        let path = fixture(&format!("import-invalid/{file}"));
        let out = bin_in(&ws).arg("import").arg(&path).output().unwrap();
        assert!(!out.status.success(), "{file} was accepted");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{file}: more than one line: {err}");
        assert!(
            err.contains(&format!("{file}{at}")),
            "{file}: expected `{at}` in {err}"
        );
        assert!(err.contains(what), "{file}: expected `{what}` in {err}");
        assert_eq!(db_bytes(&ws), before, "{file} changed the database");
    }
    // A valid file followed by a bad one in the same import: nothing is written.
    let out = bin_in(&ws)
        .args(["import"])
        .arg(fixture("import/model.yaml"))
        .arg(fixture("import-invalid/unknown-enum.yaml"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(db_bytes(&ws), before);
}

#[test]
fn verify_names_the_first_tampered_row() {
    let (_t, ws) = init(true);
    run(
        &ws,
        &["import", fixture("import/model.yaml").to_str().unwrap()],
    );
    run(
        &ws,
        &[
            "import",
            fixture("import/controls.csv").to_str().unwrap(),
            fixture("import/evidence.csv").to_str().unwrap(),
        ],
    );
    assert!(run(&ws, &["verify"]).contains("evidence chain: 3 rows ok"));
    let conn = db(&ws);
    conn.execute(
        "UPDATE evidence SET title = 'Log pipeline health chock' WHERE seq = 2",
        [],
    )
    .unwrap();
    drop(conn);
    let out = bin_in(&ws).arg("verify").output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("evidence seq 2"), "{err}");
    let conn = db(&ws);
    conn.execute(
        "UPDATE evidence SET title = 'Log pipeline health check' WHERE seq = 2",
        [],
    )
    .unwrap();
    conn.execute("UPDATE change_log SET who = 'mallory' WHERE seq = 3", [])
        .unwrap();
    drop(conn);
    let out = bin_in(&ws).arg("verify").output().unwrap();
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("change_log seq 3")
    );
}

#[test]
fn the_demo_is_dated_relative_to_its_day() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("demo");
    bin_for(&ws)
        .args(["demo"])
        .arg(&ws)
        .args(["--as-of", "2026-11-26"])
        .assert()
        .success();
    let s = json(&ws, &["status", "--json", "--as-of", "2026-11-26"]);
    assert_eq!(s["organization"], "Lumen Health AI");
    let f = soc2(&s);
    assert_eq!(f["type2"]["window_start"], "2026-06-01");
    assert_eq!(f["type2"]["window_end"], "2026-11-30");
    let missed = f["type2"]["missed"].as_u64().unwrap();
    assert!(missed > 0, "the demo has realistic gaps");
    let cov = f["type2"]["coverage_pct"].as_f64().unwrap();
    // The controls added for processor duties are not started in the demo, so their missed
    // periods count against the window.
    assert!((60.0..100.0).contains(&cov), "coverage {cov}");
    assert!(f["met"].as_u64().unwrap() > 0 && f["partial"].as_u64().unwrap() > 0);
    assert_eq!(s["vendors"]["missing_baa"], 1);
    assert!(s["vendors"]["expiring_60d"].as_u64().unwrap() >= 1);
    assert!(s["tasks"]["late"].as_u64().unwrap() >= 3);
    assert!(s["evidence"].as_u64().unwrap() > 1000);
    assert!(run(&ws, &["verify"]).contains("ok; change log"));
    // Built 95 days later, every date moves with it.
    let later = t.path().join("later");
    bin_for(&later)
        .args(["demo"])
        .arg(&later)
        .args(["--as-of", "2027-03-01"])
        .assert()
        .success();
    let s2 = json(&later, &["status", "--json", "--as-of", "2027-03-01"]);
    assert_eq!(soc2(&s2)["type2"]["window_start"], "2026-09-04");
    // Calendar periods fall differently, so coverage is close, not equal.
    let cov2 = soc2(&s2)["type2"]["coverage_pct"].as_f64().unwrap();
    assert!((cov2 - cov).abs() < 5.0, "{cov2} vs {cov}");
}

#[test]
fn no_workspace_opens_the_labelled_demo() {
    let t = tempfile::tempdir().unwrap();
    let out = bin_for(t.path()).current_dir(t.path()).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("DEMO"));
    assert!(text.contains("certready init"));
    let out = bin_for(t.path())
        .current_dir(t.path())
        .arg("status")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("no workspace")
    );
}

#[test]
fn timeline_prints_the_schedule_with_projections() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("demo");
    bin_for(&ws)
        .args(["demo"])
        .arg(&ws)
        .args(["--as-of", "2026-11-26"])
        .assert()
        .success();
    let v = json(&ws, &["timeline", "--json", "--as-of", "2026-11-26"]);
    let items = v["items"].as_array().unwrap();
    assert!(items.iter().any(|i| i["id"] == "projected:soc2:window"
        && i["start"] == "2026-12-01"
        && i["state"] == "projected"));
    assert!(
        items
            .iter()
            .any(|i| i["lane"] == "task" && i["state"] == "critical")
    );
    let soc2 = v["projected"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == "soc2")
        .unwrap();
    assert_eq!(soc2["type2_report"], "2027-01-15");
    let text = run(&ws, &["timeline", "--as-of", "2026-11-26"]);
    assert!(text.lines().next().unwrap().starts_with("WHEN"));
    assert!(text.contains("SOC 2 Type II window (next, back to back)"));
}

#[test]
fn vendors_import_from_csv_raise_findings_and_close_them() {
    let (_t, ws) = init(false);
    let before = db_bytes(&ws);
    for (file, at, what) in [
        (
            "agreement-unknown-vendor.csv",
            ":2: agreements[0].vendor: ",
            "unknown vendor `V-NOPE`",
        ),
        (
            "vendor-bad-data.csv",
            ":2: data[1]: ",
            "unknown data category `secrets`",
        ),
        (
            "agreement-bad-kind.csv",
            ":2: kind: ",
            "unknown agreement kind `nda`",
        ),
    ] {
        let out = bin_in(&ws)
            .arg("import")
            .arg(fixture(&format!("import-invalid/{file}")))
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains(&format!("{file}{at}")) && err.contains(what),
            "{err}"
        );
        assert_eq!(db_bytes(&ws), before, "{file} changed the database");
    }
    run(
        &ws,
        &[
            "import",
            fixture("import/vendors.csv").to_str().unwrap(),
            fixture("import/agreements.csv").to_str().unwrap(),
        ],
    );
    // Re-importing the agreements adds nothing.
    let out = run(
        &ws,
        &["import", fixture("import/agreements.csv").to_str().unwrap()],
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("vendors") && l.split_whitespace().nth(3) == Some("4")),
        "{out}"
    );
    let s = json(&ws, &["status", "--json", "--as-of", "2026-11-26"]);
    assert_eq!(s["vendors"]["total"], 2);
    assert_eq!(s["vendors"]["missing_baa"], 0);
    assert_eq!(
        s["vendors"]["expiring_60d"], 1,
        "Acme's BAA ends 2027-01-14, 49 days out"
    );
    // After the BAA lapses, the rule raises a critical finding; a renewed BAA closes it.
    let later = json(&ws, &["status", "--json", "--as-of", "2027-01-15"]);
    assert_eq!(later["vendors"]["missing_baa"], 1);
    assert!(run(&ws, &["vendors", "check", "--as-of", "2027-01-15"]).contains("raised or updated"));
    let f = json(&ws, &["status", "--json", "--as-of", "2027-01-15"]);
    assert_eq!(f["findings"]["critical"], 1);
    let t = tempfile::tempdir().unwrap();
    let renew = t.path().join("renew.csv");
    std::fs::write(
        &renew,
        "vendor,kind,signed,expires\nV-ACME,baa,2027-01-10,2028-01-09\n",
    )
    .unwrap();
    run(&ws, &["import", renew.to_str().unwrap()]);
    assert!(run(&ws, &["vendors", "check", "--as-of", "2027-01-15"]).contains(", 1 closed"));
    let f = json(&ws, &["status", "--json", "--as-of", "2027-01-15"]);
    assert_eq!(f["findings"]["critical"], 0);
    assert!(
        run(&ws, &["vendors", "list", "--as-of", "2027-01-15"]).contains("Acme Models (V-ACME)")
    );
}

#[test]
fn vendor_agreements_become_evidence_valid_until_they_end() {
    let (_t, ws) = init(false);
    run(
        &ws,
        &[
            "import",
            fixture("import/vendors.csv").to_str().unwrap(),
            fixture("import/agreements.csv").to_str().unwrap(),
        ],
    );
    let conn = db(&ws);
    let (control, expires): (String, Option<String>) = conn
        .query_row(
            "SELECT control_id, expires FROM evidence WHERE title = 'baa with Acme Models'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (control.as_str(), expires.as_deref()),
        ("GW-VEN-02", Some("2027-01-14"))
    );
    let n: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM evidence WHERE natural_key LIKE 'agreement:%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 4);
    drop(conn);
    run(
        &ws,
        &["import", fixture("import/agreements.csv").to_str().unwrap()],
    );
    assert_eq!(
        json(&ws, &["status", "--json"])["evidence"],
        4,
        "re-import adds no evidence"
    );
    assert!(run(&ws, &["verify"]).contains("evidence chain: 4 rows ok"));
}

#[test]
fn a_vendor_agreement_is_attached_with_its_file() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("demo");
    bin_for(&ws)
        .args(["demo"])
        .arg(&ws)
        .args(["--as-of", "2026-11-26"])
        .assert()
        .success();
    assert_eq!(
        json(&ws, &["status", "--json", "--as-of", "2026-11-26"])["vendors"]["missing_baa"],
        1
    );
    let pdf = t.path().join("meridian-baa.pdf");
    std::fs::write(&pdf, b"%PDF-1.7 signed business associate agreement").unwrap();
    let out = run(
        &ws,
        &[
            "vendors",
            "attach",
            "V-MERIDIAN",
            "baa",
            pdf.to_str().unwrap(),
            "--signed",
            "2026-11-20",
            "--expires",
            "2027-11-19",
        ],
    );
    let digest =
        certready::store::chain::sha256_hex(b"%PDF-1.7 signed business associate agreement");
    assert!(out.contains(&digest), "{out}");
    assert!(std::fs::read_dir(ws.join("evidence")).unwrap().any(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with("meridian-baa.pdf")
    }));
    let s = json(&ws, &["status", "--json", "--as-of", "2026-11-26"]);
    assert_eq!(s["vendors"]["missing_baa"], 0, "the BAA is in force now");
    let conn = db(&ws);
    let stored: String = conn
        .query_row(
            "SELECT file_digest FROM agreements WHERE vendor_id = 'V-MERIDIAN' AND kind = 'baa'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, digest);
}

#[test]
fn a_new_edition_is_diffed_then_applied_keeping_history() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("demo");
    bin_for(&ws)
        .args(["demo"])
        .arg(&ws)
        .args(["--as-of", "2026-11-26"])
        .assert()
        .success();
    let next = fixture("catalogs/soc2-next.yaml");
    let v = json(&ws, &["catalog", "diff", next.to_str().unwrap(), "--json"]);
    let changes = v.as_array().unwrap();
    let kinds: Vec<&str> = changes
        .iter()
        .map(|c| c["change"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["retitled", "renamed", "removed", "added"]);
    let renamed = &changes[1];
    assert_eq!(
        (renamed["from"].as_str(), renamed["to"].as_str()),
        (Some("CC9.2"), Some("CC9.3"))
    );
    assert!(
        renamed["controls"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "GW-VEN-02")
    );
    assert_eq!(changes[2]["controls"][0], "GW-DSR-01");
    // Applying needs --yes and changes nothing without it.
    let before = db_bytes(&ws);
    let out = bin_in(&ws)
        .args(["catalog", "apply"])
        .arg(&next)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(db_bytes(&ws), before);
    run(&ws, &["catalog", "apply", next.to_str().unwrap(), "--yes"]);
    let r = json(
        &ws,
        &[
            "requirements",
            "--framework",
            "soc2",
            "--json",
            "--as-of",
            "2026-11-26",
        ],
    );
    let req = |id: &str| {
        r["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["ref_id"] == id)
            .cloned()
            .unwrap()
    };
    assert!(
        req("CC9.3")["controls"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == "GW-VEN-02"),
        "mappings follow the rename"
    );
    assert_eq!(
        req("CC9.2")["assessable"],
        false,
        "the old id is kept for history, not assessed"
    );
    assert_eq!(req("P8.1")["assessable"], false);
    assert_eq!(req("CC10.1")["status"], "gap");
    assert!(run(&ws, &["log", "--limit", "20"]).contains("rename"));
    assert!(run(&ws, &["verify"]).contains("ok; change log"));
}

#[test]
fn oscal_catalogs_and_ciso_assistant_libraries_import() {
    let (_t, ws) = init(false);
    let out = run(
        &ws,
        &[
            "import",
            fixture("import/oscal-catalog.json").to_str().unwrap(),
            fixture("import/ciso-framework.yaml").to_str().unwrap(),
            fixture("import/ciso-mapping.yaml").to_str().unwrap(),
        ],
    );
    assert!(out.contains("framework `example-ai-controls-1-0` (Example AI Controls) with 6 requirement(s), 4 assessable"), "{out}");
    assert!(
        out.contains("1 unknown id(s) skipped"),
        "mappings to ids that do not exist are reported and skipped"
    );
    let r = json(
        &ws,
        &[
            "requirements",
            "--framework",
            "example-ai-controls-1-0",
            "--json",
        ],
    );
    let req = |id: &str| {
        r["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["ref_id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        req("gv-1.1")["group"],
        "gv",
        "enhancements stay in their group"
    );
    assert_eq!(
        req("gv-2")["assessable"],
        false,
        "withdrawn controls are kept but not assessed"
    );
    assert_eq!(req("gv-2")["status"], "not_applicable");
    assert_eq!(
        req("gv-sub")["assessable"],
        false,
        "nested groups become headings"
    );
    let act = json(
        &ws,
        &["requirements", "--framework", "example-ai-act", "--json"],
    );
    assert_eq!(act["requirements"].as_array().unwrap().len(), 3);
    // The mapping library carried SOC 2 CC6.1's controls to ISO 27001 A.5.16.
    let iso = json(&ws, &["requirements", "--framework", "iso27001", "--json"]);
    let a516 = iso["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["ref_id"] == "A.5.16")
        .cloned()
        .unwrap();
    assert!(a516["controls"].as_array().unwrap().len() >= 2);
    for bad in ["oscal-not-a-catalog.json", "ciso-empty-objects.yaml"] {
        let out = bin_in(&ws)
            .arg("import")
            .arg(fixture(&format!("import-invalid/{bad}")))
            .output()
            .unwrap();
        assert!(!out.status.success(), "{bad}");
        assert_eq!(String::from_utf8(out.stderr).unwrap().lines().count(), 1);
    }
}
