//! The evidence pass of `verify`: recomputes every row's chain link (version 2: every field
//! that carries meaning) and checks what lies outside the link against the change log: the
//! run extension (`run_count`, `run_last`), a purge (`purged`, cleared content) and content
//! that must match its digest.

use super::super::chain;
use super::super::evidence::evidence_link_bytes;
use super::super::merkle::Hash;
use super::changes::ChangePass;
use crate::store::db::Connection;
use anyhow::Result;

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
    pub facts: super::facts::Facts,
}

/// Checks the rows with `after < seq <= upto`, linking the first to `prev` (the stored chain
/// hash of the row before the range, or the genesis value). `rows` is how many rows the range
/// is expected to hold (room is made for them; 0 when unknown).
pub(crate) fn check_range(
    conn: &Connection,
    log: &ChangePass,
    after: i64,
    upto: i64,
    prev: &str,
    rows: i64,
) -> Result<EvidencePass> {
    let room = usize::try_from(rows).unwrap_or(0);
    let mut out = EvidencePass {
        hashes: Vec::with_capacity(room),
        seqs: Vec::with_capacity(room),
        first_break: None,
        head: prev.to_owned(),
        files: Vec::new(),
        facts: super::facts::Facts::with_capacity(room),
    };
    let mut stmt = conn.prepare(
        "SELECT seq, control_id, natural_key, title, source, result, effective, collected,
           expires, content, content_digest, chain_hash, summary, file_ref, keep_until,
           run_count, run_last, purged FROM evidence WHERE seq > ?1 AND seq <= ?2 ORDER BY seq",
    )?;
    let mut rows = stmt.query([after, upto])?;
    let mut prev = prev.as_bytes().to_vec();
    let mut broken = false;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let stored = r.get_ref(11)?.as_bytes()?;
        out.seqs.push(seq);
        if broken {
            out.hashes.push(chain::leaf(stored));
            prev.clear();
            prev.extend_from_slice(stored);
            continue;
        }
        // Bytes as stored: any changed byte changes the link, UTF-8 or not.
        let b = |i: usize| -> Result<&[u8]> { Ok(r.get_ref(i)?.as_bytes()?) };
        let ob = |i: usize| -> Result<Option<&[u8]>> { Ok(r.get_ref(i)?.as_bytes_or_null()?) };
        let row = Row {
            control: b(1)?,
            title: b(3)?,
            collected: b(7)?,
            expires: ob(8)?,
            content_digest: b(10)?,
            summary: b(12)?,
            file_ref: ob(13)?,
            keep_until: ob(14)?.unwrap_or(b""),
        };
        let link = evidence_link_bytes(
            &prev,
            seq,
            &[
                row.control,
                b(2)?,
                row.title,
                b(4)?,
                b(5)?,
                b(6)?,
                row.collected,
                row.expires.unwrap_or(b""),
                row.content_digest,
                row.summary,
                row.file_ref.unwrap_or(b""),
                row.keep_until,
            ],
        );
        out.facts.add(row.control, b(6)?, row.expires, b(5)?);
        let purged = ob(17)?;
        // Comparing the stored hex with the link's saves decoding it: when they agree, the
        // link is the leaf.
        let linked = chain::hex32(&link)[..] == *stored;
        out.hashes
            .push(if linked { link } else { chain::leaf(stored) });
        let problem = if linked {
            outside_link(log, seq, &row, ob(9)?, (r.get(15)?, ob(16)?), purged)
        } else {
            Some("chain hash does not match (a chained field was changed)".to_owned())
        };
        if let Some(p) = problem {
            out.first_break = Some(format!(
                "evidence seq {seq} (control {}): {p}",
                String::from_utf8_lossy(row.control)
            ));
            broken = true;
        } else if purged.is_none()
            && let Some(f) = row.file_ref
        {
            out.files.push((
                seq,
                String::from_utf8_lossy(f).into_owned(),
                String::from_utf8_lossy(row.content_digest).into_owned(),
            ));
        }
        prev.clear();
        prev.extend_from_slice(stored);
    }
    out.head = String::from_utf8_lossy(&prev).into_owned();
    out.facts.seal();
    Ok(out)
}

/// The columns of a row the checks outside the link read.
struct Row<'a> {
    control: &'a [u8],
    title: &'a [u8],
    collected: &'a [u8],
    expires: Option<&'a [u8]>,
    content_digest: &'a [u8],
    summary: &'a [u8],
    file_ref: Option<&'a [u8]>,
    keep_until: &'a [u8],
}

/// Whether `bytes` hash to the lower-case hex `digest`.
fn digest_matches(parts: &[&[u8]], digest: &[u8]) -> bool {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for p in parts {
        h.update(p);
    }
    chain::hex32(&h.finalize().into()) == digest
}

/// Checks the columns a row's link does not cover against the change log.
fn outside_link(
    log: &ChangePass,
    seq: i64,
    f: &Row<'_>,
    content: Option<&[u8]>,
    run: (i64, Option<&[u8]>),
    purged: Option<&[u8]>,
) -> Option<String> {
    if let Some(c) = content {
        if !digest_matches(&[c], f.content_digest) {
            return Some("content does not match its digest".into());
        }
    } else if purged.is_none()
        && f.file_ref.is_none()
        && !digest_matches(&[f.title, b"\n", f.summary], f.content_digest)
    {
        return Some("content is missing but the item was never purged".into());
    }
    let (count, last) = log
        .runs
        .get(&seq)
        .map_or((1, f.collected), |(n, l)| (*n, l.as_bytes()));
    if run.0 != count || run.1.unwrap_or(f.collected) != last {
        return Some(format!(
            "run_count/run_last ({}, {}) differ from the change log ({count}, {})",
            run.0,
            String::from_utf8_lossy(run.1.unwrap_or(b"")),
            String::from_utf8_lossy(last)
        ));
    }
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    match (purged, log.purges.get(&seq)) {
        (None, None) => None,
        (Some(p), Some(as_of)) if p == as_of.as_bytes() && f.keep_until < as_of.as_bytes() => None,
        (Some(p), None)
            if std::str::from_utf8(p).is_ok_and(|p| log.legacy_purges.contains(p))
                && f.keep_until < p =>
        {
            None
        }
        (Some(p), _) => Some(format!(
            "marked purged on {}, which no purge in the change log records for this item",
            text(p)
        )),
        (None, Some(as_of)) => Some(format!(
            "the change log records a purge on {as_of} but the item is not marked purged"
        )),
    }
}

/// Joins the passes of consecutive ranges, in order (each list is allocated once).
pub(crate) fn join_all(passes: Vec<EvidencePass>) -> EvidencePass {
    let rows: usize = passes.iter().skip(1).map(|p| p.hashes.len()).sum();
    let mut passes = passes.into_iter();
    // The first range's lists are grown in place; the others are appended to them.
    let Some(mut out) = passes.next() else {
        return EvidencePass {
            hashes: Vec::new(),
            seqs: Vec::new(),
            first_break: None,
            head: super::super::chain::GENESIS.to_owned(),
            files: Vec::new(),
            facts: super::facts::Facts::default(),
        };
    };
    out.hashes.reserve(rows);
    out.seqs.reserve(rows);
    out.facts.reserve(rows);
    for p in passes {
        out.hashes.extend_from_slice(&p.hashes);
        out.seqs.extend_from_slice(&p.seqs);
        out.first_break = out.first_break.or(p.first_break);
        out.head = p.head;
        out.files.extend(p.files);
        out.facts.join(p.facts);
    }
    out
}
