//! `certready verify [--checkpoint FILE]`, `certready checkpoint [--out FILE]` and
//! `certready verify-bundle DIR [ITEM]`: the evidence-integrity commands. Each prints what it
//! checked with figures and exits non-zero with one line naming the first difference.

use crate::ops::checkpoint::{self, Checkpoint, bundle};
use crate::ops::clock::now_stamp;
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

fn outcome(problem: Option<&str>) -> ExitCode {
    match problem {
        None => ExitCode::SUCCESS,
        Some(p) => {
            eprintln!("certready: verify failed: {p}");
            ExitCode::FAILURE
        }
    }
}

/// `verify [--checkpoint FILE]`.
pub fn verify(ws: &Workspace, with: Option<&Path>) -> Result<ExitCode> {
    let store = ws.open()?;
    let Some(file) = with else {
        let r = store.verify()?;
        println!(
            "evidence chain: {} rows {}; change log: {} rows {}; attached files: {} rehashed; derived tables: {}",
            r.evidence_rows,
            r.evidence_break.as_deref().unwrap_or("ok"),
            r.change_rows,
            r.change_break.as_deref().unwrap_or("ok"),
            r.files,
            r.derived_break.as_deref().unwrap_or("ok")
        );
        return Ok(outcome(r.first_break()));
    };
    let cp = Checkpoint::read(file)?;
    let x = checkpoint::extends(&store, ws.dir(), &cp)?;
    println!(
        "checkpoint {} signed by {} at {}",
        file.display(),
        checkpoint::fingerprint(&cp.body.public_key),
        cp.body.time
    );
    println!(
        "evidence: {} rows now, {} at the checkpoint: {}",
        x.report.evidence_rows,
        cp.body.evidence.size,
        x.evidence
            .as_deref()
            .unwrap_or("extends it (consistency proof verified)")
    );
    println!(
        "change log: {} rows now, {} at the checkpoint: {}",
        x.report.change_rows,
        cp.body.change_log.size,
        x.change_log
            .as_deref()
            .unwrap_or("extends it (consistency proof verified)")
    );
    println!(
        "chains, attached files ({}) and derived tables: {}",
        x.report.files,
        x.report.first_break().unwrap_or("ok")
    );
    Ok(outcome(
        x.evidence
            .as_deref()
            .or(x.change_log.as_deref())
            .or(x.report.first_break()),
    ))
}

/// `checkpoint [--out FILE]`.
pub fn checkpoint(ws: &Workspace, out: Option<&Path>) -> Result<ExitCode> {
    let mut store = ws.open()?;
    let (cp, _) = checkpoint::sign(&mut store, ws.dir(), &now_stamp(), false)?;
    let text = serde_json::to_string_pretty(&cp)? + "\n";
    match out {
        Some(p) => {
            crate::report::write::write_new(p, text.as_bytes())?;
            eprintln!(
                "signed checkpoint of {} evidence and {} change-log rows by {} written to {}",
                cp.body.evidence.size,
                cp.body.change_log.size,
                checkpoint::fingerprint(&cp.body.public_key),
                p.display()
            );
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `verify-bundle DIR [ITEM]`.
pub fn verify_bundle(dir: &Path, item: Option<&str>) -> Result<ExitCode> {
    let r = bundle::verify(dir, item)?;
    println!(
        "bundle {}: checkpoint signed by {} ({}); {} item(s) verified against it",
        dir.display(),
        r.key,
        r.signed,
        r.items
    );
    Ok(outcome(r.failure.as_deref()))
}
