//! The Overview's small panels as lines (the caller cuts them to the panel's width): open
//! findings, late tasks, lapsing evidence, top risks, upcoming audits, and the gateway and
//! vendor panel.

use super::Model;
use super::gateway_panel;
use crate::domain::Severity;
use crate::tui::data::Data;
use crate::tui::rows::Role;
use crate::tui::tabs::findings::severity_role;
use crate::tui::theme::Theme;
use ratatui::text::{Line, Span};

pub(super) fn findings(m: &Model, t: &Theme) -> Vec<Line<'static>> {
    let mut out: Vec<Line> = Severity::ALL
        .iter()
        .zip(m.findings.0)
        .map(|(s, n)| {
            Line::from(vec![
                Span::styled(format!("{:<9}", s.label()), severity_role(*s).style(t)),
                Span::raw(n.to_string()),
            ])
        })
        .collect();
    let overdue = m.findings.1;
    out.push(Line::styled(
        format!("{overdue} overdue"),
        if overdue > 0 {
            Role::Late.style(t)
        } else {
            t.fg(t.muted)
        },
    ));
    out
}

pub(super) fn late_tasks(m: &Model, t: &Theme) -> Vec<Line<'static>> {
    if m.late.is_empty() {
        return vec![Line::styled("none", t.fg(t.ok))];
    }
    m.late
        .iter()
        .map(|(id, days, owner, title)| {
            Line::from(vec![
                Span::styled(format!("{id} +{days}d "), Role::Late.style(t)),
                Span::raw(format!("{owner} {title}")),
            ])
        })
        .collect()
}

pub(super) fn expiring(m: &Model, t: &Theme) -> Vec<Line<'static>> {
    if m.expiring.is_empty() {
        return vec![Line::styled("nothing lapses in 14 days", t.fg(t.ok))];
    }
    m.expiring
        .iter()
        .map(|(v, id)| {
            Line::from(vec![
                Span::styled(format!("{} ", v.format("%m-%d")), Role::Warn.style(t)),
                Span::raw(id.clone()),
            ])
        })
        .collect()
}

pub(super) fn top_risks(m: &Model, t: &Theme) -> Vec<Line<'static>> {
    m.risks
        .iter()
        .map(|(score, residual, title)| {
            let style = if *residual > crate::analysis::totals::RISK_APPETITE {
                Role::High.style(t)
            } else {
                t.fg(t.muted)
            };
            Line::from(vec![
                Span::styled(format!("{score:>2}→{residual:<2} "), style),
                Span::raw(title.clone()),
            ])
        })
        .collect()
}

pub(super) fn audits(m: &Model, t: &Theme) -> Vec<Line<'static>> {
    if m.audits.is_empty() {
        return vec![Line::styled("none planned", t.fg(t.muted))];
    }
    m.audits
        .iter()
        .map(|(w, kind)| {
            Line::from(vec![
                Span::styled(format!("{w} "), t.fg(t.accent)),
                Span::raw(kind.clone()),
            ])
        })
        .collect()
}

pub(super) fn gateway(d: &Data, now: i64, t: &Theme) -> Vec<Line<'static>> {
    let v = &d.assessment.totals.vendors;
    let mut out = gateway_panel::lines(d, now, t);
    out.extend([Line::from(vec![
        Span::raw(format!("vendors {} · ", v.total)),
        Span::styled(
            format!("{} missing BAA", v.missing_baa),
            if v.missing_baa > 0 {
                Role::Late.style(t)
            } else {
                t.fg(t.muted)
            },
        ),
        Span::raw(format!(" · {} expiring ≤60d", v.expiring_60d)),
    ])]);
    for (sev, msg) in &d.overview.vendors {
        out.push(Line::styled(msg.clone(), severity_role(*sev).style(t)));
    }
    out
}
