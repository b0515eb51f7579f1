//! The evidence pass of `verify`: recomputes every row's chain link (version 2: every field
//! that carries meaning) and checks what lies outside the link against the change log: the
//! run extension (`run_count`, `run_last`), a purge (`purged`, cleared content) and content
//! that must match its digest.

use super::super::evidence::{StoredFields, evidence_link_raw};
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

/// Checks the rows with `after < seq <= upto`, linking the first to `prev` (the stored chain
/// hash of the row before the range, or the genesis value).
pub(crate) fn check_range(
    conn: &Connection,
    log: &ChangePass,
    after: i64,
    upto: i64,
    prev: &str,
) -> Result<EvidencePass> {
    let mut out = EvidencePass {
        hashes: Vec::new(),
        seqs: Vec::new(),
        first_break: None,
        head: prev.to_owned(),
        files: Vec::new(),
        facts: super::derived::Facts::default(),
    };
    let mut stmt = conn.prepare(
        "SELECT seq, control_id, natural_key, title, source, result, effective, collected,
           expires, content, content_digest, chain_hash, summary, file_ref, keep_until,
           run_count, run_last, purged FROM evidence WHERE seq > ?1 AND seq <= ?2 ORDER BY seq",
    )?;
    let mut rows = stmt.query([after, upto])?;
    let mut prev = prev.to_owned();
    let mut broken = false;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let stored = r.get_ref(11)?.as_str()?;
        let stored_leaf = leaf(stored);
        out.hashes.push(stored_leaf);
        out.seqs.push(seq);
        if broken {
            prev.clear();
            prev.push_str(stored);
            continue;
        }
        let text = |i: usize| -> Result<&str> { Ok(r.get_ref(i)?.as_str()?) };
        let opt = |i: usize| -> Result<Option<&str>> { Ok(r.get_ref(i)?.as_str_or_null()?) };
        let fields = StoredFields {
            control: text(1)?,
            natural_key: text(2)?,
            title: text(3)?,
            source: text(4)?,
            result: text(5)?,
            effective: text(6)?,
            collected: text(7)?,
            expires: opt(8)?,
            content_digest: text(10)?,
            summary: text(12)?,
            file_ref: opt(13)?,
            keep_until: opt(14)?.unwrap_or(""),
        };
        out.facts.add(
            fields.control,
            fields.effective,
            fields.expires,
            fields.result,
        );
        let purged = opt(17)?;
        let problem = if evidence_link_raw(&prev, seq, &fields) == stored_leaf {
            outside_link(log, seq, &fields, opt(9)?, (r.get(15)?, opt(16)?), purged)
        } else {
            Some("chain hash does not match (a chained field was changed)".to_owned())
        };
        if let Some(p) = problem {
            out.first_break = Some(format!(
                "evidence seq {seq} (control {}): {p}",
                fields.control
            ));
            broken = true;
        } else if purged.is_none()
            && let Some(f) = fields.file_ref
        {
            out.files
                .push((seq, f.to_owned(), fields.content_digest.to_owned()));
        }
        prev.clear();
        prev.push_str(stored);
    }
    out.head = prev;
    out.facts.seal();
    Ok(out)
}

/// Checks the columns a row's link does not cover against the change log.
fn outside_link(
    log: &ChangePass,
    seq: i64,
    f: &StoredFields<'_>,
    content: Option<&str>,
    run: (i64, Option<&str>),
    purged: Option<&str>,
) -> Option<String> {
    if let Some(c) = content {
        if crate::domain::sha256_hex(c.as_bytes()) != f.content_digest {
            return Some("content does not match its digest".into());
        }
    } else if purged.is_none()
        && f.file_ref.is_none()
        && crate::domain::sha256_hex(format!("{}\n{}", f.title, f.summary).as_bytes())
            != f.content_digest
    {
        return Some("content is missing but the item was never purged".into());
    }
    let (count, last) = log
        .runs
        .get(&seq)
        .map_or((1, f.collected), |(n, l)| (*n, l.as_str()));
    if run.0 != count || run.1.unwrap_or(f.collected) != last {
        return Some(format!(
            "run_count/run_last ({}, {}) differ from the change log ({count}, {last})",
            run.0,
            run.1.unwrap_or("")
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

/// Joins the passes of two consecutive ranges.
pub(crate) fn join(mut a: EvidencePass, b: EvidencePass) -> EvidencePass {
    a.hashes.extend(b.hashes);
    a.seqs.extend(b.seqs);
    a.first_break = a.first_break.or(b.first_break);
    a.head = b.head;
    a.files.extend(b.files);
    a.facts.join(b.facts);
    a
}
