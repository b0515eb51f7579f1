//! `vendors check`: raises a finding for each issue the vendor rules find and closes the ones
//! whose issue has gone (`analysis::vendor_findings`), through the store's validated, logged
//! import path.

use crate::domain::Date;
use crate::store::Store;
use anyhow::Result;

/// Raises and closes findings; returns (raised or updated, closed).
pub fn check(store: &mut Store, as_of: Date, now: &str, dry_run: bool) -> Result<(usize, usize)> {
    let s = store.snapshot()?;
    let (m, closed) = crate::analysis::vendor_findings::findings(&s, as_of);
    let report = store.apply(&m, "vendors check", now, dry_run)?;
    let c = report.counts.get("findings").copied().unwrap_or_default();
    Ok((c.added + c.updated, closed))
}
