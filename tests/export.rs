//! Every exporter's output parsed back and checked: CSV lists, the JSON model, the Statement
//! of Applicability, OSCAL 1.1 assessment results and POA&M (every required field), and the
//! evidence bundle (`sha256sum -c` passes).

use serde_json::Value;
use std::path::{Path, PathBuf};

mod common;
use common::backend::{bin_for, bin_in};

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

fn run(ws: &Path, args: &[&str]) -> String {
    let out = bin_in(ws)
        .args(args)
        .args(["--as-of", "2026-11-26"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h = r.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (h, rows)
}

fn has(v: &Value, path: &[&str]) -> bool {
    let mut cur = v;
    for p in path {
        match cur.get(*p) {
            Some(n) => cur = n,
            None => return false,
        }
    }
    !cur.is_null()
}

#[test]
fn csv_and_json_parse_back() {
    let (t, ws) = demo();
    let dir = t.path().join("csv");
    run(&ws, &["export", "csv", dir.to_str().unwrap()]);
    let (h, controls) = csv_rows(&std::fs::read_to_string(dir.join("controls.csv")).unwrap());
    assert_eq!(h[0], "id");
    assert_eq!(controls.len(), 83);
    let (_, reqs) = csv_rows(&std::fs::read_to_string(dir.join("requirements.csv")).unwrap());
    assert!(reqs.iter().any(|r| r[0] == "soc2" && r[1] == "CC6.1"));
    let (_, tasks) = csv_rows(&std::fs::read_to_string(dir.join("tasks.csv")).unwrap());
    assert_eq!(tasks.len(), 25);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(dir.join("risks.csv"))
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o600
        );
    }
    let v: Value = serde_json::from_str(&run(&ws, &["export", "json"])).unwrap();
    assert_eq!(v["organization"], "Lumen Health AI");
    assert_eq!(v["controls"].as_array().unwrap().len(), 83);
    assert_eq!(v["assessment"]["frameworks"].as_array().unwrap().len(), 5);
}

#[test]
fn the_statement_of_applicability_lists_every_annex_a_control() {
    let (_t, ws) = demo();
    let (h, rows) = csv_rows(&run(
        &ws,
        &[
            "export",
            "soa",
            "--framework",
            "iso27001",
            "--format",
            "csv",
        ],
    ));
    assert_eq!(
        h,
        [
            "control",
            "title",
            "applicability",
            "justification",
            "implemented_by",
            "status"
        ]
    );
    assert_eq!(rows.len(), 93);
    let excluded: Vec<_> = rows.iter().filter(|r| r[2] == "excluded").collect();
    assert!(
        !excluded.is_empty() && excluded.iter().all(|r| !r[3].is_empty()),
        "exclusions carry their justification"
    );
    assert!(
        rows.iter()
            .filter(|r| r[2] == "applicable")
            .all(|r| !r[5].is_empty())
    );
    let md = run(
        &ws,
        &["export", "soa", "--framework", "iso27701", "--format", "md"],
    );
    assert!(md.starts_with("# Statement of Applicability: iso27701"));
    assert_eq!(md.lines().filter(|l| l.starts_with("| A.")).count(), 78);
    let html = run(&ws, &["export", "soa", "--format", "html"]);
    assert!(html.contains("<table>") && html.contains("A.8.34"));
}

#[test]
fn oscal_exports_carry_every_required_field() {
    let (_t, ws) = demo();
    let ar: Value =
        serde_json::from_str(&run(&ws, &["export", "oscal-ar", "--framework", "soc2"])).unwrap();
    let root = &ar["assessment-results"];
    for p in [
        &["uuid"][..],
        &["metadata", "title"],
        &["metadata", "last-modified"],
        &["metadata", "version"],
        &["metadata", "oscal-version"],
        &["import-ap", "href"],
    ] {
        assert!(has(root, p), "assessment-results lacks {p:?}");
    }
    let result = &root["results"][0];
    for p in [
        &["uuid"][..],
        &["title"],
        &["description"],
        &["start"],
        &["reviewed-controls", "control-selections"],
    ] {
        assert!(has(result, p), "result lacks {p:?}");
    }
    let obs = result["observations"].as_array().unwrap();
    assert!(!obs.is_empty());
    for o in obs {
        assert!(
            ["uuid", "description", "methods", "collected"]
                .iter()
                .all(|k| has(o, &[k])),
            "{o}"
        );
    }
    let findings = result["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["target"]["target-id"] == "soc2-CC1.2" && f["target"]["title"] == "CC1.2")
    );
    for f in findings {
        assert!(
            ["uuid", "title", "description"]
                .iter()
                .all(|k| has(f, &[k]))
        );
        assert!(
            has(f, &["target", "type"])
                && has(f, &["target", "target-id"])
                && has(f, &["target", "status", "state"])
        );
    }
    let poam: Value = serde_json::from_str(&run(&ws, &["export", "oscal-poam"])).unwrap();
    let p = &poam["plan-of-action-and-milestones"];
    assert!(has(p, &["uuid"]) && has(p, &["metadata", "oscal-version"]));
    let items = p["poam-items"].as_array().unwrap();
    assert_eq!(
        items.len(),
        9,
        "open and remediating findings (not risk-accepted, not closed)"
    );
    assert!(items.iter().all(|i| {
        ["uuid", "title", "description"]
            .iter()
            .all(|k| has(i, &[k]))
    }));
    let risks = p["risks"].as_array().unwrap();
    assert!(risks.iter().all(|r| {
        ["uuid", "title", "description", "statement", "status"]
            .iter()
            .all(|k| has(r, &[k]))
    }));
    let milestones: Vec<&Value> = risks
        .iter()
        .filter_map(|r| r["remediations"][0]["tasks"].as_array())
        .flatten()
        .collect();
    assert!(!milestones.is_empty() && milestones.iter().all(|m| m["type"] == "milestone"));
    // Stable UUIDs: a second export names the same items the same way.
    let again: Value = serde_json::from_str(&run(&ws, &["export", "oscal-poam"])).unwrap();
    assert_eq!(
        again["plan-of-action-and-milestones"]["poam-items"],
        p["poam-items"]
    );
}

#[test]
fn the_evidence_bundle_checks_with_sha256sum() {
    let (t, ws) = demo();
    let dir = t.path().join("bundle");
    run(&ws, &["export", "bundle", dir.to_str().unwrap()]);
    let out = std::process::Command::new("sha256sum")
        .arg("-c")
        .arg("--quiet")
        .arg("SHA256SUMS")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let n = manifest["evidence"].as_array().unwrap().len();
    let rows = serde_json::from_str::<Value>(&run(&ws, &["status", "--json"])).unwrap()["evidence"]
        .as_u64()
        .unwrap();
    assert_eq!(n as u64, rows, "every evidence item is in the bundle");
    assert!(dir.join("requirements/soc2/CC6.1.md").is_file());
    // Tampering with one file is caught.
    let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    let first = sums.lines().next().unwrap().split("  ").nth(1).unwrap();
    std::fs::write(dir.join(first), "tampered").unwrap();
    let out = std::process::Command::new("sha256sum")
        .arg("-c")
        .arg("--quiet")
        .arg("SHA256SUMS")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    // A non-empty directory is refused.
    let again = bin_in(&ws)
        .args(["export", "bundle"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(!again.status.success());
}
