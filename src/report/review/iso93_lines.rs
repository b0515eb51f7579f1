//! The lines the model fills into the 9.3.2 d (performance) and f (risk) sections.
//!
//! Invariant: every line is computed from the snapshot and the stored weeks' metrics only;
//! a part with nothing to report says so instead of being left out.

use super::Metrics;
use crate::domain::{AuditStatus, FindingSource, Snapshot, TaskStatus, Treatment};

/// Performance: nonconformities and corrective actions (with their trend), monitoring and
/// measurement, audit results, fulfilment of objectives.
pub(super) fn performance(s: &Snapshot, cur: &Metrics, prev: Option<&Metrics>) -> Vec<String> {
    let mut out = Vec::new();
    let trend = prev.map_or_else(
        || " (first review: no trend yet)".to_owned(),
        |p| format!(" ({} at the review of {})", p.findings_open, p.as_of),
    );
    out.push(format!(
        "Nonconformities: {} open findings{trend}; {} opened and {} closed this week.",
        super::iso93::open_findings(s),
        cur.findings_opened.len(),
        cur.findings_closed.len()
    ));
    let done = s
        .tasks
        .iter()
        .filter(|t| t.status == TaskStatus::Done)
        .count();
    let late_before = prev.map_or_else(String::new, |p| {
        format!(" ({} at the last review)", p.late_tasks.len())
    });
    out.push(format!(
        "Corrective actions: {} remediation tasks, {done} done, {} late{late_before}.",
        s.tasks.len(),
        cur.late_tasks.len()
    ));
    let measured: Vec<String> = cur
        .frameworks
        .iter()
        .map(|f| {
            let before = prev
                .and_then(|p| p.frameworks.iter().find(|x| x.key == f.key))
                .map_or_else(String::new, |b| {
                    if (b.readiness_pct - f.readiness_pct).abs() < 0.05 {
                        " (unchanged)".to_owned()
                    } else {
                        format!(" (was {:.1}%)", b.readiness_pct)
                    }
                });
            format!("{} {:.1}%{before}", f.name, f.readiness_pct)
        })
        .collect();
    out.push(format!(
        "Monitoring and measurement: Type I readiness {}; {} controls' evidence lapses within 14 days.",
        if measured.is_empty() {
            "not measured (no framework in scope)".to_owned()
        } else {
            measured.join(", ")
        },
        cur.expiring.len()
    ));
    let completed = s
        .audits
        .iter()
        .filter(|a| a.status == AuditStatus::Completed)
        .count();
    let audit_findings = s
        .findings
        .iter()
        .filter(|f| {
            matches!(
                f.source,
                FindingSource::InternalAudit | FindingSource::ExternalAudit
            )
        })
        .filter(|f| {
            matches!(
                f.status,
                crate::domain::FindingStatus::Open | crate::domain::FindingStatus::Remediating
            )
        })
        .count();
    out.push(format!(
        "Audit results: {completed} audit(s) completed, {audit_findings} audit finding(s) still open, {} milestone(s) in the next 90 days.",
        cur.milestones.len()
    ));
    let objectives: Vec<String> = cur
        .frameworks
        .iter()
        .map(|f| match f.type1_ready {
            Some(d) => format!("{} ready for Type I by {d}", f.name),
            None => format!(
                "{}: no date, {} requirement(s) without a remediation task",
                f.name, f.unplanned
            ),
        })
        .collect();
    if !objectives.is_empty() {
        out.push(format!(
            "Fulfilment of objectives: {}.",
            objectives.join("; ")
        ));
    }
    out
}

/// Risk: the assessment's results and the treatment plan's status.
pub(super) fn risk(s: &Snapshot, cur: &Metrics) -> Vec<String> {
    if s.risks.is_empty() {
        return Vec::new();
    }
    let by = |t: Treatment| s.risks.iter().filter(|r| r.treatment == t).count();
    let mut out = vec![format!(
        "{} risks assessed: {} mitigate, {} accept, {} transfer, {} avoid.",
        s.risks.len(),
        by(Treatment::Mitigate),
        by(Treatment::Accept),
        by(Treatment::Transfer),
        by(Treatment::Avoid)
    )];
    if let Some(top) = cur.top_risks.first() {
        out.push(format!(
            "Highest: {} {} (inherent {}, residual {}).",
            top.id, top.text, top.who, top.when
        ));
    }
    let high = s.risks.iter().filter(|r| r.residual_score() >= 12).count();
    let treated: Vec<_> = s
        .risks
        .iter()
        .filter(|r| r.treatment == Treatment::Mitigate)
        .collect();
    let planned = treated
        .iter()
        .filter(|r| {
            r.controls.iter().any(|c| {
                s.tasks
                    .iter()
                    .any(|t| t.control.as_ref() == Some(c) && t.status != TaskStatus::Done)
            })
        })
        .count();
    out.push(format!(
        "Treatment plan: {planned} of {} risks being mitigated have open remediation tasks on their controls; {high} risk(s) keep a residual score of 12 or more.",
        treated.len()
    ));
    out
}
