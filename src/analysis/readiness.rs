//! Requirement status and Type I readiness.
//!
//! In scope, a requirement is **met** when it has mapped controls (not_applicable ones
//! ignored), every one is designed and at least one mapping is `full`; **gap** when no mapped
//! control is left or every one is `not_started`; **partial** otherwise. Excluded requirements
//! (and SOC 2 categories not chosen, ISO 27701 tables of another role) are `not_applicable` and
//! leave every denominator. Headings (not assessable) roll up from their children for display
//! and are never counted. Type I readiness = met / in scope, one decimal.
//! An `inherited` mapping counts as a designed `full` control while its carve-out holds an
//! in-date attestation ([`super::carve_out`]), otherwise as `not_started`; its verdict is in
//! the reason.

use super::{ControlState, pct};
use crate::domain::{
    ControlId, ControlStatus, Framework, FrameworkScope, Relationship, ReqRef, ReqStatus,
    Requirement, Snapshot,
};
use serde::Serialize;
use std::collections::HashMap;

/// One requirement's status and its reason.
#[derive(Debug, Clone, Serialize)]
pub struct RequirementState {
    /// Reference ID.
    pub ref_id: ReqRef,
    /// Title.
    pub title: String,
    /// Group.
    pub group: String,
    /// Whether it counts (false for headings).
    pub assessable: bool,
    /// Status.
    pub status: ReqStatus,
    /// Mapped controls that count (not_applicable ones left out), with relationship.
    pub controls: Vec<(ControlId, Relationship)>,
    /// The rule applied and the items that decided it.
    pub reason: String,
}

/// Counts and readiness of one framework.
#[derive(Debug, Clone, Serialize, Default)]
pub struct FrameworkReadiness {
    /// Assessable requirements in scope (met + partial + gap).
    pub requirements_in_scope: usize,
    /// Met.
    pub met: usize,
    /// Partial.
    pub partial: usize,
    /// Gap.
    pub gap: usize,
    /// Not applicable (excluded or out of scope).
    pub not_applicable: usize,
    /// met / in scope, one decimal.
    pub type1_readiness_pct: f64,
    /// Every requirement in catalog order.
    pub requirements: Vec<RequirementState>,
}

/// Why a requirement is out of scope, if it is.
fn out_of_scope(scope: Option<&FrameworkScope>, key: &str, r: &Requirement) -> Option<String> {
    let Some(scope) = scope else {
        return Some("framework not in scope".to_owned());
    };
    if let Some(why) = scope.exclude.get(&r.ref_id) {
        return Some(format!("excluded: {why}"));
    }
    if key == "soc2" && r.group != "security" && !scope.categories.contains(&r.group) {
        return Some(format!("SOC 2 category `{}` not chosen", r.group));
    }
    if key == "iso27701" {
        let role = scope.role.as_deref().unwrap_or("both");
        if (role == "controller" && r.group == "a2") || (role == "processor" && r.group == "a1") {
            return Some(format!("not applicable to the {role} role"));
        }
    }
    None
}

/// Requirements that vendor issues keep from being met, with the issues' messages.
pub type Blocked = HashMap<(crate::domain::FrameworkKey, ReqRef), Vec<String>>;

/// Scores every requirement of `fw`. A requirement that would be met but has an open vendor
/// issue (`blocked`) is partial, with the issue as its reason.
pub fn framework(
    s: &Snapshot,
    fw: &Framework,
    states: &[ControlState],
    blocked: &Blocked,
    as_of: crate::domain::Date,
) -> FrameworkReadiness {
    // Keyed by ids, not attacker-chosen: a fast hasher (this runs on every what-if press).
    type Fast<K, V> = HashMap<K, V, foldhash::fast::RandomState>;
    let by_id: Fast<&ControlId, &ControlState> = states.iter().map(|c| (&c.id, c)).collect();
    let mut maps: Fast<&ReqRef, Vec<Entry>> = Fast::default();
    // One verdict per carve-out: many inherited mappings share `kind:cloud`.
    let mut verdicts: Fast<&crate::domain::CarveOut, Result<String, String>> = Fast::default();
    for m in s.mappings.iter().filter(|m| m.framework == fw.key) {
        let Some(c) = by_id
            .get(&m.control)
            .filter(|c| c.status != ControlStatus::NotApplicable)
        else {
            continue;
        };
        let entry = if m.relationship == Relationship::Inherited {
            let verdict = match &m.carve_out {
                Some(co) => verdicts
                    .entry(co)
                    .or_insert_with(|| super::carve_out::verdict(s, co, as_of))
                    .clone()
                    .map(|ok| format!("inherited from {co} ({ok})"))
                    .map_err(|no| format!("inherited from {co}, not held: {no}")),
                None => Err("inherited, but names no vendor".to_owned()),
            };
            Entry {
                id: m.control.clone(),
                rel: m.relationship,
                designed: verdict.is_ok(),
                not_started: verdict.is_err(),
                note: Some(verdict.unwrap_or_else(|e| e)),
            }
        } else {
            Entry {
                id: m.control.clone(),
                rel: m.relationship,
                designed: c.designed,
                not_started: c.status == ControlStatus::NotStarted,
                note: None,
            }
        };
        maps.entry(&m.requirement).or_default().push(entry);
    }
    let scope = s.scope.get(&fw.key);
    let mut out = FrameworkReadiness::default();
    for r in &fw.requirements {
        let entries = maps.remove(&r.ref_id).unwrap_or_default();
        let controls = entries.iter().map(|e| (e.id.clone(), e.rel)).collect();
        let (status, reason) = match out_of_scope(scope, fw.key.as_str(), r) {
            Some(why) => (ReqStatus::NotApplicable, why),
            None if !r.assessable => (
                ReqStatus::NotApplicable,
                format!(
                    "not assessed itself{}",
                    r.note.as_ref().map_or(String::new(), |n| format!(" ({n})"))
                ),
            ),
            None => match (
                judge(&entries),
                blocked.get(&(fw.key.clone(), r.ref_id.clone())),
            ) {
                ((ReqStatus::Met, _), Some(issues)) => (
                    ReqStatus::Partial,
                    format!(
                        "partial: controls are designed, but vendor: {}",
                        issues.join("; ")
                    ),
                ),
                ((st, why), Some(issues)) => (st, format!("{why}; vendor: {}", issues.join("; "))),
                (judged, None) => judged,
            },
        };
        let reason = match (status, &r.left_to_org, &r.usually_na) {
            (ReqStatus::Gap, Some(why), _) if entries.is_empty() => {
                format!("{reason}; left to the organisation: {why}")
            }
            (ReqStatus::Gap, _, Some(why)) if entries.is_empty() => format!(
                "{reason}; usually not applicable to an API platform: {why} (exclude it in the scope with a justification if it does not apply)"
            ),
            _ => reason,
        };
        out.requirements.push(RequirementState {
            ref_id: r.ref_id.clone(),
            title: r.title.clone(),
            group: r.group.clone(),
            assessable: r.assessable,
            status,
            controls,
            reason,
        });
    }
    roll_up(fw, &mut out.requirements);
    for r in out.requirements.iter().filter(|r| r.assessable) {
        match r.status {
            ReqStatus::Met => out.met += 1,
            ReqStatus::Partial => out.partial += 1,
            ReqStatus::Gap => out.gap += 1,
            ReqStatus::NotApplicable => out.not_applicable += 1,
        }
    }
    out.requirements_in_scope = out.met + out.partial + out.gap;
    out.type1_readiness_pct = pct(out.met, out.requirements_in_scope);
    out
}

/// One mapped control as scoring sees it (an inherited mapping judged by its carve-out).
struct Entry {
    id: ControlId,
    rel: Relationship,
    designed: bool,
    not_started: bool,
    note: Option<String>,
}

fn judge(entries: &[Entry]) -> (ReqStatus, String) {
    if entries.is_empty() {
        return (ReqStatus::Gap, "gap: no mapped control".to_owned());
    }
    let notes: Vec<&str> = entries.iter().filter_map(|e| e.note.as_deref()).collect();
    let with_notes = |s: String| {
        if notes.is_empty() {
            s
        } else {
            format!("{s}; {}", notes.join("; "))
        }
    };
    let ids = |f: &dyn Fn(&Entry) -> bool| {
        entries
            .iter()
            .filter(|e| f(e))
            .map(|e| e.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if entries.iter().all(|e| e.not_started) {
        let lapsed = ids(&|e| e.rel == Relationship::Inherited);
        let why = if lapsed.is_empty() {
            format!(
                "gap: every mapped control is not_started ({})",
                ids(&|_| true)
            )
        } else {
            let started = ids(&|e| e.rel != Relationship::Inherited);
            format!(
                "gap: the carve-out of {lapsed} is not held{}",
                if started.is_empty() {
                    String::new()
                } else {
                    format!(" and every other mapped control is not_started ({started})")
                }
            )
        };
        return (ReqStatus::Gap, with_notes(why));
    }
    let not_designed = ids(&|e| !e.designed);
    // An inherited mapping that holds stands for a designed full control.
    let full = entries
        .iter()
        .any(|e| matches!(e.rel, Relationship::Full | Relationship::Inherited));
    let (status, reason) = if not_designed.is_empty() && full {
        (
            ReqStatus::Met,
            format!(
                "met: every mapped control is designed ({}) and at least one maps full",
                ids(&|_| true)
            ),
        )
    } else if not_designed.is_empty() {
        (
            ReqStatus::Partial,
            "partial: every mapped control is designed but all map only partially".to_owned(),
        )
    } else {
        (
            ReqStatus::Partial,
            format!("partial: not designed: {not_designed}"),
        )
    };
    (status, with_notes(reason))
}

/// Headings take the status of their assessable descendants (met if all met, gap if all gap,
/// not_applicable if all not_applicable, else partial).
fn roll_up(fw: &Framework, reqs: &mut [RequirementState]) {
    let index: HashMap<&ReqRef, usize> = fw
        .requirements
        .iter()
        .enumerate()
        .map(|(i, r)| (&r.ref_id, i))
        .collect();
    let mut kids: Vec<Vec<ReqStatus>> = vec![Vec::new(); reqs.len()];
    // The ancestors met on one walk up, so a parent cycle (refused on import, but possibly
    // already stored) ends the walk instead of looping forever.
    let mut seen = std::collections::HashSet::new();
    for (i, r) in fw.requirements.iter().enumerate() {
        if !r.assessable {
            continue;
        }
        seen.clear();
        let mut p = r.parent.as_ref();
        while let Some(pid) = p {
            let Some(&pi) = index.get(pid) else { break };
            if !seen.insert(pi) {
                break;
            }
            kids[pi].push(reqs[i].status);
            p = fw.requirements[pi].parent.as_ref();
        }
    }
    for (i, r) in reqs.iter_mut().enumerate() {
        if r.assessable
            || kids[i].is_empty()
            || r.status == ReqStatus::NotApplicable && r.reason.starts_with("framework")
        {
            continue;
        }
        let k = &kids[i];
        let all = |s: ReqStatus| k.iter().all(|x| *x == s);
        r.status = if all(ReqStatus::NotApplicable) {
            ReqStatus::NotApplicable
        } else if k
            .iter()
            .filter(|x| **x != ReqStatus::NotApplicable)
            .all(|x| *x == ReqStatus::Met)
        {
            ReqStatus::Met
        } else if k
            .iter()
            .filter(|x| **x != ReqStatus::NotApplicable)
            .all(|x| *x == ReqStatus::Gap)
        {
            ReqStatus::Gap
        } else {
            ReqStatus::Partial
        };
        let count = |s: ReqStatus| k.iter().filter(|x| **x == s).count();
        r.reason = format!(
            "heading: {} met, {} partial, {} gap, {} not applicable below it",
            count(ReqStatus::Met),
            count(ReqStatus::Partial),
            count(ReqStatus::Gap),
            count(ReqStatus::NotApplicable)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{RequirementState, roll_up};
    use crate::domain::{Framework, FrameworkKey, ReqRef, ReqStatus, Requirement};

    fn req(id: &str, parent: &str, assessable: bool) -> Requirement {
        Requirement {
            ref_id: ReqRef(id.into()),
            title: id.into(),
            description: String::new(),
            group: "g".into(),
            parent: Some(ReqRef(parent.into())),
            assessable,
            hipaa: None,
            note: None,
            left_to_org: None,
            usually_na: None,
        }
    }

    #[test]
    fn a_parent_cycle_in_the_catalog_ends_the_roll_up() {
        let requirements = vec![
            req("a", "b", true),
            req("b", "c", false),
            req("c", "b", false),
        ];
        let mut states: Vec<RequirementState> = requirements
            .iter()
            .map(|r| RequirementState {
                ref_id: r.ref_id.clone(),
                title: r.title.clone(),
                group: r.group.clone(),
                assessable: r.assessable,
                status: if r.assessable {
                    ReqStatus::Met
                } else {
                    ReqStatus::NotApplicable
                },
                controls: Vec::new(),
                reason: String::new(),
            })
            .collect();
        let fw = Framework {
            key: FrameworkKey("x".into()),
            name: "X".into(),
            version: String::new(),
            source: String::new(),
            notes: Vec::new(),
            groups: Vec::new(),
            requirements,
        };
        roll_up(&fw, &mut states);
        assert_eq!(states[1].status, ReqStatus::Met);
        assert!(
            states[2].reason.starts_with("heading: 1 met"),
            "{}",
            states[2].reason
        );
    }
}
