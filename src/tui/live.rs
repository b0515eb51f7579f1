//! What the collectors keep changing while the dashboard is open: the sources' last results,
//! the gateway panels and the newest evidence. Loaded by the store thread after each batch it
//! writes (a few small queries), so a 15-second poll never costs a full reload.
//!
//! Invariant: whether a gateway is shown as up is judged by [`Live::shown`] against the time
//! the caller passes (the dashboard's one clock), through the same rule `status` and the
//! review pack use; the panels themselves keep the stored history (a live batch reloads them
//! from the store, which holds the history and the new checks alike).

use crate::analysis::gateway_state::Shown;
use crate::collect::panel::GatewayPanel;
use crate::domain::{Audit, Evidence};
use crate::store::{SourceRow, Store};
use anyhow::Result;

pub use crate::ops::gateways::panels as gateway_panels;

/// The live part of the dashboard's data.
#[derive(Debug, Clone, Default)]
pub struct Live {
    /// Every source the collectors have written.
    pub sources: Vec<SourceRow>,
    /// One panel per gateway.
    pub gateways: Vec<GatewayPanel>,
    /// The gateways this workspace checks: name and check interval in seconds.
    pub configured: Vec<(String, u64)>,
    /// Whether pollers run in this dashboard.
    pub polling: bool,
    /// The preset each preset source of `certready.toml` runs: (source, preset).
    pub presets: Vec<(String, String)>,
}

impl Live {
    /// Loads sources and gateway panels.
    pub fn load(store: &Store, audits: &[Audit]) -> Result<Self> {
        Ok(Self {
            sources: store.sources()?,
            gateways: gateway_panels(store, audits)?,
            configured: Vec::new(),
            polling: false,
            presets: Vec::new(),
        })
    }

    /// What may be said of each gateway at `now` (seconds since the epoch, from the
    /// dashboard's clock; 0 before its first tick, when nothing recent can be claimed).
    pub fn shown(&self, now: i64) -> Vec<Shown> {
        if now <= 0 {
            return self
                .gateways
                .iter()
                .map(|g| {
                    if self.configured.iter().any(|c| c.0 == g.name) {
                        Shown::Stale { since: g.last_at }
                    } else {
                        Shown::NotConfigured
                    }
                })
                .collect();
        }
        crate::ops::gateways::judge(&self.configured, &self.gateways, now)
    }
}

/// The gateways the workspace of `store` checks: those its `certready.toml` configures and,
/// in the built-in demo whose simulator runs (`sim-url.txt` next to the database), the
/// simulated gateway the dashboard polls itself.
pub fn configured(store: &Store, demo: bool) -> Vec<(String, u64)> {
    let Some(dir) = store.path().parent() else {
        return Vec::new();
    };
    let mut out = crate::ops::gateways::configured(&crate::workspace::Workspace::new(dir));
    if demo && dir.join("sim-url.txt").is_file() {
        let spec = crate::demo::gateway_spec(dir, "");
        out.push((spec.name, spec.interval.as_secs()));
    }
    out
}

/// The preset sources of the workspace of `store`: (source, preset); none when its config
/// cannot be read.
pub fn presets(store: &Store) -> Vec<(String, String)> {
    let Some(dir) = store.path().parent() else {
        return Vec::new();
    };
    crate::workspace::Workspace::new(dir)
        .config()
        .map(|c| c.source)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|s| s.preset.map(|p| (s.name, p)))
        .collect()
}

/// The live update the store thread sends after writing a batch.
#[derive(Debug, Clone)]
pub struct LiveUpdate {
    /// Every source's row.
    pub sources: Vec<crate::store::SourceRow>,
    /// Gateway panels, when the batch held a gateway check.
    pub gateways: Option<Vec<GatewayPanel>>,
    /// The newest evidence, when the batch appended any (an extended run changes no row shown).
    pub recent: Option<Vec<Evidence>>,
    /// A line for the status bar (findings opened, recoveries), if any.
    pub message: Option<String>,
}
