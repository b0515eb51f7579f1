//! Resuming the schedule after a restart: each source's first check is due one interval after
//! its last stored check, so a stop and start (or a crash) does not poll everything at once.
//!
//! Invariants: pure (the current time is a parameter); a source never polled, or overdue, is
//! left to the pollers' start-up jitter; a delay is never longer than the source's interval
//! (a stored time in the future, from a clock set back, cannot stall a source).

use crate::collect::spec::Spec;
use crate::store::SourceRow;
use std::collections::HashMap;
use std::time::Duration;

/// When each source's first check is due.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Delay before the first check, for sources whose next check is not yet due.
    pub first: HashMap<String, Duration>,
    /// Configured sources with a stored last check.
    pub known: usize,
    /// Of those, the ones already due (polled after the start-up jitter).
    pub overdue: usize,
    /// Seconds since the newest stored check.
    pub newest_age: Option<i64>,
}

/// The plan for `specs` from the stored source rows, at `now` (seconds since the epoch).
pub fn plan(rows: &[SourceRow], specs: &[Spec], now: i64) -> Plan {
    let mut p = Plan::default();
    for spec in specs {
        let Some(last) = rows
            .iter()
            .find(|r| r.name == spec.name)
            .and_then(|r| r.last_at)
        else {
            continue;
        };
        p.known += 1;
        let age = now - last;
        p.newest_age = Some(p.newest_age.map_or(age, |a| a.min(age)));
        let wait = match u64::try_from(age) {
            Err(_) => Some(spec.interval),
            Ok(s) => spec
                .interval
                .checked_sub(Duration::from_secs(s))
                .filter(|w| !w.is_zero()),
        };
        match wait {
            Some(w) => {
                p.first.insert(spec.name.clone(), w);
            }
            None => p.overdue += 1,
        }
    }
    p
}

/// `1h02m`, `3m07s`, `42s`.
pub fn span(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
    }
}

impl Plan {
    /// The start-up line: whether this run resumed, and when the first checks are due.
    pub fn line(&self, sources: usize) -> String {
        if self.known == 0 {
            return format!(
                "poll: no stored state; first checks of {sources} source(s) spread over up to 30s"
            );
        }
        let age = self.newest_age.map_or(String::new(), |a| {
            format!(
                " (last stored check {} ago)",
                span(Duration::from_secs(a.unsigned_abs()))
            )
        });
        let next = self
            .first
            .values()
            .min()
            .map_or(String::new(), |d| format!(", the first in {}", span(*d)));
        format!(
            "poll: resumed from stored state{age}: {} of {sources} source(s) known; {} wait for their next check{next}; {} overdue and {} new checked within 30s",
            self.known,
            self.first.len(),
            self.overdue,
            sources - self.known
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str, secs: u64) -> Spec {
        let cfg = crate::collect::config::parse(
            "t.toml",
            &format!(
                "[[source]]\nname = \"{name}\"\nkind = \"http\"\nurl = \"http://127.0.0.1:9/\"\ninterval = \"{secs}s\"\ncontrols = [\"X\"]\n"
            ),
        )
        .expect("config");
        crate::collect::spec::resolve(&cfg, std::path::Path::new("."), &|_| None)
            .pop()
            .expect("one spec")
    }

    fn row(name: &str, last_at: Option<i64>) -> SourceRow {
        SourceRow {
            name: name.into(),
            kind: "http".into(),
            controls: vec![],
            last_at,
            last_ok: Some(true),
            last_summary: String::new(),
            latency_ms: None,
            interval_s: 60,
            consecutive_failures: 0,
            checks: 1,
            failures: 0,
            finding_id: None,
        }
    }

    #[test]
    fn the_first_check_is_due_one_interval_after_the_stored_one() {
        let now = 1_800_000_000;
        let specs = [
            spec("recent", 3600),
            spec("overdue", 60),
            spec("new", 60),
            spec("future", 600),
        ];
        let rows = [
            row("recent", Some(now - 10)),
            row("overdue", Some(now - 61)),
            row("future", Some(now + 5000)),
            row("gone", Some(now)),
        ];
        let p = plan(&rows, &specs, now);
        assert_eq!(p.first.get("recent"), Some(&Duration::from_secs(3590)));
        assert_eq!(p.first.get("future"), Some(&Duration::from_secs(600)));
        assert!(!p.first.contains_key("overdue") && !p.first.contains_key("new"));
        assert_eq!((p.known, p.overdue, p.newest_age), (3, 1, Some(-5000)));
        let line = p.line(4);
        assert!(line.starts_with("poll: resumed"), "{line}");
        assert!(line.contains("3 of 4 source(s) known; 2 wait"), "{line}");
        let fresh = plan(&[], &specs, now);
        assert_eq!(fresh, Plan::default());
        assert!(!fresh.line(4).contains("resumed"));
    }

    #[test]
    fn spans_read_like_a_clock() {
        assert_eq!(span(Duration::from_secs(42)), "42s");
        assert_eq!(span(Duration::from_secs(187)), "3m07s");
        assert_eq!(span(Duration::from_secs(3720)), "1h02m");
    }
}
