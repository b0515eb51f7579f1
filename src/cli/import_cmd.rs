//! `certready import FILE...`: parse and validate every file first, then apply them all in
//! one transaction (or report what would change with `--dry-run`).

use super::now_stamp;
use super::output::table;
use crate::import;
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs the import.
pub fn run(ws: &Workspace, files: &[PathBuf], dry_run: bool) -> Result<ExitCode> {
    let mut store = ws.open()?;
    let mut merged = import::ModelFile::default();
    let mut known = store.known()?;
    for f in files {
        let parsed = import::parse_file(f)?;
        import::validate(&parsed, &known)?;
        known.absorb(&parsed.model);
        merged.merge(parsed.model);
    }
    let origin = files
        .iter()
        .map(|f| f.display().to_string())
        .collect::<Vec<_>>()
        .join(",");
    let report = store.apply(&merged, &origin, &now_stamp(), dry_run)?;
    let mut rows = vec![
        ["ENTITY", "ADDED", "UPDATED", "UNCHANGED"]
            .map(str::to_owned)
            .to_vec(),
    ];
    for (k, c) in &report.counts {
        rows.push(vec![
            (*k).to_owned(),
            c.added.to_string(),
            c.updated.to_string(),
            c.unchanged.to_string(),
        ]);
    }
    print!("{}", table(&rows));
    if dry_run {
        println!("dry run: nothing was written");
    } else {
        println!(
            "imported {} file(s) into {}",
            files.len(),
            store.path().display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
