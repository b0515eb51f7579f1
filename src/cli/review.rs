//! `certready review`: record the meeting's decisions (as notes on the review), actions (each
//! `TEXT | OWNER | YYYY-MM-DD`, refused otherwise, becomes a task) and typed 9.3 inputs
//! (`--input KEY=TEXT`), record the review and write its pack; `--week DATE` re-renders a
//! recorded pack byte for byte.
//!
//! Invariant: every argument is checked before the workspace is opened, so a refused one
//! leaves the database as it was; a date recorded before with the same meeting is shown as
//! recorded and nothing is stored again.

use super::now_stamp;
use crate::analysis;
use crate::domain::Date;
use crate::ops::review::{Action, record};
use crate::workspace::Workspace;
use anyhow::{Result, bail};
use std::path::Path;

/// What `review` was asked.
pub struct Request<'a> {
    /// The review date.
    pub as_of: Date,
    /// HTML instead of Markdown.
    pub html: bool,
    /// Where to write the pack (standard output otherwise).
    pub out: Option<&'a Path>,
    /// Decisions of the meeting.
    pub decisions: &'a [String],
    /// Actions of the meeting, `TEXT | OWNER | YYYY-MM-DD`.
    pub actions: &'a [String],
    /// Typed 9.3 inputs, `KEY=TEXT`.
    pub inputs: &'a [String],
    /// Re-render this recorded week instead.
    pub week: Option<Date>,
}

const ACTION_SHAPE: &str = "expected `TEXT | OWNER | YYYY-MM-DD`";

/// Parses `TEXT | OWNER | YYYY-MM-DD`: all three are needed, the date a real one.
fn parse_action(a: &str) -> Result<Action> {
    let shown = super::output::text(&a.replace(['\n', '\r'], " "));
    let parts: Vec<&str> = a.split('|').map(str::trim).collect();
    let [text, owner, due] = parts.as_slice() else {
        bail!("--action `{shown}`: {ACTION_SHAPE}");
    };
    if text.is_empty() || owner.is_empty() {
        bail!("--action `{shown}`: {ACTION_SHAPE} (text and owner are needed)");
    }
    if text.contains(['\n', '\r']) || owner.contains(['\n', '\r']) {
        bail!("--action `{shown}`: {ACTION_SHAPE} on one line");
    }
    let Ok(due) = due.parse::<Date>() else {
        bail!("--action `{shown}`: {ACTION_SHAPE} (the due date is not YYYY-MM-DD)");
    };
    Ok(Action {
        text: (*text).to_owned(),
        owner: (*owner).to_owned(),
        due,
    })
}

/// Parses `KEY=TEXT` for a typed 9.3 input.
fn parse_input(i: &str) -> Result<(String, String)> {
    let Some((k, text)) = i.split_once('=') else {
        bail!("--input `{}`: expected `KEY=TEXT`", super::output::text(i));
    };
    let k = crate::ops::review::input_key(k.trim())?;
    Ok((k.to_owned(), text.trim().to_owned()))
}

/// Runs the review.
pub fn run(ws: &Workspace, req: &Request<'_>) -> Result<()> {
    if let Some(week) = req.week {
        let store = ws.open()?;
        let text = record::rerender(&store, ws.dir(), &week.to_string(), req.html)?;
        return emit(&week.to_string(), &text, req.out, None);
    }
    let actions = req
        .actions
        .iter()
        .map(|a| parse_action(a))
        .collect::<Result<Vec<_>>>()?;
    let inputs = req
        .inputs
        .iter()
        .map(|i| parse_input(i))
        .collect::<Result<Vec<_>>>()?;
    let mut store = ws.open()?;
    let key = req.as_of.to_string();
    let now = now_stamp();
    crate::ops::review::record_decisions(&mut store, &key, req.decisions, &now)?;
    for a in &actions {
        crate::ops::review::record_action(&mut store, &key, a, &now)?;
    }
    crate::ops::review::record_inputs(&mut store, &key, &inputs, &now)?;
    let s = store.snapshot()?;
    let a = analysis::assess(&s, req.as_of);
    let mut pack = crate::ops::review::build(&store, &s, &a)?;
    pack.gateway = gateway_line(ws, &store, &s)?;
    let cp_file = req.out.map(|p| p.with_extension("checkpoint.json"));
    let rec = match record::unchanged(&store, &key, &pack)? {
        Some(r) => record::stored(ws.dir(), r)?,
        None => {
            let name = cp_file
                .as_ref()
                .and_then(|f| f.file_name())
                .map(|f| f.to_string_lossy().into_owned());
            record::record(&mut store, ws.dir(), &s, pack, name, &now)?
        }
    };
    if !rec.recorded_now {
        eprintln!(
            "the review of {key} is recorded with these decisions, actions and inputs: shown as recorded, nothing stored again"
        );
    }
    let text = if req.html { &rec.html } else { &rec.md };
    emit(&key, text, req.out, Some(&rec.checkpoint))
}

/// Writes the pack (and the checkpoint next to it) or prints it.
fn emit(key: &str, text: &str, out: Option<&Path>, checkpoint: Option<&str>) -> Result<()> {
    match out {
        Some(p) => {
            if let Some(cp) = checkpoint {
                crate::report::write::write_atomic(
                    &p.with_extension("checkpoint.json"),
                    cp.as_bytes(),
                )?;
            }
            crate::report::write::write_atomic(p, text.as_bytes())?;
            println!("review pack for {key} written to {}", p.display());
        }
        None => print!("{}", super::output::document(text)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_action_needs_text_owner_and_a_real_date() {
        assert!(parse_action("Countersign | jonas | 2026-12-10").is_ok());
        for bad in [
            "Countersign",
            "Countersign | jonas",
            "Countersign | jonas | soon",
            "Countersign | jonas | 2026-02-30",
            " | jonas | 2026-12-10",
            "a | b | 2026-12-10 | extra",
        ] {
            let e = format!("{:#}", parse_action(bad).unwrap_err());
            assert!(
                e.contains("TEXT | OWNER | YYYY-MM-DD") && !e.contains('\n'),
                "{e}"
            );
        }
    }
}
