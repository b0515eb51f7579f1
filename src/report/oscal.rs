//! OSCAL 1.1 exports: assessment results (observations from evidence, findings from findings
//! and from requirements that are not met) and a plan of action and milestones (open findings,
//! each with its remediation tasks as milestones). Every field OSCAL 1.1 requires is present;
//! UUIDs are derived from ids, so re-exports are stable.

use super::export::uuid_for;
use crate::analysis::Assessment;
use crate::domain::{FindingStatus, ReqStatus, Snapshot, TaskStatus};
use serde_json::{Value, json};

/// The OSCAL version written.
pub const OSCAL_VERSION: &str = "1.1.2";

fn metadata(title: &str, now: &str) -> Value {
    json!({ "title": title, "last-modified": now, "version": env!("CARGO_PKG_VERSION"), "oscal-version": OSCAL_VERSION })
}

fn day_time(d: crate::domain::Date) -> String {
    format!("{d}T00:00:00Z")
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
    let mapped: std::collections::HashSet<&str> = s
        .mappings
        .iter()
        .filter(|m| m.framework.as_str() == key)
        .map(|m| m.control.as_str())
        .collect();
    let observations: Vec<Value> = a
        .controls
        .iter()
        .filter(|c| mapped.contains(c.id.as_str()))
        .map(|c| {
            let mut o = json!({
                "uuid": uuid_for(&format!("observation:{key}:{}", c.id)),
                "title": format!("{} operation", c.id),
                "description": c.reason,
                "methods": ["TEST"],
                "types": ["control-objective"],
                "collected": c.last_pass.map_or_else(|| now.to_owned(), day_time),
                "relevant-evidence": [{ "href": format!("#evidence-{}", c.id), "description": format!("certready evidence of {}", c.id) }],
            });
            if let Some(u) = c.valid_until {
                o["expires"] = Value::String(day_time(u));
            }
            o
        })
        .collect();
    let mut findings: Vec<Value> = f
        .readiness
        .requirements
        .iter()
        .filter(|r| r.assessable && matches!(r.status, ReqStatus::Gap | ReqStatus::Partial))
        .map(|r| {
            json!({
                "uuid": uuid_for(&format!("finding:{key}:{}", r.ref_id)),
                "title": format!("{} {} is {}", r.ref_id, r.title, r.status),
                "description": r.reason,
                "target": { "type": "objective-id", "target-id": r.ref_id.to_string(), "status": { "state": "not-satisfied" } },
            })
        })
        .collect();
    findings.extend(s.findings.iter().filter(|x| x.status != FindingStatus::Closed).map(|x| {
        json!({
            "uuid": uuid_for(&format!("finding:{}", x.id)),
            "title": format!("{} {}", x.id, x.title),
            "description": format!("{} finding from {}, severity {}", x.status, x.source, x.severity),
            "target": {
                "type": "objective-id",
                "target-id": x.requirement.as_deref().and_then(|r| r.split_once(':')).map_or_else(|| x.control.as_ref().map_or_else(String::new, ToString::to_string), |(_, r)| r.to_owned()),
                "status": { "state": "not-satisfied" }
            },
        })
    }));
    Ok(json!({
        "assessment-results": {
            "uuid": uuid_for(&format!("assessment-results:{key}:{}", a.as_of)),
            "metadata": metadata(&format!("{} readiness assessment results: {}", f.name, s.organization), now),
            "import-ap": { "href": format!("#assessment-plan-{key}") },
            "results": [{
                "uuid": uuid_for(&format!("result:{key}:{}", a.as_of)),
                "title": format!("{} as of {}", f.name, a.as_of),
                "description": format!("{} of {} in-scope requirements met ({:.1}%)", f.readiness.met, f.readiness.requirements_in_scope, f.readiness.type1_readiness_pct),
                "start": day_time(a.as_of),
                "reviewed-controls": { "control-selections": [{ "include-all": {} }] },
                "observations": observations,
                "findings": findings,
            }],
        }
    }))
}

/// `plan-of-action-and-milestones`: open findings with their tasks as milestones.
pub fn poam(s: &Snapshot, now: &str) -> Value {
    let open: Vec<_> = s
        .findings
        .iter()
        .filter(|f| f.status != FindingStatus::Closed)
        .collect();
    let items: Vec<Value> = open
        .iter()
        .map(|f| {
            json!({
                "uuid": uuid_for(&format!("poam-item:{}", f.id)),
                "title": format!("{} {}", f.id, f.title),
                "description": format!("{} finding from {}, severity {}, due {}", f.status, f.source, f.severity, f.due.map_or_else(|| "-".to_owned(), |d| d.to_string())),
                "related-risks": [{ "risk-uuid": uuid_for(&format!("risk:{}", f.id)) }],
            })
        })
        .collect();
    let risks: Vec<Value> = open
        .iter()
        .map(|f| {
            let tasks: Vec<Value> = s
                .tasks
                .iter()
                .filter(|t| t.finding.as_ref() == Some(&f.id))
                .map(|t| {
                    let mut v = json!({ "uuid": uuid_for(&format!("task:{}", t.id)), "type": "milestone", "title": format!("{} {}", t.id, t.title), "description": format!("owner {}, {}", t.owner, if t.status == TaskStatus::Done { "done" } else { t.status.as_str() }) });
                    if let Some(d) = t.due {
                        v["timing"] = json!({ "on-date": { "date": day_time(d) } });
                    }
                    v
                })
                .collect();
            json!({
                "uuid": uuid_for(&format!("risk:{}", f.id)),
                "title": f.title,
                "description": format!("{} ({})", f.title, f.source),
                "statement": format!("Open finding {} of severity {}", f.id, f.severity),
                "status": "open",
                "remediations": [{
                    "uuid": uuid_for(&format!("remediation:{}", f.id)),
                    "lifecycle": "planned",
                    "title": format!("Remediate {}", f.id),
                    "description": "Remediation tasks from the certready plan",
                    "tasks": tasks,
                }],
            })
        })
        .collect();
    json!({
        "plan-of-action-and-milestones": {
            "uuid": uuid_for(&format!("poam:{}", s.organization)),
            "metadata": metadata(&format!("Plan of action and milestones: {}", s.organization), now),
            "risks": risks,
            "poam-items": items,
        }
    })
}
