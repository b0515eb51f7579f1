//! The rhythms each framework implies but nobody has planned yet (REFERENCE, "Audit rhythm
//! facts"): the next SOC 2 Type II window back to back, ISO surveillance and recertification,
//! the annual PCI assessment (SAQ or ROC) a year after the latest, quarterly PCI ASV scans,
//! the annual PCI penetration test and the annual HIPAA evaluation. Every item lies in the
//! audit lane and is marked projected (late when the rhythm's date has already passed).

use super::{Item, Lane, State, add_months, day_after};
use crate::domain::{AuditKind, Date, Snapshot};

/// What each framework's rhythm implies and nobody has planned yet.
pub(super) fn rhythms(s: &Snapshot, as_of: Date) -> Vec<Item> {
    let mut out = Vec::new();
    let projected = |id: String, label: String, start: Date, end: Date| Item {
        id,
        lane: Lane::Audit,
        label,
        start,
        end,
        state: State::Projected,
        note: "projected from the framework's rhythm".into(),
    };
    let last_date = |k: AuditKind| {
        s.audits
            .iter()
            .filter(|a| a.kind == k)
            .filter_map(|a| {
                a.window_end
                    .or(a.report_date)
                    .or(a.point_in_time)
                    .or(a.fieldwork_start)
            })
            .max()
    };
    // SOC 2: the next Type II window back to back with the latest, 12 months long.
    if let Some(last) = s
        .audits
        .iter()
        .filter(|a| a.kind == AuditKind::Soc2Type2)
        .filter_map(|a| a.window_end)
        .max()
    {
        let start = day_after(last);
        let end = add_months(start, 12).pred_opt().unwrap_or(start);
        out.push(projected(
            "projected:soc2:window".into(),
            "SOC 2 Type II window (next, back to back)".into(),
            start,
            end,
        ));
    }
    // ISO: surveillance in years 2 and 3 after certification, recertification in year 4.
    if last_date(AuditKind::IsoSurveillance).is_none()
        && let Some(cert) = last_date(AuditKind::IsoStage2)
    {
        out.push(projected(
            "projected:iso:surveillance1".into(),
            "ISO surveillance audit 1".into(),
            add_months(cert, 12),
            add_months(cert, 12),
        ));
        out.push(projected(
            "projected:iso:surveillance2".into(),
            "ISO surveillance audit 2".into(),
            add_months(cert, 24),
            add_months(cert, 24),
        ));
        out.push(projected(
            "projected:iso:recert".into(),
            "ISO recertification".into(),
            add_months(cert, 36),
            add_months(cert, 36),
        ));
    }
    // PCI: the annual assessment (SAQ or ROC), a year after the latest one recorded.
    if let Some((kind, last)) = s
        .audits
        .iter()
        .filter(|a| matches!(a.kind, AuditKind::PciSaq | AuditKind::PciRoc))
        .filter_map(|a| {
            Some((
                a.kind,
                a.point_in_time.or(a.fieldwork_start).or(a.report_date)?,
            ))
        })
        .max_by_key(|(_, d)| *d)
    {
        let next = add_months(last, 12);
        let mut it = projected(
            "projected:pci:assessment".into(),
            format!("{} (annual, next)", super::kind_label(kind)),
            next,
            next,
        );
        it.note = format!("a year after the latest one ({last})");
        if next < as_of {
            it.state = State::Late;
        }
        out.push(it);
    }
    // PCI: quarterly ASV scans after the latest, for the next year.
    if let Some(last) = last_date(AuditKind::PciAsvScan) {
        for q in 1..=4u32 {
            let d = add_months(last, 3 * q);
            if d >= as_of {
                out.push(projected(
                    format!("projected:pci:asv{q}"),
                    "PCI ASV scan (quarterly)".into(),
                    d,
                    d,
                ));
            }
        }
    }
    // PCI: an annual penetration test a year after the latest one (planned as an audit, or
    // evidenced by the penetration-test control), when PCI DSS is in scope.
    if s.scope
        .contains_key(&crate::domain::FrameworkKey::from("pci-dss"))
    {
        let evidenced = s
            .evidence
            .get(&crate::domain::ControlId::from("GW-VUL-02"))
            .and_then(|f| {
                f.iter()
                    .filter(|x| x.result == crate::domain::EvidenceResult::Pass)
                    .map(|x| x.effective)
                    .max()
            });
        if let Some(last) = last_date(AuditKind::PciPentest)
            .into_iter()
            .chain(evidenced)
            .max()
        {
            let next = add_months(last, 12);
            if next >= as_of {
                out.push(projected(
                    "projected:pci:pentest".into(),
                    "PCI penetration test (annual)".into(),
                    next,
                    next,
                ));
            }
        }
    }
    // HIPAA: an evaluation a year after the latest assessment, when none is planned later.
    if let Some(last) = last_date(AuditKind::HipaaAssessment) {
        let next = add_months(last, 12);
        if next >= as_of {
            out.push(projected(
                "projected:hipaa:evaluation".into(),
                "HIPAA evaluation (annual)".into(),
                next,
                next,
            ));
        }
    }
    out
}
