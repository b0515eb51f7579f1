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
    let pack = review::pack(&s.organization, current, &history, meeting);
    let text = review::render(&pack, html, Some(ws.dir()))?;
    match out {
        Some(p) => {
            crate::report::write::write_atomic(p, text.as_bytes())?;
            println!("review pack for {key} written to {}", p.display());
        }
        None => print!("{}", super::output::document(&text)),
    }
    Ok(())
}
