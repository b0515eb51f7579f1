//! The Statement of Applicability as an auditor reads it: document control (organisation,
//! edition, date, version, approver; "not set" where the workspace holds none, the configured
//! values where `[soa]` gives them), a justification of its own per control naming the risks
//! behind it, no implementers on an exclusion, and a one-line refusal for frameworks that
//! have no SoA.

use std::path::{Path, PathBuf};

mod common;
use common::{bin, run};

fn demo() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("demo");
    bin()
        .arg("demo")
        .arg(&ws)
        .args(["--as-of", "2026-11-26"])
        .assert()
        .success();
    (t, ws)
}

fn soa(ws: &Path, format: &str) -> String {
    run(
        ws,
        &[
            "export",
            "soa",
            "--framework",
            "iso27001",
            "--format",
            format,
            "--as-of",
            "2026-11-26",
        ],
    )
}

fn rows(csv_text: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(csv_text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn the_soa_carries_its_document_control() {
    let (_t, ws) = demo();
    let md = soa(&ws, "md");
    for line in [
        "- Organisation: Lumen Health AI",
        "- Standard: ISO/IEC 27001",
        "- Date: 2026-11-26",
        "- Document version: not set",
        "- Approved by: not set",
    ] {
        assert!(md.contains(line), "missing {line:?} in\n{md}");
    }
    assert!(md.contains("- Edition: ISO/IEC 27001 2022"), "{md}");
    // Set in the config, the values appear as given.
    let cfg = ws.join("certready.toml");
    let mut text = std::fs::read_to_string(&cfg).unwrap();
    text.push_str(
        "\n[soa]\nversion = \"2.1\"\napprover = \"Dana Okafor, CISO\"\napproved = \"2026-10-01\"\n",
    );
    std::fs::write(&cfg, text).unwrap();
    let html = soa(&ws, "html");
    for v in ["2.1", "Dana Okafor, CISO", "2026-10-01", "Lumen Health AI"] {
        assert!(html.contains(v), "{v} missing from the HTML SoA");
    }
    assert!(!html.contains("not set"));
}

#[test]
fn each_control_has_its_own_justification_and_exclusions_list_no_implementers() {
    let (_t, ws) = demo();
    let rows = rows(&soa(&ws, "csv"));
    assert_eq!(rows.len(), 93);
    let applicable: Vec<_> = rows.iter().filter(|r| r[2] == "applicable").collect();
    let distinct: std::collections::BTreeSet<&str> =
        applicable.iter().map(|r| r[3].as_str()).collect();
    assert!(
        distinct.len() * 4 >= applicable.len() * 3,
        "{} distinct justifications for {} controls",
        distinct.len(),
        applicable.len()
    );
    let risk = regex_lite::Regex::new(r"\bR-[A-Z0-9-]+").unwrap();
    let with_risk = applicable.iter().filter(|r| risk.is_match(&r[3])).count();
    assert!(
        with_risk >= 20,
        "only {with_risk} justifications name a risk"
    );
    // A.5.3 is implemented by GW-RBAC-01 among others; the risks treated through it are named.
    let a53 = rows.iter().find(|r| r[0] == "A.5.3").unwrap();
    assert!(a53[3].contains("R-XTENANT"), "{}", a53[3]);
    let excluded: Vec<_> = rows.iter().filter(|r| r[2] == "excluded").collect();
    assert!(!excluded.is_empty());
    for r in excluded {
        assert!(
            r[4].is_empty(),
            "{} excluded but implemented by {}",
            r[0],
            r[4]
        );
        assert!(
            !r[3].is_empty(),
            "{} excluded without a justification",
            r[0]
        );
    }
}

#[test]
fn a_framework_without_an_soa_is_refused_in_one_line() {
    let (_t, ws) = demo();
    for fw in ["soc2", "hipaa", "pci-dss"] {
        let out = bin()
            .arg("--workspace")
            .arg(&ws)
            .args(["export", "soa", "--framework", fw])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{fw} was accepted");
        assert!(
            out.stdout.is_empty(),
            "{fw}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains("no Statement of Applicability"), "{err}");
    }
}
