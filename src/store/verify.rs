//! Recomputing the evidence chain and the change-log chain; the first row that does not match
//! is named.

use super::Store;
use super::chain;
use super::evidence::{StoredFields, evidence_link};
use anyhow::Result;

/// The outcome of `verify`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VerifyReport {
    /// Evidence rows checked.
    pub evidence_rows: u64,
    /// Change-log rows checked.
    pub change_rows: u64,
    /// The first evidence row that does not match, with the reason.
    pub evidence_break: Option<String>,
    /// The first change-log row that does not match, with the reason.
    pub change_break: Option<String>,
}

impl VerifyReport {
    /// Whether both chains are intact.
    pub fn ok(&self) -> bool {
        self.evidence_break.is_none() && self.change_break.is_none()
    }
}

impl Store {
    /// Recomputes both chains.
    pub fn verify(&self) -> Result<VerifyReport> {
        let mut report = VerifyReport {
            evidence_rows: 0,
            change_rows: 0,
            evidence_break: None,
            change_break: None,
        };
        let mut stmt = self.conn.prepare(
            "SELECT seq, control_id, natural_key, title, source, result, effective, collected,
               expires, content, content_digest, chain_hash FROM evidence ORDER BY seq",
        )?;
        let mut rows = stmt.query([])?;
        let mut prev = chain::GENESIS.to_owned();
        while let Some(r) = rows.next()? {
            report.evidence_rows += 1;
            let seq: i64 = r.get(0)?;
            let content: Option<String> = r.get(9)?;
            let digest: String = r.get(10)?;
            if let Some(c) = &content
                && chain::sha256_hex(c.as_bytes()) != digest
            {
                report.evidence_break = Some(format!(
                    "evidence seq {seq}: content does not match its digest"
                ));
                break;
            }
            let expires: Option<String> = r.get(8)?;
            let fields = StoredFields {
                control: r.get_ref(1)?.as_str()?,
                natural_key: r.get_ref(2)?.as_str()?,
                title: r.get_ref(3)?.as_str()?,
                source: r.get_ref(4)?.as_str()?,
                result: r.get_ref(5)?.as_str()?,
                effective: r.get_ref(6)?.as_str()?,
                collected: r.get_ref(7)?.as_str()?,
                expires: expires.as_deref(),
                content_digest: &digest,
            };
            let expect = evidence_link(&prev, seq, &fields);
            let stored: String = r.get(11)?;
            if expect != stored {
                report.evidence_break = Some(format!(
                    "evidence seq {seq} (control {}): chain hash does not match",
                    fields.control
                ));
                break;
            }
            prev = stored;
        }
        let mut stmt = self.conn.prepare(
            "SELECT seq, at, who, action, entity, entity_id, before, after, chain_hash
             FROM change_log ORDER BY seq",
        )?;
        let mut rows = stmt.query([])?;
        let mut prev = chain::GENESIS.to_owned();
        while let Some(r) = rows.next()? {
            report.change_rows += 1;
            let seq: i64 = r.get(0)?;
            let seq_s = seq.to_string();
            let before: Option<String> = r.get(6)?;
            let after: Option<String> = r.get(7)?;
            let expect = chain::link(
                &prev,
                &[
                    &seq_s,
                    r.get_ref(1)?.as_str()?,
                    r.get_ref(2)?.as_str()?,
                    r.get_ref(3)?.as_str()?,
                    r.get_ref(4)?.as_str()?,
                    r.get_ref(5)?.as_str()?,
                    before.as_deref().unwrap_or(""),
                    after.as_deref().unwrap_or(""),
                ],
            );
            let stored: String = r.get(8)?;
            if expect != stored {
                report.change_break =
                    Some(format!("change_log seq {seq}: chain hash does not match"));
                break;
            }
            prev = stored;
        }
        Ok(report)
    }
}
