//! OSCAL `plan-of-action-and-milestones`: one risk per finding that is not closed (its
//! remediation tasks as milestones) and one POA&M item per finding `certready status` counts
//! as open (open or remediating).
//!
//! Invariants: the statuses are those of `status`: an open finding's risk is `open`, a
//! remediating one's `remediating`, a risk-accepted one's `deviation-approved` (listed as a
//! risk, not as an item to act on); a remediation without tasks leaves `tasks` out; with no
//! finding at all `risks` is left out and the one item OSCAL requires says that nothing is
//! open (it carries no `finding-id` prop, so items with one count the open findings).

use super::{day_time, line, metadata, prop};
use crate::domain::{Date, Finding, FindingStatus, Snapshot, TaskStatus};
use crate::report::export::uuid_for;
use serde_json::{Value, json};

/// The OSCAL risk status of a finding that is not closed.
fn risk_status(s: FindingStatus) -> &'static str {
    match s {
        FindingStatus::Open => "open",
        FindingStatus::Remediating => "remediating",
        FindingStatus::RiskAccepted => "deviation-approved",
        FindingStatus::Closed => "closed",
    }
}

/// Whether `status` counts a finding as open.
fn is_open(s: FindingStatus) -> bool {
    matches!(s, FindingStatus::Open | FindingStatus::Remediating)
}

fn risk(s: &Snapshot, f: &Finding) -> Value {
    let tasks: Vec<Value> = s
        .tasks
        .iter()
        .filter(|t| t.finding.as_ref() == Some(&f.id))
        .map(|t| {
            let state = if t.status == TaskStatus::Done {
                "done"
            } else {
                t.status.as_str()
            };
            let mut v = json!({
                "uuid": uuid_for(&format!("task:{}", t.id)),
                "type": "milestone",
                "title": line(&format!("{} {}", t.id, t.title), t.id.as_str()),
                "description": format!("owner {}, {state}", line(&t.owner, "-")),
            });
            if let Some(d) = t.due {
                v["timing"] = json!({ "on-date": { "date": day_time(d) } });
            }
            v
        })
        .collect();
    let mut r = json!({
        "uuid": uuid_for(&format!("risk:{}", f.id)),
        "title": line(&f.title, f.id.as_str()),
        "description": format!("{} ({})", line(&f.title, f.id.as_str()), f.source),
        "statement": format!("Finding {} of severity {}, {}", f.id, f.severity, f.status),
        "props": [prop("finding-id", f.id.as_str()), prop("finding-status", f.status.as_str())],
        "status": risk_status(f.status),
    });
    if is_open(f.status) {
        let mut remediation = json!({
            "uuid": uuid_for(&format!("remediation:{}", f.id)),
            "lifecycle": "planned",
            "title": format!("Remediate {}", f.id),
            "description": if tasks.is_empty() { "No remediation task is planned in certready yet" } else { "Remediation tasks from the certready plan" },
        });
        if !tasks.is_empty() {
            remediation["tasks"] = Value::Array(tasks);
        }
        r["remediations"] = json!([remediation]);
        if let Some(d) = f.due {
            r["deadline"] = Value::String(day_time(d));
        }
    }
    r
}

/// `plan-of-action-and-milestones` as of `as_of`.
pub fn poam(s: &Snapshot, as_of: Date, now: &str) -> Value {
    let listed: Vec<&Finding> = s
        .findings
        .iter()
        .filter(|f| f.status != FindingStatus::Closed)
        .collect();
    let risks: Vec<Value> = listed.iter().map(|f| risk(s, f)).collect();
    let mut items: Vec<Value> = listed
        .iter()
        .filter(|f| is_open(f.status))
        .map(|f| {
            json!({
                "uuid": uuid_for(&format!("poam-item:{}", f.id)),
                "title": line(&format!("{} {}", f.id, f.title), f.id.as_str()),
                "description": format!("{} finding from {}, severity {}, due {}", f.status, f.source, f.severity, f.due.map_or_else(|| "-".to_owned(), |d| d.to_string())),
                "props": [prop("finding-id", f.id.as_str()), prop("finding-status", f.status.as_str())],
                "related-risks": [{ "risk-uuid": uuid_for(&format!("risk:{}", f.id)) }],
            })
        })
        .collect();
    if items.is_empty() {
        items.push(json!({
            "uuid": uuid_for(&format!("poam-item:none:{}", s.organization)),
            "title": "No open findings",
            "description": format!("certready records no open or remediating finding as of {as_of}."),
        }));
    }
    let mut doc = json!({
        "uuid": uuid_for(&format!("poam:{}", s.organization)),
        "metadata": metadata(&format!("Plan of action and milestones: {}", s.organization), now),
        "poam-items": items,
    });
    if !risks.is_empty() {
        doc["risks"] = Value::Array(risks);
    }
    json!({ "plan-of-action-and-milestones": doc })
}
