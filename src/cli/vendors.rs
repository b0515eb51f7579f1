//! `certready vendors list | check`: the vendor register with the issues the rules raise, and
//! `check`, which turns each issue into a finding (source `self_assessment`, id
//! `F-VENDOR-<vendor>-<rule>`) and closes the findings whose issue has gone, through the same
//! validated, logged import path as any model file.

use super::output::table;
use crate::analysis::vendors::{self, VendorRule};
use crate::domain::{Date, FindingSource, FindingStatus, Snapshot};
use crate::import::ModelFile;
use crate::import::model::FindingRow;
use crate::store::Store;
use anyhow::Result;
use chrono::Days;

/// The control a rule's finding is raised against, when the workspace has it.
fn control_for(rule: VendorRule) -> &'static str {
    match rule {
        VendorRule::MissingBaa => "GW-VEN-02",
        VendorRule::NoRetentionTerms => "GW-VEN-03",
        _ => "GW-VEN-01",
    }
}

/// Prints the register with its issues.
pub fn list(s: &Snapshot, as_of: Date) {
    let a = vendors::assess(s, as_of);
    let mut rows = vec![
        ["VENDOR", "KIND", "DATA", "AGREEMENTS", "ISSUES"]
            .map(str::to_owned)
            .to_vec(),
    ];
    for v in &s.vendors {
        let issues: Vec<&str> = a
            .issues
            .iter()
            .filter(|i| i.vendor == v.id)
            .map(|i| i.rule.as_str())
            .collect();
        rows.push(vec![
            format!("{} ({})", v.name, v.id),
            v.kind.to_string(),
            v.data
                .iter()
                .map(|d| d.as_str())
                .collect::<Vec<_>>()
                .join(","),
            v.agreements
                .iter()
                .map(|x| x.kind.as_str())
                .collect::<Vec<_>>()
                .join(","),
            if issues.is_empty() {
                "ok".into()
            } else {
                issues.join(",")
            },
        ]);
    }
    print!("{}", table(&rows));
    for i in &a.issues {
        println!("[{}] {}", i.severity, super::output::text(&i.message));
    }
}

/// Raises and closes findings; returns (raised or updated, closed).
pub fn check(store: &mut Store, as_of: Date, now: &str, dry_run: bool) -> Result<(usize, usize)> {
    let s = store.snapshot()?;
    let a = vendors::assess(&s, as_of);
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
    let report = store.apply(&m, "vendors check", now, dry_run)?;
    let c = report.counts.get("findings").copied().unwrap_or_default();
    Ok((c.added + c.updated, closed))
}
