//! `certready import FILE...`: read, parse and validate every file first (catalogs, mapping
//! libraries and model files alike), then write them all in one transaction that commits once
//! (or, with `--dry-run`, is rolled back after counting what would change).
//!
//! Invariant: nothing is written before every file has been accepted, and the write is one
//! transaction, so an import that fails (on any file, at any stage) leaves the database byte
//! for byte as it was and prints nothing but its one error line.

use super::now_stamp;
use super::output::table;
use crate::domain::Framework;
use crate::import::crosswalk;
use crate::import::libraries::{self, Ciso};
use crate::import::{self, MAX_FILE_BYTES, Spellings};
use crate::store::{ImportBatch, Store};
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;

const BUILTIN: &[&str] = &["soc2", "iso27001", "iso27701", "hipaa", "pci-dss"];

/// What a file turned out to be.
enum Read {
    /// A catalog (OSCAL JSON or CISO Assistant framework); `true` for OSCAL.
    Framework(Framework, bool),
    /// A CISO Assistant mapping library: the source its mappings record, and its rows.
    Mappings(String, Vec<(String, String, String, String)>),
    /// A model file or CSV, parsed and ready to validate.
    Model(import::Parsed),
}

/// Reads one file (bounded) and parses it as whatever it is.
fn read(path: &std::path::Path) -> Result<Read> {
    let name = path.display().to_string();
    let text = import::read_text(path, &name, MAX_FILE_BYTES)?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let oscal = ext == "json" && !import::is_model_json(&text);
    let framework = if oscal {
        import::oscal::catalog(&name, &text)?
    } else if matches!(ext.as_str(), "yaml" | "yml")
        && text.lines().any(|l| l.starts_with("objects:"))
    {
        match libraries::ciso_library(&name, &text)? {
            Ciso::Framework(f) => f,
            Ciso::Mappings(rows) => {
                return Ok(Read::Mappings(crosswalk::origin(&name, &text), rows));
            }
        }
    } else {
        return Ok(Read::Model(import::parse_text(path, &text)?));
    };
    // An OSCAL key carries the version (`soc2-1-0`): its title alone must not name a built-in.
    let title_key = libraries::slug(&framework.name);
    if BUILTIN.contains(&framework.key.as_str()) || (oscal && BUILTIN.contains(&title_key.as_str()))
    {
        anyhow::bail!(
            "{name}: framework key `{}` is a built-in framework; rename the catalog",
            framework.key
        );
    }
    Ok(Read::Framework(framework, oscal))
}

/// What a mapping library contributed, for the lines printed after the import.
struct MappingNote {
    name: String,
    read: usize,
    skipped: usize,
}

/// Runs the import.
pub fn run(ws: &Workspace, files: &[PathBuf], dry_run: bool) -> Result<ExitCode> {
    let mut store = ws.open()?;
    let mut known = store.known()?;
    let mut spellings = Spellings::new(store.id_spellings()?);
    let mut batch = ImportBatch::default();
    // What to print once the import has succeeded.
    let mut catalogs: Vec<String> = Vec::new();
    let mut mapping_notes: Vec<MappingNote> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();
    let mut mapping_rows = Vec::new();
    let mut models = Vec::new();
    let mut installed: Option<Vec<Framework>> = None;
    let pb = super::progress::bar(files.len() as u64, "import");
    for f in files {
        pb.inc(1);
        match read(f)? {
            Read::Framework(fw, oscal) => {
                if oscal {
                    // An OSCAL catalog never merges into another catalog under the same key.
                    if installed.is_none() {
                        installed = Some(store.snapshot()?.frameworks);
                    }
                    let name = f.display().to_string();
                    let seen = installed.iter().flatten().chain(&batch.frameworks);
                    import::oscal::refuse_collision(&name, &fw, seen)?;
                }
                let assessable = fw.requirements.iter().filter(|r| r.assessable).count();
                catalogs.push(format!(
                    "{}: framework `{}` ({}) with {} requirement(s), {assessable} assessable",
                    f.display(),
                    fw.key,
                    fw.name,
                    fw.requirements.len(),
                ));
                known.requirements.insert(
                    fw.key.as_str().to_owned(),
                    fw.requirements
                        .iter()
                        .map(|r| r.ref_id.as_str().to_owned())
                        .collect(),
                );
                batch.frameworks.retain(|x| x.key != fw.key);
                batch.frameworks.push(fw);
            }
            Read::Mappings(origin, rows) => {
                mapping_rows.push((f.display().to_string(), origin, rows));
            }
            Read::Model(parsed) => models.push(parsed),
        }
    }
    if !mapping_rows.is_empty() {
        let s = store.snapshot()?;
        let mut frameworks = s.frameworks.clone();
        frameworks.extend(batch.frameworks.iter().cloned());
        let mut existing = s.mappings.clone();
        for (name, origin, rows) in mapping_rows {
            let (new, missing) = libraries::derive_mappings(&rows, &frameworks, &existing);
            for m in &missing {
                warnings.push(format!(
                    "{name}: skipped a mapping to `{m}`, which names no installed requirement"
                ));
            }
            mapping_notes.push(MappingNote {
                name: name.clone(),
                read: rows.len(),
                skipped: missing.len(),
            });
            existing.extend(new.iter().cloned());
            batch.mappings.push((origin, new));
        }
    }
    let mut merged: Option<import::ModelFile> = None;
    let mut names = Vec::new();
    for parsed in models {
        import::validate(&parsed, &known)?;
        spellings.check_and_absorb(&parsed)?;
        known.absorb(&parsed.model);
        names.push(parsed.file.clone());
        merged
            .get_or_insert_with(Default::default)
            .merge(parsed.model);
    }
    batch.model = merged.map(|m| (m, names.join(",")));
    let report = store.apply_batch(&batch, &now_stamp(), dry_run)?;
    for w in &warnings {
        eprintln!("{w}");
    }
    for c in &catalogs {
        let dry = if dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        };
        println!("{c}{dry}");
    }
    for (n, added) in mapping_notes.iter().zip(&report.mappings_added) {
        println!(
            "{}: {} mapping(s) read, {added} control mapping(s) {}, {} unknown id(s) skipped",
            n.name,
            n.read,
            if dry_run { "would be added" } else { "added" },
            n.skipped
        );
    }
    if let Some(model) = &report.model {
        print_model_report(&store, model, names.len(), dry_run);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_model_report(
    store: &Store,
    report: &crate::store::ApplyReport,
    model_files: usize,
    dry_run: bool,
) {
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
        println!("imported {model_files} file(s) into {}", store.describe());
    }
}
