//! The evidence pass of `verify`: recomputes every row's chain link (version 2: every field
//! that carries meaning) and checks what lies outside the link against the change log: the
//! run extension (`run_count`, `run_last`), a purge (`purged`, cleared content) and content
//! that must match its digest.

use super::super::chain;
use super::super::evidence::{StoredFields, evidence_link};
use super::super::merkle::Hash;
use super::changes::{ChangePass, leaf};
use anyhow::Result;
use rusqlite::Connection;

/// What the evidence table holds.
pub(crate) struct EvidencePass {
    pub hashes: Vec<Hash>,
    pub seqs: Vec<i64>,
    pub first_break: Option<String>,
    /// The newest row's stored chain hash.
    pub head: String,
    /// Unpurged rows with an attached file: (seq, reference, digest).
    pub files: Vec<(i64, String, String)>,
    /// `evidence_facts` as the rows give it.
    pub facts: super::derived::Facts,
}

pub(crate) fn check(conn: &Connection, log: &ChangePass) -> Result<EvidencePass> {
    let mut out = EvidencePass {
        hashes: Vec::new(),
        seqs: Vec::new(),
        first_break: None,
        head: chain::GENESIS.to_owned(),
        files: Vec::new(),
        facts: super::derived::Facts::default(),
    };
    let mut stmt = conn.prepare(
        "SELECT seq, control_id, natural_key, title, source, result, effective, collected,
           expires, content, content_digest, chain_hash, summary, file_ref, keep_until,
           run_count, run_last, purged FROM evidence ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = chain::GENESIS.to_owned();
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let stored: String = r.get(11)?;
        out.hashes.push(leaf(&stored));
        out.seqs.push(seq);
        if out.first_break.is_some() {
            out.head = stored;
            continue;
        }
        let content: Option<String> = r.get(9)?;
        let digest: String = r.get(10)?;
        let expires: Option<String> = r.get(8)?;
        let file_ref: Option<String> = r.get(13)?;
        let keep_until: Option<String> = r.get(14)?;
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
            summary: r.get_ref(12)?.as_str()?,
            file_ref: file_ref.as_deref(),
            keep_until: keep_until.as_deref().unwrap_or(""),
        };
        out.facts.add(fields.control, fields.effective, fields.expires, fields.result);
        let control = fields.control.to_owned();
        let expect = evidence_link(&prev, seq, &fields);
        let run: (i64, Option<String>) = (r.get(15)?, r.get(16)?);
        let purged: Option<String> = r.get(17)?;
        let problem = if expect != stored {
            Some("chain hash does not match (a chained field was changed)".to_owned())
        } else {
            outside_link(
                log,
                seq,
                &fields,
                content.as_deref(),
                run,
                purged.as_deref(),
            )
        };
        if let Some(p) = problem {
            out.first_break = Some(format!("evidence seq {seq} (control {control}): {p}"));
        } else if purged.is_none()
            && let Some(f) = file_ref
        {
            out.files.push((seq, f, digest.clone()));
        }
        prev.clone_from(&stored);
        out.head = stored;
    }
    Ok(out)
}

/// Checks the columns a row's link does not cover against the change log.
fn outside_link(
    log: &ChangePass,
    seq: i64,
    f: &StoredFields<'_>,
    content: Option<&str>,
    run: (i64, Option<String>),
    purged: Option<&str>,
) -> Option<String> {
    if let Some(c) = content {
        if chain::sha256_hex(c.as_bytes()) != f.content_digest {
            return Some("content does not match its digest".into());
        }
    } else if purged.is_none()
        && f.file_ref.is_none()
        && chain::sha256_hex(format!("{}\n{}", f.title, f.summary).as_bytes()) != f.content_digest
    {
        return Some("content is missing but the item was never purged".into());
    }
    let (count, last) = log
        .runs
        .get(&seq)
        .map_or((1, f.collected), |(n, l)| (*n, l.as_str()));
    if run.0 != count || run.1.as_deref().unwrap_or(f.collected) != last {
        return Some(format!(
            "run_count/run_last ({}, {}) differ from the change log ({count}, {last})",
            run.0,
            run.1.as_deref().unwrap_or("")
        ));
    }
    match (purged, log.purges.get(&seq)) {
        (None, None) => None,
        (Some(p), Some(as_of)) if p == as_of && f.keep_until < as_of.as_str() => None,
        (Some(p), None) if log.legacy_purges.contains(p) && f.keep_until < p => None,
        (Some(p), _) => Some(format!(
            "marked purged on {p}, which no purge in the change log records for this item"
        )),
        (None, Some(as_of)) => Some(format!(
            "the change log records a purge on {as_of} but the item is not marked purged"
        )),
    }
}
