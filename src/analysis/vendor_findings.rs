//! The findings the vendor rules stand for: one per issue (source `self_assessment`, id
//! `F-VENDOR-<vendor>-<rule>`, against the rule's control when the workspace has it), and a
//! closing row for every earlier vendor finding whose issue has gone.
//!
//! Invariant: pure; the same snapshot and date give the same model file, which `ops::vendors`
//! applies through the same validated, logged import path as any model file.

use super::vendors::{self, VendorRule};
use crate::domain::model_file::{FindingRow, ModelFile};
use crate::domain::{Date, FindingSource, FindingStatus, Snapshot};
use chrono::Days;

/// The control a rule's finding is raised against, when the workspace has it.
fn control_for(rule: VendorRule) -> &'static str {
    match rule {
        VendorRule::MissingBaa => "GW-VEN-02",
        VendorRule::NoRetentionTerms => "GW-VEN-03",
        _ => "GW-VEN-01",
    }
}

/// The finding rows to apply and how many of them close a finding.
pub fn findings(s: &Snapshot, as_of: Date) -> (ModelFile, usize) {
    let a = vendors::assess(s, as_of);
    let has = |c: &str| s.controls.iter().any(|x| x.id.as_str() == c);
    let mut m = ModelFile::default();
    let mut live = std::collections::HashSet::new();
    for i in &a.issues {
        let id = format!("F-VENDOR-{}-{}", i.vendor, i.rule.as_str());
        live.insert(id.clone());
        let existing = s.findings.iter().find(|f| f.id.as_str() == id);
        m.findings.push(FindingRow {
            id,
            title: i.message.clone(),
            description: Some(format!("Raised by the vendor rule `{}`.", i.rule.as_str())),
            source: FindingSource::SelfAssessment,
            severity: i.severity,
            status: Some(existing.map_or(FindingStatus::Open, |f| {
                if f.status == FindingStatus::Closed {
                    FindingStatus::Open
                } else {
                    f.status
                }
            })),
            control: has(control_for(i.rule)).then(|| control_for(i.rule).to_owned()),
            requirement: i.requirements.first().map(|(f, r)| format!("{f}:{r}")),
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
        .filter(|f| f.id.as_str().starts_with("F-VENDOR-") && !live.contains(f.id.as_str()))
    {
        if f.status == FindingStatus::Closed {
            continue;
        }
        closed += 1;
        m.findings.push(FindingRow {
            id: f.id.to_string(),
            title: f.title.clone(),
            description: None,
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
