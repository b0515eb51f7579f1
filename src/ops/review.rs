//! The weekly review pack as both front ends read it: the meeting's recorded decisions and
//! actions, and the pack text for this week against the stored snapshots.

use crate::report::review::{self, MeetingItem, Metrics};
use anyhow::Result;
use std::path::Path;

/// The meeting's decisions and actions recorded for the review of `key` (notes on `review`).
pub fn meeting(store: &crate::store::Store, key: &str) -> Result<Vec<MeetingItem>> {
    Ok(store
        .notes()?
        .into_iter()
        .filter(|n| n.entity == "review" && n.entity_id == key)
        .map(|n| {
            if let Some(t) = n.text.strip_prefix("action: ") {
                let p: Vec<&str> = t.split('|').map(str::trim).collect();
                MeetingItem {
                    kind: "action".into(),
                    text: p[0].to_owned(),
                    owner: p.get(1).copied().unwrap_or("").to_owned(),
                    due: p.get(2).copied().unwrap_or("").to_owned(),
                }
            } else {
                MeetingItem {
                    kind: "decision".into(),
                    text: n.text.trim_start_matches("decision: ").to_owned(),
                    owner: String::new(),
                    due: String::new(),
                }
            }
        })
        .collect())
}

/// The pack for the dashboard's Review tab (not stored): this week against the last snapshot.
pub fn pack_text(
    store: &crate::store::Store,
    s: &crate::domain::Snapshot,
    a: &crate::analysis::Assessment,
    dir: Option<&Path>,
) -> Result<String> {
    let key = a.as_of.to_string();
    let history: Vec<Metrics> = store
        .reviews()?
        .iter()
        .filter_map(|j| serde_json::from_str(j).ok())
        .collect();
    let pack = review::pack(
        &s.organization,
        review::metrics(s, a),
        &history,
        meeting(store, &key)?,
    );
    review::render(&pack, false, dir)
}
