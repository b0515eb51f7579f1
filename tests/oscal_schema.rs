//! OSCAL checked against NIST's OSCAL 1.1.2 JSON schemas (`fixtures/oscal-schema/`, see its
//! README; the `\p{L}` patterns compile with fancy-regex, nothing is patched): the assessment
//! results of every framework and the POA&M, of the demo and of a bare workspace, with zero
//! errors and every `#` href naming a back-matter resource; one POA&M item per open finding of
//! `status`, statuses kept; a catalog and its baseline import under two keys, a colliding
//! catalog is refused, and labels find controls.

use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

mod common;
use common::{bin, fixture};

const FRAMEWORKS: &[&str] = &["soc2", "iso27001", "iso27701", "hipaa", "pci-dss"];
const AS_OF: &str = "2026-11-26";
const FULL: &str = "oscal-nist-excerpt-catalog.json";
const MODERATE: &str = "oscal-nist-excerpt-moderate.json";

fn schema(name: &str) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .with_pattern_options(jsonschema::PatternOptions::fancy_regex())
        .should_validate_formats(true)
        .build(&read(&format!("oscal-schema/{name}")))
        .unwrap()
}

/// Every schema error of `doc`, as `path: message`.
fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn run(ws: &Path, args: &[&str]) -> String {
    let out = bin()
        .arg("--workspace")
        .arg(ws)
        .args(args)
        .args(["--as-of", AS_OF])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(ws: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&run(ws, args)).unwrap()
}

/// The demo workspace (`bare` false) or a bare one: catalogs only, no controls, no findings.
fn workspace(bare: bool) -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("ws");
    let mut c = bin();
    if bare {
        c.arg("init").arg(&ws).arg("--bare");
    } else {
        c.arg("demo").arg(&ws).args(["--as-of", AS_OF]);
    }
    c.assert().success();
    (t, ws)
}

/// Every string value under a key `href` in `v`.
fn hrefs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => m.iter().for_each(|(k, x)| match (k.as_str(), x) {
            ("href", Value::String(s)) => out.push(s.clone()),
            _ => hrefs(x, out),
        }),
        Value::Array(a) => a.iter().for_each(|x| hrefs(x, out)),
        _ => {}
    }
}

/// A fixture file as JSON.
fn read(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

/// Checks that every `#...` href of the document names a back-matter resource; returns how
/// many there were.
fn internal_refs_resolve(root: &Value) -> usize {
    let uuids: HashSet<&str> = root["back-matter"]["resources"]
        .as_array()
        .map(|r| r.iter().filter_map(|x| x["uuid"].as_str()).collect())
        .unwrap_or_default();
    let mut all = Vec::new();
    hrefs(root, &mut all);
    let local: Vec<&String> = all.iter().filter(|h| h.starts_with('#')).collect();
    for h in &local {
        assert!(uuids.contains(&h[1..]), "{h} names no back-matter resource");
    }
    local.len()
}

fn check_workspace(bare: bool) {
    let (_t, ws) = workspace(bare);
    let ar_schema = schema("oscal_assessment-results_schema.json");
    let poam_schema = schema("oscal_poam_schema.json");
    let mut failures = Vec::new();
    for fw in FRAMEWORKS {
        let ar = json(&ws, &["export", "oscal-ar", "--framework", fw]);
        let errs = errors(&ar_schema, &ar);
        if !errs.is_empty() {
            failures.push(format!("{fw}: {} error(s), first: {}", errs.len(), errs[0]));
        }
        let root = &ar["assessment-results"];
        assert!(
            internal_refs_resolve(root) >= 1,
            "{fw}: import-ap is a local reference"
        );
    }
    let poam = json(&ws, &["export", "oscal-poam"]);
    let errs = errors(&poam_schema, &poam);
    if !errs.is_empty() {
        failures.push(format!("poam: {} error(s), first: {}", errs.len(), errs[0]));
    }
    internal_refs_resolve(&poam["plan-of-action-and-milestones"]);
    assert!(failures.is_empty(), "bare {bare}:\n{}", failures.join("\n"));
}

#[test]
fn demo_exports_validate_for_every_framework() {
    check_workspace(false);
}

#[test]
fn bare_workspace_exports_validate_for_every_framework() {
    check_workspace(true);
}

#[test]
fn poam_items_are_the_open_findings_and_statuses_match_status() {
    let (_t, ws) = workspace(false);
    let status = json(&ws, &["status", "--json"]);
    let open = status["findings"]["open"].as_u64().unwrap();
    let poam = json(&ws, &["export", "oscal-poam"]);
    let p = &poam["plan-of-action-and-milestones"];
    let items = p["poam-items"].as_array().unwrap();
    assert_eq!(items.len() as u64, open, "one POA&M item per open finding");
    let finding_of = |v: &Value| -> Option<(String, String)> {
        let props = v["props"].as_array()?;
        let get = |n: &str| {
            let x = props.iter().find(|x| x["name"] == n)?;
            x["value"].as_str().map(str::to_owned)
        };
        Some((get("finding-id")?, get("finding-status")?))
    };
    // Every risk carries the finding's own status, mapped to OSCAL's risk status.
    let risks = p["risks"].as_array().unwrap();
    let mut accepted = 0;
    for r in risks {
        let (id, st) = finding_of(r).unwrap();
        let want = match st.as_str() {
            "open" => "open",
            "remediating" => "remediating",
            "risk_accepted" => "deviation-approved",
            other => panic!("{id}: a {other} finding is not in a POA&M"),
        };
        assert_eq!(r["status"], want, "{id}");
        if st == "risk_accepted" {
            accepted += 1;
            assert!(
                r.get("remediations").is_none(),
                "{id}: nothing to remediate"
            );
            assert!(
                !items
                    .iter()
                    .any(|i| finding_of(i).is_some_and(|(x, _)| x == id)),
                "{id}: a risk-accepted finding is not an item to act on"
            );
        }
    }
    assert!(accepted >= 1, "the demo holds a risk-accepted finding");
    assert_eq!(risks.len() as u64, open + accepted);
    // An empty workspace: the one item OSCAL requires says nothing is open.
    let (_t2, bare) = workspace(true);
    let poam = json(&bare, &["export", "oscal-poam"]);
    let p = &poam["plan-of-action-and-milestones"];
    assert!(p.get("risks").is_none());
    let items = p["poam-items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert!(finding_of(&items[0]).is_none() && items[0]["title"] == "No open findings");
}

#[test]
fn targets_are_tokens_that_keep_the_real_label() {
    let (_t, ws) = workspace(false);
    let ar = json(&ws, &["export", "oscal-ar", "--framework", "hipaa"]);
    let findings = ar["assessment-results"]["results"][0]["findings"]
        .as_array()
        .unwrap();
    let t = findings
        .iter()
        .map(|f| &f["target"])
        .find(|t| t["title"] == "164.308(a)(4)(ii)(A)")
        .expect("HIPAA 164.308(a)(4)(ii)(A) is not met in the demo");
    assert_eq!(t["target-id"], "hipaa-164.308_a_4_ii_A");
    assert_eq!(t["props"][0]["value"], "164.308(a)(4)(ii)(A)");
}

/// `import` of files under `fixtures/import/` (or, with a `/` in the name, of that path).
fn import(ws: &Path, files: &[&str]) -> std::process::Output {
    let path = |f: &&str| {
        if f.contains('/') {
            PathBuf::from(f)
        } else {
            fixture(&format!("import/{f}"))
        }
    };
    let mut c = bin();
    c.arg("--workspace")
        .arg(ws)
        .arg("import")
        .args(files.iter().map(path));
    c.output().unwrap()
}

#[test]
fn a_catalog_and_its_baseline_import_apart_and_labels_find_controls() {
    let catalog = schema("oscal_catalog_schema.json");
    for f in [FULL, MODERATE] {
        let doc = read(&format!("import/{f}"));
        assert_eq!(errors(&catalog, &doc), Vec::<String>::new(), "{f}");
    }
    let (t, ws) = workspace(true);
    let out = import(&ws, &[FULL, MODERATE]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = json(&ws, &["status", "--json"]);
    let nist: Vec<&Value> = s["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["key"]
                .as_str()
                .unwrap()
                .starts_with("nist-special-publication-800-53-revision-5-2-0")
        })
        .collect();
    assert_eq!(nist.len(), 2, "two keys: {nist:?}");
    let key_of = |word: &str| {
        nist.iter()
            .map(|f| f["key"].as_str().unwrap().to_owned())
            .find(|k| k.contains(word))
            .unwrap()
    };
    let (kf, km) = (key_of("security"), key_of("moderate"));
    let count = |k: &str| {
        json(&ws, &["requirements", "--framework", k, "--json"])["requirements"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!((count(&kf), count(&km)), (6, 4), "nothing merged");
    // Found by label in any spelling, and by OSCAL id.
    for q in ["AC-2(1)", "ac-2.1", "AC-02(01)"] {
        let r = json(
            &ws,
            &["requirements", "--framework", &km, "--json", "--id", q],
        );
        let reqs = r["requirements"].as_array().unwrap();
        assert_eq!(reqs.len(), 1, "{q}");
        assert_eq!(reqs[0]["ref_id"], "AC-2(1)", "{q}");
    }
    let text = run(
        &ws,
        &["requirements", "--framework", &kf, "--id", "AC-2(2)"],
    );
    assert!(
        text.contains("AC-2(2)") && !text.contains("AC-2(1)"),
        "{text}"
    );
    // Importing the same catalog again changes nothing and is allowed.
    assert!(import(&ws, &[FULL]).status.success());
    // Another catalog under the same title and version is refused in one line.
    let mut doc = read(&format!("import/{MODERATE}"));
    doc["catalog"]["groups"][1]["controls"] = Value::Array(Vec::new());
    let other = t.path().join("other.json");
    std::fs::write(&other, serde_json::to_string(&doc).unwrap()).unwrap();
    let out = import(&ws, &[other.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("not merged") && err.contains(&km), "{err}");
    assert_eq!(count(&km), 4, "the installed baseline is untouched");
}
