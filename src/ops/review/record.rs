//! The record of a management review (ISO/IEC 27001 clause 9.3 asks that its results be kept
//! as documented information): the checkpoint the meeting witnesses, the pack frozen as the
//! templates saw it with the SHA-256 of its Markdown and HTML, and one evidence item per
//! management-review control, found through the mappings.
//!
//! Invariants: a recorded week re-renders from its frozen pack and is checked against the
//! recorded digest, so `review --week` gives the same bytes or says in one line that it
//! cannot; recording the same review again writes nothing (evidence keys carry the pack's
//! digest, so a changed review is a new item and an unchanged one is never a duplicate).

use crate::domain::{
    ControlId, EvidenceResult, EvidenceSource, Relationship, Snapshot, sha256_hex,
};
use crate::report::review::{self, Pack, Witness};
use crate::store::{NewEvidence, ReviewRecord, Store};
use anyhow::{Result, bail};
use serde_json::Value;
use std::path::Path;

/// A recorded (or re-rendered) review.
pub struct Recorded {
    /// The frozen pack.
    pub frozen: Value,
    /// Its Markdown.
    pub md: String,
    /// Its HTML.
    pub html: String,
    /// The signed checkpoint of that day (JSON).
    pub checkpoint: String,
    /// Whether this run recorded it (false: it was recorded before and nothing changed).
    pub recorded_now: bool,
}

/// The controls that evidence a management review: those mapped (not inherited) to ISO/IEC
/// 27001 or 27701 clause 9.3, and those mapped to both SOC 2 CC4.2 and CC1.2.
pub fn management_review_controls(s: &Snapshot) -> Vec<ControlId> {
    let maps = |c: &ControlId, fw: &str, req: &str| {
        s.mappings.iter().any(|m| {
            &m.control == c
                && m.relationship != Relationship::Inherited
                && m.framework.as_str() == fw
                && (m.requirement.as_str() == req
                    || req.ends_with('.') && m.requirement.as_str().starts_with(req))
        })
    };
    s.controls
        .iter()
        .map(|c| &c.id)
        .filter(|c| {
            ["iso27001", "iso27701"]
                .iter()
                .any(|fw| maps(c, fw, "9.3") || maps(c, fw, "9.3."))
                || (maps(c, "soc2", "CC4.2") && maps(c, "soc2", "CC1.2"))
        })
        .cloned()
        .collect()
}

/// The typed inputs and the meeting's items of a pack (frozen or not): what makes a review
/// the same review again.
fn meeting_key(pack: &Value) -> (Option<&Value>, Vec<(&Value, &Value)>) {
    let inputs = pack
        .pointer("/iso93/sections")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| Some((x.get("key")?, x.get("text")?)))
                .collect()
        })
        .unwrap_or_default();
    (pack.get("meeting"), inputs)
}

/// The stored record of `key` when it holds the same meeting and inputs as `pack`.
pub fn unchanged(store: &Store, key: &str, pack: &Pack) -> Result<Option<ReviewRecord>> {
    let Some(rec) = store.review_record(key)? else {
        return Ok(None);
    };
    let frozen: Value = serde_json::from_str(&rec.pack)?;
    let now = serde_json::to_value(pack)?;
    Ok((meeting_key(&frozen) == meeting_key(&now)).then_some(rec))
}

/// Records the review of `pack`: stores the week's metrics, signs a checkpoint (named
/// `cp_file` in the pack when it is written to a file), freezes and renders the pack, keeps
/// its digests and appends the evidence items.
pub fn record(
    store: &mut Store,
    ws_dir: &Path,
    s: &Snapshot,
    mut pack: Pack,
    cp_file: Option<String>,
    now: &str,
) -> Result<Recorded> {
    let key = pack.current.as_of.to_string();
    store.save_review(&key, &serde_json::to_string(&pack.current)?, now)?;
    let (cp, _) = crate::ops::checkpoint::sign(store, ws_dir, now, false)?;
    pack.checkpoint = Some(Witness {
        key: crate::ops::checkpoint::fingerprint(&cp.body.public_key),
        time: cp.body.time.clone(),
        evidence_size: cp.body.evidence.size,
        evidence_root: cp.body.evidence.root.clone(),
        change_size: cp.body.change_log.size,
        change_root: cp.body.change_log.root.clone(),
        file: cp_file,
    });
    let frozen = serde_json::to_value(&pack)?;
    let md = review::render(&frozen, false, Some(ws_dir))?;
    let html = review::render(&frozen, true, Some(ws_dir))?;
    let rec = ReviewRecord {
        as_of: key.clone(),
        taken: now.to_owned(),
        pack: serde_json::to_string(&frozen)?,
        md_sha256: sha256_hex(md.as_bytes()),
        html_sha256: sha256_hex(html.as_bytes()),
        checkpoint: serde_json::to_string_pretty(&cp)?,
    };
    store.save_review_record(&rec)?;
    store.append_evidence(evidence(s, &pack, &rec, now), now)?;
    Ok(Recorded {
        frozen,
        md,
        html,
        checkpoint: rec.checkpoint,
        recorded_now: true,
    })
}

/// The evidence items of a recorded review, one per management-review control.
fn evidence(s: &Snapshot, pack: &Pack, rec: &ReviewRecord, now: &str) -> Vec<NewEvidence> {
    let decisions: Vec<&str> = pack
        .meeting
        .iter()
        .filter(|m| m.kind == "decision")
        .map(|m| m.text.as_str())
        .collect();
    let actions: Vec<String> = pack
        .meeting
        .iter()
        .filter(|m| m.kind == "action")
        .map(|m| format!("{} | {} | {} | {}", m.text, m.owner, m.due, m.task))
        .collect();
    let inputs: Vec<(&str, &str, bool)> = pack
        .iso93
        .sections
        .iter()
        .map(|x| (x.clause.as_str(), x.text.as_str(), x.covered))
        .collect();
    let content = serde_json::json!({
        "review": rec.as_of,
        "inputs": inputs,
        "decisions": decisions,
        "actions": actions,
        "md_sha256": rec.md_sha256,
        "html_sha256": rec.html_sha256,
        "checkpoint": pack.checkpoint.as_ref().map(|c| serde_json::json!({
            "key": c.key, "time": c.time,
            "evidence": [c.evidence_size, c.evidence_root],
            "change_log": [c.change_size, c.change_root],
        })),
    });
    let summary = format!(
        "Management review of {}: {} of {} clause 9.3 inputs and outputs covered{}; {} decision(s), {} action(s); pack SHA-256 {} (md), {} (html)",
        rec.as_of,
        pack.iso93.covered,
        pack.iso93.sections.len(),
        if pack.iso93.empty.is_empty() {
            String::new()
        } else {
            format!(" (empty: {})", pack.iso93.empty.join(", "))
        },
        decisions.len(),
        actions.len(),
        rec.md_sha256,
        rec.html_sha256
    );
    management_review_controls(s)
        .into_iter()
        .map(|control| NewEvidence {
            natural_key: format!("review:{}:{}:{control}", rec.as_of, &rec.md_sha256[..16]),
            control,
            title: format!("Management review of {} (record)", rec.as_of),
            source: EvidenceSource::Manual,
            result: EvidenceResult::Pass,
            effective: pack.current.as_of,
            collected: now.to_owned(),
            expires: None,
            summary: summary.clone(),
            content: Some(content.to_string()),
            file: None,
        })
        .collect()
}

/// The recorded review of `key` rendered again from its frozen pack with the templates now.
pub fn stored(ws_dir: &Path, rec: ReviewRecord) -> Result<Recorded> {
    let frozen: Value = serde_json::from_str(&rec.pack)?;
    Ok(Recorded {
        md: review::render(&frozen, false, Some(ws_dir))?,
        html: review::render(&frozen, true, Some(ws_dir))?,
        frozen,
        checkpoint: rec.checkpoint,
        recorded_now: false,
    })
}

/// The pack of the week of `key` exactly as it was recorded, or an error (one line) saying
/// why it cannot be reproduced.
pub fn rerender(store: &Store, ws_dir: &Path, key: &str, html: bool) -> Result<String> {
    let Some(rec) = store.review_record(key)? else {
        bail!(
            "the pack of {key} cannot be reproduced: no pack was recorded for that date (run `certready review --as-of {key}` to record one now)"
        );
    };
    let frozen: Value = serde_json::from_str(&rec.pack)?;
    let text = review::render(&frozen, html, Some(ws_dir))?;
    let (format, want) = if html {
        ("HTML", &rec.html_sha256)
    } else {
        ("Markdown", &rec.md_sha256)
    };
    let got = sha256_hex(text.as_bytes());
    if got != *want {
        bail!(
            "the pack of {key} cannot be reproduced byte for byte: its {format} now has SHA-256 {got}, the record says {want} (a template changed since it was recorded)"
        );
    }
    Ok(text)
}
