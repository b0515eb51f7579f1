//! `certready catalog diff | apply`: review and apply a new edition of a standard.

use super::output::table;
use super::{CatalogCommand, now_stamp};
use crate::catalog::{self, diff::Change};
use crate::domain::Framework;
use crate::workspace::Workspace;
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::ExitCode;

fn load(path: &Path) -> Result<Framework> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    catalog::parse_catalog(&path.display().to_string(), &text)
}

/// Runs the command.
pub fn run(ws: &Workspace, command: CatalogCommand) -> Result<ExitCode> {
    let store = ws.open()?;
    let snap = store.snapshot()?;
    let installed = |key: &str| {
        snap.frameworks
            .iter()
            .find(|f| f.key.as_str() == key)
            .cloned()
    };
    match command {
        CatalogCommand::Diff { files, json } => {
            let (old, new) = match files.as_slice() {
                [new] => {
                    let new = load(new)?;
                    let old = installed(new.key.as_str()).with_context(|| {
                        format!("framework `{}` is not installed; give OLD and NEW", new.key)
                    })?;
                    (old, new)
                }
                [old, new] => (load(old)?, load(new)?),
                _ => bail!("give NEW, or OLD NEW"),
            };
            let changes = catalog::diff::diff(&old, &new, &snap.mappings);
            if json {
                println!("{}", serde_json::to_string_pretty(&changes)?);
                return Ok(ExitCode::SUCCESS);
            }
            println!(
                "{} {} → {}: {} change(s)",
                new.name,
                old.version,
                new.version,
                changes.len()
            );
            let mut rows = vec![
                ["CHANGE", "REQUIREMENT", "TITLE", "CONTROLS TOUCHED"]
                    .map(str::to_owned)
                    .to_vec(),
            ];
            for c in &changes {
                rows.push(match c {
                    Change::Added { id, title } => {
                        vec!["added".into(), id.clone(), title.clone(), String::new()]
                    }
                    Change::Removed {
                        id,
                        title,
                        controls,
                    } => vec![
                        "removed".into(),
                        id.clone(),
                        title.clone(),
                        controls.join(" "),
                    ],
                    Change::Renamed {
                        from,
                        to,
                        title,
                        controls,
                    } => vec![
                        "renamed".into(),
                        format!("{from} → {to}"),
                        title.clone(),
                        controls.join(" "),
                    ],
                    Change::Retitled {
                        id,
                        from,
                        to,
                        controls,
                    } => vec![
                        "retitled".into(),
                        id.clone(),
                        format!("{from} → {to}"),
                        controls.join(" "),
                    ],
                });
            }
            print!("{}", table(&rows));
        }
        CatalogCommand::Apply { file, yes } => {
            let new = load(&file)?;
            let old = installed(new.key.as_str())
                .with_context(|| format!("framework `{}` is not installed", new.key))?;
            let changes = catalog::diff::diff(&old, &new, &snap.mappings);
            if !yes {
                bail!(
                    "{} change(s) to {}: review them with `certready catalog diff {}` and re-run with --yes",
                    changes.len(),
                    new.key,
                    file.display()
                );
            }
            drop(store);
            ws.open()?
                .apply_catalog_change(&new, &changes, &now_stamp())?;
            println!(
                "{} moved to {} ({} change(s) applied; dropped requirements kept for history)",
                new.key,
                new.version,
                changes.len()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
