//! The writer's backlog: observations waiting to be written when a write failed for a reason
//! that passes (a full disk, a busy or locked database, an I/O error). The writer keeps
//! polling, keeps the observations and retries with backoff; nothing here speaks SQL, the
//! caller says which errors pass.
//!
//! Invariants: observations are written in the order they came, none is lost while fewer than
//! [`MAX_PENDING`] wait (beyond that the oldest go, and are counted); retries back off from
//! 500 ms, doubling, to 30 s; an episode of failures is announced once when it starts and once
//! when it ends.

use crate::domain::Observation;
use std::fmt::Display;
use std::time::{Duration, Instant};

/// The most observations kept while writes fail.
pub const MAX_PENDING: usize = 100_000;
/// The first wait after a failed write.
pub const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// The longest wait between retries.
pub const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Observations waiting for the writer.
#[derive(Default)]
pub struct Backlog {
    pending: Vec<Observation>,
    failures: u32,
    backoff: Duration,
    next_try: Option<Instant>,
    dropped: usize,
}

/// What one flush did.
pub enum Flushed<T> {
    /// Nothing was due.
    Idle,
    /// Written: the writer's answer, the observations written, and a line to print when this
    /// ended an episode of failures.
    Written(T, Vec<Observation>, Option<String>),
    /// The write failed for a reason that passes; kept for a retry. A line to print when this
    /// started an episode.
    Retrying(Option<String>),
}

impl Backlog {
    /// Adds a batch (after any that wait).
    pub fn push(&mut self, batch: Vec<Observation>) {
        self.pending.extend(batch);
        if self.pending.len() > MAX_PENDING {
            let over = self.pending.len() - MAX_PENDING;
            self.pending.drain(..over);
            self.dropped += over;
        }
    }

    /// Observations waiting.
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    /// Whether none wait.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// How long until the next write is due (zero when due now).
    pub fn wait(&self, now: Instant) -> Duration {
        self.next_try
            .map_or(Duration::ZERO, |t| t.saturating_duration_since(now))
    }

    /// Writes what waits if it is due: `write` gets every waiting observation; an error for
    /// which `passes` is false is returned as it is (and the observations stay).
    pub fn flush<T, E: Display>(
        &mut self,
        now: Instant,
        write: impl FnOnce(&[Observation]) -> Result<T, E>,
        passes: impl Fn(&E) -> bool,
    ) -> Result<Flushed<T>, E> {
        if self.pending.is_empty() || self.wait(now) > Duration::ZERO {
            return Ok(Flushed::Idle);
        }
        match write(&self.pending) {
            Ok(t) => {
                let note = (self.failures > 0).then(|| {
                    let lost = if self.dropped > 0 {
                        format!("; {} older observation(s) were dropped to bound memory", self.dropped)
                    } else {
                        String::new()
                    };
                    format!(
                        "database writes resumed: {} observation(s) written after {} failed attempt(s){lost}",
                        self.pending.len(),
                        self.failures
                    )
                });
                self.failures = 0;
                self.dropped = 0;
                self.next_try = None;
                Ok(Flushed::Written(t, std::mem::take(&mut self.pending), note))
            }
            Err(e) if passes(&e) => {
                self.backoff = if self.failures == 0 {
                    FIRST_BACKOFF
                } else {
                    (self.backoff * 2).min(MAX_BACKOFF)
                };
                self.failures += 1;
                self.next_try = Some(now + self.backoff);
                Ok(Flushed::Retrying((self.failures == 1).then(|| {
                    format!(
                        "database write failed ({e}); still polling, keeping {} observation(s) and retrying with backoff (up to every {}s)",
                        self.pending.len(),
                        MAX_BACKOFF.as_secs()
                    )
                })))
            }
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(n: usize) -> Vec<Observation> {
        (0..n)
            .map(|i| Observation {
                source: format!("s{i}"),
                kind: "http",
                controls: vec![],
                at: 0,
                ok: true,
                summary: String::new(),
                content: String::new(),
                latency_ms: 0,
                attempts: 1,
                gateway: None,
                fail_after: 3,
                interval_s: 60,
            })
            .collect()
    }

    #[test]
    fn a_passing_failure_keeps_the_batch_backs_off_and_says_so_once() {
        let mut b = Backlog::default();
        let t0 = Instant::now();
        b.push(obs(2));
        let fail = |_: &[Observation]| Err::<(), _>("disk full");
        let first = b.flush(t0, fail, |_| true).unwrap();
        assert!(matches!(first, Flushed::Retrying(Some(ref m)) if m.contains("disk full")));
        assert_eq!(b.wait(t0), FIRST_BACKOFF);
        assert!(matches!(
            b.flush(t0, fail, |_| true).unwrap(),
            Flushed::Idle
        ));
        let t1 = t0 + FIRST_BACKOFF;
        assert!(matches!(
            b.flush(t1, fail, |_| true).unwrap(),
            Flushed::Retrying(None)
        ));
        assert_eq!(b.wait(t1), FIRST_BACKOFF * 2, "the backoff doubles");
        b.push(obs(1));
        let t2 = t1 + FIRST_BACKOFF * 2;
        match b
            .flush(t2, |o: &[Observation]| Ok::<_, &str>(o.len()), |_| true)
            .unwrap()
        {
            Flushed::Written(n, written, Some(note)) => {
                assert_eq!((n, written.len()), (3, 3));
                assert!(note.contains("after 2 failed attempt(s)"), "{note}");
            }
            _ => panic!("expected a write"),
        }
        assert!(b.is_empty());
        b.push(obs(1));
        assert!(
            b.flush(t2, fail, |_| false).is_err(),
            "other errors are returned"
        );
        assert_eq!(b.len(), 1);
    }
}
