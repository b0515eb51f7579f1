//! OSCAL `assessment-results` for one framework: observations from the controls mapped to it
//! (with their passing evidence cited in the back-matter), findings from the requirements that
//! are not met and from the workspace's findings that are not closed.
//!
//! Invariants: target ids are tokens ([`super::token`]) with the requirement's own label in
//! the target's title and a `label` prop; `observations` and `findings` are left out when
//! empty; the assessment plan and each control's evidence are back-matter resources cited by
//! `#uuid`.

use super::{BackMatter, day_time, line, metadata, prop, token};
use crate::analysis::Assessment;
use crate::domain::{Finding, FindingStatus, ReqStatus, Snapshot};
use crate::report::export::uuid_for;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashSet};

/// The target of a workspace finding: its requirement (`framework:ref`), else its control,
/// else the finding itself; as (target id, label).
fn finding_target(x: &Finding) -> (String, String) {
    if let Some((fw, r)) = x.requirement.as_deref().and_then(|r| r.split_once(':')) {
        (token(fw, r), r.to_owned())
    } else if let Some(c) = &x.control {
        (token("control", c.as_str()), c.to_string())
    } else {
        (token("finding", x.id.as_str()), x.id.to_string())
    }
}

/// `assessment-results` for one framework.
pub fn assessment_results(
    s: &Snapshot,
    a: &Assessment,
    key: &str,
    now: &str,
) -> anyhow::Result<Value> {
    let Some(f) = a.frameworks.iter().find(|f| f.key.as_str() == key) else {
        anyhow::bail!("unknown framework `{key}`")
    };
    let mut back = BackMatter::default();
    let plan = back.cite(
        &format!("assessment-plan:{key}"),
        &format!("{} assessment plan", f.name),
        &format!(
            "What certready assessed for {}: the requirements in scope ({}), the controls mapped to them and the scoring rules, as of {}. It is kept in the certready workspace, not as a separate OSCAL assessment plan.",
            f.name, f.readiness.requirements_in_scope, a.as_of
        ),
    );
    let mapped: HashSet<&str> = s
        .mappings
        .iter()
        .filter(|m| m.framework.as_str() == key)
        .map(|m| m.control.as_str())
        .collect();
    // Control id → observation uuid, for the findings' related observations.
    let mut observed: BTreeMap<&str, String> = BTreeMap::new();
    let mut observations = Vec::new();
    for c in a.controls.iter().filter(|c| mapped.contains(c.id.as_str())) {
        let uuid = uuid_for(&format!("observation:{key}:{}", c.id));
        let mut o = json!({
            "uuid": uuid,
            "title": format!("{} operation", c.id),
            "description": line(&c.reason, "no evidence"),
            "methods": ["TEST"],
            "types": ["control-objective"],
            "collected": c.last_pass.map_or_else(|| now.to_owned(), day_time),
        });
        if let Some(d) = c.last_pass {
            let until = c
                .valid_until
                .map_or_else(|| "-".to_owned(), |u| u.to_string());
            let href = back.cite(
                &format!("evidence:{}", c.id),
                &format!("Evidence of {}", c.id),
                &format!(
                    "The passing evidence item of control {} effective {d}, valid until {until}, kept in the certready workspace with its content digest (`certready export bundle` writes it out).",
                    c.id
                ),
            );
            o["relevant-evidence"] =
                json!([{ "href": href, "description": format!("certready evidence of {}", c.id) }]);
        }
        if let Some(u) = c.valid_until {
            o["expires"] = Value::String(day_time(u));
        }
        observed.insert(c.id.as_str(), uuid);
        observations.push(o);
    }
    let mut findings: Vec<Value> = f
        .readiness
        .requirements
        .iter()
        .filter(|r| r.assessable && matches!(r.status, ReqStatus::Gap | ReqStatus::Partial))
        .map(|r| {
            let label = r.ref_id.as_str();
            let mut x = json!({
                "uuid": uuid_for(&format!("finding:{key}:{label}")),
                "title": line(&format!("{label} {} is {}", r.title, r.status), label),
                "description": line(&r.reason, "not met"),
                "target": {
                    "type": "objective-id",
                    "target-id": token(key, label),
                    "title": line(label, "-"),
                    "props": [prop("label", label)],
                    "status": { "state": "not-satisfied" },
                },
            });
            let related: Vec<Value> = r
                .controls
                .iter()
                .filter_map(|(c, _)| observed.get(c.as_str()))
                .map(|u| json!({ "observation-uuid": u }))
                .collect();
            if !related.is_empty() {
                x["related-observations"] = Value::Array(related);
            }
            x
        })
        .collect();
    findings.extend(
        s.findings
            .iter()
            .filter(|x| x.status != FindingStatus::Closed)
            .map(|x| {
                let (target, label) = finding_target(x);
                json!({
                    "uuid": uuid_for(&format!("finding:{}", x.id)),
                    "title": line(&format!("{} {}", x.id, x.title), x.id.as_str()),
                    "description": format!("{} finding from {}, severity {}", x.status, x.source, x.severity),
                    "props": [prop("finding-id", x.id.as_str()), prop("finding-status", x.status.as_str())],
                    "target": {
                        "type": "objective-id",
                        "target-id": target,
                        "title": line(&label, "-"),
                        "props": [prop("label", &label)],
                        "status": { "state": "not-satisfied" },
                    },
                })
            }),
    );
    let mut result = json!({
        "uuid": uuid_for(&format!("result:{key}:{}", a.as_of)),
        "title": format!("{} as of {}", line(&f.name, key), a.as_of),
        "description": format!("{} of {} in-scope requirements met ({:.1}%)", f.readiness.met, f.readiness.requirements_in_scope, f.readiness.type1_readiness_pct),
        "start": day_time(a.as_of),
        "reviewed-controls": { "control-selections": [{ "include-all": {} }] },
    });
    if !observations.is_empty() {
        result["observations"] = Value::Array(observations);
    }
    if !findings.is_empty() {
        result["findings"] = Value::Array(findings);
    }
    let mut doc = json!({
        "uuid": uuid_for(&format!("assessment-results:{key}:{}", a.as_of)),
        "metadata": metadata(&format!("{} readiness assessment results: {}", f.name, s.organization), now),
        "import-ap": { "href": plan },
        "results": [result],
    });
    if let Some(b) = back.into_value() {
        doc["back-matter"] = b;
    }
    Ok(json!({ "assessment-results": doc }))
}
