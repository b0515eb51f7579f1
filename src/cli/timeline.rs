//! `certready timeline [--json]`: the schedule (audits, projected rhythms, report dates,
//! remediation plan with its critical path, tabletop exercises) in date order per lane.

use super::output::table;
use crate::analysis::{self, timeline};
use crate::domain::{Date, Snapshot};
use anyhow::Result;
use serde_json::json;

/// Prints the schedule.
pub fn print(s: &Snapshot, as_of: Date, as_json: bool) -> Result<()> {
    let a = analysis::assess(s, as_of);
    let sched = timeline::schedule(s, &a);
    if as_json {
        let projections: Vec<_> = a
            .frameworks
            .iter()
            .filter(|f| f.in_scope)
            .map(|f| json!({"key": f.key, "type1_ready": f.projected.type1_ready, "type2_report": f.projected.type2_report, "critical_path": f.projected.critical_path, "why": f.projected.why}))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(
                &json!({"as_of": as_of, "items": sched.items, "projected": projections})
            )?
        );
        return Ok(());
    }
    let mut rows = vec![
        ["WHEN", "LANE", "STATE", "ITEM", "NOTE"]
            .map(str::to_owned)
            .to_vec(),
    ];
    for i in &sched.items {
        let when = if i.is_point() {
            i.start.to_string()
        } else {
            format!("{}..{}", i.start, i.end)
        };
        let lane = serde_json::to_value(i.lane)?
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let state = serde_json::to_value(i.state)?
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let note: String = i.note.chars().take(60).collect();
        rows.push(vec![when, lane, state, i.label.clone(), note]);
    }
    print!("{}", table(&rows));
    Ok(())
}
