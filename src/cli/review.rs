//! `certready review`: record the meeting's decisions and actions (as notes on the review),
//! store the week's metrics, and write the pack.

use super::now_stamp;
use crate::analysis;
use crate::domain::Date;
use crate::report::review::{self, Metrics};
use crate::store::Edit;
use crate::workspace::Workspace;
use anyhow::{Context, Result, bail};
use std::path::Path;

/// Runs the review.
pub fn run(
    ws: &Workspace,
    as_of: Date,
    html: bool,
    out: Option<&Path>,
    decisions: &[String],
    actions: &[String],
) -> Result<()> {
    let mut store = ws.open()?;
    let key = as_of.to_string();
    for a in actions {
        let parts: Vec<&str> = a.split('|').map(str::trim).collect();
        if parts.first().is_none_or(|t| t.is_empty()) {
            bail!("--action `{a}`: expected `TEXT | OWNER | YYYY-MM-DD`");
        }
        if let Some(d) = parts.get(2).filter(|d| !d.is_empty()) {
            d.parse::<Date>()
                .with_context(|| format!("--action `{a}`: the due date is not YYYY-MM-DD"))?;
        }
    }
    let now = now_stamp();
    for d in decisions {
        store.edit(
            &Edit::AddNote {
                entity: "review".into(),
                id: key.clone(),
                text: format!("decision: {d}"),
            },
            "edit",
            &now,
        )?;
    }
    for a in actions {
        store.edit(
            &Edit::AddNote {
                entity: "review".into(),
                id: key.clone(),
                text: format!("action: {a}"),
            },
            "edit",
            &now,
        )?;
    }
    let s = store.snapshot()?;
    let a = analysis::assess(&s, as_of);
    let current = review::metrics(&s, &a);
    let history: Vec<Metrics> = store
        .reviews()?
        .iter()
        .filter_map(|j| serde_json::from_str(j).ok())
        .collect();
    store.save_review(&key, &serde_json::to_string(&current)?, &now)?;
    let meeting = crate::ops::review::meeting(&store, &key)?;
    let mut pack = review::pack(&s.organization, current, &history, meeting);
    // The meeting witnesses the logs as they stand: a checkpoint is signed with the pack and,
    // when the pack is written to a file, kept next to it.
    let (cp, _) = crate::ops::checkpoint::sign(&mut store, ws.dir(), &now, false)?;
    let cp_file = out.map(|p| p.with_extension("checkpoint.json"));
    pack.checkpoint = Some(review::Witness {
        key: crate::ops::checkpoint::fingerprint(&cp.body.public_key),
        time: cp.body.time.clone(),
        evidence_size: cp.body.evidence.size,
        evidence_root: cp.body.evidence.root.clone(),
        change_size: cp.body.change_log.size,
        change_root: cp.body.change_log.root.clone(),
        file: cp_file
            .as_ref()
            .and_then(|f| f.file_name())
            .map(|f| f.to_string_lossy().into_owned()),
    });
    let text = review::render(&pack, html, Some(ws.dir()))?;
    match out {
        Some(p) => {
            if let Some(f) = &cp_file {
                crate::report::write::write_atomic(
                    f,
                    serde_json::to_string_pretty(&cp)?.as_bytes(),
                )?;
            }
            crate::report::write::write_atomic(p, text.as_bytes())?;
            println!("review pack for {key} written to {}", p.display());
        }
        None => print!("{}", super::output::document(&text)),
    }
    Ok(())
}
