//! The evidence facts the rows give, counted as the `evidence_facts` triggers count them:
//! (control, effective day, expiry day or -1, result code). Each chunk of the evidence pass
//! fills its own, sorted, and they are joined in order.
//!
//! Invariant: a day number is what SQLite's `julianday(d) - 2440587.5` gives for a valid
//! `YYYY-MM-DD`; a date that does not exist gives none, as before.

type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// Per-day evidence counts as the `evidence_facts` triggers derive them: one entry per row
/// (control, effective day, expiry day or -1, result code), counted when compared.
#[derive(Default)]
pub(crate) struct Facts {
    /// Control IDs as stored (bytes) to their numbers.
    pub(super) controls: HashMap<Vec<u8>, u32>,
    pub(super) names: Vec<String>,
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
    pub(super) fn counts(&mut self) -> Vec<((u32, i64, i64, u8), i64)> {
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
