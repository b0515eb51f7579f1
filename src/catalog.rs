//! The built-in assets: framework catalogs and the LLM gateway control set, embedded at build
//! time and parsed on demand.
//!
//! Invariant: every catalog parses and is internally consistent (unique ids, parents listed
//! earlier, groups declared); `tests/catalogs.rs` proves it for the shipped files.

pub mod diff;

use crate::domain::{Framework, FrameworkKey, Group, HipaaKind, ReqRef, Requirement};
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::collections::HashSet;

/// The shipped catalogs: (framework key, YAML text).
pub const CATALOGS: &[(&str, &str)] = &[
    ("soc2", include_str!("../assets/catalogs/soc2.yaml")),
    ("iso27001", include_str!("../assets/catalogs/iso27001.yaml")),
    ("iso27701", include_str!("../assets/catalogs/iso27701.yaml")),
    ("hipaa", include_str!("../assets/catalogs/hipaa.yaml")),
    ("pci-dss", include_str!("../assets/catalogs/pci-dss.yaml")),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    framework: FrameworkHead,
    groups: Vec<GroupRow>,
    requirements: Vec<ReqRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrameworkHead {
    key: String,
    name: String,
    version: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    notes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupRow {
    id: String,
    title: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReqRow {
    id: String,
    title: String,
    group: String,
    #[serde(default)]
    parent: Option<String>,
    #[serde(default = "yes")]
    assessable: bool,
    #[serde(default)]
    description: String,
    #[serde(default)]
    hipaa: Option<HipaaKind>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    left_to_org: Option<String>,
    #[serde(default)]
    usually_not_applicable: Option<String>,
}

fn yes() -> bool {
    true
}

/// The built-in LLM API gateway control set: a model file holding only `controls`. It is kept
/// in parts (one file per area, list items only) and joined here in file-name order, so the
/// whole is one YAML document.
pub const CONTROL_SET: &str = concat!(
    include_str!("../assets/controls/llm-gateway.yaml"),
    include_str!("../assets/controls/llm-gateway/10-identity-data.yaml"),
    include_str!("../assets/controls/llm-gateway/20-operations-ai-vendors.yaml"),
    include_str!("../assets/controls/llm-gateway/30-engineering-incidents.yaml"),
    include_str!("../assets/controls/llm-gateway/40-governance-privacy.yaml"),
    include_str!("../assets/controls/llm-gateway/50-processor.yaml"),
);

/// ISO/IEC 27701:2025 Table A.3 items and their ISO/IEC 27001:2022 Annex A twins (same
/// control, read for PII). A control that maps one side maps the other with the same
/// relationship; `tests/catalogs.rs` walks this table over the built-in control set.
pub const ISO27701_A3_TWINS: &[(&str, &str)] = &[
    ("A.3.3", "A.5.1"),
    ("A.3.4", "A.5.2"),
    ("A.3.5", "A.5.12"),
    ("A.3.6", "A.5.13"),
    ("A.3.7", "A.5.14"),
    ("A.3.8", "A.5.16"),
    ("A.3.9", "A.5.18"),
    ("A.3.10", "A.5.20"),
    ("A.3.11", "A.5.24"),
    ("A.3.12", "A.5.26"),
    ("A.3.13", "A.5.31"),
    ("A.3.14", "A.5.33"),
    ("A.3.15", "A.5.35"),
    ("A.3.16", "A.5.36"),
    ("A.3.17", "A.6.3"),
    ("A.3.18", "A.6.6"),
    ("A.3.19", "A.7.7"),
    ("A.3.20", "A.7.10"),
    ("A.3.21", "A.7.14"),
    ("A.3.22", "A.8.1"),
    ("A.3.23", "A.8.5"),
    ("A.3.24", "A.8.13"),
    ("A.3.25", "A.8.15"),
    ("A.3.26", "A.8.24"),
    ("A.3.27", "A.8.25"),
    ("A.3.28", "A.8.26"),
    ("A.3.29", "A.8.27"),
    ("A.3.30", "A.8.30"),
    ("A.3.31", "A.8.33"),
];

/// Parses one catalog file and checks it is consistent.
pub fn parse_catalog(name: &str, text: &str) -> Result<Framework> {
    let file: CatalogFile =
        serde_norway::from_str(text).with_context(|| format!("catalog {name}"))?;
    let groups: Vec<Group> = file
        .groups
        .into_iter()
        .map(|g| Group {
            id: g.id,
            title: g.title,
        })
        .collect();
    let group_ids: HashSet<&str> = groups.iter().map(|g| g.id.as_str()).collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut requirements = Vec::with_capacity(file.requirements.len());
    for r in file.requirements {
        if !group_ids.contains(r.group.as_str()) {
            bail!(
                "catalog {name}: requirement {}: unknown group `{}`",
                r.id,
                r.group
            );
        }
        if let Some(p) = &r.parent
            && !seen.contains(p)
        {
            bail!(
                "catalog {name}: requirement {}: parent `{p}` is not listed before it",
                r.id
            );
        }
        if !seen.insert(r.id.clone()) {
            bail!("catalog {name}: duplicate requirement id `{}`", r.id);
        }
        requirements.push(Requirement {
            ref_id: ReqRef(r.id),
            title: r.title,
            description: r.description,
            group: r.group,
            parent: r.parent.map(ReqRef),
            assessable: r.assessable,
            hipaa: r.hipaa,
            note: r.note,
            left_to_org: r.left_to_org,
            usually_na: r.usually_not_applicable,
        });
    }
    Ok(Framework {
        key: FrameworkKey(file.framework.key),
        name: file.framework.name,
        version: file.framework.version,
        source: file.framework.source,
        notes: file.framework.notes,
        groups,
        requirements,
    })
}

/// Every shipped catalog, parsed.
pub fn builtin_frameworks() -> Result<Vec<Framework>> {
    CATALOGS
        .iter()
        .map(|(key, text)| {
            let fw = parse_catalog(key, text)?;
            if fw.key.as_str() != *key {
                bail!("catalog {key}: declares key `{}`", fw.key);
            }
            Ok(fw)
        })
        .collect()
}
