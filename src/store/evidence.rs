//! Appending evidence to its hash chain.
//!
//! Each item's content digest is the SHA-256 of its content (or, without content, of its title
//! and summary); its chain hash links the previous item's hash, its canonical fields and that
//! digest. Items are append-only; a natural key makes re-imports idempotent.

use super::chain;
use crate::domain::{ControlId, Date, EvidenceResult, EvidenceSource};
use anyhow::Result;
use rusqlite::{OptionalExtension, Transaction, params};

/// An evidence item to append.
#[derive(Debug, Clone)]
pub struct NewEvidence {
    /// Stable identity: a re-import of the same key is skipped.
    pub natural_key: String,
    /// Control evidenced.
    pub control: ControlId,
    /// Title.
    pub title: String,
    /// Source.
    pub source: EvidenceSource,
    /// Result.
    pub result: EvidenceResult,
    /// When the control operated.
    pub effective: Date,
    /// When it was collected (RFC 3339).
    pub collected: String,
    /// Explicit expiry.
    pub expires: Option<Date>,
    /// Short summary (already redacted).
    pub summary: String,
    /// Full content (already redacted), if any.
    pub content: Option<String>,
    /// An attached file: (path inside the workspace, SHA-256 of its bytes).
    pub file: Option<(String, String)>,
}

impl NewEvidence {
    /// The SHA-256 of the content this item stands for.
    pub fn content_digest(&self) -> String {
        if let Some((_, digest)) = &self.file {
            return digest.clone();
        }
        match &self.content {
            Some(c) => chain::sha256_hex(c.as_bytes()),
            None => chain::sha256_hex(format!("{}\n{}", self.title, self.summary).as_bytes()),
        }
    }
}

/// The fields an evidence chain hash covers, in order.
pub(crate) fn evidence_link(prev: &str, seq: i64, e: &StoredFields<'_>) -> String {
    chain::link(
        prev,
        &[
            &seq.to_string(),
            e.control,
            e.natural_key,
            e.title,
            e.source,
            e.result,
            e.effective,
            e.collected,
            e.expires.unwrap_or(""),
            e.content_digest,
        ],
    )
}

/// Evidence fields as text, as stored and as hashed.
pub(crate) struct StoredFields<'a> {
    pub control: &'a str,
    pub natural_key: &'a str,
    pub title: &'a str,
    pub source: &'a str,
    pub result: &'a str,
    pub effective: &'a str,
    pub collected: &'a str,
    pub expires: Option<&'a str>,
    pub content_digest: &'a str,
}

/// Appends items inside one transaction, carrying the chain head in memory.
pub(crate) struct EvidenceWriter {
    prev: String,
    seq: i64,
}

impl EvidenceWriter {
    /// Starts at the current head of the evidence chain.
    pub(crate) fn start(tx: &Transaction<'_>) -> Result<Self> {
        let head: Option<(i64, String)> = tx
            .query_row(
                "SELECT seq, chain_hash FROM evidence ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (seq, prev) = head.unwrap_or((0, chain::GENESIS.to_owned()));
        Ok(Self { prev, seq })
    }

    /// The current chain head.
    pub(crate) fn head(&self) -> &str {
        &self.prev
    }

    /// Appends `e` unless its natural key is already stored; returns whether it was added.
    pub(crate) fn append(&mut self, tx: &Transaction<'_>, e: &NewEvidence) -> Result<bool> {
        let digest = e.content_digest();
        let effective = e.effective.to_string();
        let expires = e.expires.map(|d| d.to_string());
        let fields = StoredFields {
            control: e.control.as_str(),
            natural_key: &e.natural_key,
            title: &e.title,
            source: e.source.as_str(),
            result: e.result.as_str(),
            effective: &effective,
            collected: &e.collected,
            expires: expires.as_deref(),
            content_digest: &digest,
        };
        let seq = self.seq + 1;
        let hash = evidence_link(&self.prev, seq, &fields);
        let mut stmt = tx.prepare_cached(
            "INSERT INTO evidence (seq, control_id, natural_key, title, source, result, effective,
               collected, expires, summary, content, content_digest, chain_hash, file_ref)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
             ON CONFLICT(natural_key) DO NOTHING",
        )?;
        let n = stmt.execute(params![
            seq,
            fields.control,
            fields.natural_key,
            fields.title,
            fields.source,
            fields.result,
            fields.effective,
            fields.collected,
            fields.expires,
            e.summary,
            e.content,
            digest,
            hash,
            e.file.as_ref().map(|f| f.0.as_str())
        ])?;
        if n == 1 {
            self.seq = seq;
            self.prev = hash;
        }
        Ok(n == 1)
    }
}

impl super::Store {
    /// Appends a stream of evidence in one transaction with one change-log entry; returns how
    /// many were added (items whose natural key is already stored are skipped).
    pub fn append_evidence(
        &mut self,
        items: impl IntoIterator<Item = NewEvidence>,
        now: &str,
    ) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut w = EvidenceWriter::start(&tx)?;
        let mut added = 0;
        for e in items {
            added += usize::from(w.append(&tx, &e)?);
        }
        if added > 0 {
            let mut log = super::changelog::ChangeLog::start(&tx, now)?;
            let after = format!("{{\"appended\":{added},\"chain_head\":\"{}\"}}", w.head());
            log.record(&tx, "append", "evidence", "batch", None, Some(&after))?;
        }
        tx.commit()?;
        Ok(added)
    }
}
