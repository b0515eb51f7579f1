//! Catalog changes end to end on the demo workspace (as of 2026-11-26): the same edition
//! applies once (change log and `status --json` unchanged by a second apply); the shipped PCI
//! DSS re-applied keeps every mapping; description, assessable and group/parent changes are
//! reported; a swap moves mappings with the content; an unrelated new requirement is never
//! paired with a removed one; the change log records every kind of change with the edition.

mod common;

use common::{bin, fixture, run};
use serde_json::Value;
use serde_norway::Value as Yaml;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-11-26";

fn demo() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("demo");
    bin()
        .args(["demo"])
        .arg(&ws)
        .args(["--as-of", AS_OF])
        .assert()
        .success();
    (t, ws)
}

fn json(ws: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&run(ws, args)).unwrap()
}

fn status(ws: &Path) -> Value {
    json(ws, &["status", "--json", "--as-of", AS_OF])
}

fn figures(ws: &Path, key: &str) -> (Value, Value, Value) {
    let s = status(ws);
    let f = s["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .unwrap();
    (f["met"].clone(), f["partial"].clone(), f["gap"].clone())
}

fn log_size(ws: &Path) -> i64 {
    let c = rusqlite::Connection::open(ws.join("certready.db")).unwrap();
    c.query_row("SELECT COUNT(*) FROM change_log", [], |r| r.get(0))
        .unwrap()
}

/// The controls mapped to `req` of `fw` (sorted).
fn controls(ws: &Path, fw: &str, req: &str) -> Vec<String> {
    let r = json(
        ws,
        &[
            "requirements",
            "--framework",
            fw,
            "--json",
            "--as-of",
            AS_OF,
        ],
    );
    let mut v: Vec<String> = r["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["ref_id"] == req)
        .unwrap_or_else(|| panic!("{req} listed"))["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    v.sort();
    v
}

fn diff(ws: &Path, file: &Path) -> Vec<Value> {
    json(ws, &["catalog", "diff", file.to_str().unwrap(), "--json"])
        .as_array()
        .unwrap()
        .clone()
}

fn apply(ws: &Path, file: &Path) -> String {
    run(ws, &["catalog", "apply", file.to_str().unwrap(), "--yes"])
}

/// A shipped catalog, edited by `edit` (on its requirement list), written as a new edition.
fn edition(dir: &Path, key: &str, version: &str, edit: impl Fn(&mut Vec<Yaml>)) -> PathBuf {
    let text = std::fs::read_to_string(format!("assets/catalogs/{key}.yaml")).unwrap();
    let mut doc: Yaml = serde_norway::from_str(&text).unwrap();
    doc["framework"]["version"] = Yaml::from(version);
    let Yaml::Sequence(reqs) = &mut doc["requirements"] else {
        panic!("requirements")
    };
    edit(reqs);
    let path = dir.join(format!("{key}-{version}.yaml"));
    std::fs::write(&path, serde_norway::to_string(&doc).unwrap()).unwrap();
    path
}

fn find<'a>(reqs: &'a mut [Yaml], id: &str) -> &'a mut Yaml {
    reqs.iter_mut().find(|r| r["id"] == id).unwrap()
}

fn kinds(changes: &[Value]) -> Vec<&str> {
    changes
        .iter()
        .map(|c| c["change"].as_str().unwrap())
        .collect()
}

#[test]
fn applying_the_same_edition_twice_is_a_no_op() {
    let (_t, ws) = demo();
    let next = fixture("catalogs/soc2-next.yaml");
    assert_eq!(diff(&ws, &next).len(), 4);
    apply(&ws, &next);
    let (log, st) = (log_size(&ws), status(&ws));
    assert!(
        diff(&ws, &next).is_empty(),
        "retired requirements are not removed again"
    );
    let out = apply(&ws, &next);
    assert!(out.contains("0 changes"), "{out}");
    assert_eq!(log_size(&ws), log, "a second apply logs nothing");
    assert_eq!(status(&ws), st, "a second apply changes no figure");
    // Back to the shipped edition: the rename is undone and every figure is as before.
    let (_u, fresh) = demo();
    apply(&ws, Path::new("assets/catalogs/soc2.yaml"));
    assert_eq!(figures(&ws, "soc2"), figures(&fresh, "soc2"));
    assert_eq!(
        controls(&ws, "soc2", "CC9.2"),
        controls(&fresh, "soc2", "CC9.2")
    );
    assert_eq!(
        controls(&ws, "soc2", "P8.1"),
        controls(&fresh, "soc2", "P8.1")
    );
}

#[test]
fn reapplying_the_shipped_pci_keeps_every_mapping() {
    let (t, ws) = demo();
    let shipped = Path::new("assets/catalogs/pci-dss.yaml");
    let before = figures(&ws, "pci-dss");
    let owners = controls(&ws, "pci-dss", "8.3.6");
    assert!(!owners.is_empty());
    assert!(diff(&ws, shipped).is_empty());
    assert!(apply(&ws, shipped).contains("0 changes"));
    assert_eq!(figures(&ws, "pci-dss"), before);
    // An edition that moved 8.3.6 to another id, then the shipped one again.
    let moved = edition(t.path(), "pci-dss", "4.0.1-test", |r| {
        find(r, "8.3.6")["id"] = Yaml::from("8.3.66");
    });
    apply(&ws, &moved);
    assert_eq!(controls(&ws, "pci-dss", "8.3.66"), owners);
    let back = diff(&ws, shipped);
    assert_eq!(kinds(&back), ["renamed"], "{back:?}");
    assert_eq!(
        (back[0]["from"].as_str(), back[0]["to"].as_str()),
        (Some("8.3.66"), Some("8.3.6"))
    );
    apply(&ws, shipped);
    assert_eq!(
        controls(&ws, "pci-dss", "8.3.6"),
        owners,
        "8.3.6 comes back with its mappings"
    );
    assert_eq!(
        figures(&ws, "pci-dss"),
        before,
        "met, partial and gap as before"
    );
    assert!(diff(&ws, shipped).is_empty());
}

#[test]
fn content_changes_swaps_and_unrelated_requirements() {
    let (t, ws) = demo();
    let (c66, c67) = (
        controls(&ws, "soc2", "CC6.6"),
        controls(&ws, "soc2", "CC6.7"),
    );
    let vendors = controls(&ws, "soc2", "CC9.2");
    assert_ne!(c66, c67);
    assert!(!vendors.is_empty());
    let next = edition(t.path(), "soc2", "2030 test", |r| {
        find(r, "CC6.1")["description"] = Yaml::from("Logical access is restricted, reworded.");
        find(r, "CC6.2")["assessable"] = Yaml::from(false);
        find(r, "CC7.1")["parent"] = Yaml::from("CC6");
        // CC6.6 and CC6.7 exchange their contents.
        let (a, b) = (find(r, "CC6.6").clone(), find(r, "CC6.7").clone());
        for k in ["title", "description"] {
            find(r, "CC6.6")[k] = b[k].clone();
            find(r, "CC6.7")[k] = a[k].clone();
        }
        // CC9.2 goes; an unrelated requirement with the same title comes.
        let mut unrelated = find(r, "CC9.2").clone();
        unrelated["id"] = Yaml::from("CC9.9");
        unrelated["description"] = Yaml::from("Quantum key escrow is audited each leap year.");
        r.retain(|x| x["id"] != "CC9.2");
        r.push(unrelated);
    });
    let changes = diff(&ws, &next);
    let of = |kind: &str, id: &str| {
        changes
            .iter()
            .find(|c| c["change"] == kind && (c["id"] == id || c["a"] == id))
            .unwrap_or_else(|| panic!("{kind} {id} in {changes:?}"))
            .clone()
    };
    assert!(
        !of("description_changed", "CC6.1")["controls"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(of("assessable_changed", "CC6.2")["to"], false);
    assert_eq!(of("moved", "CC7.1")["to"], "security/CC6");
    assert_eq!(of("swapped", "CC6.6")["b"], "CC6.7");
    assert_eq!(
        of("removed", "CC9.2")["controls"].as_array().unwrap().len(),
        vendors.len()
    );
    of("added", "CC9.9");
    assert!(!kinds(&changes).contains(&"renamed"), "{changes:?}");
    assert!(
        !kinds(&changes).contains(&"retitled"),
        "a swap is not two retitles"
    );
    let log = log_size(&ws);
    apply(&ws, &next);
    assert_eq!(
        controls(&ws, "soc2", "CC6.7"),
        c66,
        "mappings follow the content"
    );
    assert_eq!(controls(&ws, "soc2", "CC6.6"), c67);
    assert!(
        controls(&ws, "soc2", "CC9.9").is_empty(),
        "the unrelated one takes no control"
    );
    let entries = json(&ws, &["log", "--json", "--limit", "50"]);
    let n = usize::try_from(log_size(&ws) - log).unwrap();
    let new = &entries.as_array().unwrap()[..n];
    let mut actions: Vec<&str> = new.iter().map(|e| e["action"].as_str().unwrap()).collect();
    actions.sort_unstable();
    actions.dedup();
    assert_eq!(
        actions,
        [
            "added",
            "assessable_changed",
            "description_changed",
            "edition",
            "moved",
            "retired",
            "swapped"
        ]
    );
    for e in new {
        assert!(e["after"].as_str().unwrap().contains("2030 test"), "{e}");
    }
    assert!(diff(&ws, &next).is_empty());
}

#[test]
fn a_similar_requirement_under_a_new_id_is_a_rename_and_is_shown_before_apply() {
    let (t, ws) = demo();
    let vendors = controls(&ws, "soc2", "CC9.2");
    let next = edition(t.path(), "soc2", "2031 test", |r| {
        let x = find(r, "CC9.2");
        x["id"] = Yaml::from("CC9.4");
        let d = format!("{} (reworded)", x["description"].as_str().unwrap());
        x["description"] = Yaml::from(d);
    });
    assert_eq!(kinds(&diff(&ws, &next)), ["renamed"]);
    let out = bin()
        .arg("--workspace")
        .arg(&ws)
        .args(["catalog", "apply"])
        .arg(&next)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(
        shown.contains("CC9.2 → CC9.4") && shown.contains("review"),
        "{shown}"
    );
    apply(&ws, &next);
    assert_eq!(controls(&ws, "soc2", "CC9.4"), vendors);
    assert!(run(&ws, &["log", "--limit", "5"]).contains("renamed"));
}
