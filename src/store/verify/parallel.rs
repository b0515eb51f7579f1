//! The evidence pass of a large log on both cores: the rows are cut into chunks of a
//! power-of-two number of sequence numbers, and two workers (this connection and a second,
//! read-only one whose snapshot is confirmed to be the same) take the next task until none is
//! left: reading `evidence_facts` first (the longest task), then each chunk. Each chunk is
//! linked from the stored hash of the row before it, so a changed row is named in whichever
//! chunk holds it, and each builds the levels of its part of the Merkle tree; the parts join
//! without rehashing their lower levels because every chunk but the last starts at a multiple
//! of the chunk size.
//!
//! Invariant: the result is the same as one pass over every row in order (the same first
//! break, facts, files, head and tree); the tests check edits in every part of a 140,000-row
//! log.

use super::super::merkle::{Hash, Tree, levels};
use super::changes::ChangePass;
use super::derived::{self, Stored};
use super::evidence::{self, EvidencePass};
use crate::store::db::{Connection, OptionalExtension};
use anyhow::{Result, anyhow};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A pass over a chunk, with the levels of its Merkle tree when asked for.
type Part = (EvidencePass, Option<Vec<Vec<Hash>>>);

/// One chunk: rows with `after < seq <= upto`, linked from `prev`.
struct Chunk {
    after: i64,
    upto: i64,
    prev: String,
}

impl Chunk {
    /// Checks the chunk's rows on `conn`, with its tree's levels when `trees`.
    fn check(&self, conn: &Connection, log: &ChangePass, trees: bool) -> Result<Part> {
        // The room made is the row count when the sequence numbers have no gaps.
        let pass = evidence::check_range(
            conn,
            log,
            self.after,
            self.upto,
            &self.prev,
            self.upto - self.after,
        )?;
        let tree = trees.then(|| levels(&pass.hashes));
        Ok((pass, tree))
    }
}

/// What the workers share: the tasks, the next one to take, and the results by task.
struct Work<'a> {
    log: &'a ChangePass,
    chunks: Vec<Chunk>,
    trees: bool,
    next: AtomicUsize,
    parts: Mutex<Vec<Option<Part>>>,
    stored: Mutex<Option<Stored>>,
}

impl Work<'_> {
    /// Takes tasks until none is left: task 0 reads `evidence_facts`, task i checks chunk i-1.
    fn run(&self, conn: &Connection) -> Result<()> {
        loop {
            let task = self.next.fetch_add(1, Ordering::SeqCst);
            if task == 0 {
                let s = derived::read_stored(conn)?;
                *self.stored.lock().map_err(|_| anyhow!("a worker failed"))? = Some(s);
                continue;
            }
            let Some(c) = self.chunks.get(task - 1) else {
                return Ok(());
            };
            let part = c.check(conn, self.log, self.trees)?;
            self.parts.lock().map_err(|_| anyhow!("a worker failed"))?[task - 1] = Some(part);
        }
    }
}

/// Checks the rows with `min_seq <= seq <= max_seq` on this connection and on the one
/// `second` opens, if it opens one (it returns `None` when that connection does not see the
/// same snapshot).
pub(crate) fn pass(
    conn: &Connection,
    log: &ChangePass,
    (min_seq, max_seq): (i64, i64),
    trees: bool,
    second: impl FnOnce() -> Result<Option<Connection>> + Send,
) -> Result<(EvidencePass, Option<Tree>, Stored)> {
    let n = max_seq - min_seq + 1;
    let size = (n / 8).max(1).unsigned_abs().next_power_of_two().max(4096) as i64;
    let mut chunks = Vec::new();
    let mut after = min_seq - 1;
    while after < max_seq {
        let upto = if after + size >= max_seq {
            max_seq
        } else {
            after + size
        };
        let prev: Option<String> = conn
            .query_row(
                "SELECT chain_hash FROM evidence WHERE seq <= ?1 ORDER BY seq DESC LIMIT 1",
                [after],
                |r| r.get(0),
            )
            .optional()?;
        chunks.push(Chunk {
            after,
            upto,
            prev: prev.unwrap_or_else(|| super::super::chain::GENESIS.to_owned()),
        });
        after = upto;
    }
    let work = Work {
        log,
        parts: Mutex::new((0..chunks.len()).map(|_| None).collect()),
        chunks,
        trees,
        next: AtomicUsize::new(0),
        stored: Mutex::new(None),
    };
    std::thread::scope(|s| {
        let helper = s.spawn(|| -> Result<()> {
            match second()? {
                Some(c) => work.run(&c),
                None => Ok(()),
            }
        });
        let mine = work.run(conn);
        // A second connection that failed leaves its task undone; it is redone here.
        let theirs = helper.join().map_err(|_| anyhow!("a worker failed"))?;
        mine.and(theirs.or(Ok(())))
    })?;
    let Work {
        chunks,
        parts,
        stored,
        ..
    } = work;
    let mut parts = parts.into_inner().map_err(|_| anyhow!("a worker failed"))?;
    let stored = match stored
        .into_inner()
        .map_err(|_| anyhow!("a worker failed"))?
    {
        Some(s) => s,
        None => derived::read_stored(conn)?,
    };
    let mut passes = Vec::with_capacity(chunks.len());
    let mut trees_of = Vec::with_capacity(chunks.len());
    for (slot, c) in parts.iter_mut().zip(&chunks) {
        let (pass, tree) = match slot.take() {
            Some(p) => p,
            None => c.check(conn, log, trees)?,
        };
        passes.push(pass);
        trees_of.extend(tree);
    }
    let tree = trees.then(|| Tree::join_all(trees_of));
    Ok((evidence::join_all(passes), tree, stored))
}
