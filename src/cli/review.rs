//! `certready review`: record the meeting's decisions (as notes on the review) and actions
//! (each `TEXT | OWNER | YYYY-MM-DD`, refused otherwise, becomes a task), store the week's
//! metrics, and write the pack.

use super::now_stamp;
use crate::analysis;
use crate::domain::Date;
use crate::ops::review::Action;
use crate::report::review::{self, Metrics};
use crate::store::Edit;
use crate::workspace::Workspace;
use anyhow::{Context, Result, bail};
use std::path::Path;

/// Parses `TEXT | OWNER | YYYY-MM-DD`: all three are needed.
fn parse_action(a: &str) -> Result<Action> {
    let parts: Vec<&str> = a.split('|').map(str::trim).collect();
    let [text, owner, due] = parts.as_slice() else {
        bail!("--action `{a}`: expected `TEXT | OWNER | YYYY-MM-DD`");
    };
    if text.is_empty() || owner.is_empty() {
        bail!("--action `{a}`: expected `TEXT | OWNER | YYYY-MM-DD` (text and owner are needed)");
    }
    let due = due
        .parse::<Date>()
        .with_context(|| format!("--action `{a}`: the due date is not YYYY-MM-DD"))?;
    Ok(Action {
        text: (*text).to_owned(),
        owner: (*owner).to_owned(),
        due,
    })
}

/// Runs the review.
pub fn run(
    ws: &Workspace,
    as_of: Date,
    html: bool,
    out: Option<&Path>,
    decisions: &[String],
    actions: &[String],
) -> Result<()> {
    let actions = actions
        .iter()
        .map(|a| parse_action(a))
        .collect::<Result<Vec<_>>>()?;
    let mut store = ws.open()?;
    let key = as_of.to_string();
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
    for a in &actions {
        crate::ops::review::record_action(&mut store, &key, a, &now)?;
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
    pack.gateway = gateway_line(ws, &store, &s)?;
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

/// The pack's gateway paragraph: each configured gateway as `analysis::gateway_state` allows
/// it to be shown now; none when no configured gateway was ever checked.
fn gateway_line(
    ws: &Workspace,
    store: &crate::store::Store,
    s: &crate::domain::Snapshot,
) -> Result<Option<String>> {
    use crate::analysis::gateway_state::{Shown, stamp};
    let panels = crate::ops::gateways::panels(store, &s.audits)?;
    let shown = crate::ops::gateways::shown(ws, &panels, crate::ops::clock::now_secs());
    let lines: Vec<String> = panels
        .iter()
        .zip(&shown)
        .filter(|(_, st)| **st != Shown::NotConfigured)
        .map(|(g, st)| {
            format!(
                "{}: {} (last check {}) · uptime over 7 days {}",
                g.name,
                st.describe(),
                stamp(g.last_at),
                super::output::pct(g.uptime[1])
            )
        })
        .collect();
    Ok((!lines.is_empty()).then(|| lines.join(" ")))
}
