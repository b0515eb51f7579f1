//! `certready catalog diff | apply`: review and apply a new edition of a standard.
//!
//! Invariants: the installed edition a diff compares with leaves out the requirements an
//! earlier apply retired, so diffing or applying the same edition again finds 0 changes and
//! writes nothing; renames and swaps (which move mappings) are listed before anything is
//! applied, and `apply` without `--yes` shows the same table and writes nothing.

use super::output::table;
use super::{CatalogCommand, now_stamp};
use crate::catalog::{self, diff::Change};
use crate::domain::{Framework, Snapshot};
use crate::store::Store;
use crate::workspace::Workspace;
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::ExitCode;

fn load(path: &Path) -> Result<Framework> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    catalog::parse_catalog(&path.display().to_string(), &text)
}

/// The installed edition of `key` without the requirements an earlier apply retired.
fn installed(store: &Store, snap: &Snapshot, key: &str) -> Result<Framework> {
    let mut f = snap
        .frameworks
        .iter()
        .find(|f| f.key.as_str() == key)
        .cloned()
        .with_context(|| format!("framework `{key}` is not installed; give OLD and NEW"))?;
    let retired = store.retired_requirements(key)?;
    f.requirements
        .retain(|r| !retired.iter().any(|x| x == r.ref_id.as_str()));
    Ok(f)
}

/// One table row: change, requirement, detail, controls.
fn row(c: &Change) -> Vec<String> {
    let (req, detail, controls): (String, String, String) = match c {
        Change::Added { id, title } => (id.clone(), title.clone(), String::new()),
        Change::Removed {
            id,
            title,
            controls,
        } => (
            id.clone(),
            title.clone(),
            if controls.is_empty() {
                String::new()
            } else {
                format!("orphaned: {}", controls.join(" "))
            },
        ),
        Change::Renamed {
            from,
            to,
            title,
            controls,
        } => (format!("{from} → {to}"), title.clone(), controls.join(" ")),
        Change::Swapped {
            a,
            b,
            controls_a,
            controls_b,
        } => (
            format!("{a} ↔ {b}"),
            "contents exchanged; mappings follow the content".into(),
            format!(
                "{a}→{b}: {}; {b}→{a}: {}",
                controls_a.join(" "),
                controls_b.join(" ")
            ),
        ),
        Change::Described { id, controls, .. } => (
            id.clone(),
            "description changed (re-check the mapped controls)".into(),
            controls.join(" "),
        ),
        Change::Assessable {
            id,
            from,
            to,
            controls,
        } => (
            id.clone(),
            format!("assessable {from} → {to}"),
            controls.join(" "),
        ),
        Change::Retitled {
            id,
            from,
            to,
            controls,
        }
        | Change::Moved {
            id,
            from,
            to,
            controls,
        } => (id.clone(), format!("{from} → {to}"), controls.join(" ")),
    };
    let detail: String = detail.chars().take(70).collect();
    vec![c.kind().replace('_', " "), req, detail, controls]
}

fn print_changes(old: &Framework, new: &Framework, changes: &[Change]) {
    let moving = changes.iter().filter(|c| c.moves_mappings()).count();
    println!(
        "{} {} → {}: {} change(s){}",
        new.name,
        old.version,
        new.version,
        changes.len(),
        if moving > 0 {
            format!(", {moving} moving mappings (review them)")
        } else {
            String::new()
        }
    );
    if changes.is_empty() {
        return;
    }
    let mut rows = vec![
        ["CHANGE", "REQUIREMENT", "DETAIL", "CONTROLS"]
            .map(str::to_owned)
            .to_vec(),
    ];
    rows.extend(changes.iter().map(row));
    print!("{}", table(&rows));
}

/// Runs the command.
pub fn run(ws: &Workspace, command: CatalogCommand) -> Result<ExitCode> {
    let store = ws.open()?;
    let snap = store.snapshot()?;
    match command {
        CatalogCommand::Diff { files, json } => {
            let (old, new) = match files.as_slice() {
                [new] => {
                    let new = load(new)?;
                    (installed(&store, &snap, new.key.as_str())?, new)
                }
                [old, new] => (load(old)?, load(new)?),
                _ => bail!("give NEW, or OLD NEW"),
            };
            let changes = catalog::diff::diff(&old, &new, &snap.mappings);
            if json {
                println!("{}", serde_json::to_string_pretty(&changes)?);
                return Ok(ExitCode::SUCCESS);
            }
            print_changes(&old, &new, &changes);
        }
        CatalogCommand::Apply { file, yes } => {
            let new = load(&file)?;
            let old = installed(&store, &snap, new.key.as_str())?;
            let changes = catalog::diff::diff(&old, &new, &snap.mappings);
            if !yes {
                print_changes(&old, &new, &changes);
                bail!(
                    "{} change(s) to {}: nothing applied; review them and re-run with --yes",
                    changes.len(),
                    new.key,
                );
            }
            drop(store);
            let logged = ws
                .open()?
                .apply_catalog_change(&new, &changes, &now_stamp())?;
            if logged == 0 {
                println!(
                    "{} is already at {}: 0 changes, nothing applied",
                    new.key, new.version
                );
            } else {
                println!(
                    "{} moved to {} ({} change(s) applied, {logged} change-log entries; dropped requirements retired and kept for history)",
                    new.key,
                    new.version,
                    changes.len()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
