//! The derived checks of `verify`: the evidence head the change log recorded last, the
//! `evidence_facts` table scoring reads (recomputed from the evidence rows), and every attached
//! file rehashed through the confined path rules.

use super::super::files;
use super::changes::ChangePass;
use super::evidence::EvidencePass;
use anyhow::Result;
use rusqlite::Connection;
use std::collections::HashMap;
use std::path::Path;

pub(crate) fn check(
    conn: &Connection,
    ev: &mut EvidencePass,
    log: &ChangePass,
    ws_dir: Option<&Path>,
    files_checked: &mut u64,
) -> Result<Option<String>> {
    if let Some((seq, head)) = &log.head
        && *head != ev.head
    {
        return Ok(Some(format!(
            "the evidence log ends at {} but change_log seq {seq} recorded head {}: rows were removed or added outside certready",
            short(&ev.head),
            short(head)
        )));
    }
    if let Some(d) = facts(conn, &mut ev.facts)? {
        return Ok(Some(d));
    }
    if let Some(dir) = ws_dir {
        for (seq, r, digest) in &ev.files {
            let bytes = match files::read(dir, r) {
                Ok(b) => b,
                Err(e) => return Ok(Some(format!("evidence seq {seq}: {e}"))),
            };
            *files_checked += 1;
            if crate::domain::sha256_hex(&bytes) != *digest {
                return Ok(Some(format!(
                    "evidence seq {seq}: attached file {r} does not match its recorded SHA-256"
                )));
            }
        }
    }
    Ok(None)
}

fn short(h: &str) -> &str {
    h.get(..16).unwrap_or(h)
}

/// Per-day evidence counts as the `evidence_facts` triggers derive them: one entry per row
/// (control, effective day, expiry day or -1, result code), counted when compared.
#[derive(Default)]
pub(crate) struct Facts {
    controls: HashMap<String, u32>,
    names: Vec<String>,
    rows: Vec<(u32, i64, i64, u8)>,
}

/// Days since 1970-01-01 of `YYYY-MM-DD`, as `julianday(d) - 2440587.5` gives them.
fn day(d: &str) -> Option<i64> {
    let b = d.as_bytes();
    let num = |r: std::ops::Range<usize>| d.get(r)?.parse::<u32>().ok();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return d.parse::<chrono::NaiveDate>().ok().map(|x| {
            x.signed_duration_since(chrono::NaiveDate::default())
                .num_days()
        });
    }
    let date = chrono::NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    Some(
        date.signed_duration_since(chrono::NaiveDate::default())
            .num_days(),
    )
}

impl Facts {
    pub(crate) fn add(
        &mut self,
        control: &str,
        effective: &str,
        expires: Option<&str>,
        result: &str,
    ) {
        let c = if let Some(c) = self.controls.get(control) {
            *c
        } else {
            let c = self.names.len() as u32;
            self.names.push(control.to_owned());
            self.controls.insert(control.to_owned(), c);
            c
        };
        let eff = day(effective).unwrap_or(i64::MIN);
        let exp = expires.map_or(-1, |e| day(e).unwrap_or(i64::MIN));
        let res = match result {
            "pass" => 0,
            "fail" => 1,
            _ => 2,
        };
        self.rows.push((c, eff, exp, res));
    }

    /// Sorts this range's entries (each range does so on its own thread).
    pub(crate) fn seal(&mut self) {
        self.rows.sort_unstable();
    }

    /// Takes in the facts of the next range.
    pub(crate) fn join(&mut self, other: Self) {
        let remap: Vec<u32> = other
            .names
            .iter()
            .map(|name| {
                if let Some(c) = self.controls.get(name) {
                    *c
                } else {
                    let c = self.names.len() as u32;
                    self.names.push(name.clone());
                    self.controls.insert(name.clone(), c);
                    c
                }
            })
            .collect();
        self.rows.extend(
            other
                .rows
                .into_iter()
                .map(|(c, eff, exp, res)| (remap[c as usize], eff, exp, res)),
        );
    }

    /// (control, effective, expires, result) and the rows that give it, in key order.
    fn counts(&mut self) -> Vec<((u32, i64, i64, u8), i64)> {
        let mut rows = std::mem::take(&mut self.rows);
        // Runs already sorted per range: the stable sort merges them in linear time, where an
        // unstable sort would start over.
        #[allow(clippy::stable_sort_primitive)]
        rows.sort();
        rows.chunk_by(|a, b| a == b)
            .map(|run| (run[0], run.len() as i64))
            .collect()
    }
}

fn date_of(day: i64) -> String {
    chrono::DateTime::from_timestamp(day.saturating_mul(86_400), 0)
        .map_or_else(|| day.to_string(), |d| d.date_naive().to_string())
}

/// The first row of `evidence_facts` that differs from what the evidence rows give.
fn facts(conn: &Connection, derived: &mut Facts) -> Result<Option<String>> {
    let want = derived.counts();
    let mut stored: Vec<((u32, i64, i64, u8), i64)> = Vec::new();
    let mut stmt =
        conn.prepare("SELECT control_id, effective, expires, result, n FROM evidence_facts")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let control = r.get_ref(0)?.as_str()?;
        let (eff, exp, res, n): (i64, i64, i64, i64) = (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        let Some(c) = derived.controls.get(control) else {
            return Ok(Some(format!(
                "evidence_facts differs from the evidence: control {control} on {} holds n={n}, the evidence rows give 0",
                date_of(eff)
            )));
        };
        stored.push(((*c, eff, exp, u8::try_from(res).unwrap_or(u8::MAX)), n));
    }
    stored.sort_unstable();
    let describe = |k: &(u32, i64, i64, u8), holds: i64, gives: i64| {
        format!(
            "evidence_facts differs from the evidence: control {} on {} holds n={holds}, the evidence rows give {gives}",
            derived.names[k.0 as usize],
            date_of(k.1)
        )
    };
    let (mut i, mut j) = (0, 0);
    while i < want.len() || j < stored.len() {
        match (want.get(i), stored.get(j)) {
            (Some((wk, wn)), Some((sk, sn))) if wk == sk => {
                if wn != sn {
                    return Ok(Some(describe(wk, *sn, *wn)));
                }
                i += 1;
                j += 1;
            }
            (Some((wk, wn)), Some((sk, _))) if wk < sk => return Ok(Some(describe(wk, 0, *wn))),
            (Some((wk, wn)), None) => return Ok(Some(describe(wk, 0, *wn))),
            (_, Some((sk, sn))) => return Ok(Some(describe(sk, *sn, 0))),
            (None, None) => break,
        }
    }
    Ok(None)
}
