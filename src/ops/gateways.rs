//! The gateway panels both front ends show (`status` and the dashboard's live data): the stored
//! runs of the last 31 days and of every audit window, scored by `analysis::gateway`.
//!
//! Invariant: reads only; "now" is the last stored check, so the same database gives the same
//! panels whenever they are loaded. Whether a panel may be shown as up is decided by
//! `analysis::gateway_state` from the configuration and the present time ([`judge`]): the
//! CLI passes the wall clock, the dashboard its one clock.

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

/// The gateways the workspace's `certready.toml` configures, as (name, check interval in
/// seconds); a configuration that cannot be read configures none.
pub fn configured(ws: &Workspace) -> Vec<(String, u64)> {
    ws.config()
        .map(|c| c.gateway)
        .unwrap_or_default()
        .into_iter()
        .map(|c| {
            let every = crate::collect::config::seconds(&c.interval).unwrap_or(300);
            (c.name, every)
        })
        .collect()
}

/// What may be said of each panel's gateway at `now` (seconds since the epoch), given the
/// gateways checked (`configured`, from [`configured`]): up, down or degraded only for a
/// configured gateway checked within three intervals.
pub fn judge(configured: &[(String, u64)], gateways: &[GatewayPanel], now: i64) -> Vec<Shown> {
    gateways
        .iter()
        .map(|g| {
            let cfg = configured.iter().find(|c| c.0 == g.name);
            let interval = cfg.map_or(300, |c| c.1);
            gateway_state::shown(cfg.is_some(), (g.state, g.last_at), interval, now)
        })
        .collect()
}

/// What may be said of each panel's gateway at `now` (seconds since the epoch): [`judge`]
/// with the gateways the workspace's `certready.toml` configures.
pub fn shown(ws: &Workspace, gateways: &[GatewayPanel], now: i64) -> Vec<Shown> {
    judge(&configured(ws), gateways, now)
}
