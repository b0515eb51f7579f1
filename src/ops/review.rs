//! The weekly review pack as both front ends read it: the meeting's recorded decisions and
//! actions, and the pack text for this week against the stored snapshots.
//!
//! Invariant: an action always has an owner and a due date, and becomes a remediation task
//! (`T-REV-<date>-<n>`) whose id is kept with the action's note.

use crate::domain::Date;
use crate::domain::model_file::{ModelFile, TaskRow};
use crate::report::review::{self, MeetingItem, Metrics};
use crate::store::Store;
use anyhow::Result;
use std::path::Path;

/// An action of the meeting: what, who, by when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// What is to be done.
    pub text: String,
    /// Who does it.
    pub owner: String,
    /// By when.
    pub due: Date,
}

/// Records a decision of the review of `key` (a note on the review); returns its inverse.
pub fn record_decision(
    store: &mut Store,
    key: &str,
    text: &str,
    now: &str,
) -> Result<crate::store::Edit> {
    let note = crate::store::Edit::AddNote {
        entity: "review".into(),
        id: key.to_owned(),
        text: format!("decision: {text}"),
    };
    store.edit(&note, "edit", now)
}

/// Records an action of the review of `key` as a task (the same action recorded again keeps
/// its task) and as a note on the review; returns the task id.
pub fn record_action(store: &mut Store, key: &str, a: &Action, now: &str) -> Result<String> {
    let prefix = format!("T-REV-{}-", key.replace('-', ""));
    let s = store.snapshot()?;
    let mine: Vec<_> = s
        .tasks
        .iter()
        .filter(|t| t.id.as_str().starts_with(&prefix))
        .collect();
    let id = mine.iter().find(|t| t.title == a.text).map_or_else(
        || format!("{prefix}{}", mine.len() + 1),
        |t| t.id.to_string(),
    );
    let m = ModelFile {
        tasks: vec![TaskRow {
            id: id.clone(),
            title: a.text.clone(),
            owner: Some(a.owner.clone()),
            status: None,
            due: Some(a.due),
            estimate_days: None,
            finding: None,
            control: None,
            depends_on: Vec::new(),
        }],
        ..Default::default()
    };
    store.apply(&m, "review", now, false)?;
    store.edit(
        &crate::store::Edit::AddNote {
            entity: "review".into(),
            id: key.to_owned(),
            text: format!("action: {} | {} | {} | {id}", a.text, a.owner, a.due),
        },
        "edit",
        now,
    )?;
    Ok(id)
}

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
                    task: p.get(3).copied().unwrap_or("").to_owned(),
                }
            } else {
                MeetingItem {
                    kind: "decision".into(),
                    text: n.text.trim_start_matches("decision: ").to_owned(),
                    owner: String::new(),
                    due: String::new(),
                    task: String::new(),
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
