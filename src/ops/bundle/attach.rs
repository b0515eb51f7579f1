//! The bundle's other records: the vendor agreements with their signed files (as `vendors
//! attach` recorded them), the stored tabletop after-action reports, and the change log, each
//! cut at `as_of`.
//!
//! Invariants: an agreement is dated by the day it was signed (or issued, or its period
//! start) and left out when that is after `as_of`; its file is found in the workspace's
//! `evidence/` folder by its recorded SHA-256, read through `store::files`, and checked
//! against that digest, so a missing or altered file stops the bundle with the vendor's name.
//! A report file is copied only when it is a regular file (a symlink is refused).

use super::{Out, slug};
use crate::domain::{Date, sha256_hex};
use crate::store::{Store, files};
use crate::workspace::Workspace;
use anyhow::{Result, bail};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;

/// Every change-log row (the store's limit is a row count).
const ALL: usize = usize::MAX >> 1;

/// One vendor agreement as the bundle lists it.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Agreement {
    pub vendor: String,
    pub name: String,
    pub kind: String,
    pub signed: Option<String>,
    pub issued: Option<String>,
    pub expires: Option<String>,
    pub sha256: Option<String>,
    /// The copy in the bundle, when a file was attached.
    pub file: Option<String>,
}

/// One tabletop exercise with its report files in the bundle.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Exercise {
    pub id: String,
    pub scenario: String,
    pub started: String,
    pub ended: Option<String>,
    pub files: Vec<String>,
}

/// The first ten characters (`YYYY-MM-DD`) of a date or time, compared with `as_of`.
fn after(stamp: &str, as_of: Date) -> bool {
    stamp.get(..10).unwrap_or(stamp) > as_of.to_string().as_str()
}

fn text(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(Value::as_str).map(str::to_owned)
}

/// The vendors' agreements as last recorded, those dated on or before `as_of`, with their
/// files copied to `vendors/<vendor>/`.
pub(super) fn agreements(
    ws: &Workspace,
    store: &Store,
    as_of: Date,
    out: &mut Out<'_>,
) -> Result<Vec<Agreement>> {
    let mut seen = BTreeSet::new();
    let mut list = Vec::new();
    // Newest first: the first row of each vendor is its current state.
    for e in store.change_log(ALL)? {
        if e.entity != "vendors" || !seen.insert(e.entity_id.clone()) {
            continue;
        }
        let Some(v) = e
            .after
            .as_deref()
            .and_then(|a| serde_json::from_str::<Value>(a).ok())
        else {
            continue; // removed
        };
        let name = text(&v, "name").unwrap_or_default();
        for g in v
            .get("agreements")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (signed, issued) = (text(g, "signed"), text(g, "issued"));
            let dated = signed
                .clone()
                .or_else(|| issued.clone())
                .or_else(|| text(g, "period_start"));
            if dated.as_deref().is_some_and(|d| after(d, as_of)) {
                continue;
            }
            let kind = text(g, "kind").unwrap_or_default();
            let sha256 = text(g, "file_digest");
            let file = match &sha256 {
                Some(d) => Some(copy_agreement(ws, &e.entity_id, &kind, d, out)?),
                None => None,
            };
            list.push(Agreement {
                vendor: e.entity_id.clone(),
                name: name.clone(),
                kind,
                signed,
                issued,
                expires: text(g, "expires"),
                sha256,
                file,
            });
        }
    }
    list.sort_by(|x, y| (&x.vendor, &x.kind, &x.signed).cmp(&(&y.vendor, &y.kind, &y.signed)));
    Ok(list)
}

/// Copies the attached file whose SHA-256 is `digest` into `vendors/<vendor>/`.
fn copy_agreement(
    ws: &Workspace,
    vendor: &str,
    kind: &str,
    digest: &str,
    out: &mut Out<'_>,
) -> Result<String> {
    let prefix = format!("{}-", digest.get(..16).unwrap_or(digest));
    let missing = || {
        anyhow::anyhow!(
            "the {kind} file of vendor {vendor} (sha256 {digest}) is not in the workspace's evidence folder; run `certready verify`"
        )
    };
    let dir = files::evidence_dir(ws.dir()).map_err(|_| missing())?;
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with(&prefix))
        .collect();
    names.sort();
    let Some(name) = names.first() else {
        return Err(missing());
    };
    let bytes = files::read(ws.dir(), &format!("{}/{name}", files::EVIDENCE_DIR))?;
    if sha256_hex(&bytes) != digest {
        bail!(
            "the {kind} file of vendor {vendor} ({name}) does not match its recorded sha256; run `certready verify`"
        );
    }
    let rel = format!("vendors/{}/{}-{}", slug(vendor), slug(kind), slug(name));
    if !out.has(&rel) {
        out.put(&rel, &bytes)?;
    }
    Ok(rel)
}

/// The exercises started on or before `as_of`, with their stored after-action reports
/// (`reports/<id>.md` and `.html` next to the database) copied to `tabletop/`.
pub(super) fn tabletop(
    ws: &Workspace,
    store: &Store,
    as_of: Date,
    out: &mut Out<'_>,
) -> Result<Vec<Exercise>> {
    let mut list = Vec::new();
    for x in store.exercises()? {
        if after(&x.started, as_of) {
            continue;
        }
        let mut copied = Vec::new();
        for ext in ["md", "html"] {
            let p = ws.dir().join("reports").join(format!("{}.{ext}", x.id));
            let Ok(meta) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            if !meta.is_file() {
                bail!(
                    "{} is not a regular file (a symlink is refused)",
                    p.display()
                );
            }
            let rel = format!("tabletop/{}.{ext}", slug(&x.id));
            out.put(&rel, &std::fs::read(&p)?)?;
            copied.push(rel);
        }
        list.push(Exercise {
            id: x.id,
            scenario: x.scenario,
            started: x.started,
            ended: x.ended,
            files: copied,
        });
    }
    list.reverse(); // oldest first
    Ok(list)
}

/// The change log up to `as_of` (oldest first) as `change-log.json`; returns the entry count.
pub(super) fn change_log(store: &Store, as_of: Date, out: &mut Out<'_>) -> Result<usize> {
    let mut rows: Vec<_> = store
        .change_log(ALL)?
        .into_iter()
        .filter(|e| !after(&e.at, as_of))
        .collect();
    rows.reverse();
    out.put("change-log.json", &serde_json::to_vec_pretty(&rows)?)?;
    Ok(rows.len())
}
