//! Inherited mappings: whether the vendor a requirement is carved out to holds an in-date
//! attestation on a date (DESIGN, "Scoring").
//!
//! An attestation is in date on D when it is one of: a SOC 2 Type II report whose period ended
//! within the 12 months before D (and that was issued, if dated, on or before D); a bridge
//! letter that follows the newest report and covers D; an ISO certificate or a PCI AOC in
//! force on D (the same start and end rules as the vendor checks). A carve-out to a vendor
//! kind needs at least one vendor of that kind, and every one of them attested.
//!
//! Invariant: pure; the verdict names the vendor and the attestation (or its absence).

use super::vendors::{end, start};
use crate::domain::{AgreementKind, CarveOut, Date, Snapshot, Vendor};
use chrono::Months;

/// The in-date attestation a vendor holds on `d`, in words, if any.
pub fn attestation(v: &Vendor, d: Date) -> Option<String> {
    let started = |a: &crate::domain::Agreement| start(a).is_none_or(|s| s <= d);
    let newest_report = v
        .agreements
        .iter()
        .filter(|a| a.kind == AgreementKind::Soc2Type2 && started(a))
        .filter_map(|a| a.period_end)
        .filter(|p| *p <= d)
        .max();
    if let Some(p) = newest_report
        && p.checked_add_months(Months::new(12))
            .is_some_and(|f| d <= f)
    {
        return Some(format!("SOC 2 Type II report, period ended {p}"));
    }
    if let Some(p) = newest_report {
        let bridge = v.agreements.iter().find(|b| {
            b.kind == AgreementKind::BridgeLetter
                && start(b).is_some_and(|s| s > p && s <= d)
                && end(b).is_some_and(|e| e >= d)
        });
        if let Some(e) = bridge.and_then(end) {
            return Some(format!("bridge letter after the report ending {p}, to {e}"));
        }
    }
    v.agreements
        .iter()
        .filter(|a| {
            matches!(
                a.kind,
                AgreementKind::IsoCertificate | AgreementKind::PciAoc
            )
        })
        .filter(|a| start(a).is_some() || a.expires.is_some())
        .find(|a| started(a) && end(a).is_none_or(|e| e >= d))
        .map(|a| {
            let label = if a.kind == AgreementKind::IsoCertificate {
                "ISO certificate"
            } else {
                "PCI AOC"
            };
            match end(a) {
                Some(e) => format!("{label} in force to {e}"),
                None => format!("{label} in force"),
            }
        })
}

/// Whether a carve-out holds on `d`: `Ok` names the attestations, `Err` says what is missing.
pub fn verdict(s: &Snapshot, c: &CarveOut, d: Date) -> Result<String, String> {
    let vendors: Vec<&Vendor> = match c {
        CarveOut::Vendor(id) => s.vendors.iter().filter(|v| &v.id == id).collect(),
        CarveOut::Kind(k) => s.vendors.iter().filter(|v| v.kind == *k).collect(),
    };
    if vendors.is_empty() {
        return Err(match c {
            CarveOut::Vendor(id) => format!("vendor {id} is not in the register"),
            CarveOut::Kind(k) => format!("no {k} vendor in the register to inherit from"),
        });
    }
    let mut held = Vec::new();
    let mut missing = Vec::new();
    for v in vendors {
        match attestation(v, d) {
            Some(a) => held.push(format!("{}: {a}", v.name)),
            None => missing.push(v.name.clone()),
        }
    }
    if missing.is_empty() {
        Ok(held.join("; "))
    } else {
        Err(format!(
            "no in-date SOC 2 Type II, bridge letter, ISO certificate or PCI AOC on {d} from {}",
            missing.join(", ")
        ))
    }
}
