//! Whether a gateway may be shown as up: the one decision `status`, `status --json`, the
//! review pack and the dashboard share.
//!
//! Invariants: pure (the time is a parameter); a gateway is Up, Down or Degraded only when it
//! is configured and its last check is recent (within three check intervals, at least two
//! minutes, of `now`); a configured gateway with an older check is Stale since that check; a
//! gateway not configured is NotConfigured whatever the database still holds.

use crate::domain::GatewayState;
use serde::Serialize;

/// What may be said of a gateway now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum Shown {
    /// Configured, checked recently, answering.
    Up,
    /// Configured, checked recently, not answering.
    Down,
    /// Configured, checked recently, answering slowly or partly.
    Degraded,
    /// Configured, but the last check (seconds since the epoch) is too old to say.
    Stale {
        /// The last check.
        since: i64,
    },
    /// Not in the workspace's configuration.
    NotConfigured,
}

impl Shown {
    /// The state word: `up`, `down`, `degraded`, `stale` or `not_configured`.
    pub fn as_str(self) -> &'static str {
        match self {
            Shown::Up => "up",
            Shown::Down => "down",
            Shown::Degraded => "degraded",
            Shown::Stale { .. } => "stale",
            Shown::NotConfigured => "not_configured",
        }
    }

    /// The words for people: `up`, `stale since 2026-11-25 23:59 UTC`, `not configured`.
    pub fn describe(self) -> String {
        match self {
            Shown::Stale { since } => format!("stale since {}", stamp(since)),
            Shown::NotConfigured => "not configured".to_owned(),
            other => other.as_str().to_owned(),
        }
    }
}

/// A time in seconds since the epoch as `YYYY-MM-DD HH:MM UTC`.
pub fn stamp(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0).map_or_else(
        || secs.to_string(),
        |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
    )
}

/// The state to show for a gateway whose last check (`last_at`, state `last`) is known:
/// `configured` says whether the configuration names it, `interval` is its check interval in
/// seconds and `now` the present time in seconds.
pub fn shown(configured: bool, (state, at): (GatewayState, i64), interval: u64, now: i64) -> Shown {
    if !configured {
        return Shown::NotConfigured;
    }
    let window = i64::try_from(interval.saturating_mul(3))
        .unwrap_or(i64::MAX)
        .max(120);
    if now.saturating_sub(at) > window {
        return Shown::Stale { since: at };
    }
    match state {
        GatewayState::Up => Shown::Up,
        GatewayState::Down => Shown::Down,
        GatewayState::Degraded => Shown::Degraded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_only_from_a_recent_check_of_a_configured_gateway() {
        let at = 1_000_000;
        let up = (GatewayState::Up, at);
        assert_eq!(shown(false, up, 15, at + 10), Shown::NotConfigured);
        assert_eq!(shown(true, up, 15, at + 10), Shown::Up);
        assert_eq!(shown(true, up, 15, at + 121), Shown::Stale { since: at });
        assert_eq!(shown(true, up, 300, at + 900), Shown::Up);
        assert_eq!(shown(true, up, 300, at + 901), Shown::Stale { since: at });
        assert_eq!(shown(true, (GatewayState::Down, at), 15, at), Shown::Down);
        assert_eq!(
            Shown::Stale { since: 0 }.describe(),
            "stale since 1970-01-01 00:00 UTC"
        );
    }
}
