//! Inherited mappings: whether the vendor a requirement is carved out to holds an in-date
//! attestation on a date (DESIGN, "Scoring").
//!
//! An attestation is in date on D when it is one of: a SOC 2 Type II report whose period ended
//! within the 12 months before D, or a bridge letter after the newest report that covers D (as
//! the vendor checks judge them, [`super::vendors::soc2_cover`]); an ISO certificate or a PCI
//! AOC in force on D (the vendor checks' start and end rules). A carve-out to a vendor kind
//! needs at least one vendor of that kind, and every one of them attested.
//!
//! Invariant: pure; the verdict names the vendor and the attestation (or its absence).

use super::vendors::{Soc2Cover, in_force, soc2_cover};
use crate::domain::{AgreementKind, CarveOut, Date, Snapshot, Vendor};

/// The in-date attestation a vendor holds on `d`, in words, if any.
pub fn attestation(v: &Vendor, d: Date) -> Option<String> {
    match soc2_cover(v, d) {
        Some(Soc2Cover::Fresh(p)) => {
            return Some(format!("SOC 2 Type II report, period ended {p}"));
        }
        Some(Soc2Cover::Bridged(p, e)) => {
            return Some(format!("bridge letter after the report ending {p}, to {e}"));
        }
        Some(Soc2Cover::Stale(_)) | None => {}
    }
    let a = v.agreements.iter().find(|a| {
        matches!(
            a.kind,
            AgreementKind::IsoCertificate | AgreementKind::PciAoc
        ) && in_force(a, d)
    })?;
    let label = if a.kind == AgreementKind::IsoCertificate {
        "ISO certificate"
    } else {
        "PCI AOC"
    };
    Some(match a.end() {
        Some(e) => format!("{label} in force to {e}"),
        None => format!("{label} in force"),
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
