//! Crosswalks: CISO Assistant mapping libraries that carry the workspace's controls from one
//! framework's requirements to another's. A requirement URN resolves to an installed
//! requirement by its id, or, for a sub-item such as a SOC 2 point of focus (`cc6.1.1`) or an
//! `a.5.1.x`, to the nearest assessable parent (`CC6.1`, `A.5.1`).
//!
//! Invariants: a carried mapping is never stronger than the control's own mapping to the
//! source requirement, nor than the library's relationship (`equal` and `superset` at most
//! full, `subset` and `intersect` partial), and a target reached through a parent is at most
//! partial (the library speaks of one part of it); a control that already maps the target
//! keeps its own mapping untouched; every carried mapping names its library
//! ([`origin`]) so it is listed as a crosswalk.

use crate::domain::{Framework, FrameworkKey, Mapping, Relationship, ReqRef};
use serde::Deserialize;
use std::collections::BTreeMap;

/// How a carried mapping's `source` starts: `crosswalk <library name> (<library urn>)`.
pub const PREFIX: &str = "crosswalk ";

/// Whether a mapping came from a crosswalk library.
#[must_use]
pub fn is_crosswalk(source: &str) -> bool {
    source.starts_with(PREFIX)
}

#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    urn: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

/// The source recorded on mappings a library carries: its name and urn (the file name when
/// the library gives neither).
#[must_use]
pub fn origin(file: &str, text: &str) -> String {
    let head: Option<Head> = serde_norway::from_str(text).ok();
    let (name, urn) = head.map_or((None, None), |h| (h.name, h.urn));
    match (name, urn) {
        (Some(n), Some(u)) => format!("{PREFIX}{n} ({u})"),
        (Some(n), None) => format!("{PREFIX}{n} ({file})"),
        (None, Some(u)) => format!("{PREFIX}{u}"),
        (None, None) => format!("{PREFIX}{file}"),
    }
}

/// One installed requirement a URN names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// Framework.
    pub framework: FrameworkKey,
    /// Requirement.
    pub requirement: ReqRef,
    /// The URN named a sub-item of it (a point of focus), not the requirement itself.
    pub via_parent: bool,
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase()
}

/// Every installed requirement `urn` may name: in each framework whose key starts the URN's
/// framework part (the exact one first, then longer keys first), the id itself or its
/// nearest assessable parent.
pub fn resolve_all(urn: &str, frameworks: &[Framework]) -> Vec<Resolved> {
    let parts: Vec<&str> = urn.split(':').collect();
    let Some(tail) = parts.last() else {
        return Vec::new();
    };
    let want = squash(parts.len().checked_sub(2).map_or("", |i| parts[i]));
    let mut candidates: Vec<&Framework> = frameworks
        .iter()
        .filter(|f| {
            let k = squash(f.key.as_str());
            !k.is_empty() && want.starts_with(&k)
        })
        .collect();
    candidates.sort_by_key(|f| {
        let k = squash(f.key.as_str());
        (k != want, std::cmp::Reverse(k.len()))
    });
    let mut out = Vec::new();
    for f in candidates {
        let find = |id: &str| {
            f.requirements
                .iter()
                .find(|r| r.ref_id.as_str().eq_ignore_ascii_case(id))
        };
        if let Some(r) = find(tail) {
            out.push(Resolved {
                framework: f.key.clone(),
                requirement: r.ref_id.clone(),
                via_parent: false,
            });
            continue;
        }
        let mut id = *tail;
        while let Some((up, _)) = id.rsplit_once('.') {
            id = up;
            if let Some(r) = find(id).filter(|r| r.assessable) {
                out.push(Resolved {
                    framework: f.key.clone(),
                    requirement: r.ref_id.clone(),
                    via_parent: true,
                });
                break;
            }
        }
    }
    out
}

/// Resolves a CISO Assistant requirement URN to one installed (framework, requirement): the
/// first of [`resolve_all`].
pub fn resolve_urn(urn: &str, frameworks: &[Framework]) -> Option<(FrameworkKey, ReqRef)> {
    resolve_all(urn, frameworks)
        .into_iter()
        .next()
        .map(|r| (r.framework, r.requirement))
}

fn strength(r: Relationship) -> u8 {
    match r {
        Relationship::Full => 2,
        _ => 1,
    }
}

/// The strongest relationship a library row may claim for a control on its target.
fn cap(rel: &str, target_via_parent: bool) -> Option<Relationship> {
    let r = match rel {
        "equal" | "superset" => Relationship::Full,
        "subset" | "intersect" => Relationship::Partial,
        _ => return None,
    };
    Some(if target_via_parent {
        Relationship::Partial
    } else {
        r
    })
}

/// Carries controls across a mapping library: a control mapped to a source requirement is
/// mapped to the target too, at the weakest of its own mapping, the library's relationship
/// and the target's resolution (see the module invariants); of several rows reaching the same
/// target, the strongest claim allowed wins. Returns the new mappings and the URNs that did
/// not resolve.
pub fn derive_mappings(
    rows: &[(String, String, String, String)],
    frameworks: &[Framework],
    existing: &[Mapping],
) -> (Vec<Mapping>, Vec<String>) {
    let mut best: BTreeMap<(String, String, String), Mapping> = BTreeMap::new();
    let mut missing = Vec::new();
    for (src, tgt, rel, why) in rows {
        if rel == "not_related" {
            continue;
        }
        let (sources, targets) = (resolve_all(src, frameworks), resolve_all(tgt, frameworks));
        if sources.is_empty() || targets.is_empty() {
            for (u, found) in [(src, sources.is_empty()), (tgt, targets.is_empty())] {
                if found && !missing.contains(u) {
                    missing.push(u.clone());
                }
            }
            continue;
        }
        let t = &targets[0];
        let Some(allowed) = cap(rel, t.via_parent) else {
            continue;
        };
        let item = |u: &str| u.rsplit(':').next().unwrap_or(u).to_owned();
        for s in &sources {
            for m in existing
                .iter()
                .filter(|m| m.framework == s.framework && m.requirement == s.requirement)
            {
                let own = match m.relationship {
                    Relationship::Full => Relationship::Full,
                    _ => Relationship::Partial,
                };
                let relationship = if strength(own) < strength(allowed) {
                    own
                } else {
                    allowed
                };
                let key = (
                    m.control.to_string(),
                    t.framework.to_string(),
                    t.requirement.to_string(),
                );
                if existing.iter().any(|x| {
                    x.control == m.control
                        && x.framework == t.framework
                        && x.requirement == t.requirement
                }) || best
                    .get(&key)
                    .is_some_and(|b| strength(b.relationship) >= strength(relationship))
                {
                    continue;
                }
                let rationale = format!(
                    "via crosswalk {} {} → {} {} ({rel}; {} {} {}){}",
                    s.framework,
                    item(src),
                    t.framework,
                    item(tgt),
                    m.control,
                    m.relationship.as_str(),
                    s.requirement,
                    if why.is_empty() {
                        String::new()
                    } else {
                        format!(": {why}")
                    }
                );
                best.insert(
                    key,
                    Mapping {
                        control: m.control.clone(),
                        framework: t.framework.clone(),
                        requirement: t.requirement.clone(),
                        relationship,
                        carve_out: None,
                        source: String::new(),
                        overrides: None,
                        rationale,
                    },
                );
            }
        }
    }
    (best.into_values().collect(), missing)
}
