//! Controls: status, owner, cadence, last evidence and validity; the detail shows every
//! framework requirement the control satisfies ("test once, comply many") and its evidence.

pub mod form;

use super::{Spec, kv, note_lines};
use crate::analysis::validity::valid_until;
use crate::domain::{ControlStatus, EvidenceResult};
use crate::tui::data::Data;
use crate::tui::rows::{Cell, Role, Row};
use crate::tui::theme::Theme;
use ratatui::layout::Constraint;
use ratatui::text::{Line, Span};
use std::collections::HashMap;

/// Columns and sorts.
pub static SPEC: Spec = Spec {
    headers: &[
        "ID",
        "Title",
        "Status",
        "Owner",
        "Cadence",
        "Last pass",
        "Valid to",
    ],
    widths: &[
        Constraint::Length(12),
        Constraint::Fill(1),
        Constraint::Length(19),
        Constraint::Length(17),
        Constraint::Length(10),
        Constraint::Length(10),
        Constraint::Length(10),
    ],
    sorts: &["id", "status", "owner", "cadence", "valid to"],
    drop_order: &[4, 5, 3],
};

/// Role of a control status.
pub fn control_role(s: ControlStatus, designed: bool) -> Role {
    match s {
        ControlStatus::Implemented if designed => Role::Met,
        ControlStatus::Implemented => Role::Warn,
        ControlStatus::InProgress => Role::Partial,
        ControlStatus::NotStarted => Role::Gap,
        ControlStatus::NotApplicable => Role::Na,
    }
}

/// One row per control.
pub fn rows(d: &Data, sort: usize) -> Vec<Row> {
    let states: HashMap<_, _> = d.assessment.controls.iter().map(|c| (&c.id, c)).collect();
    let mut items: Vec<_> = d
        .snapshot
        .controls
        .iter()
        .map(|c| (c, states.get(&c.id).copied()))
        .collect();
    match sort {
        1 => items.sort_by_key(|(c, _)| (c.status, c.id.clone())),
        2 => items.sort_by(|a, b| a.0.owner.cmp(&b.0.owner).then(a.0.id.cmp(&b.0.id))),
        3 => items.sort_by_key(|(c, _)| (c.cadence, c.id.clone())),
        4 => items.sort_by_key(|(c, s)| (s.and_then(|s| s.valid_until), c.id.clone())),
        _ => {}
    }
    items
        .into_iter()
        .map(|(c, s)| {
            let designed = s.is_some_and(|s| s.designed);
            let lapsed = c.status == ControlStatus::Implemented && !designed;
            let status = if lapsed {
                "implemented, lapsed".to_owned()
            } else {
                c.status.label().to_owned()
            };
            let valid = s
                .and_then(|s| s.valid_until)
                .map_or("-".into(), |v| v.to_string());
            Row {
                id: c.id.to_string(),
                cells: vec![
                    Cell::text(c.id.to_string()),
                    Cell::text(c.title.clone()),
                    Cell::new(status, control_role(c.status, designed)),
                    Cell::new(
                        if c.owner.is_empty() {
                            "-".into()
                        } else {
                            c.owner.clone()
                        },
                        Role::Muted,
                    ),
                    Cell::new(c.cadence.label(), Role::Muted),
                    Cell::text(
                        s.and_then(|s| s.last_pass)
                            .map_or("-".into(), |v| v.to_string()),
                    ),
                    Cell::new(valid, if lapsed { Role::Late } else { Role::Text }),
                ],
                heading: false,
                bar: None,
            }
        })
        .collect()
}

/// Requirements satisfied, evidence history, notes.
pub fn detail(d: &Data, id: &str, t: &Theme) -> Vec<Line<'static>> {
    let Some(c) = d.snapshot.controls.iter().find(|c| c.id.as_str() == id) else {
        return Vec::new();
    };
    let state = d.assessment.controls.iter().find(|s| s.id.as_str() == id);
    let mut out = vec![
        Line::from(vec![
            Span::styled(format!("{} ", c.id), t.title()),
            Span::raw(c.title.clone()),
        ]),
        kv(
            t,
            "status",
            format!(
                "{} · owner {} · {}",
                c.status.label(),
                if c.owner.is_empty() { "-" } else { &c.owner },
                c.cadence.label()
            ),
        ),
        kv(
            t,
            "designed",
            state.map_or(String::new(), |s| s.reason.clone()),
        ),
    ];
    if !c.description.is_empty() {
        out.push(Line::raw(c.description.clone()));
    }
    if !c.evidence_expected.is_empty() {
        out.push(kv(t, "auditor asks", c.evidence_expected.join("; ")));
    }
    let maps: Vec<_> = d
        .snapshot
        .mappings
        .iter()
        .filter(|m| m.control == c.id)
        .collect();
    out.push(Line::default());
    out.push(Line::styled(
        format!(
            "Satisfies {} requirements (test once, comply many; \"(partial)\": the control covers part of it)",
            maps.len()
        ),
        t.title(),
    ));
    let mut by_fw: Vec<(String, Vec<String>)> = Vec::new();
    for m in &maps {
        let label = match m.relationship {
            crate::domain::Relationship::Full => m.requirement.to_string(),
            r => format!("{} ({})", m.requirement, r.label()),
        };
        let fw = d
            .snapshot
            .frameworks
            .iter()
            .find(|f| f.key == m.framework)
            .map_or_else(|| m.framework.to_string(), |f| f.name.clone());
        match by_fw.iter_mut().find(|(f, _)| *f == fw) {
            Some((_, v)) => v.push(label),
            None => by_fw.push((fw, vec![label])),
        }
    }
    for (fw, ids) in by_fw {
        out.push(kv(t, &format!("  {fw}"), ids.join(", ")));
    }
    out.push(Line::default());
    let facts = d
        .snapshot
        .evidence
        .get(&c.id)
        .map_or(&[][..], Vec::as_slice);
    out.push(Line::styled(
        format!(
            "Evidence history ({} distinct days, newest first)",
            facts.len()
        ),
        t.title(),
    ));
    for f in facts.iter().rev().take(12) {
        let role = match f.result {
            EvidenceResult::Pass => Role::Met,
            EvidenceResult::Fail => Role::Gap,
            EvidenceResult::Info => Role::Muted,
        };
        out.push(Line::from(vec![
            Span::styled(
                format!("  {} {:<5}", f.effective, f.result.label()),
                role.style(t),
            ),
            Span::styled(
                format!(" valid to {}", valid_until(f, c.cadence)),
                t.fg(t.muted),
            ),
        ]));
    }
    out.extend(note_lines(d, "control", id, t));
    out
}

list_tab!(
    ControlsTab,
    Controls,
    "Controls",
    TabControls,
    |d, sort, shape| rows(d, sort),
    note = "control",
    form = form::form
);
