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
}

fn yes() -> bool {
    true
}

/// The built-in LLM API gateway control set: a model file holding only `controls`.
pub const CONTROL_SET: &str = include_str!("../assets/controls/llm-gateway.yaml");

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
