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
    ev: &EvidencePass,
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
    if let Some(d) = facts(conn, &ev.facts)? {
        return Ok(Some(d));
    }
    if let Some(dir) = ws_dir {
        for (seq, r, digest) in &ev.files {
            let bytes = match files::read(dir, r) {
                Ok(b) => b,
                Err(e) => return Ok(Some(format!("evidence seq {seq}: {e}"))),
            };
            *files_checked += 1;
            if super::super::chain::sha256_hex(&bytes) != *digest {
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

/// Per-day evidence counts as the `evidence_facts` triggers derive them: (control, effective
/// day, expiry day or -1, result code) → rows.
#[derive(Default)]
pub(crate) struct Facts {
    controls: HashMap<String, u32>,
    names: Vec<String>,
    counts: HashMap<(u32, i64, i64, u8), i64>,
}

/// Days since 1970-01-01, as `julianday(d) - 2440587.5`; `None` when not a date.
fn day(d: &str) -> Option<i64> {
    let date: chrono::NaiveDate = d.parse().ok()?;
    Some(date.signed_duration_since(chrono::NaiveDate::default()).num_days())
}

impl Facts {
    pub(crate) fn add(&mut self, control: &str, effective: &str, expires: Option<&str>, result: &str) {
        let c = match self.controls.get(control) {
            Some(c) => *c,
            None => {
                let c = self.names.len() as u32;
                self.names.push(control.to_owned());
                self.controls.insert(control.to_owned(), c);
                c
            }
        };
        let eff = day(effective).unwrap_or(i64::MIN);
        let exp = expires.map_or(-1, |e| day(e).unwrap_or(i64::MIN));
        let res = match result {
            "pass" => 0,
            "fail" => 1,
            _ => 2,
        };
        *self.counts.entry((c, eff, exp, res)).or_default() += 1;
    }
}

fn date_of(day: i64) -> String {
    chrono::DateTime::from_timestamp(day.saturating_mul(86_400), 0)
        .map_or_else(|| day.to_string(), |d| d.date_naive().to_string())
}

/// The first row of `evidence_facts` that differs from what the evidence rows give.
fn facts(conn: &Connection, derived: &Facts) -> Result<Option<String>> {
    let mut left = derived.counts.clone();
    let mut stmt =
        conn.prepare("SELECT control_id, effective, expires, result, n FROM evidence_facts")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let control: String = r.get(0)?;
        let (eff, exp, res, n): (i64, i64, i64, i64) = (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        let key = derived
            .controls
            .get(&control)
            .map(|c| (*c, eff, exp, u8::try_from(res).unwrap_or(u8::MAX)));
        let want = key.and_then(|k| left.remove(&k));
        if want != Some(n) {
            return Ok(Some(format!(
                "evidence_facts differs from the evidence: control {control} on {} holds n={n}, the evidence rows give {}",
                date_of(eff),
                want.unwrap_or(0)
            )));
        }
    }
    Ok(left.into_iter().min().map(|((c, eff, _, _), n)| {
        format!(
            "evidence_facts differs from the evidence: control {} on {} should hold n={n}",
            derived.names[c as usize],
            date_of(eff)
        )
    }))
}
