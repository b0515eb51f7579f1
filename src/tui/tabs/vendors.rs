//! Vendors: the register with the data each vendor receives and its agreements at a glance
//! (BAA, DPA, zero retention / no training, SOC 2 report, ISO certificate, PCI AOC), the
//! issues the vendor rules raise, and a detail with every agreement and the requirements each
//! issue touches. Filter with `/` on a data category (`phi`) or on what is missing (`no baa`).

use super::{Spec, kv, note_lines};
use crate::analysis::vendors::VendorRule;
use crate::domain::{AgreementKind, Vendor};
use crate::tui::data::Data;
use crate::tui::rows::{Cell, Role, Row};
use crate::tui::theme::Theme;
use ratatui::layout::Constraint;
use ratatui::text::{Line, Span};

/// Columns and sorts.
pub static SPEC: Spec = Spec {
    headers: &["ID", "Name", "Kind", "Crit", "Data", "Agreements", "Issues"],
    widths: &[
        Constraint::Length(14),
        Constraint::Fill(1),
        Constraint::Length(14),
        Constraint::Length(8),
        Constraint::Fill(1),
        Constraint::Length(26),
        Constraint::Fill(1),
    ],
    sorts: &["issues", "name", "criticality"],
    drop_order: &[2, 3, 0],
};

fn short(k: AgreementKind) -> &'static str {
    match k {
        AgreementKind::Baa => "BAA",
        AgreementKind::Dpa => "DPA",
        AgreementKind::ZeroRetention => "ZDR",
        AgreementKind::NoTraining => "NoTrain",
        AgreementKind::Soc2Type2 => "SOC2",
        AgreementKind::BridgeLetter => "Bridge",
        AgreementKind::IsoCertificate => "ISO",
        AgreementKind::PciAoc => "AOC",
    }
}

fn issue_text(r: VendorRule) -> &'static str {
    match r {
        VendorRule::MissingBaa => "no BAA",
        VendorRule::MissingPciAoc => "no PCI AOC",
        VendorRule::NoRetentionTerms => "no retention terms",
        VendorRule::ExpiringSoon => "expiring ≤60d",
        VendorRule::StaleSoc2Report => "stale SOC 2 report",
    }
}

/// One row per vendor.
pub fn rows(d: &Data, sort: usize) -> Vec<Row> {
    let issues = |v: &Vendor| {
        d.assessment
            .vendors
            .issues
            .iter()
            .filter(|i| i.vendor == v.id)
            .collect::<Vec<_>>()
    };
    let mut items: Vec<&Vendor> = d.snapshot.vendors.iter().collect();
    match sort {
        1 => items.sort_by(|a, b| a.name.cmp(&b.name)),
        2 => items.sort_by_key(|v| (v.criticality, v.name.clone())),
        _ => items.sort_by_key(|v| {
            let is = issues(v);
            (
                std::cmp::Reverse(
                    is.iter()
                        .map(|i| 4 - i.severity as usize)
                        .max()
                        .unwrap_or(0),
                ),
                std::cmp::Reverse(is.len()),
                v.name.clone(),
            )
        }),
    }
    items
        .into_iter()
        .map(|v| {
            let is = issues(v);
            let mut kinds: Vec<&str> = v.agreements.iter().map(|a| short(a.kind)).collect();
            kinds.dedup();
            let worst = is.iter().map(|i| i.severity).min();
            let role = match worst {
                Some(crate::domain::Severity::Critical) => Role::Critical,
                Some(crate::domain::Severity::High) => Role::High,
                Some(_) => Role::Warn,
                None => Role::Met,
            };
            let text: Vec<&str> = is.iter().map(|i| issue_text(i.rule)).collect();
            Row {
                id: v.id.to_string(),
                cells: vec![
                    Cell::new(v.id.to_string(), Role::Muted),
                    Cell::text(v.name.clone()),
                    Cell::new(v.kind.label(), Role::Muted),
                    Cell::new(v.criticality.map_or("-", |c| c.label()), Role::Muted),
                    Cell::text(
                        v.data
                            .iter()
                            .map(|c| c.label())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    Cell::text(kinds.join(" ")),
                    Cell::new(
                        if text.is_empty() {
                            "ok".into()
                        } else {
                            text.join(", ")
                        },
                        role,
                    ),
                ],
                heading: false,
                bar: None,
            }
        })
        .collect()
}

/// Every agreement and issue of a vendor.
pub fn detail(d: &Data, id: &str, t: &Theme) -> Vec<Line<'static>> {
    let Some(v) = d.snapshot.vendors.iter().find(|v| v.id.as_str() == id) else {
        return Vec::new();
    };
    let opt = |x: Option<crate::domain::Date>| x.map_or("-".to_owned(), |x| x.to_string());
    let mut out = vec![
        Line::from(vec![
            Span::styled(format!("{} ", v.name), t.title()),
            Span::raw(v.service.clone()),
        ]),
        kv(
            t,
            "kind",
            format!(
                "{} · criticality {} · region {}",
                v.kind.label(),
                v.criticality.map_or("-", |c| c.label()),
                v.region
            ),
        ),
        kv(
            t,
            "receives",
            v.data
                .iter()
                .map(|c| c.label())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        kv(t, "owner", v.owner.clone()),
        kv(t, "subprocessors", v.subprocessors.join(", ")),
        kv(
            t,
            "controls",
            v.controls
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Line::default(),
        Line::styled("Agreements and attestations", t.title()),
    ];
    if v.agreements.is_empty() {
        out.push(Line::styled("  none on record", t.alert(t.gap)));
    }
    for a in &v.agreements {
        out.push(Line::raw(format!(
            "  {} ({}): signed {} · issued {} · period {}..{} · expires {}",
            short(a.kind),
            a.kind.label(),
            opt(a.signed),
            opt(a.issued),
            opt(a.period_start),
            opt(a.period_end),
            opt(a.expires)
        )));
    }
    let issues: Vec<_> = d
        .assessment
        .vendors
        .issues
        .iter()
        .filter(|i| i.vendor == v.id)
        .collect();
    if !issues.is_empty() {
        out.push(Line::default());
        out.push(Line::styled("Issues", t.title()));
    }
    for i in issues {
        let reqs: Vec<String> = i
            .requirements
            .iter()
            .map(|(f, r)| format!("{f} {r}"))
            .collect();
        out.push(Line::styled(
            format!("  [{}] {}", i.severity, i.message),
            t.alert(t.late),
        ));
        out.push(Line::styled(
            format!("     serves {}", reqs.join(", ")),
            t.fg(t.muted),
        ));
    }
    out.extend(note_lines(d, "vendor", id, t));
    out
}

list_tab!(
    VendorsTab,
    Vendors,
    "Vendors",
    TabVendors,
    |d, sort, shape| rows(d, sort),
    note = "vendor"
);
