//! Ending a tabletop exercise, as the CLI's scripted run and the dashboard both do: findings,
//! tasks and evidence in one store write, then the after-action reports next to the database;
//! and an inject's live signal, which goes to the simulated gateway only ([`drill`]).

pub mod drill;

use super::clock::now_stamp;
use crate::store::Store;
use crate::tabletop::{self, Scenario, exercise::Exercise, report};
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::PathBuf;

/// The incident-response testing control that exercises evidence.
pub const IR_TEST_CONTROL: &str = "GW-IR-02";

/// Where the Markdown after-action report of exercise `id` is written: the full path (in a
/// demo, inside the demo's temporary folder).
pub fn report_path(ws: &Workspace, id: &str) -> PathBuf {
    ws.dir().join("reports").join(format!("{id}.md"))
}

/// Writes the after-action report next to the database (atomically: a symlink planted at
/// `reports/<id>.md` is replaced, never followed); returns the two paths.
pub fn write_reports(
    ws: &Workspace,
    ex: &Exercise,
    s: &Scenario,
    out: &report::Outcome,
) -> Result<(PathBuf, PathBuf)> {
    let dir = ws.dir().join("reports");
    crate::private::create_dir_owner_only(&dir)?;
    let md = report_path(ws, ex.id.as_str());
    let html = dir.join(format!("{}.html", ex.id));
    crate::report::write::write_atomic(&md, report::markdown(ex, s, out).as_bytes())?;
    crate::report::write::write_atomic(&html, report::html(ex, s, out)?.as_bytes())?;
    Ok((md, html))
}

/// Ends an exercise: findings, tasks, evidence and reports.
pub fn finish(
    ws: &Workspace,
    store: &mut Store,
    ex: &Exercise,
    s: &Scenario,
) -> Result<report::Outcome> {
    let now = now_stamp();
    let has_control = store.known()?.controls.contains(IR_TEST_CONTROL);
    let (mut model, outcome, evidence) =
        tabletop::conclude(ex, s, has_control.then_some(IR_TEST_CONTROL), &now);
    // Findings and tasks an earlier end of this exercise created are never created again
    // (nor reset: a task someone has since closed stays closed).
    let known = store.known()?;
    model.findings.retain(|f| !known.findings.contains(&f.id));
    model.tasks.retain(|t| !known.task_deps.contains_key(&t.id));
    store.finish_exercise(ex, &model, evidence.as_ref(), &now)?;
    drill::stand_down(ws, &ex.id);
    write_reports(ws, ex, s, &outcome)?;
    Ok(outcome)
}
