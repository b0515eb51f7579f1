//! Crosswalks with CISO Assistant's own libraries (fixtures/import/ciso-*, see its README) on
//! the demo workspace (as of 2026-11-26): points of focus resolve to their criteria so the
//! SOC 2 to ISO 27001 and SOC 2 to SCF libraries carry controls; a crosswalk never makes a
//! mapping stronger than the control's own (an `equal` library raises no figure); the
//! requirement detail (CLI JSON and text, dashboard) lists each carried mapping with its
//! library.

mod common;

use certready::domain::Date;
use certready::import::crosswalk::resolve_all;
use common::backend::{bin_for, db, workspace};
use common::{fixture, run};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-11-26";
const ISO_MAP: &str = "import/ciso-mapping-soc2-2017-rev-2022-to-iso27001-2022.yaml";

fn demo() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("demo");
    bin_for(&ws)
        .args(["demo"])
        .arg(&ws)
        .args(["--as-of", AS_OF])
        .assert()
        .success();
    (t, ws)
}

fn import(ws: &Path, files: &[PathBuf]) -> String {
    let mut args = vec!["import".to_owned()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(ws, &args)
}

/// "N control mapping(s) added" of the import line naming `file`.
fn added(out: &str, file: &str) -> usize {
    let line = out
        .lines()
        .find(|l| l.contains(file) && l.contains("mapping(s) read"))
        .unwrap_or_else(|| panic!("no line for {file} in {out}"));
    let before = line.split(" control mapping(s) added").next().unwrap();
    before.rsplit(' ').next().unwrap().parse().unwrap()
}

/// (control, framework, requirement) → relationship.
fn mappings(ws: &Path) -> BTreeMap<(String, String, String), String> {
    let c = db(ws);
    let mut s = c
        .prepare("SELECT control_id, framework, ref_id, relationship FROM mappings")
        .unwrap();
    s.query_map([], |r| Ok(((r.get(0)?, r.get(1)?, r.get(2)?), r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn met(ws: &Path) -> BTreeMap<String, (u64, f64)> {
    let s: Value = serde_json::from_str(&run(ws, &["status", "--json", "--as-of", AS_OF])).unwrap();
    s["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let k = f["key"].as_str().unwrap().to_owned();
            (
                k,
                (
                    f["met"].as_u64().unwrap(),
                    f["type1_readiness_pct"].as_f64().unwrap(),
                ),
            )
        })
        .collect()
}

#[test]
fn points_of_focus_resolve_to_their_criteria() {
    let fws = certready::catalog::builtin_frameworks().unwrap();
    let r = resolve_all(
        "urn:intuitem:risk:req_node:soc2-2017-rev-2022:cc6.1.1",
        &fws,
    );
    assert_eq!(r.len(), 1);
    assert_eq!(
        (r[0].framework.as_str(), r[0].requirement.as_str()),
        ("soc2", "CC6.1")
    );
    assert!(r[0].via_parent);
    let r = resolve_all("urn:intuitem:risk:req_node:iso27001-2022:a.5.1.x", &fws);
    assert_eq!(r[0].requirement.as_str(), "A.5.1");
    let r = resolve_all("urn:intuitem:risk:req_node:iso27001-2022:a.5.13", &fws);
    assert!(!r[0].via_parent);
    assert!(
        resolve_all(
            "urn:intuitem:risk:req_node:soc2-2017-rev-2022:zz9.9.9",
            &fws
        )
        .is_empty()
    );
}

#[test]
fn the_real_libraries_carry_controls_and_list_them_as_crosswalks() {
    let (_t, ws) = demo();
    let out = import(
        &ws,
        &[
            fixture("import/ciso-soc2-2017-rev-2022.yaml"),
            fixture(ISO_MAP),
        ],
    );
    assert!(out.contains("2810 mapping(s) read"), "{out}");
    let iso = added(&out, "to-iso27001-2022.yaml");
    assert!(iso > 100, "points of focus carry controls: {iso} added");
    let out = import(
        &ws,
        &[
            fixture("import/ciso-scf-2025.2.2.yaml"),
            fixture("import/ciso-mapping-soc2-2017-rev-2022-and-scf-2025.2.2.yaml"),
        ],
    );
    assert!(added(&out, "and-scf-2025.2.2.yaml") > 100, "{out}");
    // The requirement detail, as JSON: each carried mapping with its library.
    let r: Value = serde_json::from_str(&run(
        &ws,
        &[
            "requirements",
            "--framework",
            "iso27001",
            "--json",
            "--as-of",
            AS_OF,
        ],
    ))
    .unwrap();
    let req = r["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["ref_id"] == "A.5.15")
        .unwrap();
    let cw = req["crosswalks"].as_array().unwrap();
    assert!(!cw.is_empty(), "{req}");
    assert!(cw.iter().all(|c| {
        c["library"]
            .as_str()
            .unwrap()
            .contains("urn:intuitem:risk:library:mapping-soc2-2017-rev-2022-to-iso27001-2022")
    }));
    assert!(
        cw.iter().all(|c| c["relationship"] == "partial"),
        "intersect is partial"
    );
    let text = run(
        &ws,
        &["requirements", "--framework", "iso27001", "--as-of", AS_OF],
    );
    assert!(
        text.contains("crosswalk: ") && text.contains("SOC2-2017-Rev-2022 -> ISO/IEC 27001:2022")
    );
    // And in the dashboard's requirement detail.
    let as_of: Date = AS_OF.parse().unwrap();
    let store = workspace(&ws).open().unwrap();
    let data = certready::tui::data::Data::load(&store, as_of, true).unwrap();
    let group = data
        .snapshot
        .frameworks
        .iter()
        .find(|f| f.key.as_str() == "iso27001")
        .and_then(|f| {
            f.requirements
                .iter()
                .find(|q| q.ref_id.as_str() == "A.5.15")
        })
        .unwrap()
        .group
        .clone();
    let theme = certready::tui::theme::Theme::named("default").unwrap();
    let lines: Vec<String> = certready::tui::tabs::frameworks::detail(
        &data,
        &format!("iso27001/{group}/A.5.15"),
        &theme,
    )
    .iter()
    .map(ToString::to_string)
    .collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("Crosswalks"))
        .expect("a Crosswalks section");
    assert!(
        lines[at + 1]
            .contains("from SOC2-2017-Rev-2022 -> ISO/IEC 27001:2022 (urn:intuitem:risk:library:"),
        "{lines:?}"
    );
}

#[test]
fn an_equal_crosswalk_never_raises_a_mapping_or_a_figure() {
    let (t, ws) = demo();
    let before = mappings(&ws);
    let figures = met(&ws);
    // The real library with every relationship made `equal` (and its points of focus kept).
    let text = std::fs::read_to_string(fixture(ISO_MAP)).unwrap();
    let equal = t.path().join("equal.yaml");
    std::fs::write(
        &equal,
        text.replace("relationship: intersect", "relationship: equal"),
    )
    .unwrap();
    let out = import(&ws, &[equal]);
    assert!(added(&out, "equal.yaml") > 0, "{out}");
    let after = mappings(&ws);
    for (k, rel) in &before {
        assert_eq!(after.get(k), Some(rel), "{k:?} kept as it was");
    }
    // A control whose own SOC 2 and ISO mappings are all partial gains only partial ones.
    let has_full = |c: &str| {
        before
            .iter()
            .any(|((x, fw, _), r)| x == c && (fw == "soc2" || fw == "iso27001") && r == "full")
    };
    let new: Vec<_> = after
        .iter()
        .filter(|(k, _)| !before.contains_key(*k))
        .collect();
    assert!(new.iter().any(|(_, r)| *r == "partial"));
    for ((c, fw, req), rel) in &new {
        assert!(
            rel.as_str() != "full" || has_full(c),
            "{c} {fw} {req} raised to full"
        );
    }
    let now = met(&ws);
    for key in ["soc2", "iso27001"] {
        assert!(
            now[key].0 <= figures[key].0,
            "{key} met {:?} -> {:?}",
            figures[key],
            now[key]
        );
        assert!(now[key].1 <= figures[key].1);
    }
}
