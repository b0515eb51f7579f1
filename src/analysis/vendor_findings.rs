//! The findings the vendor rules stand for: one per vendor and rule (source `self_assessment`,
//! id `F-VENDOR-<vendor>-<rule>`, against the rule's control when the workspace has it), and a
//! closing row for every earlier vendor finding whose issue has gone.
//!
//! Invariants: pure; the same snapshot and date give the same model file, which `ops::vendors`
//! applies through the same validated, logged import path as any model file. It settles: a
//! finding's title and description hold no assessment date, and a vendor with several issues
//! of one rule (two agreements ending soon) gets one finding whose title lists them sorted,
//! whatever order the agreements are in; so a second run on the same data changes nothing. An
//! issue an open finding of the workspace already covers (same control, naming the vendor,
//! such as the demo's F-2026-017) raises no second finding.

use super::vendors::{self, VendorIssue, VendorRule};
use crate::domain::model_file::{FindingRow, ModelFile};
use crate::domain::{Date, Finding, FindingSource, FindingStatus, Snapshot, Vendor};
use chrono::Days;
use std::collections::BTreeSet;

/// The control a rule's finding is raised against, when the workspace has it.
fn control_for(rule: VendorRule) -> &'static str {
    match rule {
        VendorRule::MissingBaa => "GW-VEN-02",
        VendorRule::NoRetentionTerms => "GW-VEN-03",
        _ => "GW-VEN-01",
    }
}

/// The prefix of every finding `vendors check` raises.
pub const PREFIX: &str = "F-VENDOR-";

/// An open finding of the workspace's own (not raised by `vendors check`) against the rule's
/// control that names the vendor: it already stands for the issue.
fn covered_by<'a>(s: &'a Snapshot, v: &Vendor, rule: VendorRule) -> Option<&'a Finding> {
    let control = control_for(rule);
    s.findings.iter().find(|f| {
        !f.id.as_str().starts_with(PREFIX)
            && f.status != FindingStatus::Closed
            && f.control.as_ref().is_some_and(|c| c.as_str() == control)
            && (f.title.contains(v.name.as_str()) || f.title.contains(v.id.as_str()))
    })
}

/// The issues grouped by vendor and rule, in first-seen order (vendors in snapshot order).
fn grouped(issues: &[VendorIssue]) -> Vec<Vec<&VendorIssue>> {
    let mut out: Vec<Vec<&VendorIssue>> = Vec::new();
    for i in issues {
        match out
            .iter_mut()
            .find(|g| g[0].vendor == i.vendor && g[0].rule == i.rule)
        {
            Some(g) => g.push(i),
            None => out.push(vec![i]),
        }
    }
    out
}

/// The finding rows to apply and how many of them close a finding.
pub fn findings(s: &Snapshot, as_of: Date) -> (ModelFile, usize) {
    let a = vendors::assess(s, as_of);
    let has = |c: &str| s.controls.iter().any(|x| x.id.as_str() == c);
    let mut m = ModelFile::default();
    let mut live = std::collections::HashSet::new();
    for group in grouped(&a.issues) {
        let first = group[0];
        let id = format!("{PREFIX}{}-{}", first.vendor, first.rule.as_str());
        live.insert(id.clone());
        let existing = s.findings.iter().find(|f| f.id.as_str() == id);
        let vendor = s.vendors.iter().find(|v| v.id == first.vendor);
        if existing.is_none()
            && let Some(v) = vendor
            && covered_by(s, v, first.rule).is_some()
        {
            continue;
        }
        let titles: BTreeSet<&str> = group.iter().map(|i| i.title.as_str()).collect();
        let requirements: BTreeSet<String> = group
            .iter()
            .flat_map(|i| i.requirements.iter().map(|(f, r)| format!("{f}:{r}")))
            .collect();
        // The issue whose title sorts first leads, whatever order the agreements are in.
        let lead = group
            .iter()
            .min_by(|x, y| x.title.cmp(&y.title))
            .copied()
            .unwrap_or(first);
        let severity = group
            .iter()
            .map(|i| i.severity)
            .min()
            .unwrap_or(first.severity);
        m.findings.push(FindingRow {
            id,
            title: titles.into_iter().collect::<Vec<_>>().join("; "),
            description: Some(format!(
                "Raised by the vendor rule `{}`.",
                first.rule.as_str()
            )),
            source: FindingSource::SelfAssessment,
            severity,
            status: Some(existing.map_or(FindingStatus::Open, |f| {
                if f.status == FindingStatus::Closed {
                    FindingStatus::Open
                } else {
                    f.status
                }
            })),
            control: has(control_for(first.rule)).then(|| control_for(first.rule).to_owned()),
            requirement: lead
                .requirements
                .first()
                .map(|(f, r)| format!("{f}:{r}"))
                .or_else(|| requirements.into_iter().next()),
            opened: Some(existing.and_then(|f| f.opened).unwrap_or(as_of)),
            due: Some(
                existing
                    .and_then(|f| f.due)
                    .unwrap_or_else(|| as_of.checked_add_days(Days::new(30)).unwrap_or(as_of)),
            ),
            closed: None,
        });
    }
    let mut closed = 0;
    for f in s
        .findings
        .iter()
        .filter(|f| f.id.as_str().starts_with(PREFIX) && !live.contains(f.id.as_str()))
    {
        if f.status == FindingStatus::Closed {
            continue;
        }
        closed += 1;
        m.findings.push(FindingRow {
            id: f.id.to_string(),
            title: f.title.clone(),
            description: Some(f.description.clone()),
            source: f.source,
            severity: f.severity,
            status: Some(FindingStatus::Closed),
            control: f.control.as_ref().map(ToString::to_string),
            requirement: f.requirement.clone(),
            opened: f.opened,
            due: f.due,
            closed: Some(as_of),
        });
    }
    (m, closed)
}
