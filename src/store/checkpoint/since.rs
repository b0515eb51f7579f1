//! A checkpoint after an earlier one: the rows the last recorded checkpoint covers are proven
//! unchanged by the consistency of their stored hashes with its roots, so only the change log
//! and the evidence rows appended since are re-linked before signing.
//!
//! Invariant: this only ever narrows what is re-linked when the logs provably extend a head
//! this workspace signed; any difference falls back to full verification. What is signed is
//! the stored chain hashes, so a field edited under an unchanged hash is not signed over in
//! secret: `verify` still names that row.

use super::super::Store;
use super::super::chain;
use super::super::merkle::{Hash, Tree};
use super::{TreeHeads, Trees, head};
use crate::store::db::OptionalExtension;
use anyhow::{Result, bail};

/// The newest recorded checkpoint: (evidence size, root, change-log size, root).
fn last(store: &Store) -> Result<Option<(u64, String, u64, String)>> {
    let after: Option<String> = store
        .conn
        .query_row(
            "SELECT after FROM change_log WHERE entity = 'checkpoint' ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let Some(v) = after.and_then(|a| serde_json::from_str::<serde_json::Value>(&a).ok()) else {
        return Ok(None);
    };
    Ok((|| {
        Some((
            v["evidence_size"].as_u64()?,
            v["evidence_root"].as_str()?.to_owned(),
            v["change_log_size"].as_u64()?,
            v["change_log_root"].as_str()?.to_owned(),
        ))
    })())
}

/// The heads, or `None` when full verification is needed.
pub(super) fn heads(store: &Store) -> Result<Option<(TreeHeads, Trees)>> {
    let Some((ev_size, ev_root, ch_size, ch_root)) = last(store)? else {
        return Ok(None);
    };
    let (seqs, ev_leaves, ch_leaves) = {
        let tx = store.conn.unchecked_transaction()?;
        let mut seqs = Vec::new();
        let mut ev: Vec<Hash> = Vec::new();
        let mut stmt = tx.prepare("SELECT seq, chain_hash FROM evidence ORDER BY seq")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            seqs.push(r.get::<_, i64>(0)?);
            ev.push(chain::decode32(r.get_ref(1)?.as_str()?).unwrap_or([0; 32]));
        }
        drop(rows);
        drop(stmt);
        let mut ch: Vec<Hash> = Vec::new();
        let mut stmt = tx.prepare("SELECT chain_hash FROM change_log ORDER BY seq")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            ch.push(chain::decode32(r.get_ref(0)?.as_str()?).unwrap_or([0; 32]));
        }
        (seqs, ev, ch)
    };
    let (evidence, change_log) = Tree::pair(&ev_leaves, &ch_leaves);
    let extends =
        |t: &Tree, size: u64, root: &str| t.size() >= size && hex::encode(t.root(size)) == root;
    if !extends(&evidence, ev_size, &ev_root) || !extends(&change_log, ch_size, &ch_root) {
        return Ok(None);
    }
    let (after, prev) = match (ev_size as usize).checked_sub(1) {
        Some(i) => (seqs[i], hex::encode(ev_leaves[i])),
        None => (i64::MIN, chain::GENESIS.to_owned()),
    };
    if let Some(b) = store.verify_after(after, &prev)? {
        bail!("the logs do not verify, so no checkpoint is signed: {b}");
    }
    let heads = TreeHeads {
        evidence: head(&evidence),
        change_log: head(&change_log),
    };
    Ok(Some((
        heads,
        Trees {
            evidence,
            change_log,
            evidence_leaves: ev_leaves,
            evidence_seqs: seqs,
        },
    )))
}
