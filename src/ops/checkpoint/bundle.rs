//! Evidence items as the auditor bundle carries them, each with an inclusion proof against the
//! bundle's signed checkpoint, and `verify-bundle`, which checks a bundle (or one item) with
//! nothing but the bundle: the checkpoint's signature, each item's chain link recomputed from
//! its fields, its content or attached file against its digest, and its audit path to the
//! signed evidence root (checked with the `ct-merkle` crate's RFC 6962 verifier).

use super::Checkpoint;
use crate::store::{EvidenceRecord, StoredFields, Trees, chain, evidence_link};
use anyhow::{Context, Result, bail};
use ct_merkle::{InclusionProof, RootHash};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::path::Path;

/// One evidence item in a bundle: the stored row (every chained field), where its attached
/// file's copy is, and its proof.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BundleItem {
    /// The row as stored.
    #[serde(flatten)]
    pub row: EvidenceRecord,
    /// The attached file's copy, relative to the bundle folder.
    pub attached: Option<String>,
    /// Where the item sits in the signed evidence log.
    pub proof: ItemProof,
}

/// An item's place in the evidence log.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ItemProof {
    /// Leaf index (0-based).
    pub index: u64,
    /// The log size the audit path is for (the checkpoint's evidence size).
    pub tree_size: u64,
    /// The chain hash of the row before (the link's input).
    pub prev_chain_hash: String,
    /// RFC 6962 audit path, leaf upward (hex).
    pub inclusion: Vec<String>,
}

/// The bundle item of `e`, or `None` when the row came after the signed trees.
pub fn item(e: &EvidenceRecord, trees: &Trees, attached: Option<String>) -> Option<BundleItem> {
    let index = trees.evidence_seqs.binary_search(&e.seq).ok()?;
    let size = trees.evidence.size();
    let prev = index.checked_sub(1).map_or_else(
        || chain::GENESIS.to_owned(),
        |i| hex::encode(trees.evidence_leaves[i]),
    );
    Some(BundleItem {
        row: e.clone(),
        attached,
        proof: ItemProof {
            index: index as u64,
            tree_size: size,
            prev_chain_hash: prev,
            inclusion: trees
                .evidence
                .inclusion(index as u64, size)
                .iter()
                .map(hex::encode)
                .collect(),
        },
    })
}

/// What `verify-bundle` found.
#[derive(Debug, Default)]
pub struct BundleReport {
    /// The signing key's fingerprint.
    pub key: String,
    /// The organisation and time the checkpoint names.
    pub signed: String,
    /// Items that verified.
    pub items: u64,
    /// The first item that did not, with why.
    pub failure: Option<String>,
}

/// Checks one item against the signed evidence root.
fn check_item(dir: &Path, rel: &str, item: &BundleItem, cp: &Checkpoint) -> Result<(), String> {
    let it = &item.row;
    let fields = StoredFields {
        control: &it.control,
        natural_key: &it.natural_key,
        title: &it.title,
        source: &it.source,
        result: &it.result,
        effective: &it.effective,
        collected: &it.collected,
        expires: it.expires.as_deref(),
        content_digest: &it.content_digest,
        summary: &it.summary,
        file_ref: it.file_ref.as_deref(),
        keep_until: &it.keep_until,
    };
    if evidence_link(&item.proof.prev_chain_hash, it.seq, &fields) != it.chain_hash {
        return Err(format!(
            "{rel}: its fields do not give its chain hash (the item was edited)"
        ));
    }
    let digest = match (&item.attached, &it.content) {
        (Some(a), _) => {
            let p = confined(dir, a).map_err(|e| format!("{rel}: {e}"))?;
            let bytes = std::fs::read(&p).map_err(|e| format!("{rel}: cannot read {a}: {e}"))?;
            Some(crate::domain::sha256_hex(&bytes))
        }
        (None, Some(c)) => Some(crate::domain::sha256_hex(c.as_bytes())),
        (None, None) if it.file_ref.is_none() => Some(crate::domain::sha256_hex(
            format!("{}\n{}", it.title, it.summary).as_bytes(),
        )),
        (None, None) => None,
    };
    if digest.is_some_and(|d| d != it.content_digest) {
        return Err(format!(
            "{rel}: its content or attached file does not match its digest"
        ));
    }
    let ev = &cp.body.evidence;
    if item.proof.tree_size != ev.size {
        return Err(format!(
            "{rel}: its proof is for {} rows, the checkpoint signs {}",
            item.proof.tree_size, ev.size
        ));
    }
    let mut root = [0u8; 32];
    let mut leaf = [0u8; 32];
    let mut path = Vec::new();
    let decoded = hex::decode_to_slice(&ev.root, &mut root).is_ok()
        && hex::decode_to_slice(&it.chain_hash, &mut leaf).is_ok()
        && item.proof.inclusion.iter().all(|h| {
            hex::decode(h).is_ok_and(|b| {
                let ok = b.len() == 32;
                path.extend(b);
                ok
            })
        });
    let root = RootHash::<Sha256>::new(root.into(), ev.size);
    let included = decoded
        && InclusionProof::<Sha256>::try_from_bytes(path)
            .is_ok_and(|p| root.verify_inclusion(&leaf, item.proof.index, &p).is_ok());
    if !included {
        return Err(format!(
            "{rel}: its inclusion proof does not lead to the signed evidence root"
        ));
    }
    Ok(())
}

/// A path inside the bundle folder: relative, no `..`, and no symlink on the way.
fn confined(dir: &Path, rel: &str) -> Result<std::path::PathBuf> {
    let p = Path::new(rel);
    if p.is_absolute()
        || p.components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        bail!(
            "`{}` is not a plain path inside the bundle",
            rel.escape_debug()
        );
    }
    let mut at = dir.to_path_buf();
    for c in p.components() {
        at.push(c);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            bail!("{} is a symlink; refused", at.display());
        }
    }
    Ok(at)
}

/// Verifies a bundle folder, or only `only` (an item's path inside it, or its sequence number).
pub fn verify(dir: &Path, only: Option<&str>) -> Result<BundleReport> {
    let cp = Checkpoint::read(&dir.join("checkpoint.json"))
        .with_context(|| format!("{} has no readable checkpoint.json", dir.display()))?;
    cp.check_signature()?;
    let mut report = BundleReport {
        key: super::fingerprint(&cp.body.public_key),
        signed: format!("{} at {}", cp.body.organization, cp.body.time),
        ..BundleReport::default()
    };
    let mut paths = Vec::new();
    collect(&dir.join("controls"), dir, &mut paths)?;
    paths.sort();
    let mut matched = false;
    for rel in paths {
        let text = std::fs::read_to_string(dir.join(&rel))?;
        let it: BundleItem = serde_json::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{rel}: not a bundle item: {e}"))?;
        if let Some(o) = only
            && o != rel
            && o != it.row.seq.to_string()
        {
            continue;
        }
        matched = true;
        if let Err(e) = check_item(dir, &rel, &it, &cp) {
            report.failure = Some(e);
            return Ok(report);
        }
        report.items += 1;
    }
    if let Some(o) = only
        && !matched
    {
        bail!("no item `{o}` in {}", dir.display());
    }
    Ok(report)
}

/// Every item file (`*.json`) under `controls/`, relative to the bundle folder.
fn collect(at: &Path, root: &Path, out: &mut Vec<String>) -> Result<()> {
    let Ok(rd) = std::fs::read_dir(at) else {
        return Ok(());
    };
    for entry in rd {
        let entry = entry?;
        let t = entry.file_type()?;
        let p = entry.path();
        if t.is_dir() {
            collect(&p, root, out)?;
        } else if t.is_file() && p.extension().is_some_and(|x| x == "json") {
            let rel = p.strip_prefix(root).unwrap_or(&p);
            out.push(rel.to_string_lossy().into_owned());
        }
    }
    Ok(())
}
