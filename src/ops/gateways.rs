//! The gateway panels both front ends show (`status` and the dashboard's live data): the stored
//! runs of the last 31 days and of every audit window, scored by `analysis::gateway`.
//!
//! Invariant: reads only; "now" is the last stored check, so the same database gives the same
//! panels whenever they are loaded. Whether a panel may be shown as up is decided by
//! `analysis::gateway_state` from the configuration and the present time ([`shown`]).

use crate::analysis::gateway::{GatewayPanel, audit_windows, panels as score};
use crate::analysis::gateway_state::{self, Shown};
use crate::domain::Audit;
use crate::store::Store;
use crate::workspace::Workspace;
use anyhow::Result;

/// Gateway panels from the runs of the last 31 days and of every audit window.
pub fn panels(store: &Store, audits: &[Audit]) -> Result<Vec<GatewayPanel>> {
    let w = audit_windows(audits);
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
    Ok(score(&store.gateway_runs(since)?, &w))
}

/// What may be said of each panel's gateway at `now` (seconds since the epoch): up, down or
/// degraded only for a gateway the workspace's `certready.toml` configures and checked within
/// three intervals; a configuration that cannot be read configures no gateway.
pub fn shown(ws: &Workspace, gateways: &[GatewayPanel], now: i64) -> Vec<Shown> {
    let configured = ws.config().map(|c| c.gateway).unwrap_or_default();
    gateways
        .iter()
        .map(|g| {
            let cfg = configured.iter().find(|c| c.name == g.name);
            let interval = cfg
                .and_then(|c| crate::collect::config::seconds(&c.interval))
                .unwrap_or(300);
            gateway_state::shown(cfg.is_some(), (g.state, g.last_at), interval, now)
        })
        .collect()
}
