//! What the collectors keep changing while the dashboard is open: the sources' last results,
//! the gateway panels and the newest evidence. Loaded by the store thread after each batch it
//! writes (a few small queries), so a 15-second poll never costs a full reload.

use crate::collect::panel::{GatewayPanel, panels};
use crate::domain::{Audit, Evidence};
use crate::store::{SourceRow, Store};
use anyhow::Result;

/// The live part of the dashboard's data.
#[derive(Debug, Clone, Default)]
pub struct Live {
    /// Every source the collectors have written.
    pub sources: Vec<SourceRow>,
    /// One panel per gateway.
    pub gateways: Vec<GatewayPanel>,
    /// Whether pollers run in this dashboard.
    pub polling: bool,
}

fn secs(d: crate::domain::Date) -> i64 {
    d.and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp())
}

/// Audit windows as (label, start, end) in seconds, end exclusive.
pub fn windows(audits: &[Audit]) -> Vec<(String, i64, i64)> {
    audits
        .iter()
        .filter_map(|a| {
            let (s, e) = (a.window_start?, a.window_end?);
            Some((format!("{} window", a.kind), secs(s), secs(e) + 86_400))
        })
        .collect()
}

impl Live {
    /// Loads sources and gateway runs (the last 31 days and every audit window).
    pub fn load(store: &Store, audits: &[Audit]) -> Result<Self> {
        let w = windows(audits);
        let Some(last) = store.gateway_last_at()? else {
            return Ok(Self {
                sources: store.sources()?,
                ..Self::default()
            });
        };
        let since = w
            .iter()
            .map(|x| x.1)
            .filter(|s| *s < last)
            .min()
            .unwrap_or(i64::MAX)
            .min(last - 31 * 86_400);
        Ok(Self {
            sources: store.sources()?,
            gateways: panels(&store.gateway_runs(since)?, &w),
            polling: false,
        })
    }
}

/// The live update the store thread sends after writing a batch.
#[derive(Debug, Clone)]
pub struct LiveUpdate {
    /// Sources and gateways.
    pub live: Live,
    /// The newest evidence.
    pub recent: Vec<Evidence>,
    /// A line for the status bar (findings opened, recoveries), if any.
    pub message: Option<String>,
}
