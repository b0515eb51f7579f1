//! The gateway panels both front ends show (`status` and the dashboard's live data): the stored
//! runs of the last 31 days and of every audit window, scored by `analysis::gateway`.
//!
//! Invariant: reads only; "now" is the last stored check, so the same database gives the same
//! panels whenever they are loaded.

use crate::analysis::gateway::{GatewayPanel, audit_windows, panels as score};
use crate::domain::Audit;
use crate::store::Store;
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
