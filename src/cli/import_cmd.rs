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
    let mut model_files = Vec::new();
    for f in files {
        if !import_library(&mut store, f, dry_run)? {
            model_files.push(f.clone());
        }
    }
    if model_files.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let files = &model_files;
    let mut known = store.known()?;
    let pb = super::progress::bar(files.len() as u64, "import");
    for f in files {
        pb.inc(1);
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

const BUILTIN: &[&str] = &["soc2", "iso27001", "iso27701", "hipaa", "pci-dss"];

/// Imports an OSCAL catalog or a CISO Assistant library; false when `path` is neither.
fn import_library(
    store: &mut crate::store::Store,
    path: &std::path::Path,
    dry_run: bool,
) -> Result<bool> {
    use crate::import::libraries::{self, Ciso};
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !matches!(ext.as_str(), "json" | "yaml" | "yml") {
        return Ok(false);
    }
    let name = path.display().to_string();
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(false);
    };
    let framework = if ext == "json" {
        libraries::oscal_catalog(&name, &text)?
    } else if text.lines().any(|l| l.starts_with("objects:")) {
        match libraries::ciso_library(&name, &text)? {
            Ciso::Framework(f) => f,
            Ciso::Mappings(rows) => {
                let s = store.snapshot()?;
                let (new, missing) = libraries::derive_mappings(&rows, &s.frameworks, &s.mappings);
                for m in &missing {
                    eprintln!(
                        "{name}: skipped a mapping to `{m}`, which names no installed requirement"
                    );
                }
                let added = if dry_run {
                    new.len()
                } else {
                    store.add_mappings(&new, &name, &now_stamp())?
                };
                println!(
                    "{name}: {} mapping(s) read, {added} control mapping(s) {}, {} unknown id(s) skipped",
                    rows.len(),
                    if dry_run { "would be added" } else { "added" },
                    missing.len()
                );
                return Ok(true);
            }
        }
    } else {
        return Ok(false);
    };
    if BUILTIN.contains(&framework.key.as_str()) {
        anyhow::bail!(
            "{name}: framework key `{}` is a built-in framework; rename the catalog",
            framework.key
        );
    }
    let assessable = framework
        .requirements
        .iter()
        .filter(|r| r.assessable)
        .count();
    if !dry_run {
        let org = store.meta("organization")?.unwrap_or_default();
        store.install_catalogs(&org, std::slice::from_ref(&framework), &now_stamp())?;
    }
    println!(
        "{name}: framework `{}` ({}) with {} requirement(s), {assessable} assessable{}",
        framework.key,
        framework.name,
        framework.requirements.len(),
        if dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    );
    Ok(true)
}
