//! `verify`: recomputes both hash chains over every field that carries meaning, rehashes the
//! attached files, replays what the change log says about rows changed after they were written
//! (run extensions, purges, the evidence head) and recomputes the derived `evidence_facts`
//! table. The first thing that does not match is named.
//!
//! Invariant: verification only reads; it never repairs.

mod changes;
mod derived;
mod evidence;
mod facts;
mod parallel;

use super::Store;
use super::merkle::{Hash, Tree};
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
}

/// Below this many rows the evidence pass runs on one thread.
const SPLIT_AT: i64 = 50_000;

impl Store {
    /// Checks every evidence row and reads `evidence_facts`; a large log is checked in chunks
    /// by two workers (`parallel`), the second on a read-only connection whose snapshot is
    /// confirmed to be the same (the same newest change-log and evidence rows, which every
    /// write through certready moves). With `trees`, each chunk also builds its part of the
    /// evidence tree.
    fn evidence_pass(
        &self,
        tx: &crate::store::db::Transaction<'_>,
        ch: &changes::ChangePass,
        trees: bool,
    ) -> Result<(evidence::EvidencePass, Option<Tree>, derived::Stored)> {
        // The rowid bounds cost nothing where COUNT(*) or OFFSET would scan half the table;
        // each MIN or MAX sits alone in its own subquery, or SQLite would scan for both.
        let (min_seq, max_seq, max_log): (i64, i64, i64) = tx.query_row(
            "SELECT COALESCE((SELECT MIN(seq) FROM evidence), 1),
                    COALESCE((SELECT MAX(seq) FROM evidence), 0),
                    COALESCE((SELECT MAX(seq) FROM change_log), 0)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let n = max_seq - min_seq + 1;
        if n < SPLIT_AT {
            let pass = evidence::check_range(tx, ch, i64::MIN, i64::MAX, super::chain::GENESIS, n)?;
            let tree = trees.then(|| Tree::new(&pass.hashes));
            let stored = derived::read_stored(tx)?;
            return Ok((pass, tree, stored));
        }
        let opener = self.reader_opener();
        parallel::pass(tx, ch, (min_seq, max_seq), trees, move || {
            let c = opener.open()?;
            if let Some(s) = c.sqlite() {
                s.pragma_update(None, "mmap_size", 1i64 << 32)?;
            }
            c.execute_batch("BEGIN")?;
            let same: (i64, i64) = c.query_row(
                "SELECT COALESCE((SELECT MAX(seq) FROM evidence), 0),
                        COALESCE((SELECT MAX(seq) FROM change_log), 0)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            Ok((same == (max_seq, max_log)).then_some(c))
        })
    }

    /// Checks the whole change log and the evidence rows after seq `after` (linked from
    /// `prev`): what a checkpoint needs when an earlier signed head already proves the rows
    /// before unchanged. Returns the first problem.
    pub(crate) fn verify_after(&self, after: i64, prev: &str) -> Result<Option<String>> {
        let tx = self.conn.unchecked_transaction()?;
        let ch = changes::check(&tx)?;
        if ch.first_break.is_some() {
            return Ok(ch.first_break);
        }
        Ok(evidence::check_range(&tx, &ch, after, i64::MAX, prev, 0)?.first_break)
    }

    /// Verifies everything, rehashing attached files in the database's own workspace folder.
    pub fn verify(&self) -> Result<VerifyReport> {
        let dir = self.path.parent().map(Path::to_path_buf);
        Ok(self.verify_in(dir.as_deref())?.0)
    }

    /// Verifies everything; attached files are looked up under `files` (the workspace folder),
    /// or not rehashed when `None`.
    pub(crate) fn verify_in(&self, files: Option<&Path>) -> Result<(VerifyReport, Leaves)> {
        let (report, leaves, _) = self.verify_all(files, false)?;
        Ok((report, leaves))
    }

    /// Verifies everything; with `trees`, also builds both logs' trees on a second thread
    /// while the derived tables and files are checked.
    pub(crate) fn verify_all(
        &self,
        files: Option<&Path>,
        trees: bool,
    ) -> Result<(VerifyReport, Leaves, Option<(Tree, Tree)>)> {
        // One read transaction: the change log and the rows are read from one snapshot.
        // Reading through a memory map saves a copy of every page of a large log.
        if let Some(c) = self.conn.sqlite() {
            c.pragma_update(None, "mmap_size", 1i64 << 32)?;
        }
        let tx = self.conn.unchecked_transaction()?;
        let mut ch = changes::check(&tx)?;
        let (mut ev, evidence_tree, stored) = self.evidence_pass(&tx, &ch, trees)?;
        drop(tx);
        let ev_hashes = std::mem::take(&mut ev.hashes);
        let ch_hashes = std::mem::take(&mut ch.hashes);
        let mut report = VerifyReport {
            evidence_rows: ev_hashes.len() as u64,
            change_rows: ch_hashes.len() as u64,
            files: 0,
            evidence_break: ev.first_break.clone(),
            change_break: ch.first_break.clone(),
            derived_break: None,
        };
        let built = evidence_tree.map(|e| (e, Tree::new(&ch_hashes)));
        let derived = derived::check(stored, &mut ev, &ch, files, &mut report.files);
        report.derived_break = derived;
        Ok((
            report,
            Leaves {
                evidence_seqs: ev.seqs,
                evidence: ev_hashes,
            },
            built,
        ))
    }
}
