//! `certready requirements --framework KEY`: each requirement with its status, its controls
//! and the reason.

use super::output::table;
use crate::analysis;
use crate::domain::{Date, ReqStatus, Snapshot};
use anyhow::{Result, bail};
use serde_json::json;

/// Prints one framework's requirements.
pub fn print(
    s: &Snapshot,
    key: &str,
    as_of: Date,
    as_json: bool,
    only: Option<ReqStatus>,
) -> Result<()> {
    let a = analysis::assess(s, as_of);
    let Some(f) = a.frameworks.iter().find(|f| f.key.as_str() == key) else {
        let keys: Vec<&str> = a.frameworks.iter().map(|f| f.key.as_str()).collect();
        bail!(
            "unknown framework `{key}` (expected one of: {})",
            keys.join(", ")
        );
    };
    let reqs = f
        .readiness
        .requirements
        .iter()
        .filter(|r| only.is_none_or(|o| r.status == o));
    if as_json {
        let items: Vec<_> = reqs
            .map(|r| {
                json!({
                    "ref_id": r.ref_id,
                    "title": r.title,
                    "group": r.group,
                    "assessable": r.assessable,
                    "status": r.status,
                    "controls": r.controls.iter().map(|(c, rel)| json!({"id": c, "relationship": rel})).collect::<Vec<_>>(),
                    "reason": r.reason,
                })
            })
            .collect();
        let doc = json!({ "framework": f.key, "as_of": as_of, "requirements": items });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(());
    }
    let mut rows = vec![
        ["REF", "STATUS", "TITLE", "CONTROLS", "WHY"]
            .map(str::to_owned)
            .to_vec(),
    ];
    for r in reqs {
        let ids: Vec<String> = r
            .controls
            .iter()
            .map(|(c, rel)| {
                if rel.as_str() == "partial" {
                    format!("{c}~")
                } else {
                    c.to_string()
                }
            })
            .collect();
        let title: String = r.title.chars().take(40).collect();
        rows.push(vec![
            if r.assessable {
                r.ref_id.to_string()
            } else {
                format!("[{}]", r.ref_id)
            },
            r.status.to_string(),
            title,
            ids.join(" "),
            r.reason.clone(),
        ]);
    }
    print!("{}", table(&rows));
    println!(
        "\n{}: {} in scope, {} met, {} partial, {} gap, {} not applicable; Type I readiness {:.1}% (`~` marks a partial mapping, [ ] a heading)",
        f.name,
        f.readiness.requirements_in_scope,
        f.readiness.met,
        f.readiness.partial,
        f.readiness.gap,
        f.readiness.not_applicable,
        f.readiness.type1_readiness_pct
    );
    Ok(())
}
