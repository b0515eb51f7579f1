//! The weekly review as both front ends run it: the meeting's decisions, actions and typed
//! 9.3 inputs, the pack built from the model for a date ([`build`]), and the record of a
//! review ([`record`]).
//!
//! Invariants: an action always has an owner and a due date, and becomes a remediation task
//! (`T-REV-<date>-<n>`) whose id is kept with the action's note; recording the same decision,
//! action or input again for a date adds nothing.

pub mod record;

use crate::domain::Date;
use crate::domain::model_file::{ModelFile, TaskRow};
use crate::report::review::{self, MeetingItem, Metrics, Pack, iso93};
use crate::store::Store;
use anyhow::{Result, bail};
use std::collections::BTreeMap;
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

/// Records each decision not yet recorded for the review of `key`; returns how many were new.
pub fn record_decisions(
    store: &mut Store,
    key: &str,
    texts: &[String],
    now: &str,
) -> Result<usize> {
    let mut added = 0;
    for d in texts {
        let known = meeting(store, key)?;
        if !known.iter().any(|m| m.kind == "decision" && m.text == *d) {
            record_decision(store, key, d, now)?;
            added += 1;
        }
    }
    Ok(added)
}

/// Records an action of the review of `key` as a task and as a note on the review; the same
/// action recorded again keeps its task and note (nothing is written). Returns the task id.
pub fn record_action(store: &mut Store, key: &str, a: &Action, now: &str) -> Result<String> {
    let prefix = format!("T-REV-{}-", key.replace('-', ""));
    let s = store.snapshot()?;
    let mine: Vec<_> = s
        .tasks
        .iter()
        .filter(|t| t.id.as_str().starts_with(&prefix))
        .collect();
    let existing = mine
        .iter()
        .find(|t| t.title == a.text)
        .map(|t| t.id.to_string());
    let id = existing
        .clone()
        .unwrap_or_else(|| format!("{prefix}{}", mine.len() + 1));
    if existing.is_none() {
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
    }
    let noted = meeting(store, key)?
        .iter()
        .any(|m| m.kind == "action" && m.task == id);
    if !noted {
        store.edit(
            &crate::store::Edit::AddNote {
                entity: "review".into(),
                id: key.to_owned(),
                text: format!("action: {} | {} | {} | {id}", a.text, a.owner, a.due),
            },
            "edit",
            now,
        )?;
    }
    Ok(id)
}

/// The key of a typed 9.3 input, or why `key` is none.
pub fn input_key(key: &str) -> Result<&'static str> {
    match iso93::PROMPTED.iter().find(|(k, _, _)| *k == key) {
        Some((k, _, _)) => Ok(k),
        None => bail!(
            "unknown review input `{key}` (expected one of: {})",
            iso93::PROMPTED
                .iter()
                .map(|(k, _, _)| *k)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Sets typed 9.3 inputs of the review of `key` (empty text clears one); returns how many
/// changed.
pub fn record_inputs(
    store: &mut Store,
    key: &str,
    inputs: &[(String, String)],
    now: &str,
) -> Result<usize> {
    let mut changed = 0;
    for (k, text) in inputs {
        let k = input_key(k)?;
        changed += usize::from(store.set_review_input(key, k, text.trim(), now)?);
    }
    Ok(changed)
}

/// The meeting's decisions and actions recorded for the review of `key` (notes on `review`).
pub fn meeting(store: &Store, key: &str) -> Result<Vec<MeetingItem>> {
    Ok(store
        .notes()?
        .into_iter()
        .filter(|n| n.entity == "review" && n.entity_id == key)
        .map(|n| {
            if let Some(t) = n.text.strip_prefix("action: ") {
                let p: Vec<&str> = t.split('|').map(str::trim).collect();
                let part = |i: usize| p.get(i).copied().unwrap_or("").to_owned();
                MeetingItem {
                    kind: "action".into(),
                    text: part(0),
                    owner: part(1),
                    due: part(2),
                    task: part(3),
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

/// Every stored week's metrics, oldest first.
pub fn history(store: &Store) -> Result<Vec<Metrics>> {
    Ok(store
        .reviews()?
        .iter()
        .filter_map(|j| serde_json::from_str(j).ok())
        .collect())
}

/// The pack of the review of `a.as_of`, before it is witnessed: this week against the last
/// stored week, the meeting's items, the follow-up of the last review and the 9.3 sections.
pub fn build(
    store: &Store,
    s: &crate::domain::Snapshot,
    a: &crate::analysis::Assessment,
) -> Result<Pack> {
    let key = a.as_of.to_string();
    let history = history(store)?;
    let meeting = meeting(store, &key)?;
    let typed: BTreeMap<String, String> = store.review_inputs(&key)?.into_iter().collect();
    let mut pack = review::pack(&s.organization, review::metrics(s, a), &history, meeting);
    let last = pack.previous.as_ref().map(|p| p.as_of);
    let last_items = match last {
        Some(d) => meeting_or_frozen(store, &d.to_string())?,
        None => Vec::new(),
    };
    pack.follow_up = iso93::follow_up(s, a.as_of, last.map(|d| (d, last_items.as_slice())));
    pack.iso93 = iso93::sections(
        s,
        &pack.current,
        pack.previous.as_ref(),
        &pack.follow_up,
        &pack.meeting,
        &typed,
    );
    Ok(pack)
}

/// The meeting items of the review of `key`: the notes, or those frozen with its record.
fn meeting_or_frozen(store: &Store, key: &str) -> Result<Vec<MeetingItem>> {
    let notes = meeting(store, key)?;
    if !notes.is_empty() {
        return Ok(notes);
    }
    Ok(store
        .review_record(key)?
        .and_then(|r| serde_json::from_str::<serde_json::Value>(&r.pack).ok())
        .and_then(|v| serde_json::from_value(v.get("meeting")?.clone()).ok())
        .unwrap_or_default())
}

/// The pack for the dashboard's Review tab (not stored): this week against the last snapshot.
pub fn pack_text(
    store: &Store,
    s: &crate::domain::Snapshot,
    a: &crate::analysis::Assessment,
    dir: Option<&Path>,
) -> Result<String> {
    review::render(&build(store, s, a)?, false, dir)
}
