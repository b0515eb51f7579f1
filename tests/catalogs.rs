//! The shipped catalogs and the LLM gateway control set: counts as REFERENCE.md lists them,
//! internal consistency, and the coverage rule (every assessable item of SOC 2 Security,
//! Availability and Confidentiality, ISO 27001 Annex A and the HIPAA Security Rule is mapped by
//! a built-in control or marked as left to the organisation).

use certready::catalog::{self, CONTROL_SET};
use certready::domain::{Framework, HipaaKind};
use certready::import;
use std::collections::{HashMap, HashSet};

fn frameworks() -> HashMap<String, Framework> {
    catalog::builtin_frameworks()
        .unwrap()
        .into_iter()
        .map(|f| (f.key.to_string(), f))
        .collect()
}

fn assessable_in(f: &Framework, group: &str) -> usize {
    f.requirements
        .iter()
        .filter(|r| r.assessable && r.group == group)
        .count()
}

#[test]
fn soc2_has_all_61_criteria_by_category() {
    let f = &frameworks()["soc2"];
    assert_eq!(f.requirements.iter().filter(|r| r.assessable).count(), 61);
    for (g, n) in [
        ("security", 33),
        ("availability", 3),
        ("confidentiality", 2),
        ("processing_integrity", 5),
        ("privacy", 18),
    ] {
        assert_eq!(assessable_in(f, g), n, "{g}");
    }
    let ids: HashSet<&str> = f.requirements.iter().map(|r| r.ref_id.as_str()).collect();
    for id in [
        "CC1.1", "CC6.8", "CC9.2", "A1.3", "C1.2", "PI1.5", "P6.7", "P8.1",
    ] {
        assert!(ids.contains(id), "{id}");
    }
}

#[test]
fn iso27001_has_clauses_and_93_annex_a_controls() {
    let f = &frameworks()["iso27001"];
    assert!(f.version.contains("2022"));
    for (g, n) in [
        ("organizational", 37),
        ("people", 8),
        ("physical", 14),
        ("technological", 34),
        ("clauses", 30),
    ] {
        assert_eq!(assessable_in(f, g), n, "{g}");
    }
    let ids: HashSet<&str> = f.requirements.iter().map(|r| r.ref_id.as_str()).collect();
    for id in [
        "4.1", "6.1.3", "9.3.3", "10.2", "A.5.1", "A.5.37", "A.6.8", "A.7.14", "A.8.34",
    ] {
        assert!(ids.contains(id), "{id}");
    }
}

#[test]
fn iso27701_has_clauses_and_the_three_annex_a_tables() {
    let f = &frameworks()["iso27701"];
    assert!(f.version.contains("2025"));
    for (g, n) in [("a1", 31), ("a2", 18), ("a3", 29), ("clauses", 30)] {
        assert_eq!(assessable_in(f, g), n, "{g}");
    }
}

#[test]
fn hipaa_has_every_standard_and_specification_marked() {
    let f = &frameworks()["hipaa"];
    let standards = f.requirements.iter().filter(|r| r.parent.is_none()).count();
    assert_eq!(standards, 22);
    let specs: Vec<_> = f
        .requirements
        .iter()
        .filter(|r| r.assessable && r.parent.is_some())
        .filter(|r| {
            ["164.308", "164.310", "164.312"]
                .iter()
                .any(|p| r.ref_id.as_str().starts_with(p))
        })
        .collect();
    assert_eq!(specs.len(), 36);
    assert_eq!(
        specs
            .iter()
            .filter(|r| r.hipaa == Some(HipaaKind::Required))
            .count(),
        14
    );
    assert_eq!(
        specs
            .iter()
            .filter(|r| r.hipaa == Some(HipaaKind::Addressable))
            .count(),
        22
    );
    assert!(
        f.requirements
            .iter()
            .filter(|r| r.assessable)
            .all(|r| r.hipaa.is_some())
    );
    // Six standards without a separate specification (plus 164.316(a)) are assessed themselves.
    for id in [
        "164.308(a)(2)",
        "164.308(a)(8)",
        "164.310(b)",
        "164.310(c)",
        "164.312(b)",
        "164.312(d)",
    ] {
        let r = f
            .requirements
            .iter()
            .find(|r| r.ref_id.as_str() == id)
            .unwrap();
        assert!(r.assessable && r.hipaa == Some(HipaaKind::Required), "{id}");
    }
    // The 2025 proposed rule is a flagged note, not the rule.
    assert!(
        f.notes
            .iter()
            .any(|n| n.contains("2025-01-06") && n.to_lowercase().contains("not final"))
    );
}

#[test]
fn pci_dss_has_12_requirements_sections_and_defined_requirements() {
    let f = &frameworks()["pci-dss"];
    assert!(f.version.contains("4.0.1"));
    let top: Vec<&str> = f
        .requirements
        .iter()
        .filter(|r| r.parent.is_none())
        .map(|r| r.ref_id.as_str())
        .collect();
    assert_eq!(
        top,
        (1..=12)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );
    let sections = f
        .requirements
        .iter()
        .filter(|r| !r.assessable && r.parent.is_some())
        .count();
    assert!(sections >= 60, "{sections} sections");
    let defined = f.requirements.iter().filter(|r| r.assessable).count();
    assert!(
        (240..=270).contains(&defined),
        "{defined} defined requirements"
    );
    for id in ["1.2.1", "3.5.1.1", "8.4.2", "10.7.2", "11.6.1", "12.10.7"] {
        assert!(
            f.requirements
                .iter()
                .any(|r| r.ref_id.as_str() == id && r.assessable),
            "{id}"
        );
    }
}

#[test]
fn every_catalog_names_its_edition_and_describes_every_assessable_item() {
    for (key, text) in catalog::CATALOGS {
        assert!(
            text.lines().next().unwrap().starts_with('#'),
            "{key}: first line names the edition"
        );
        let f = &frameworks()[*key];
        assert!(!f.version.is_empty() && !f.source.is_empty(), "{key}");
        for r in f.requirements.iter().filter(|r| r.assessable) {
            assert!(
                !r.description.trim().is_empty(),
                "{key} {} has no description",
                r.ref_id
            );
            assert!(
                !r.title.trim().is_empty(),
                "{key} {} has no title",
                r.ref_id
            );
        }
    }
}

#[test]
fn control_set_is_complete_and_maps_to_every_framework() {
    let parsed = import::parse_yaml("llm-gateway.yaml", CONTROL_SET).unwrap();
    let controls = &parsed.model.controls;
    assert!(controls.len() >= 45, "{} controls", controls.len());
    let fws = frameworks();
    let mut mapped: HashMap<&str, HashSet<&str>> = HashMap::new();
    for c in controls {
        assert!(
            c.title.as_deref().is_some_and(|t| !t.is_empty()),
            "{}",
            c.id
        );
        assert!(c.cadence.is_some(), "{} has no cadence", c.id);
        assert!(
            c.evidence_expected.as_ref().is_some_and(|e| !e.is_empty()),
            "{} expects no evidence",
            c.id
        );
        let maps = c
            .maps
            .as_ref()
            .unwrap_or_else(|| panic!("{} maps nothing", c.id));
        for (fw, entries) in maps {
            let f = fws
                .get(fw)
                .unwrap_or_else(|| panic!("{}: unknown framework {fw}", c.id));
            for e in entries {
                let r = f.requirements.iter().find(|r| r.ref_id.as_str() == e.id);
                assert!(
                    r.is_some_and(|r| r.assessable),
                    "{} maps {fw} {} which is not an assessable requirement",
                    c.id,
                    e.id
                );
                assert!(
                    !e.rationale.trim().is_empty(),
                    "{} -> {fw} {} has no rationale",
                    c.id,
                    e.id
                );
                mapped.entry(fw.as_str()).or_default().insert(e.id.as_str());
            }
        }
    }
    for key in ["soc2", "iso27001", "iso27701", "hipaa", "pci-dss"] {
        assert!(
            mapped.get(key).is_some_and(|m| m.len() > 10),
            "{key} barely mapped"
        );
    }
}

/// Every mapping of the built-in control set: (control, framework, requirement, relationship).
fn builtin_mappings() -> Vec<(String, String, String, certready::domain::Relationship)> {
    let parsed = import::parse_yaml("llm-gateway.yaml", CONTROL_SET).unwrap();
    let mut out = Vec::new();
    for c in &parsed.model.controls {
        for (fw, entries) in c.maps.iter().flatten() {
            for e in entries {
                out.push((c.id.clone(), fw.clone(), e.id.clone(), e.relationship));
            }
        }
    }
    out
}

#[test]
fn every_assessable_requirement_of_every_catalog_is_explained() {
    let mapped: HashSet<(String, String)> = builtin_mappings()
        .into_iter()
        .map(|(_, fw, r, _)| (fw, r))
        .collect();
    let mut unexplained = Vec::new();
    for (key, f) in frameworks() {
        for r in f.requirements.iter().filter(|r| r.assessable) {
            let marks = usize::from(r.left_to_org.is_some()) + usize::from(r.usually_na.is_some());
            assert!(
                marks <= 1,
                "{key} {}: both left to the organisation and usually not applicable",
                r.ref_id
            );
            for why in [&r.left_to_org, &r.usually_na].into_iter().flatten() {
                assert!(
                    !why.trim().is_empty() && !why.contains('\n'),
                    "{key} {}: the reason is one line",
                    r.ref_id
                );
            }
            if !mapped.contains(&(key.clone(), r.ref_id.to_string())) && marks == 0 {
                unexplained.push(format!("{key} {}", r.ref_id));
            }
        }
    }
    unexplained.sort();
    assert!(
        unexplained.is_empty(),
        "{} requirement(s) are neither mapped, nor left to the organisation, nor usually not applicable: {}",
        unexplained.len(),
        unexplained.join(", ")
    );
}

#[test]
fn iso27701_table_a3_and_iso27001_annex_a_twins_agree() {
    let fws = frameworks();
    let maps = builtin_mappings();
    let rel = |c: &str, fw: &str, r: &str| {
        maps.iter()
            .find(|(mc, mf, mr, _)| mc == c && mf == fw && mr == r)
            .map(|m| m.3)
    };
    let controls: HashSet<&str> = maps.iter().map(|m| m.0.as_str()).collect();
    let mut disagree = Vec::new();
    for (a3, annex) in catalog::ISO27701_A3_TWINS {
        for (key, id) in [("iso27701", a3), ("iso27001", annex)] {
            assert!(
                fws[key]
                    .requirements
                    .iter()
                    .any(|r| r.ref_id.as_str() == *id && r.assessable),
                "twin table names {key} {id}, which is not an assessable requirement"
            );
        }
        for c in &controls {
            let (x, y) = (rel(c, "iso27701", a3), rel(c, "iso27001", annex));
            if x != y {
                disagree.push(format!("{c}: 27701 {a3} {x:?} vs 27001 {annex} {y:?}"));
            }
        }
    }
    assert_eq!(
        catalog::ISO27701_A3_TWINS.len(),
        fws["iso27701"]
            .requirements
            .iter()
            .filter(|r| r.assessable && r.group == "a3")
            .count(),
        "every Table A.3 item has a twin"
    );
    assert!(
        disagree.is_empty(),
        "{} twin disagreement(s): {}",
        disagree.len(),
        disagree.join("; ")
    );
}

#[test]
fn inherited_mappings_name_a_carve_out_and_others_do_not() {
    let parsed = import::parse_yaml("llm-gateway.yaml", CONTROL_SET).unwrap();
    let mut inherited = 0;
    for c in &parsed.model.controls {
        for (fw, entries) in c.maps.iter().flatten() {
            for e in entries {
                let named = e.vendor.is_some() || e.vendor_kind.is_some();
                if e.relationship == certready::domain::Relationship::Inherited {
                    inherited += 1;
                    assert!(named, "{} {fw} {} is inherited from nobody", c.id, e.id);
                    assert!(
                        e.rationale.starts_with("Carved out"),
                        "{} {fw} {}: {}",
                        c.id,
                        e.id,
                        e.rationale
                    );
                } else {
                    assert!(
                        !named,
                        "{} {fw} {} names a vendor but is {}",
                        c.id, fw, e.relationship
                    );
                }
            }
        }
    }
    assert!(inherited >= 5, "{inherited} inherited mappings");
}

#[test]
fn no_single_control_alone_meets_a_large_share_of_a_framework() {
    // A `full` mapping lets one designed control meet a requirement on its own. Before the
    // re-grade one control could meet 27 of 61 SOC 2 criteria and 145 of 250 PCI items.
    let fws = frameworks();
    let mut full: HashMap<(String, String), usize> = HashMap::new();
    for (c, fw, _, rel) in builtin_mappings() {
        if rel == certready::domain::Relationship::Full {
            *full.entry((c, fw)).or_default() += 1;
        }
    }
    for ((c, fw), n) in full {
        let total = fws[&fw]
            .requirements
            .iter()
            .filter(|r| r.assessable)
            .count();
        assert!(
            n * 10 <= total,
            "{c} alone can meet {n} of {total} {fw} requirements"
        );
    }
}
