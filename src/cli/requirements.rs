//! `certready requirements --framework KEY`: each requirement with its status, its controls
//! and the reason; `--id REF` picks one requirement by its ID or label in any spelling
//! (`domain::find_ref`: `AC-2(1)`, `ac-2.1` and `AC-02(01)` name the same control).

use super::output::table;
use crate::analysis;
use crate::domain::{Date, ReqStatus, Snapshot};
use crate::import::crosswalk;
use anyhow::{Result, bail};
use serde_json::json;

/// Prints one framework's requirements.
pub fn print(
    s: &Snapshot,
    key: &str,
    as_of: Date,
    as_json: bool,
    only: Option<ReqStatus>,
    id: Option<&str>,
) -> Result<()> {
    let a = analysis::assess(s, as_of);
    let Some(f) = a.framework(key) else {
        let keys: Vec<&str> = a.frameworks.iter().map(|f| f.key.as_str()).collect();
        bail!(
            "unknown framework `{key}` (expected one of: {})",
            keys.join(", ")
        );
    };
    let wanted = match id {
        Some(q) => {
            let ids = f.readiness.requirements.iter().map(|r| r.ref_id.as_str());
            let Some(found) = crate::domain::find_ref(ids, q) else {
                bail!("framework `{key}` has no requirement `{q}` (by ID or label)");
            };
            Some(found.to_owned())
        }
        None => None,
    };
    let reqs = f
        .readiness
        .requirements
        .iter()
        .filter(|r| only.is_none_or(|o| r.status == o))
        .filter(|r| wanted.as_deref().is_none_or(|w| r.ref_id.as_str() == w));
    if as_json {
        let fw = s.frameworks.iter().find(|x| x.key.as_str() == key);
        let items: Vec<_> = reqs
            .map(|r| {
                let def = fw.and_then(|x| x.requirements.iter().find(|q| q.ref_id == r.ref_id));
                let mapping = |m: &crate::domain::Mapping| {
                    json!({
                        "id": m.control,
                        "relationship": m.relationship,
                        "rationale": m.rationale,
                        "source": m.source,
                        "carve_out": m.carve_out.as_ref().map(crate::domain::CarveOut::to_stored),
                        "overrides": m.overrides,
                    })
                };
                let mine = |m: &&crate::domain::Mapping| {
                    m.framework.as_str() == key && m.requirement == r.ref_id
                };
                // Counted controls first (not_applicable ones are left out, as in scoring).
                let controls: Vec<_> = r
                    .controls
                    .iter()
                    .filter_map(|(c, _)| s.mappings.iter().filter(mine).find(|m| &m.control == c))
                    .map(mapping)
                    .collect();
                let removed: Vec<_> = s
                    .removed_mappings
                    .iter()
                    .filter(mine)
                    .map(mapping)
                    .collect();
                let crosswalks: Vec<_> = s
                    .mappings
                    .iter()
                    .filter(mine)
                    .filter(|m| crosswalk::is_crosswalk(&m.source))
                    .map(|m| {
                        json!({
                            "control": m.control,
                            "relationship": m.relationship,
                            "library": m.source.trim_start_matches(crosswalk::PREFIX),
                            "rationale": m.rationale,
                        })
                    })
                    .collect();
                json!({
                    "ref_id": r.ref_id,
                    "title": r.title,
                    "group": r.group,
                    "assessable": r.assessable,
                    "status": r.status,
                    "controls": controls,
                    "removed_mappings": removed,
                    "crosswalks": crosswalks,
                    "left_to_org": def.and_then(|d| d.left_to_org.clone()),
                    "usually_not_applicable": def.and_then(|d| d.usually_na.clone()),
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
            .map(|(c, rel)| match rel.as_str() {
                "partial" => format!("{c}~"),
                "inherited" => format!("{c}^"),
                _ => c.to_string(),
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
        "\n{}: {} in scope, {} met, {} partial, {} gap, {} not applicable; Type I readiness {:.1}% (`~` marks a partial mapping, `^` an inherited one, [ ] a heading)",
        f.name,
        f.readiness.requirements_in_scope,
        f.readiness.met,
        f.readiness.partial,
        f.readiness.gap,
        f.readiness.not_applicable,
        f.readiness.type1_readiness_pct
    );
    let mut libraries: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for m in s.mappings.iter().filter(|m| m.framework.as_str() == key) {
        if crosswalk::is_crosswalk(&m.source) {
            *libraries
                .entry(m.source.trim_start_matches(crosswalk::PREFIX))
                .or_default() += 1;
        }
    }
    for (lib, n) in libraries {
        println!("crosswalk: {n} mapping(s) carried by {lib} (listed per requirement with --json)");
    }
    Ok(())
}
