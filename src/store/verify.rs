//! `verify`: recomputes both hash chains over every field that carries meaning, rehashes the
//! attached files, replays what the change log says about rows changed after they were written
//! (run extensions, purges, the evidence head) and recomputes the derived `evidence_facts`
//! table. The first thing that does not match is named.
//!
//! Invariant: verification only reads; it never repairs.

mod changes;
mod derived;
mod evidence;

use super::Store;
use super::merkle::Hash;
use anyhow::Result;
use std::path::Path;

/// The outcome of `verify`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VerifyReport {
    /// Evidence rows checked.
    pub evidence_rows: u64,
    /// Change-log rows checked.
    pub change_rows: u64,
    /// Attached files rehashed.
    pub files: u64,
    /// The first evidence row that does not match, with the reason.
    pub evidence_break: Option<String>,
    /// The first change-log row that does not match, with the reason.
    pub change_break: Option<String>,
    /// The first difference between the logs and what was derived from them (run extensions,
    /// purges, the recorded evidence head, `evidence_facts`, attached files).
    pub derived_break: Option<String>,
}

impl VerifyReport {
    /// Whether everything holds.
    pub fn ok(&self) -> bool {
        self.first_break().is_none()
    }

    /// The first problem found, if any.
    pub fn first_break(&self) -> Option<&str> {
        self.evidence_break
            .as_deref()
            .or(self.change_break.as_deref())
            .or(self.derived_break.as_deref())
    }
}

/// Both logs' stored chain hashes in sequence order (the Merkle trees' leaves), read during
/// verification.
pub(crate) struct Leaves {
    pub evidence: Vec<Hash>,
    pub evidence_seqs: Vec<i64>,
    pub change: Vec<Hash>,
}

impl Store {
    /// Verifies everything, rehashing attached files in the database's own workspace folder.
    pub fn verify(&self) -> Result<VerifyReport> {
        let dir = self.path.parent().map(Path::to_path_buf);
        Ok(self.verify_in(dir.as_deref())?.0)
    }

    /// Verifies everything; attached files are looked up under `files` (the workspace folder),
    /// or not rehashed when `None`.
    pub(crate) fn verify_in(&self, files: Option<&Path>) -> Result<(VerifyReport, Leaves)> {
        let ch = changes::check(&self.conn)?;
        let ev = evidence::check(&self.conn, &ch)?;
        let mut report = VerifyReport {
            evidence_rows: ev.hashes.len() as u64,
            change_rows: ch.hashes.len() as u64,
            files: 0,
            evidence_break: ev.first_break.clone(),
            change_break: ch.first_break.clone(),
            derived_break: None,
        };
        report.derived_break = derived::check(&self.conn, &ev, &ch, files, &mut report.files)?;
        Ok((
            report,
            Leaves {
                evidence_seqs: ev.seqs,
                evidence: ev.hashes,
                change: ch.hashes,
            },
        ))
    }
}
