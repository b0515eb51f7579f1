//! What a collector observed: one check of one source at one moment, already redacted.
//!
//! Invariants: nothing here holds a secret (summaries, content and reasons are redacted before
//! an `Observation` is built); times are UTC.

use serde::Serialize;

/// A gateway's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GatewayState {
    /// Serving normally.
    Up,
    /// Serving, with a part down (a database, some model endpoints).
    Degraded,
    /// Not serving.
    Down,
}

impl GatewayState {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Up => "up",
            Self::Degraded => "degraded",
            Self::Down => "down",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "up" => Some(Self::Up),
            "degraded" => Some(Self::Degraded),
            "down" => Some(Self::Down),
            _ => None,
        }
    }
}

/// A gateway's health as one check saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GatewayReading {
    /// State.
    pub state: GatewayState,
    /// Version, when the gateway says.
    pub version: Option<String>,
}

/// The `kind` of a check that a tabletop exercise's live signal produced (the simulator under
/// a drill): stored as exercise output, never as evidence, gateway uptime or a monitoring
/// finding.
pub const EXERCISE_KIND: &str = "tabletop";

/// One check of one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Observation {
    /// The source's name in the config.
    pub source: String,
    /// `gateway`, `http`, `tls`, `file` or `command` (the evidence source).
    pub kind: &'static str,
    /// Controls it evidences.
    pub controls: Vec<String>,
    /// When the check finished (seconds since the epoch, UTC).
    pub at: i64,
    /// Whether the check passed.
    pub ok: bool,
    /// One line, safe to store and show: what was seen, or why it failed.
    pub summary: String,
    /// The redacted content the evidence stands for (stable between identical results).
    pub content: String,
    /// Time the check took, milliseconds.
    pub latency_ms: u64,
    /// Attempts made (1 without retries).
    pub attempts: u32,
    /// Gateway health, for gateway sources.
    pub gateway: Option<GatewayReading>,
    /// Consecutive failures that open a monitoring finding.
    pub fail_after: u32,
    /// The source's poll interval, seconds.
    pub interval_s: u64,
}

/// A run of one gateway state (within one hour).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GatewayRun {
    /// Gateway name.
    pub gateway: String,
    /// State.
    pub state: GatewayState,
    /// First check, seconds since the epoch.
    pub first_at: i64,
    /// Last check.
    pub last_at: i64,
    /// Checks.
    pub n: i64,
    /// Sum of latencies, ms.
    pub latency_sum: i64,
    /// Largest latency, ms.
    pub latency_max: i64,
    /// Version last reported.
    pub version: Option<String>,
}
