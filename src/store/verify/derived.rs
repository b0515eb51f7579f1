//! The derived checks of `verify`: the evidence head the change log recorded last, the
//! `evidence_facts` table scoring reads (recomputed from the evidence rows), and every attached
//! file rehashed through the confined path rules.

use super::super::files;
use super::changes::ChangePass;
use super::evidence::EvidencePass;
use anyhow::Result;
use rusqlite::Connection;
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

/// Per-day evidence counts as the `evidence_facts` triggers derive them: one entry per row
/// (control, effective day, expiry day or -1, result code), counted when compared.
#[derive(Default)]
pub(crate) struct Facts {
    /// Control IDs as stored (bytes) to their numbers.
    controls: HashMap<Vec<u8>, u32>,
    names: Vec<String>,
    rows: Vec<(u32, i64, i64, u8)>,
}

/// Days since 1970-01-01 of `YYYY-MM-DD`, as `julianday(d) - 2440587.5` gives them.
fn day(d: &[u8]) -> Option<i64> {
    if d.len() == 10 && d[4] == b'-' && d[7] == b'-' {
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            d[r].iter().try_fold(0i64, |n, c| {
                c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
            })
        };
        return civil_days(num(0..4)?, num(5..7)?, num(8..10)?);
    }
    std::str::from_utf8(d)
        .ok()?
        .parse::<chrono::NaiveDate>()
        .ok()
        .map(|x| {
            x.signed_duration_since(chrono::NaiveDate::default())
                .num_days()
        })
}

/// Days since 1970-01-01 of a valid proleptic Gregorian date (the civil-from-days inverse of
/// H. Hinnant's algorithm); `None` for a month or day that does not exist.
fn civil_days(y: i64, m: i64, d: i64) -> Option<i64> {
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let len = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !(1..=len).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

impl Facts {
    pub(crate) fn with_capacity(rows: usize) -> Self {
        Self {
            rows: Vec::with_capacity(rows),
            ..Self::default()
        }
    }

    /// Makes room for `rows` more entries.
    pub(crate) fn reserve(&mut self, rows: usize) {
        self.rows.reserve(rows);
    }

    pub(crate) fn add(
        &mut self,
        control: &[u8],
        effective: &[u8],
        expires: Option<&[u8]>,
        result: &[u8],
    ) {
        let c = self.control(control);
        let eff = day(effective).unwrap_or(i64::MIN);
        let exp = expires.map_or(-1, |e| day(e).unwrap_or(i64::MIN));
        let res = match result {
            b"pass" => 0,
            b"fail" => 1,
            _ => 2,
        };
        self.rows.push((c, eff, exp, res));
    }

    fn control(&mut self, name: &[u8]) -> u32 {
        if let Some(c) = self.controls.get(name) {
            return *c;
        }
        let c = self.names.len() as u32;
        self.names.push(String::from_utf8_lossy(name).into_owned());
        self.controls.insert(name.to_vec(), c);
        c
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
                if let Some(c) = self.controls.get(name.as_bytes()) {
                    *c
                } else {
                    let c = self.names.len() as u32;
                    self.names.push(name.clone());
                    self.controls.insert(name.as_bytes().to_vec(), c);
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

#[cfg(test)]
mod tests {
    use super::day;

    #[test]
    fn days_agree_with_chrono_for_every_day_of_four_centuries_and_refuse_what_does_not_exist() {
        let epoch = chrono::NaiveDate::default();
        let mut d = chrono::NaiveDate::from_ymd_opt(1799, 12, 25).expect("date");
        while d.to_string().as_str() < "2201-01-05" {
            let want = d.signed_duration_since(epoch).num_days();
            assert_eq!(day(d.to_string().as_bytes()), Some(want), "{d}");
            d = d.succ_opt().expect("next day");
        }
        for bad in [
            "2026-02-29",
            "2024-02-30",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "2026-1a-01",
        ] {
            assert_eq!(day(bad.as_bytes()), None, "{bad}");
        }
        assert_eq!(day(b"2024-02-29"), Some(19_782));
        assert_eq!(day(b"0000-01-01"), Some(-719_528));
    }
}
