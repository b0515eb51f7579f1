//! Mapping review through the real binary: `requirements --json` carries each mapping's
//! relationship, rationale, source and carve-out; a workspace's model file overrides built-in
//! mappings (downgrade, remove, add) and the override is shown as such; bad overrides are
//! refused with one line and leave the database as it was.

mod common;
use common::backend::{bin_in, fingerprint};
use common::{init, run};
use serde_json::Value;

fn req<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ref_id"] == id)
        .unwrap_or_else(|| panic!("{id} missing"))
}

fn control<'a>(r: &'a Value, id: &str) -> Option<&'a Value> {
    r["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
}

#[test]
fn requirements_json_explains_every_mapping_and_overrides_show_as_such() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("ws");
    init(&ws);
    let doc: Value = serde_json::from_str(&run(
        &ws,
        &["requirements", "--framework", "pci-dss", "--json"],
    ))
    .unwrap();
    let r = req(&doc, "8.3.6");
    let m = control(r, "GW-PWD-01").expect("GW-PWD-01 maps 8.3.6");
    assert_eq!(m["relationship"], "full");
    assert_eq!(m["source"], "builtin");
    assert!(m["rationale"].as_str().unwrap().len() > 20);
    assert_eq!(m["overrides"], Value::Null);
    // Inherited mappings name their carve-out.
    let r = req(&doc, "9.2.1");
    let m = control(r, "GW-PHYS-01").expect("GW-PHYS-01 inherits 9.2.1");
    assert_eq!(m["relationship"], "inherited");
    assert_eq!(m["carve_out"], "kind:cloud");
    // Requirements no control maps carry the catalog's reason.
    let r = req(&doc, "9.5.1");
    assert!(
        r["usually_not_applicable"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    assert!(
        r["reason"]
            .as_str()
            .unwrap()
            .contains("usually not applicable")
    );

    let model = t.path().join("overrides.yaml");
    std::fs::write(
        &model,
        r#"mappings:
  - { control: GW-PWD-01, framework: pci-dss, requirement: "8.3.6", relationship: partial, rationale: "Our auditor reads 8.3.6 as also needing the service-account rules" }
  - { control: GW-NET-01, framework: pci-dss, requirement: "1.4.3", remove: true, rationale: "Anti-spoofing is done by the cloud edge, not by our rules" }
  - { control: GW-LOG-01, framework: pci-dss, requirement: "12.10.5", relationship: partial, rationale: "Log alerts feed the incident response plan" }
"#,
    )
    .unwrap();
    run(&ws, &["import", model.to_str().unwrap()]);
    let doc: Value = serde_json::from_str(&run(
        &ws,
        &["requirements", "--framework", "pci-dss", "--json"],
    ))
    .unwrap();
    let m = control(req(&doc, "8.3.6"), "GW-PWD-01").unwrap();
    assert_eq!(m["relationship"], "partial");
    assert_eq!(m["overrides"], "full");
    assert!(m["source"].as_str().unwrap().contains("overrides.yaml"));
    let r = req(&doc, "1.4.3");
    assert!(
        control(r, "GW-NET-01").is_none(),
        "a removed mapping no longer counts"
    );
    assert_eq!(r["removed_mappings"][0]["id"], "GW-NET-01");
    assert_eq!(r["removed_mappings"][0]["relationship"], "full");
    let m = control(req(&doc, "12.10.5"), "GW-LOG-01").unwrap();
    assert_eq!(m["overrides"], "none");
    // Importing the same overrides again keeps what the built-in set said.
    run(&ws, &["import", model.to_str().unwrap()]);
    let doc: Value = serde_json::from_str(&run(
        &ws,
        &["requirements", "--framework", "pci-dss", "--json"],
    ))
    .unwrap();
    assert_eq!(
        control(req(&doc, "8.3.6"), "GW-PWD-01").unwrap()["overrides"],
        "full"
    );
    // The text listing marks partial and inherited mappings.
    let text = run(&ws, &["requirements", "--framework", "pci-dss"]);
    assert!(text.contains("GW-PHYS-01^"), "inherited marker");
    assert!(text.contains("GW-PWD-01~"), "partial marker");
}

#[test]
fn bad_overrides_are_refused_with_one_line_and_change_nothing() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("ws");
    init(&ws);
    let cases = [
        (
            "{ control: GW-PWD-01, framework: pci-dss, requirement: \"8.3.6\", relationship: inherited, rationale: x }",
            "must name the `vendor`",
        ),
        (
            "{ control: GW-PWD-01, framework: pci-dss, requirement: \"8.3.6\", relationship: inherited, vendor: V-NOPE, rationale: x }",
            "unknown vendor `V-NOPE`",
        ),
        (
            "{ control: GW-PWD-01, framework: pci-dss, requirement: \"8.3.6\", relationship: partial, vendor_kind: cloud, rationale: x }",
            "belong to inherited mappings",
        ),
        (
            "{ control: GW-PWD-01, framework: pci-dss, requirement: \"8.3.6\", relationship: partial, rationale: \" \" }",
            "needs a rationale",
        ),
        (
            "{ control: GW-PWD-01, framework: pci-dss, requirement: \"8.3.6\", remove: true, relationship: partial, rationale: x }",
            "not both",
        ),
        (
            "{ control: GW-NOPE-01, framework: pci-dss, requirement: \"8.3.6\", relationship: partial, rationale: x }",
            "unknown control",
        ),
        (
            "{ control: GW-PWD-01, framework: pci-dss, requirement: \"99.9\", relationship: partial, rationale: x }",
            "unknown requirement `99.9`",
        ),
    ];
    for (i, (entry, words)) in cases.iter().enumerate() {
        let before = fingerprint(&ws);
        let f = t.path().join(format!("bad{i}.yaml"));
        std::fs::write(&f, format!("mappings:\n  - {entry}\n")).unwrap();
        let out = bin_in(&ws).arg("import").arg(&f).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{entry} was accepted");
        assert!(
            err.contains(words) && err.contains(&format!("bad{i}.yaml")),
            "{entry}: {err}"
        );
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert_eq!(fingerprint(&ws), before, "{entry} changed the database");
    }
}
