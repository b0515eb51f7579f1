//! The gateway panel's figures from stored runs: state now, uptime over 24 h, 7 d, 30 d and
//! each audit window, outages as intervals, and a latency sparkline of the last 24 checked
//! hours.
//!
//! Invariants: pure; "now" is the gateway's last check, so the same database always gives the
//! same figures; gaps longer than three check intervals (at least two minutes) count as
//! unchecked time and are left out of every percentage.

use super::availability::{Outage, availability};
use crate::domain::{Audit, Date, GatewayRun, GatewayState};
use serde::Serialize;

/// One gateway's panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GatewayPanel {
    /// Gateway name.
    pub name: String,
    /// State at the last check.
    pub state: GatewayState,
    /// Version last reported.
    pub version: Option<String>,
    /// Last check, seconds since the epoch.
    pub last_at: i64,
    /// Mean latency of the last 24 hours that had checks (within 7 days), oldest first; a
    /// `None` stands between two of them that are not consecutive (checking paused), so the
    /// stored history stays in view when live checks resume after a pause.
    pub latency: Vec<Option<u64>>,
    /// Uptime over the last 24 hours, 7 days and 30 days.
    pub uptime: [Option<f64>; 3],
    /// Uptime per audit window: label, percent, days observed.
    pub windows: Vec<(String, Option<f64>, i64)>,
    /// Outages in the last 30 days, newest first.
    pub outages: Vec<Outage>,
}

const HOUR: i64 = 3600;
const DAY: i64 = 86_400;

fn points(runs: &[&GatewayRun]) -> Vec<(i64, Option<GatewayState>)> {
    let mut out = Vec::with_capacity(runs.len() * 2);
    for (i, r) in runs.iter().enumerate() {
        out.push((r.first_at, Some(r.state)));
        let step = if r.n > 1 {
            (r.last_at - r.first_at) / (r.n - 1)
        } else {
            60
        };
        let stale = (3 * step).max(120);
        let next = runs.get(i + 1).map(|n| n.first_at);
        let end = r.last_at + step.max(1);
        match next {
            Some(n) if n - r.last_at > stale => out.push((end, None)),
            None => out.push((end, None)),
            _ => {}
        }
    }
    out
}

/// Panels for every gateway in `runs` (sorted by gateway, then time); `windows` are audit
/// windows as (label, start, end) in seconds.
pub fn panels(runs: &[GatewayRun], windows: &[(String, i64, i64)]) -> Vec<GatewayPanel> {
    let mut names: Vec<&str> = runs.iter().map(|r| r.gateway.as_str()).collect();
    names.dedup();
    names
        .into_iter()
        .filter_map(|name| {
            let mine: Vec<&GatewayRun> = runs.iter().filter(|r| r.gateway == name).collect();
            let last = *mine.last()?;
            let now = last.last_at + 1;
            let pts = points(&mine);
            let up = |span: i64| availability(&pts, now - span, now).0;
            let (_, mut outages) = availability(&pts, now - 30 * DAY, now);
            outages.reverse();
            outages.truncate(8);
            let latency = checked_hours(&mine, now);
            let windows = windows
                .iter()
                .filter(|(_, s, _)| *s < now)
                .map(|(label, s, e)| {
                    let end = (*e).min(now);
                    let observed: i64 = pts
                        .windows(2)
                        .filter(|w| w[0].1.is_some())
                        .map(|w| (w[1].0.min(end) - w[0].0.max(*s)).max(0))
                        .sum();
                    (label.clone(), availability(&pts, *s, end).0, observed / DAY)
                })
                .collect();
            Some(GatewayPanel {
                name: name.to_owned(),
                state: last.state,
                version: mine.iter().rev().find_map(|r| r.version.clone()),
                last_at: last.last_at,
                latency,
                uptime: [up(DAY), up(7 * DAY), up(30 * DAY)],
                windows,
                outages,
            })
        })
        .collect()
}

/// Mean latency per hour for the last 24 hours with checks in the 7 days before `now`,
/// oldest first, with a `None` between two hours that are not consecutive. A run counts in
/// the hour it started.
fn checked_hours(runs: &[&GatewayRun], now: i64) -> Vec<Option<u64>> {
    let mut hours: std::collections::BTreeMap<i64, (i64, i64)> = std::collections::BTreeMap::new();
    for r in runs
        .iter()
        .filter(|r| r.first_at >= now - 7 * DAY && r.n > 0)
    {
        let e = hours.entry(r.first_at.div_euclid(HOUR)).or_default();
        e.0 += r.latency_sum;
        e.1 += r.n;
    }
    let skip = hours.len().saturating_sub(24);
    let mut out = Vec::with_capacity(25);
    let mut prev: Option<i64> = None;
    for (h, (sum, n)) in hours.into_iter().skip(skip) {
        if prev.is_some_and(|p| p + 1 != h) {
            out.push(None);
        }
        prev = Some(h);
        out.push(u64::try_from(sum / n.max(1)).ok());
    }
    out
}

fn secs(d: Date) -> i64 {
    d.and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp())
}

/// Audit windows as (label, start, end) in seconds, end exclusive.
pub fn audit_windows(audits: &[Audit]) -> Vec<(String, i64, i64)> {
    audits
        .iter()
        .filter_map(|a| {
            let (s, e) = (a.window_start?, a.window_end?);
            Some((
                format!("{} window", a.kind.label()),
                secs(s),
                secs(e) + 86_400,
            ))
        })
        .collect()
}

/// A one-line sparkline of `values` (`┊` where None: a pause in checking).
pub fn sparkline(values: &[Option<u64>]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.iter().flatten().copied().max().unwrap_or(0).max(1);
    values
        .iter()
        .map(|v| v.map_or('┊', |v| BARS[((v * 7) / max) as usize]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(state: GatewayState, first: i64, last: i64, n: i64, lat: i64) -> GatewayRun {
        GatewayRun {
            gateway: "gw".into(),
            state,
            first_at: first,
            last_at: last,
            n,
            latency_sum: lat * n,
            latency_max: lat,
            version: Some("1.0".into()),
        }
    }

    #[test]
    fn uptime_outages_and_unchecked_gaps() {
        use GatewayState::{Down, Up};
        let t0 = 1_000 * DAY;
        // Up for 12 h (15 s checks), down 1 h, up 11 h.
        let runs = vec![
            run(Up, t0, t0 + 12 * HOUR - 15, 2880, 20),
            run(Down, t0 + 12 * HOUR, t0 + 13 * HOUR - 15, 240, 900),
            run(Up, t0 + 13 * HOUR, t0 + DAY - 16, 2640, 25),
        ];
        let p = &panels(&runs, &[("SOC 2 Type II".into(), t0, t0 + 10 * DAY)])[0];
        assert_eq!(p.state, Up);
        assert_eq!(p.uptime[0], Some(95.8));
        assert_eq!(p.outages.len(), 1);
        assert_eq!(p.outages[0].from, t0 + 12 * HOUR);
        assert_eq!(p.windows[0].1, Some(95.8));
        assert_eq!(p.latency.iter().flatten().count(), 3);
        // A six-hour gap with no checks is not counted either way.
        let gap = vec![
            run(Up, t0, t0 + HOUR, 241, 20),
            run(Down, t0 + 7 * HOUR, t0 + 8 * HOUR, 241, 20),
        ];
        let p = &panels(&gap, &[])[0];
        assert!((p.uptime[0].unwrap() - 50.0).abs() < 0.2, "{:?}", p.uptime);
        assert_eq!(sparkline(&[Some(1), None, Some(8)]), "▁┊█");
        // Hours 0 and 7 had checks: two bars with the pause between them.
        assert_eq!(p.latency, vec![Some(20), None, Some(20)]);
    }
}
