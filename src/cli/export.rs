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

/// Runs an export.
pub fn run(ws: &Workspace, what: ExportCommand, as_of: Date) -> Result<ExitCode> {
    let mut store = ws.open()?;
    let s = store.snapshot()?;
    let a = analysis::assess(&s, as_of);
    match what {
        ExportCommand::Csv { dir } => {
            crate::private::create_dir_owner_only(&dir)?;
            for list in export::LISTS {
                write_atomic(
                    &dir.join(format!("{list}.csv")),
                    export::csv_list(&s, &a, list)?.as_bytes(),
                )?;
            }
            println!("wrote {} lists to {}", export::LISTS.len(), dir.display());
        }
        ExportCommand::Json { out } => emit(
            out.as_deref(),
            &format!(
                "{}\n",
                serde_json::to_string_pretty(&export::model_json(&s, &a))?
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
            let v = oscal::poam(&s, &now_stamp());
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
