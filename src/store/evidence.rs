//! Appending evidence to its hash chain.
//!
//! Each item's content digest is the SHA-256 of its content, of its attached file, or (with
//! neither) of its title and summary; its chain hash links the previous item's hash and every
//! field that carries meaning: the canonical fields, the summary, that digest, the attached
//! file's reference and the keep-until date (chain version 2). Items are append-only; a natural
//! key makes re-imports idempotent. Later changes to a row (run extensions, purges) are
//! recorded in the change log, so `verify` can prove them too.

use super::chain;
use crate::domain::Date;
pub use crate::domain::NewEvidence;
use crate::store::db::{OptionalExtension, Transaction, params};
use anyhow::Result;

/// The version tag that opens every version-2 evidence link.
pub(crate) const CHAIN_V2: &str = "v2";

/// The fields an evidence chain hash covers, in order.
pub fn evidence_link(prev: &str, seq: i64, e: &StoredFields<'_>) -> String {
    hex::encode(evidence_link_raw(prev, seq, e))
}

/// [`evidence_link`] as raw bytes.
pub fn evidence_link_raw(prev: &str, seq: i64, e: &StoredFields<'_>) -> [u8; 32] {
    evidence_link_bytes(
        prev.as_bytes(),
        seq,
        &[
            e.control.as_bytes(),
            e.natural_key.as_bytes(),
            e.title.as_bytes(),
            e.source.as_bytes(),
            e.result.as_bytes(),
            e.effective.as_bytes(),
            e.collected.as_bytes(),
            e.expires.unwrap_or("").as_bytes(),
            e.content_digest.as_bytes(),
            e.summary.as_bytes(),
            e.file_ref.unwrap_or("").as_bytes(),
            e.keep_until.as_bytes(),
        ],
    )
}

/// [`evidence_link_raw`] over the fields' bytes in [`StoredFields`] order (what `verify` reads
/// straight from the rows, without checking that they are UTF-8: any changed byte changes the
/// link either way).
pub(crate) fn evidence_link_bytes(prev: &[u8], seq: i64, fields: &[&[u8]; 12]) -> [u8; 32] {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = seq.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut seq_text = [0u8; 21];
    let mut len = 0;
    if seq < 0 {
        seq_text[0] = b'-';
        len = 1;
    }
    for d in &digits[at..] {
        seq_text[len] = *d;
        len += 1;
    }
    let mut all: [&[u8]; 14] = [&[]; 14];
    all[0] = CHAIN_V2.as_bytes();
    all[1] = &seq_text[..len];
    all[2..].copy_from_slice(fields);
    chain::link_bytes(prev, &all)
}

/// Evidence fields as text, as stored and as hashed.
#[allow(missing_docs)]
pub struct StoredFields<'a> {
    pub control: &'a str,
    pub natural_key: &'a str,
    pub title: &'a str,
    pub source: &'a str,
    pub result: &'a str,
    pub effective: &'a str,
    pub collected: &'a str,
    pub expires: Option<&'a str>,
    pub content_digest: &'a str,
    pub summary: &'a str,
    pub file_ref: Option<&'a str>,
    pub keep_until: &'a str,
}

/// Appends items inside one transaction, carrying the chain head in memory.
pub(crate) struct EvidenceWriter {
    prev: String,
    seq: i64,
    retention: Retention,
}

/// Years each control's evidence is kept: the longest rule of the frameworks it serves
/// (HIPAA 6, PCI DSS 1, any other the workspace default).
pub(crate) struct Retention {
    default_years: u32,
    by_control: std::collections::HashMap<String, u32>,
}

/// Meta key of the workspace's retention default, in years.
pub const RETENTION_META: &str = "evidence_retention_years";

impl Retention {
    pub(crate) fn start(tx: &Transaction<'_>) -> Result<Self> {
        let default_years = tx
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                [RETENTION_META],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .and_then(|v| v.parse().ok())
            .unwrap_or(7);
        Ok(Self {
            default_years,
            by_control: std::collections::HashMap::new(),
        })
    }

    /// Years for `control`.
    pub(crate) fn years(&mut self, tx: &Transaction<'_>, control: &str) -> Result<u32> {
        if let Some(y) = self.by_control.get(control) {
            return Ok(*y);
        }
        let mut stmt =
            tx.prepare_cached("SELECT DISTINCT framework FROM mappings WHERE control_id = ?1")?;
        let fws: Vec<String> = stmt
            .query_map([control], |r| r.get(0))?
            .collect::<crate::store::db::Result<_>>()?;
        let y = fws
            .iter()
            .map(|f| match f.as_str() {
                "hipaa" => 6,
                "pci-dss" => 1,
                _ => self.default_years,
            })
            .max()
            .unwrap_or(self.default_years);
        self.by_control.insert(control.to_owned(), y);
        Ok(y)
    }

    /// The keep-until date of evidence of `control` effective on `effective`.
    pub(crate) fn keep_until(
        &mut self,
        tx: &Transaction<'_>,
        control: &str,
        effective: Date,
    ) -> Result<Date> {
        let y = self.years(tx, control)?;
        // A retention past year 9999 keeps the item until then, never for no time at all (and
        // the stored date stays a four-digit year, which compares correctly as text).
        let last = Date::from_ymd_opt(9999, 12, 31).unwrap_or(Date::MAX);
        Ok(effective
            .checked_add_months(chrono::Months::new(12u32.saturating_mul(y)))
            .map_or(last, |d| d.min(last)))
    }
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
        let retention = Retention::start(tx)?;
        Ok(Self {
            prev,
            seq,
            retention,
        })
    }

    /// The current chain head.
    pub(crate) fn head(&self) -> &str {
        &self.prev
    }

    /// The sequence number of the last item appended (0 when the chain is empty).
    pub(crate) fn last_seq(&self) -> i64 {
        self.seq
    }

    /// Appends `e` unless its natural key is already stored; returns whether it was added.
    pub(crate) fn append(&mut self, tx: &Transaction<'_>, e: &NewEvidence) -> Result<bool> {
        let keep_until = self
            .retention
            .keep_until(tx, e.control.as_str(), e.effective)?
            .to_string();
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
            summary: &e.summary,
            file_ref: e.file.as_ref().map(|f| f.0.as_str()),
            keep_until: &keep_until,
        };
        let seq = self.seq + 1;
        let hash = evidence_link(&self.prev, seq, &fields);
        let mut stmt = tx.prepare_cached(
            "INSERT INTO evidence (seq, control_id, natural_key, title, source, result, effective,
               collected, expires, summary, content, content_digest, chain_hash, file_ref,
               keep_until, run_last)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?8)
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
            fields.file_ref,
            keep_until
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
            .transaction_with_behavior(crate::store::db::TransactionBehavior::Immediate)?;
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
