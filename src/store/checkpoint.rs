//! Tree heads of both logs for signed checkpoints, and the comparison of the current logs
//! with an earlier head (an RFC 6962 consistency proof, checked with the `ct-merkle` crate's
//! verifier, and, where it fails, the range of rows that differs).
//!
//! Invariant: a head is only produced from logs that verify; comparing never writes.

use super::Store;
use super::changelog::ChangeLog;
use super::merkle::{Hash, Tree};
use super::verify::VerifyReport;
use crate::store::db::{OptionalExtension, Transaction};
use anyhow::{Result, bail};
use ct_merkle::{ConsistencyProof, RootHash};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::path::Path;

/// The head of one log: its size, its RFC 6962 root, and the perfect subtrees that make it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogHead {
    /// Rows in the log.
    pub size: u64,
    /// The tree root (hex).
    pub root: String,
    /// `[first row index, row count, subtree root hex]`, largest first.
    pub frontier: Vec<(u64, u64, String)>,
}

/// Both logs' heads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreeHeads {
    /// The evidence log.
    pub evidence: LogHead,
    /// The change log.
    pub change_log: LogHead,
}

/// Both logs' trees, as built from the stored chain hashes.
pub struct Trees {
    /// The evidence tree.
    pub evidence: Tree,
    /// The change-log tree.
    pub change_log: Tree,
    /// The evidence rows' chain hashes (the leaves).
    pub evidence_leaves: Vec<Hash>,
    /// The evidence rows' sequence numbers, leaf by leaf.
    pub evidence_seqs: Vec<i64>,
}

mod since;

fn head(t: &Tree) -> LogHead {
    let n = t.size();
    LogHead {
        size: n,
        root: hex::encode(t.root(n)),
        frontier: t
            .frontier(n)
            .into_iter()
            .map(|(s, c, h)| (s, c, hex::encode(h)))
            .collect(),
    }
}

impl Store {
    /// Verifies both logs and builds their trees.
    pub fn trees(&self, ws_dir: Option<&Path>) -> Result<(VerifyReport, Trees)> {
        let (report, leaves, built) = self.verify_all(ws_dir, true)?;
        let (evidence, change_log) =
            built.ok_or_else(|| anyhow::anyhow!("the logs' trees were not built"))?;
        Ok((
            report,
            Trees {
                evidence,
                change_log,
                evidence_leaves: leaves.evidence,
                evidence_seqs: leaves.evidence_seqs,
            },
        ))
    }

    /// The heads of both logs; refused while verification fails. With `full` false, when the
    /// logs still extend the last recorded checkpoint, the rows it covers are proven unchanged
    /// by their hashes and only later rows are re-linked (see `since`); otherwise, and always
    /// with `full`, everything is verified first (chains, derived tables, attached files).
    pub fn tree_heads(&self, ws_dir: Option<&Path>, full: bool) -> Result<(TreeHeads, Trees)> {
        if !full && let Some(t) = since::heads(self)? {
            return Ok(t);
        }
        let (report, trees) = self.trees(ws_dir)?;
        if let Some(b) = report.first_break() {
            bail!("the logs do not verify, so no checkpoint is signed: {b}");
        }
        Ok((
            TreeHeads {
                evidence: head(&trees.evidence),
                change_log: head(&trees.change_log),
            },
            trees,
        ))
    }

    /// Records in the change log that a checkpoint of `heads` was signed by `key`.
    pub fn record_checkpoint(&mut self, heads: &TreeHeads, key: &str, now: &str) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(crate::store::db::TransactionBehavior::Immediate)?;
        let mut log = ChangeLog::start(&tx, now)?;
        let after = serde_json::json!({
            "evidence_size": heads.evidence.size,
            "evidence_root": heads.evidence.root,
            "change_log_size": heads.change_log.size,
            "change_log_root": heads.change_log.root,
            "key": key,
        });
        log.record(
            &tx,
            "sign",
            "checkpoint",
            now,
            None,
            Some(&after.to_string()),
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// The evidence rows covered by the newest recorded checkpoint.
pub(crate) fn covered_evidence(tx: &Transaction<'_>) -> Result<Option<i64>> {
    let after: Option<String> = tx
        .query_row(
            "SELECT after FROM change_log WHERE entity = 'checkpoint' ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    Ok(after
        .and_then(|a| serde_json::from_str::<serde_json::Value>(&a).ok())
        .and_then(|v| v["evidence_size"].as_i64()))
}

/// Whether `now` extends `then`: `None` when it does, else where they part.
pub fn compare(name: &str, then: &LogHead, now: &Tree) -> Option<String> {
    let size = now.size();
    if then.size > size {
        return Some(format!(
            "{name}: the checkpoint holds {} rows but the log has {size}: rows {}..{} were removed",
            then.size,
            size + 1,
            then.size
        ));
    }
    let mut old = [0u8; 32];
    if hex::decode_to_slice(&then.root, &mut old).is_err() {
        return Some(format!(
            "{name}: the checkpoint's root is not a SHA-256 hash"
        ));
    }
    let consistent = then.size == 0
        || (then.size == size && old == now.root(size))
        || (then.size < size && {
            let proof: Vec<u8> = now.consistency(then.size, size).concat();
            let new_root = RootHash::<Sha256>::new(now.root(size).into(), size);
            let old_root = RootHash::<Sha256>::new(old.into(), then.size);
            ConsistencyProof::<Sha256>::try_from_bytes(proof)
                .is_ok_and(|p| new_root.verify_consistency(&old_root, &p).is_ok())
        });
    if consistent {
        return None;
    }
    let range = then.frontier.iter().find(|(start, count, h)| {
        now.subtree(*start, *count).map(hex::encode).as_deref() != Some(h.as_str())
    });
    Some(match range {
        Some((start, count, _)) => format!(
            "{name}: rows {}..{} differ from the checkpoint (the log was rewritten there)",
            start + 1,
            start + count
        ),
        None => format!("{name}: the log does not extend the checkpoint"),
    })
}
