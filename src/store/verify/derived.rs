//! The derived checks of `verify`: the evidence head the change log recorded last, the
//! `evidence_facts` table scoring reads (recomputed from the evidence rows), and every attached
//! file rehashed through the confined path rules.

use super::super::files;
use super::changes::ChangePass;
use super::evidence::EvidencePass;
use super::facts::Facts;
use crate::store::db::Connection;
use anyhow::Result;
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
use std::path::Path;

pub(crate) fn check(
    stored: Stored,
    ev: &mut EvidencePass,
    log: &ChangePass,
    ws_dir: Option<&Path>,
    files_checked: &mut u64,
) -> Option<String> {
    if let Some((seq, head)) = &log.head
        && *head != ev.head
    {
        return Some(format!(
            "the evidence log ends at {} but change_log seq {seq} recorded head {}: rows were removed or added outside certready",
            short(&ev.head),
            short(head)
        ));
    }
    if let Some(d) = facts(&mut ev.facts, stored) {
        return Some(d);
    }
    if let Some(dir) = ws_dir {
        for (seq, r, digest) in &ev.files {
            let bytes = match files::read(dir, r) {
                Ok(b) => b,
                Err(e) => return Some(format!("evidence seq {seq}: {e}")),
            };
            *files_checked += 1;
            if crate::domain::sha256_hex(&bytes) != *digest {
                return Some(format!(
                    "evidence seq {seq}: attached file {r} does not match its recorded SHA-256"
                ));
            }
        }
    }
    None
}

fn short(h: &str) -> &str {
    h.get(..16).unwrap_or(h)
}

fn date_of(day: i64) -> String {
    chrono::DateTime::from_timestamp(day.saturating_mul(86_400), 0)
        .map_or_else(|| day.to_string(), |d| d.date_naive().to_string())
}

/// `evidence_facts` as stored: (control, effective, expires, result) and its count, the
/// controls numbered in the order first met.
pub(crate) struct Stored {
    names: Vec<String>,
    rows: Vec<((u32, i64, i64, u8), i64)>,
}

/// Reads `evidence_facts` (inside the verification's snapshot).
pub(crate) fn read_stored(conn: &Connection) -> Result<Stored> {
    let mut ids: HashMap<String, u32> = HashMap::default();
    let mut out = Stored {
        names: Vec::new(),
        rows: Vec::new(),
    };
    let mut stmt =
        conn.prepare("SELECT control_id, effective, expires, result, n FROM evidence_facts")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let control = r.get_ref(0)?.as_str()?;
        // Rows come in key order, so a control's rows are together.
        let c = if out.names.last().is_some_and(|l| l == control) {
            out.names.len() as u32 - 1
        } else if let Some(c) = ids.get(control) {
            *c
        } else {
            let c = out.names.len() as u32;
            out.names.push(control.to_owned());
            ids.insert(control.to_owned(), c);
            c
        };
        let (eff, exp, res, n): (i64, i64, i64, i64) = (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        out.rows
            .push(((c, eff, exp, u8::try_from(res).unwrap_or(u8::MAX)), n));
    }
    Ok(out)
}

/// The first row of `evidence_facts` that differs from what the evidence rows give.
fn facts(derived: &mut Facts, stored: Stored) -> Option<String> {
    let want = derived.counts();
    let remap: Vec<Option<u32>> = stored
        .names
        .iter()
        .map(|n| derived.controls.get(n.as_bytes()).copied())
        .collect();
    let mut held = Vec::with_capacity(stored.rows.len());
    for ((c, eff, exp, res), n) in stored.rows {
        let Some(c) = remap[c as usize] else {
            return Some(format!(
                "evidence_facts differs from the evidence: control {} on {} holds n={n}, the evidence rows give 0",
                stored.names[c as usize],
                date_of(eff)
            ));
        };
        held.push(((c, eff, exp, res), n));
    }
    held.sort_unstable();
    let describe = |k: &(u32, i64, i64, u8), holds: i64, gives: i64| {
        format!(
            "evidence_facts differs from the evidence: control {} on {} holds n={holds}, the evidence rows give {gives}",
            derived.names[k.0 as usize],
            date_of(k.1)
        )
    };
    let (mut i, mut j) = (0, 0);
    while i < want.len() || j < held.len() {
        match (want.get(i), held.get(j)) {
            (Some((wk, wn)), Some((sk, sn))) if wk == sk => {
                if wn != sn {
                    return Some(describe(wk, *sn, *wn));
                }
                i += 1;
                j += 1;
            }
            (Some((wk, wn)), Some((sk, _))) if wk < sk => return Some(describe(wk, 0, *wn)),
            (Some((wk, wn)), None) => return Some(describe(wk, 0, *wn)),
            (_, Some((sk, sn))) => return Some(describe(sk, *sn, 0)),
            (None, None) => break,
        }
    }
    None
}
