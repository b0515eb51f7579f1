//! `certready export ...`: writes what `report::export`, `report::oscal` and `ops::bundle`
//! compute, to a file or standard output. Files are written atomically and owner-only through
//! `report::write::write_atomic`, so a symlink planted at an output path is replaced, never
//! followed.

use super::now_stamp;
use crate::analysis;
use crate::domain::Date;
use crate::ops::bundle;
use crate::report::{export, oscal, soa};
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

use super::ExportCommand;

/// Writes `text` to `out` (atomically, owner-only) or prints it.
fn emit(out: Option<&Path>, text: &str) -> Result<()> {
    match out {
        Some(p) => {
            write_atomic(p, text.as_bytes())?;
            eprintln!("wrote {}", p.display());
        }
        None => print!("{}", super::output::document(text)),
    }
    Ok(())
}

use crate::report::write::write_atomic;

/// Every stored evidence item as a model-file row, except those the importer derives from
/// vendor agreements. An item keeps the id it was imported with; one without (collected,
/// tabletop) gets `EV-` and 20 hex digits of its natural key's SHA-256, so a re-import
/// recognises it; a row imported without an id is recognised by its content.
fn evidence_rows(
    store: &crate::store::Store,
) -> Result<Vec<crate::domain::model_file::EvidenceRow>> {
    let mut out = Vec::new();
    store.each_evidence(|e| {
        let id = if let Some(id) = e.natural_key.strip_prefix("id:") {
            Some(id.to_owned())
        } else if e.natural_key.starts_with("row:") {
            None
        } else if e.natural_key.starts_with("agreement:") {
            return Ok(());
        } else {
            let h = crate::domain::sha256_hex(e.natural_key.as_bytes());
            Some(format!("EV-{}", &h[..20]))
        };
        out.push(crate::domain::model_file::EvidenceRow {
            id,
            control: e.control,
            title: e.title,
            effective: e.effective.parse()?,
            result: e.result.parse()?,
            source: Some(e.source.parse()?),
            expires: e.expires.map(|x| x.parse()).transpose()?,
            summary: Some(e.summary).filter(|x| !x.is_empty()),
        });
        Ok(())
    })?;
    Ok(out)
}

/// Runs an export.
pub fn run(ws: &Workspace, what: ExportCommand, as_of: Date) -> Result<ExitCode> {
    let mut store = ws.open()?;
    let s = store.snapshot()?;
    let a = analysis::assess(&s, as_of);
    match what {
        ExportCommand::Csv { dir } => {
            crate::private::create_dir_owner_only(&dir)?;
            let evidence = evidence_rows(&store)?;
            for list in export::LISTS {
                let text = if *list == "evidence" {
                    crate::report::export_csv::evidence(&evidence)?
                } else {
                    export::csv_list(&s, &a, list)?
                };
                write_atomic(&dir.join(format!("{list}.csv")), text.as_bytes())?;
            }
            println!("wrote {} lists to {}", export::LISTS.len(), dir.display());
        }
        ExportCommand::Json { out } => emit(
            out.as_deref(),
            &format!(
                "{}\n",
                serde_json::to_string_pretty(&crate::report::export_json::model_json(
                    &s,
                    &a,
                    evidence_rows(&store)?
                )?)?
            ),
        )?,
        ExportCommand::Soa {
            framework,
            format,
            out,
        } => {
            let doc = soa::soa(&s, &a, &framework, &bundle::soa_approval(ws)?)?;
            emit(out.as_deref(), &soa::soa_text(&doc, &format)?)?;
        }
        ExportCommand::OscalAr { framework, out } => {
            let v = oscal::assessment_results(&s, &a, &framework, &now_stamp())?;
            emit(
                out.as_deref(),
                &format!("{}\n", serde_json::to_string_pretty(&v)?),
            )?;
        }
        ExportCommand::OscalPoam { out } => {
            let v = oscal::poam(&s, as_of, &now_stamp());
            emit(
                out.as_deref(),
                &format!("{}\n", serde_json::to_string_pretty(&v)?),
            )?;
        }
        ExportCommand::Bundle { dir } => {
            let pb = super::progress::bar(s.evidence_rows, "bundle");
            let n = bundle::write(ws, &mut store, &s, &a, &dir, &now_stamp(), &|done| {
                pb.set_position(done);
            })?;
            pb.finish_and_clear();
            println!(
                "wrote {} files and SHA256SUMS to {} as of {as_of}: {} evidence item(s) ({} dated later left out), {} agreement file(s), {} tabletop report file(s); open index.html, check with: cd {} && sha256sum -c SHA256SUMS",
                n.files,
                dir.display(),
                n.items,
                n.after_as_of,
                n.agreements,
                n.tabletop,
                dir.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
