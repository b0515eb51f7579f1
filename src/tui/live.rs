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
    /// Loads sources and gateway panels.
    pub fn load(store: &Store, audits: &[Audit]) -> Result<Self> {
        Ok(Self {
            sources: store.sources()?,
            gateways: gateway_panels(store, audits)?,
            polling: false,
        })
    }
}

/// Gateway panels from the runs of the last 31 days and of every audit window.
pub fn gateway_panels(store: &Store, audits: &[Audit]) -> Result<Vec<GatewayPanel>> {
    let w = windows(audits);
    let Some(last) = store.gateway_last_at()? else {
        return Ok(Vec::new());
    };
    let since = w
        .iter()
        .map(|x| x.1)
        .filter(|s| *s < last)
        .min()
        .unwrap_or(i64::MAX)
        .min(last - 31 * 86_400);
    Ok(panels(&store.gateway_runs(since)?, &w))
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
