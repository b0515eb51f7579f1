//! The evidence bundle for an auditor, as of a date: a folder with every evidence item under
//! `controls/<control>/`, the signed vendor agreements under `vendors/<vendor>/`, the stored
//! tabletop reports under `tabletop/`, the Statement of Applicability of each in-scope ISO
//! framework under `soa/`, the exclusions with their justifications, an index per framework
//! requirement under `requirements/<fw>/<ref>.md`, the change log, a `README.md`, an
//! `index.html` to browse offline, a `manifest.json`, `SHA256SUMS` in the format
//! `sha256sum -c` checks, and `checkpoint.json`: a checkpoint signed as the bundle is written,
//! against which every item carries an inclusion proof, so `certready verify-bundle DIR [ITEM]`
//! checks the bundle without the workspace.
//!
//! A use case (it signs a checkpoint in the store and reads the workspace's files), so it lives
//! in `ops`; `report` keeps only rendering and output helpers.
//!
//! Invariants: nothing dated after the assessment's `as_of` is in the bundle (an evidence item
//! by its effective date, an agreement by the date it was signed or issued, an exercise by its
//! start, a change-log entry by its time); attached files are read only through the confined
//! path rules (`store::files`), and an item whose file cannot be read that way stops the bundle
//! with its name; every link the pages hold names a file the bundle holds (`pages`); only
//! evidence items are `*.json` under `controls/` (what `verify-bundle` reads).

mod attach;
mod pages;

use super::checkpoint::{self, bundle::item};
use crate::analysis::Assessment;
use crate::domain::{Snapshot, sha256_hex};
use crate::report::soa;
use crate::store::Store;
use crate::store::files;
use crate::workspace::Workspace;
use anyhow::{Result, bail};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;

/// A file-name part: ASCII letters, digits, `.` and `-` kept as they are, anything else `_`,
/// at most 60 bytes. Not shared with the two other slugs (`store::collected`, upper-case ids
/// stored in the database; `import::libraries`, lower-case keys stored in the database): the
/// three differ (case, separator, length) and bundles already written name their files with
/// this one, so each keeps its own rule.
fn slug(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    out.truncate(60);
    out
}

/// The files written so far, each with its SHA-256 (for `SHA256SUMS`).
struct Out<'a> {
    dir: &'a Path,
    files: Vec<(String, String)>,
}

impl Out<'_> {
    /// Writes `bytes` at `rel` (creating its folders owner-only) and records its digest.
    fn put(&mut self, rel: &str, bytes: &[u8]) -> Result<()> {
        let p = self.dir.join(rel);
        if let Some(parent) = p.parent() {
            crate::private::create_dir_owner_only(parent)?;
        }
        crate::report::write::write_new(&p, bytes)?;
        self.files.push((rel.to_owned(), sha256_hex(bytes)));
        Ok(())
    }

    /// Whether a file was written at `rel`.
    fn has(&self, rel: &str) -> bool {
        self.files.iter().any(|(p, _)| p == rel)
    }
}

/// One evidence item as the index lists it.
#[derive(Debug, Clone, serde::Serialize)]
struct Listed {
    seq: i64,
    effective: String,
    result: String,
    title: String,
    json: String,
    file: Option<String>,
}

/// What the bundle holds, for its counts.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Counts {
    /// Files written (without `SHA256SUMS`).
    pub files: usize,
    /// Evidence items in the bundle.
    pub items: usize,
    /// Evidence items left out because they are dated after `as_of`.
    pub after_as_of: usize,
    /// Evidence items appended after the checkpoint was signed.
    pub after_checkpoint: u64,
    /// Agreement files in the bundle.
    pub agreements: usize,
    /// Tabletop report files in the bundle.
    pub tabletop: usize,
}

/// The SoA's document control from the workspace config's `[soa]` table.
pub fn soa_approval(ws: &Workspace) -> Result<soa::Approval> {
    let c = ws.config()?.soa;
    Ok(soa::Approval {
        version: c.version,
        approver: c.approver,
        approved: c.approved,
    })
}

/// Writes the bundle into `dir` (which must not exist or be empty) as of the assessment's
/// date; returns what it holds. The SoA's document control comes from the workspace config.
pub fn write(
    ws: &Workspace,
    store: &mut Store,
    s: &Snapshot,
    a: &Assessment,
    dir: &Path,
    now: &str,
    progress: &dyn Fn(u64),
) -> Result<Counts> {
    if std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        bail!("{} is a symlink; choose a new folder", dir.display());
    }
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        bail!("{} is not empty", dir.display());
    }
    let approval = soa_approval(ws)?;
    let as_of = a.as_of.to_string();
    let (cp, trees) = checkpoint::sign(store, ws.dir(), now, true)?;
    crate::private::create_dir_owner_only(dir)?;
    let mut out = Out {
        dir,
        files: Vec::new(),
    };
    let mut counts = Counts::default();
    let mut manifest = Vec::new();
    let mut by_control: BTreeMap<String, Vec<Listed>> = BTreeMap::new();
    let mut done = 0u64;
    store.each_evidence(|e| {
        done += 1;
        if done.is_multiple_of(512) {
            progress(done);
        }
        if e.effective.as_str() > as_of.as_str() {
            counts.after_as_of += 1;
            return Ok(());
        }
        if !trees.evidence_seqs.contains(&e.seq) {
            // Appended after the checkpoint was signed: the next bundle carries it.
            counts.after_checkpoint += 1;
            return Ok(());
        }
        let base = format!("controls/{}/{:08}-{}", slug(&e.control), e.seq, slug(&e.title));
        let json_rel = format!("{base}.json");
        let mut rel_files = vec![json_rel.clone()];
        let mut attached = None;
        if let (Some(f), None) = (&e.file_ref, &e.purged) {
            let bytes = files::read(ws.dir(), f)?;
            let file_name = Path::new(f).file_name().and_then(|n| n.to_str());
            let name = format!("{base}-{}", slug(file_name.unwrap_or("file")));
            out.put(&name, &bytes)?;
            attached = Some(name.clone());
            rel_files.push(name);
        }
        let Some(it) = item(&e, &trees, attached.clone()) else {
            counts.after_checkpoint += 1;
            return Ok(());
        };
        out.put(&json_rel, &serde_json::to_vec_pretty(&it)?)?;
        counts.items += 1;
        by_control.entry(e.control.clone()).or_default().push(Listed {
            seq: e.seq,
            effective: e.effective.clone(),
            result: e.result.clone(),
            title: e.title.clone(),
            json: json_rel,
            file: attached,
        });
        manifest.push(json!({ "seq": e.seq, "control": e.control, "effective": e.effective, "collected": e.collected, "result": e.result, "content_digest": e.content_digest, "chain_hash": e.chain_hash, "files": rel_files }));
        Ok(())
    })?;
    let agreements = attach::agreements(ws, store, a.as_of, &mut out)?;
    counts.agreements = agreements.iter().filter(|g| g.file.is_some()).count();
    let exercises = attach::tabletop(ws, store, a.as_of, &mut out)?;
    counts.tabletop = exercises.iter().map(|x| x.files.len()).sum();
    let changes = attach::change_log(store, a.as_of, &mut out)?;
    let soas = pages::soas(s, a, &approval, &mut out)?;
    let exclusions = pages::exclusions(s, a, &mut out)?;
    pages::requirements(a, &by_control, &mut out)?;
    let organization = store.meta("organization")?;
    let m = serde_json::to_vec_pretty(&json!({
        "organization": organization,
        "as_of": a.as_of,
        "checkpoint": { "key": checkpoint::fingerprint(&cp.body.public_key), "time": cp.body.time, "evidence_rows": cp.body.evidence.size, "appended_after": counts.after_checkpoint },
        "left_out_after_as_of": counts.after_as_of,
        "evidence": manifest,
        "agreements": agreements,
        "tabletop": exercises,
        "change_log_entries": changes,
        "soa": soas,
        "exclusions": exclusions.len(),
    }))?;
    out.put("manifest.json", &m)?;
    out.put("checkpoint.json", &serde_json::to_vec_pretty(&cp)?)?;
    let head = pages::Head {
        organization: organization.unwrap_or_default(),
        as_of: a.as_of,
        key: checkpoint::fingerprint(&cp.body.public_key),
        signed: cp.body.time.clone(),
        counts,
        changes,
    };
    pages::readme(&head, &soas, &mut out)?;
    pages::index(
        &head,
        a,
        &pages::Lists {
            by_control: &by_control,
            agreements: &agreements,
            exercises: &exercises,
            exclusions: &exclusions,
            soas: &soas,
        },
        &mut out,
    )?;
    let sums: String = out
        .files
        .iter()
        .map(|(p, h)| format!("{h}  {p}\n"))
        .collect();
    crate::report::write::write_new(&dir.join("SHA256SUMS"), sums.as_bytes())?;
    counts.files = out.files.len();
    Ok(counts)
}
