//! The evidence bundle for an auditor: a folder with every evidence item under
//! `controls/<control>/`, an index per framework requirement under `requirements/<fw>/<ref>.md`
//! that points at the controls and items that evidence it, a `manifest.json`, `SHA256SUMS`
//! in the format `sha256sum -c` checks, and `checkpoint.json`: a checkpoint signed as the
//! bundle is written, against which every item carries an inclusion proof, so
//! `certready verify-bundle DIR [ITEM]` checks the bundle without the workspace.
//!
//! A use case (it signs a checkpoint in the store and reads the workspace's files), so it lives
//! in `ops`; `report` keeps only rendering and output helpers.
//!
//! Invariant: attached files are read only through the confined path rules (`store::files`);
//! an item whose file cannot be read that way stops the bundle with its name.

use super::checkpoint::{self, bundle::item};
use crate::analysis::Assessment;
use crate::domain::ReqStatus;
use crate::domain::sha256_hex;
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

/// Writes the bundle into `dir` (which must not exist or be empty); returns the file count.
pub fn write(
    ws: &Workspace,
    store: &mut Store,
    a: &Assessment,
    dir: &Path,
    now: &str,
    progress: &dyn Fn(u64),
) -> Result<usize> {
    if std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        bail!("{} is a symlink; choose a new folder", dir.display());
    }
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        bail!("{} is not empty", dir.display());
    }
    let (cp, trees) = checkpoint::sign(store, ws.dir(), now, true)?;
    let mut later = 0u64;
    crate::private::create_dir_owner_only(dir)?;
    let mut files: Vec<(String, String)> = Vec::new(); // (relative path, sha256)
    let mut manifest = Vec::new();
    let mut by_control: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let put = |rel: &str, bytes: &[u8], files: &mut Vec<(String, String)>| -> Result<()> {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            crate::private::create_dir_owner_only(parent)?;
        }
        crate::report::write::write_new(&p, bytes)?;
        files.push((rel.to_owned(), sha256_hex(bytes)));
        Ok(())
    };
    let mut done = 0u64;
    store.each_evidence(|e| {
        done += 1;
        if done.is_multiple_of(512) {
            progress(done);
        }
        let base = format!("controls/{}/{:08}-{}", slug(&e.control), e.seq, slug(&e.title));
        let mut rel_files = vec![format!("{base}.json")];
        let mut attached = None;
        if let (Some(f), None) = (&e.file_ref, &e.purged) {
            if !trees.evidence_seqs.contains(&e.seq) {
                later += 1;
                return Ok(());
            }
            let bytes = files::read(ws.dir(), f)?;
            let name = format!("{base}-{}", slug(Path::new(f).file_name().and_then(|n| n.to_str()).unwrap_or("file")));
            put(&name, &bytes, &mut files)?;
            attached = Some(name.clone());
            rel_files.push(name);
        }
        let Some(it) = item(&e, &trees, attached) else {
            // Appended after the checkpoint was signed: the next bundle carries it.
            later += 1;
            return Ok(());
        };
        put(&format!("{base}.json"), &serde_json::to_vec_pretty(&it)?, &mut files)?;
        by_control.entry(e.control.clone()).or_default().extend(rel_files.iter().cloned());
        manifest.push(json!({ "seq": e.seq, "control": e.control, "effective": e.effective, "result": e.result, "content_digest": e.content_digest, "chain_hash": e.chain_hash, "files": rel_files }));
        Ok(())
    })?;
    for f in a.frameworks.iter().filter(|f| f.in_scope) {
        for r in f
            .readiness
            .requirements
            .iter()
            .filter(|r| r.assessable && r.status != ReqStatus::NotApplicable)
        {
            let mut md = format!(
                "# {} {} {}\n\nStatus: {} ({})\n\n",
                f.name, r.ref_id, r.title, r.status, r.reason
            );
            for (c, rel) in &r.controls {
                let items = by_control.get(c.as_str()).map_or(0, Vec::len);
                md.push_str(&format!(
                    "- {c} ({rel}): {items} file(s) in [controls/{}](../../controls/{}/)\n",
                    slug(c.as_str()),
                    slug(c.as_str())
                ));
            }
            put(
                &format!("requirements/{}/{}.md", f.key, slug(r.ref_id.as_str())),
                md.as_bytes(),
                &mut files,
            )?;
        }
    }
    let m = serde_json::to_vec_pretty(&json!({
        "organization": store.meta("organization")?,
        "as_of": a.as_of,
        "checkpoint": { "key": checkpoint::fingerprint(&cp.body.public_key), "time": cp.body.time, "evidence_rows": cp.body.evidence.size, "appended_after": later },
        "evidence": manifest
    }))?;
    put("manifest.json", &m, &mut files)?;
    put(
        "checkpoint.json",
        &serde_json::to_vec_pretty(&cp)?,
        &mut files,
    )?;
    let sums: String = files.iter().map(|(p, h)| format!("{h}  {p}\n")).collect();
    crate::report::write::write_new(&dir.join("SHA256SUMS"), sums.as_bytes())?;
    Ok(files.len())
}
