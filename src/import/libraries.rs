//! Framework libraries from other tools: CISO Assistant framework and mapping libraries
//! (YAML); OSCAL catalogs are read by `import::oscal`. A mapping library carries the
//! workspace's controls across frameworks; mappings to ids that do not exist are reported and
//! skipped, never fatal.

use super::InputError;
use crate::domain::{Framework, FrameworkKey, Group, ReqRef, Requirement};
use serde::Deserialize;
use std::collections::HashMap;

/// A key from a title: lower-case letters and digits joined by single `-`, at most 40
/// characters. Stored in the database as framework keys and group ids, so it must not change;
/// the file-name slug of `report::bundle` and the upper-case id slug of `store::collected`
/// follow other rules (case, separator, length) and stay separate.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(40).collect()
}

#[derive(Deserialize)]
struct CisoLibrary {
    objects: CisoObjects,
}

#[derive(Deserialize)]
struct CisoObjects {
    #[serde(default)]
    framework: Option<CisoFramework>,
    #[serde(default)]
    requirement_mapping_set: Option<CisoMappingSet>,
    #[serde(default)]
    requirement_mapping_sets: Vec<CisoMappingSet>,
}

#[derive(Deserialize)]
struct CisoFramework {
    #[serde(default)]
    ref_id: Option<String>,
    name: String,
    #[serde(default)]
    urn: String,
    requirement_nodes: Vec<CisoNode>,
}

#[derive(Deserialize)]
struct CisoNode {
    urn: String,
    #[serde(default)]
    ref_id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    assessable: bool,
    #[serde(default)]
    depth: Option<u32>,
    #[serde(default)]
    parent_urn: Option<String>,
}

#[derive(Deserialize)]
struct CisoMappingSet {
    requirement_mappings: Vec<CisoMapping>,
}

#[derive(Deserialize)]
struct CisoMapping {
    source_requirement_urn: String,
    target_requirement_urn: String,
    relationship: String,
    #[serde(default)]
    rationale: Option<String>,
}

/// What a CISO Assistant library holds.
pub enum Ciso {
    /// A framework library.
    Framework(Framework),
    /// Mappings between requirements: (source urn, target urn, relationship, rationale).
    Mappings(Vec<(String, String, String, String)>),
}

fn urn_tail(u: &str) -> &str {
    u.rsplit(':').next().unwrap_or(u)
}

fn top_node<'a>(mut n: &'a CisoNode, by_urn: &HashMap<&str, &'a CisoNode>) -> &'a CisoNode {
    let mut guard = 0;
    while let Some(p) = n.parent_urn.as_deref().and_then(|p| by_urn.get(p)) {
        n = p;
        guard += 1;
        if guard > 64 {
            break;
        }
    }
    n
}

const NODES: &str = "objects.framework.requirement_nodes";

/// Refuses a framework whose nodes are empty, repeat a urn or an id, or whose `parent_urn`s
/// name no node or form a cycle. `bad` builds the error for a field path.
fn check_nodes(
    f: &CisoFramework,
    bad: &dyn Fn(String, String) -> InputError,
) -> Result<(), InputError> {
    let nodes = &f.requirement_nodes;
    if nodes.is_empty() {
        return Err(bad(
            NODES.into(),
            "the framework has no requirement nodes".into(),
        ));
    }
    let mut by_urn: HashMap<&str, usize> = HashMap::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (i, n) in nodes.iter().enumerate() {
        let (field, id) = match &n.ref_id {
            Some(r) => ("ref_id", r.clone()),
            None => ("urn", urn_tail(&n.urn).to_owned()),
        };
        if let Some(j) = by_urn.insert(&n.urn, i) {
            let msg = format!("duplicate urn `{}` (also requirement_nodes[{j}])", n.urn);
            return Err(bad(format!("{NODES}[{i}].urn"), msg));
        }
        if id.trim().is_empty() {
            return Err(bad(
                format!("{NODES}[{i}].{field}"),
                "empty requirement id".into(),
            ));
        }
        if let Some(j) = by_id.insert(id.clone(), i) {
            let msg = format!("duplicate requirement id `{id}` (also requirement_nodes[{j}])");
            return Err(bad(format!("{NODES}[{i}].{field}"), msg));
        }
    }
    let parent = |i: usize| {
        nodes[i]
            .parent_urn
            .as_deref()
            .map(|p| by_urn.get(p).copied())
    };
    // 1: on the current walk up from a node; 2: known to reach a top node.
    let mut state = vec![0_u8; nodes.len()];
    for start in 0..nodes.len() {
        let (mut i, mut walk) = (start, Vec::new());
        while state[i] == 0 {
            state[i] = 1;
            walk.push(i);
            match parent(i) {
                None => break,
                Some(Some(p)) if state[p] == 1 => {
                    let msg = format!("`{}` closes a cycle of parents", nodes[p].urn);
                    return Err(bad(format!("{NODES}[{i}].parent_urn"), msg));
                }
                Some(Some(p)) => i = p,
                Some(None) => {
                    let msg = "names no requirement node of this library".into();
                    return Err(bad(format!("{NODES}[{i}].parent_urn"), msg));
                }
            }
        }
        for w in walk {
            state[w] = 2;
        }
    }
    Ok(())
}

/// The relationships a CISO Assistant mapping may give.
const RELATIONSHIPS: &[&str] = &["equal", "superset", "subset", "intersect", "not_related"];

/// Parses a CISO Assistant library (framework or mapping).
pub fn ciso_library(file: &str, text: &str) -> Result<Ciso, InputError> {
    super::refuse_deep(file, text)?;
    let lib: CisoLibrary = serde_norway::from_str(text)
        .map_err(|e| InputError::from_yaml(file, &e).at_offset_in(text))?;
    let index = std::sync::OnceLock::new();
    let bad = |path: String, message: String| {
        let line = index.get_or_init(|| super::line_index(text)).line_of(&path);
        InputError::new(file, line, Some(path), message)
    };
    if let Some(f) = lib.objects.framework {
        check_nodes(&f, &bad)?;
        let (name, urn, ref_id) = (f.name.clone(), f.urn.clone(), f.ref_id.clone());
        let by_urn: HashMap<&str, &CisoNode> = f
            .requirement_nodes
            .iter()
            .map(|n| (n.urn.as_str(), n))
            .collect();
        let id_of = |n: &CisoNode| {
            n.ref_id
                .clone()
                .unwrap_or_else(|| urn_tail(&n.urn).to_owned())
        };
        let top = |n: &CisoNode| id_of(top_node(n, &by_urn));
        let mut groups: Vec<Group> = Vec::new();
        let mut requirements = Vec::new();
        for n in &f.requirement_nodes {
            let is_top = n.parent_urn.is_none() || n.depth == Some(1);
            if is_top && !groups.iter().any(|g| g.id == id_of(n)) {
                groups.push(Group {
                    id: id_of(n),
                    title: n.name.clone().unwrap_or_else(|| id_of(n)),
                });
            }
            requirements.push(Requirement {
                ref_id: ReqRef(id_of(n)),
                title: n
                    .name
                    .clone()
                    .or_else(|| n.description.clone())
                    .unwrap_or_else(|| id_of(n))
                    .chars()
                    .take(120)
                    .collect(),
                description: n.description.clone().unwrap_or_default(),
                group: top(n),
                parent: n
                    .parent_urn
                    .as_deref()
                    .and_then(|p| by_urn.get(p))
                    .map(|p| ReqRef(id_of(p))),
                assessable: n.assessable,
                hipaa: None,
                note: None,
                left_to_org: None,
                usually_na: None,
            });
        }
        let key = slug(ref_id.as_deref().unwrap_or(&name));
        if key.is_empty() {
            let (field, value) = ref_id.as_ref().map_or(("name", &name), |r| ("ref_id", r));
            let msg = format!("`{value}` gives no framework key (it needs a letter or digit)");
            return Err(bad(format!("objects.framework.{field}"), msg));
        }
        return Ok(Ciso::Framework(Framework {
            key: FrameworkKey(key),
            name,
            version: String::new(),
            source: if urn.is_empty() { file.to_owned() } else { urn },
            notes: Vec::new(),
            groups,
            requirements,
        }));
    }
    let sets: Vec<(String, CisoMappingSet)> = lib
        .objects
        .requirement_mapping_set
        .into_iter()
        .map(|s| ("objects.requirement_mapping_set".to_owned(), s))
        .chain(
            lib.objects
                .requirement_mapping_sets
                .into_iter()
                .enumerate()
                .map(|(k, s)| (format!("objects.requirement_mapping_sets[{k}]"), s)),
        )
        .collect();
    for (at, set) in &sets {
        for (j, m) in set.requirement_mappings.iter().enumerate() {
            if !RELATIONSHIPS.contains(&m.relationship.as_str()) {
                let msg = format!(
                    "unknown relationship `{}` (expected one of: {})",
                    m.relationship,
                    RELATIONSHIPS.join(", ")
                );
                return Err(bad(
                    format!("{at}.requirement_mappings[{j}].relationship"),
                    msg,
                ));
            }
        }
    }
    if sets.is_empty() {
        return Err(InputError::new(
            file,
            None,
            Some("objects".into()),
            "neither a framework nor requirement mappings",
        ));
    }
    Ok(Ciso::Mappings(
        sets.into_iter()
            .flat_map(|(_, s)| s.requirement_mappings)
            .map(|m| {
                (
                    m.source_requirement_urn,
                    m.target_requirement_urn,
                    m.relationship,
                    m.rationale.unwrap_or_default(),
                )
            })
            .collect(),
    ))
}

/// Crosswalk resolution and carrying live in `crosswalk`; kept here under their old paths.
pub use super::crosswalk::{derive_mappings, resolve_urn};
