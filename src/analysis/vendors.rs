//! Vendor assurance: which vendors lack the agreements and attestations their data needs, as
//! of a date, and which framework requirements each gap touches.
//!
//! Rules (vendors in snapshot order, rules in this order per vendor):
//! - **MissingBaa** (critical): the vendor receives `phi` and holds no `baa` in force on
//!   `as_of`. Serves HIPAA 164.308(b)(3) and 164.314(a)(2).
//! - **MissingPciAoc** (high): the vendor receives `card_data` and holds no `pci_aoc` in force.
//!   Serves PCI DSS 12.8.4 (TPSP compliance status monitored at least every 12 months).
//! - **NoRetentionTerms** (high): a `model_provider` receiving `personal_data` or `phi` holds
//!   neither `zero_retention` nor `no_training` terms in force. Serves SOC 2 CC9.2 and
//!   ISO 27001 A.5.20.
//! - **ExpiringSoon** (medium): an agreement or attestation ends within `(as_of, as_of + 60]`
//!   days (the 60th day counts, `as_of` itself does not: an end on `as_of` is still in force,
//!   and the day after the other rules take over). One issue per agreement; an agreement is
//!   skipped when another of the same kind is in force the day after it ends (renewed).
//!   Serves what the kind serves: `baa` the HIPAA ids above; `pci_aoc` PCI DSS 12.8.4;
//!   `soc2_type2`, `bridge_letter` and `iso_certificate` SOC 2 CC9.2 and ISO 27001 A.5.22;
//!   `dpa`, `zero_retention` and `no_training` SOC 2 CC9.2 and ISO 27001 A.5.20.
//! - **StaleSoc2Report** (medium): the vendor's newest `soc2_type2` report (by `period_end`)
//!   has a period that ended more than 12 months before `as_of` (exactly 12 months is still
//!   fresh), and no bridge letter covers `as_of`. Vendors without a report that has a
//!   `period_end` are not judged. Serves SOC 2 CC9.2 and ISO 27001 A.5.22.
//!
//! Dates: an agreement starts on `signed`, else `issued` (absent: always started). It ends on
//! its `expires` (inclusive); without one, a `soc2_type2` report ends 12 months after
//! `period_end`, a `pci_aoc` 12 months after its start, a `bridge_letter` when its cover
//! ends (below), and anything else never. A `pci_aoc` with neither a start nor `expires`
//! cannot show it is current and is never in force.
//!
//! Bridge letters (decision): a letter counts only if its start (`signed`, else `issued`) is
//! after the report's `period_end` and on or before `as_of`. It covers at most 3 months from
//! its start: until `expires` when that is earlier, never beyond start + 3 months (the usual
//! reach of a bridge letter; a longer gap needs a new report). An undated letter covers
//! nothing. The same end drives ExpiringSoon for the letter.
//!
//! Invariants: pure (no I/O, no clock); the same snapshot and date give the same issues in the
//! same order; every issue names the vendor, the deciding date and existing, assessable
//! requirement ids of the catalogs.

use crate::domain::{
    Agreement, AgreementKind, DataCategory, Date, FrameworkKey, ReqRef, Severity, Snapshot, Vendor,
    VendorId, VendorKind,
};
use chrono::{Days, Months};
use serde::Serialize;
use std::collections::HashMap;

/// Days ahead within which an ending agreement is reported.
pub const EXPIRY_WINDOW_DAYS: u64 = 60;

/// The vendor rules, in the order they are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VendorRule {
    /// Receives PHI without a BAA in force.
    MissingBaa,
    /// Receives card data without a PCI AOC in force.
    MissingPciAoc,
    /// A model provider receiving personal data or PHI without zero-retention or no-training
    /// terms in force.
    NoRetentionTerms,
    /// An agreement or attestation ends within 60 days.
    ExpiringSoon,
    /// The newest SOC 2 Type II period ended over 12 months ago, with no bridge letter.
    StaleSoc2Report,
}

impl VendorRule {
    /// The rule's string form (`missing_baa`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MissingBaa => "missing_baa",
            Self::MissingPciAoc => "missing_pci_aoc",
            Self::NoRetentionTerms => "no_retention_terms",
            Self::ExpiringSoon => "expiring_soon",
            Self::StaleSoc2Report => "stale_soc2_report",
        }
    }
}

/// One open vendor issue.
#[derive(Debug, Clone, Serialize)]
pub struct VendorIssue {
    /// The vendor.
    pub vendor: VendorId,
    /// The rule that raised it.
    pub rule: VendorRule,
    /// One line naming the vendor and the date that decided it.
    pub message: String,
    /// The same without the assessment date, so it does not change from one day to the next
    /// (the title of the finding `vendors check` raises).
    pub title: String,
    /// The requirements it touches, as (framework, requirement).
    pub requirements: Vec<(FrameworkKey, ReqRef)>,
    /// Severity.
    pub severity: Severity,
}

/// All vendor issues as of a date, with their counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VendorAssessment {
    /// Issues, by vendor in snapshot order, then by rule.
    pub issues: Vec<VendorIssue>,
    /// Vendors with a MissingBaa issue.
    pub missing_baa: usize,
    /// Agreements with an ExpiringSoon issue.
    pub expiring_60d: usize,
}

const HIPAA_BAA: &[(&str, &str)] = &[("hipaa", "164.308(b)(3)"), ("hipaa", "164.314(a)(2)")];
const PCI_AOC: &[(&str, &str)] = &[("pci-dss", "12.8.4")];
const TERMS: &[(&str, &str)] = &[("soc2", "CC9.2"), ("iso27001", "A.5.20")];
const MONITORING: &[(&str, &str)] = &[("soc2", "CC9.2"), ("iso27001", "A.5.22")];

fn reqs(ids: &[(&str, &str)]) -> Vec<(FrameworkKey, ReqRef)> {
    ids.iter().map(|&(f, r)| (f.into(), r.into())).collect()
}

fn kind_reqs(kind: AgreementKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        AgreementKind::Baa => HIPAA_BAA,
        AgreementKind::PciAoc => PCI_AOC,
        AgreementKind::Soc2Type2 | AgreementKind::BridgeLetter | AgreementKind::IsoCertificate => {
            MONITORING
        }
        AgreementKind::Dpa | AgreementKind::ZeroRetention | AgreementKind::NoTraining => TERMS,
    }
}

fn kind_label(kind: AgreementKind) -> &'static str {
    match kind {
        AgreementKind::Baa => "business associate agreement",
        AgreementKind::Dpa => "data processing agreement",
        AgreementKind::ZeroRetention => "zero-retention terms",
        AgreementKind::NoTraining => "no-training terms",
        AgreementKind::Soc2Type2 => "SOC 2 Type II report",
        AgreementKind::BridgeLetter => "bridge letter",
        AgreementKind::IsoCertificate => "ISO certificate",
        AgreementKind::PciAoc => "PCI attestation of compliance",
    }
}

pub(super) fn in_force(a: &Agreement, d: Date) -> bool {
    if a.kind == AgreementKind::PciAoc && a.start().is_none() && a.expires.is_none() {
        return false;
    }
    a.start().is_none_or(|s| s <= d) && a.end().is_none_or(|e| e >= d)
}

fn holds(v: &Vendor, kind: AgreementKind, d: Date) -> bool {
    v.agreements
        .iter()
        .any(|a| a.kind == kind && in_force(a, d))
}

/// Whether another agreement of the same kind is in force the day after `a` ends on `e`.
fn renewed(v: &Vendor, a: &Agreement, e: Date) -> bool {
    e.succ_opt().is_some_and(|next| holds(v, a.kind, next))
}

/// How a vendor's SOC 2 Type II reports cover a date, judged from the newest report's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Soc2Cover {
    /// The period (ending on this day) ended at most 12 months before the date.
    Fresh(Date),
    /// Older than that, but a bridge letter after it covers the date (period end, letter end).
    Bridged(Date, Date),
    /// Older than that, with no bridge letter covering the date.
    Stale(Date),
}

/// The vendor's SOC 2 Type II cover on `d`; `None` when it has no report with a period end.
pub(super) fn soc2_cover(v: &Vendor, d: Date) -> Option<Soc2Cover> {
    let period_end = v
        .agreements
        .iter()
        .filter(|a| a.kind == AgreementKind::Soc2Type2)
        .filter_map(|a| a.period_end)
        .max()?;
    let fresh = period_end
        .checked_add_months(Months::new(12))
        .is_none_or(|until| d <= until);
    if fresh {
        return Some(Soc2Cover::Fresh(period_end));
    }
    let bridge = v.agreements.iter().find_map(|b| {
        let covers = b.kind == AgreementKind::BridgeLetter
            && b.start().is_some_and(|s| s > period_end && s <= d);
        b.end().filter(|e| covers && *e >= d)
    });
    Some(match bridge {
        Some(e) => Soc2Cover::Bridged(period_end, e),
        None => Soc2Cover::Stale(period_end),
    })
}

/// (message, title): the title, and the message that adds the dated `tail` to it.
fn dated(title: String, tail: &str) -> (String, String) {
    (format!("{title}{tail}"), title)
}

/// Assesses every vendor as of `as_of`.
pub fn assess(s: &Snapshot, as_of: Date) -> VendorAssessment {
    let horizon = as_of
        .checked_add_days(Days::new(EXPIRY_WINDOW_DAYS))
        .unwrap_or(as_of);
    let mut issues = Vec::new();
    for v in &s.vendors {
        let mut push =
            |rule, severity, (message, title): (String, String), ids: &[(&str, &str)]| {
                issues.push(VendorIssue {
                    vendor: v.id.clone(),
                    rule,
                    message,
                    title,
                    requirements: reqs(ids),
                    severity,
                });
            };
        let name = &v.name;
        if v.data.contains(&DataCategory::Phi) && !holds(v, AgreementKind::Baa, as_of) {
            push(
                VendorRule::MissingBaa,
                Severity::Critical,
                dated(
                    format!("{name} receives PHI without a business associate agreement in force"),
                    &format!(" on {as_of}"),
                ),
                HIPAA_BAA,
            );
        }
        if v.data.contains(&DataCategory::CardData) && !holds(v, AgreementKind::PciAoc, as_of) {
            push(
                VendorRule::MissingPciAoc,
                Severity::High,
                dated(
                    format!(
                        "{name} receives card data without a PCI attestation of compliance in force"
                    ),
                    &format!(" on {as_of}"),
                ),
                PCI_AOC,
            );
        }
        let personal =
            v.data.contains(&DataCategory::PersonalData) || v.data.contains(&DataCategory::Phi);
        if v.kind == VendorKind::ModelProvider
            && personal
            && !holds(v, AgreementKind::ZeroRetention, as_of)
            && !holds(v, AgreementKind::NoTraining, as_of)
        {
            push(
                VendorRule::NoRetentionTerms,
                Severity::High,
                dated(
                    format!(
                        "{name} is a model provider receiving personal data without zero-retention or no-training terms in force"
                    ),
                    &format!(" on {as_of}"),
                ),
                TERMS,
            );
        }
        for a in &v.agreements {
            let Some(e) = a.end() else { continue };
            if e > as_of && e <= horizon && !renewed(v, a, e) {
                let days = (e - as_of).num_days();
                push(
                    VendorRule::ExpiringSoon,
                    Severity::Medium,
                    dated(
                        format!("{name}'s {} ends on {e}", kind_label(a.kind)),
                        &format!(", in {days} days as of {as_of}"),
                    ),
                    kind_reqs(a.kind),
                );
            }
        }
        if let Some(Soc2Cover::Stale(p)) = soc2_cover(v, as_of) {
            push(
                VendorRule::StaleSoc2Report,
                Severity::Medium,
                (
                    format!(
                        "{name}'s newest SOC 2 Type II period ended on {p}, more than 12 months before {as_of}, with no bridge letter in force"
                    ),
                    format!(
                        "{name}'s newest SOC 2 Type II period ended on {p}, over 12 months ago, with no bridge letter in force"
                    ),
                ),
                MONITORING,
            );
        }
    }
    let count = |rule| {
        issues
            .iter()
            .filter(|i: &&VendorIssue| i.rule == rule)
            .count()
    };
    VendorAssessment {
        missing_baa: count(VendorRule::MissingBaa),
        expiring_60d: count(VendorRule::ExpiringSoon),
        issues,
    }
}

/// Requirement -> the messages of the vendor issues that touch it, in issue order. The
/// readiness engine uses it so that a requirement with an open vendor issue cannot be `met`.
pub fn blocked_requirements(a: &VendorAssessment) -> HashMap<(FrameworkKey, ReqRef), Vec<String>> {
    let mut map: HashMap<(FrameworkKey, ReqRef), Vec<String>> = HashMap::new();
    // An agreement that is about to end is still in force: it warns, it does not block.
    for issue in a
        .issues
        .iter()
        .filter(|i| i.rule != VendorRule::ExpiringSoon)
    {
        for key in &issue.requirements {
            map.entry(key.clone())
                .or_default()
                .push(issue.message.clone());
        }
    }
    map
}
