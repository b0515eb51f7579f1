//! Availability from a series of checks: uptime over a span, and outages as intervals.
//! A check's state holds until the next check; degraded counts as available, down does not;
//! `None` marks time nobody checked (the pollers were not running), left out of the figure.
//!
//! Invariant: pure (no clock, no I/O); the pollers in `collect` record the checks, this only
//! counts them.

use crate::domain::GatewayState as State;
use serde::Serialize;

/// An interval of unavailability, seconds since the epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Outage {
    /// First second down.
    pub from: i64,
    /// First second up again (or the end of the span).
    pub to: i64,
}

/// Uptime percent over `[start, end)` and the outages in it; checks sorted by time. Time
/// before the first check in the span takes the last state before it, or counts as unknown
/// (left out of the denominator) when there is none.
pub fn availability(
    checks: &[(i64, Option<State>)],
    start: i64,
    end: i64,
) -> (Option<f64>, Vec<Outage>) {
    if end <= start {
        return (None, Vec::new());
    }
    let mut state = checks
        .iter()
        .rev()
        .find(|(t, _)| *t <= start)
        .and_then(|(_, s)| *s);
    let mut at = start;
    let (mut known, mut down) = (0i64, 0i64);
    let mut outages: Vec<Outage> = Vec::new();
    let close = |from: i64,
                 to: i64,
                 s: Option<State>,
                 known: &mut i64,
                 down: &mut i64,
                 outages: &mut Vec<Outage>| {
        if to <= from {
            return;
        }
        if let Some(s) = s {
            *known += to - from;
            if s == State::Down {
                *down += to - from;
                match outages.last_mut() {
                    Some(o) if o.to == from => o.to = to,
                    _ => outages.push(Outage { from, to }),
                }
            }
        }
    };
    for (t, s) in checks.iter().filter(|(t, _)| *t > start && *t < end) {
        close(at, *t, state, &mut known, &mut down, &mut outages);
        at = *t;
        state = *s;
    }
    close(at, end, state, &mut known, &mut down, &mut outages);
    let pct = (known > 0).then(|| ((known - down) as f64 * 1000.0 / known as f64).round() / 10.0);
    (pct, outages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uptime_and_outages_over_a_day() {
        let day = 86_400;
        let checks = [
            (0, Some(State::Up)),
            (3_600, Some(State::Down)),
            (5_400, Some(State::Degraded)),
            (7_200, Some(State::Up)),
        ];
        let (pct, out) = availability(&checks, 0, day);
        assert_eq!(
            out,
            vec![Outage {
                from: 3_600,
                to: 5_400
            }]
        );
        assert_eq!(pct, Some(97.9));
        // A span that starts in the outage takes the state before it.
        let (_, out) = availability(&checks, 4_000, 6_000);
        assert_eq!(
            out,
            vec![Outage {
                from: 4_000,
                to: 5_400
            }]
        );
        // Nothing known before the first check.
        assert_eq!(availability(&[], 0, day).0, None);
        assert_eq!(
            availability(&[(10, Some(State::Down))], 0, 20),
            (Some(0.0), vec![Outage { from: 10, to: 20 }])
        );
        // Unchecked time is left out: up 10 s, unknown 80 s, down 10 s → 50%.
        let gap = [(0, Some(State::Up)), (10, None), (90, Some(State::Down))];
        assert_eq!(availability(&gap, 0, 100).0, Some(50.0));
    }
}
