//! Evidence, newest first: result, validity, source and chain status.

pub mod picker;
pub mod sources;

use super::{Spec, kv, note_lines};
use crate::analysis::validity::validity_days;
use crate::domain::{Evidence, EvidenceResult};
use crate::tui::data::{Data, RECENT_EVIDENCE};
use crate::tui::rows::{Cell, Role, Row};
use crate::tui::theme::Theme;
use chrono::Days;
use ratatui::layout::Constraint;
use ratatui::text::{Line, Span};

/// Columns and sorts.
pub static SPEC: Spec = Spec {
    headers: &[
        "Seq",
        "Effective",
        "Control",
        "Result",
        "Valid to",
        "Source",
        "Title",
        "Chain",
    ],
    widths: &[
        Constraint::Length(7),
        Constraint::Length(10),
        Constraint::Length(12),
        Constraint::Length(6),
        Constraint::Length(10),
        Constraint::Length(8),
        Constraint::Fill(1),
        Constraint::Length(8),
    ],
    sorts: &["newest", "effective", "control"],
    drop_order: &[5, 7, 4, 0],
};

fn valid_to(d: &Data, e: &Evidence) -> Option<crate::domain::Date> {
    e.expires.or_else(|| {
        let c = d.snapshot.controls.iter().find(|c| c.id == e.control)?;
        e.effective
            .checked_add_days(Days::new(validity_days(c.cadence)))
    })
}

/// Chain status of one row from the last verification.
fn chain(d: &Data, seq: i64) -> (String, Role) {
    match &d.chain {
        None => ("unverif".into(), Role::Muted),
        Some(r) => match r
            .evidence_break
            .as_deref()
            .and_then(|b| b.split_whitespace().nth(2)?.parse::<i64>().ok())
        {
            Some(broken) if seq >= broken => ("BROKEN".into(), Role::Gap),
            _ => ("ok".into(), Role::Met),
        },
    }
}

/// The newest evidence items.
pub fn rows(d: &Data, sort: usize) -> Vec<Row> {
    let mut items: Vec<&Evidence> = d.recent_evidence.iter().collect();
    match sort {
        1 => items.sort_by(|a, b| b.effective.cmp(&a.effective).then(b.seq.cmp(&a.seq))),
        2 => items.sort_by(|a, b| {
            a.control
                .cmp(&b.control)
                .then(b.effective.cmp(&a.effective))
        }),
        _ => {}
    }
    items
        .into_iter()
        .map(|e| {
            let valid = valid_to(d, e);
            let expired = valid.is_some_and(|v| v < d.as_of);
            let (chain, chain_role) = chain(d, e.seq);
            Row {
                id: e.seq.to_string(),
                cells: vec![
                    Cell::new(e.seq.to_string(), Role::Muted),
                    Cell::text(e.effective.to_string()),
                    Cell::text(e.control.to_string()),
                    Cell::new(
                        e.result.label(),
                        match e.result {
                            EvidenceResult::Pass => Role::Met,
                            EvidenceResult::Fail => Role::Gap,
                            EvidenceResult::Info => Role::Muted,
                        },
                    ),
                    Cell::new(
                        valid.map_or("-".into(), |v| v.to_string()),
                        if expired { Role::Muted } else { Role::Text },
                    ),
                    Cell::new(e.source.label(), Role::Muted),
                    Cell::text(e.title.clone()),
                    Cell::new(chain, chain_role),
                ],
                heading: false,
                bar: None,
            }
        })
        .collect()
}

/// Evidence detail.
pub fn detail(d: &Data, id: &str, t: &Theme) -> Vec<Line<'static>> {
    let Some(e) = d.recent_evidence.iter().find(|e| e.seq.to_string() == id) else {
        return Vec::new();
    };
    let mut out = vec![
        Line::from(vec![
            Span::styled(format!("evidence {} ", e.seq), t.title()),
            Span::raw(e.title.clone()),
        ]),
        kv(t, "control", e.control.to_string()),
        kv(t, "result", e.result.label()),
        kv(t, "effective", e.effective.to_string()),
        kv(
            t,
            "valid to",
            valid_to(d, e).map_or("-".into(), |v| v.to_string()),
        ),
        kv(t, "collected", e.collected.clone()),
        kv(t, "source", e.source.label()),
        kv(t, "digest", e.content_digest.clone()),
        kv(t, "chain hash", e.chain_hash.clone()),
        kv(t, "chain", chain(d, e.seq).0),
    ];
    if d.recent_evidence.len() >= RECENT_EVIDENCE {
        out.push(Line::styled(
            format!("(the list shows the newest {RECENT_EVIDENCE} items)"),
            t.fg(t.muted),
        ));
    }
    out.extend(note_lines(d, "evidence", id, t));
    out
}

/// The Evidence tab in the registry.
pub struct EvidenceTab;

impl crate::tui::tabs::TabView for EvidenceTab {
    fn tab(&self) -> crate::tui::tab::Tab {
        crate::tui::tab::Tab::Evidence
    }

    fn title(&self) -> &'static str {
        "Evidence"
    }

    fn key(&self) -> crate::tui::action::Action {
        crate::tui::action::Action::TabEvidence
    }

    fn spec(&self, shape: &crate::tui::tabs::Shape) -> &'static Spec {
        if shape.sources { &sources::SPEC } else { &SPEC }
    }

    fn rows(&self, d: &Data, sort: usize, shape: &crate::tui::tabs::Shape) -> Vec<Row> {
        if shape.sources {
            sources::rows(d, sort)
        } else {
            rows(d, sort)
        }
    }

    fn detail(&self, d: &Data, id: &str, t: &Theme) -> Vec<Line<'static>> {
        if id.starts_with(sources::PREFIX) {
            sources::detail(d, id, t)
        } else {
            detail(d, id, t)
        }
    }

    fn note_target(
        &self,
        id: &str,
        shape: &crate::tui::tabs::Shape,
    ) -> Option<(&'static str, String)> {
        (!shape.sources).then(|| ("evidence", id.to_owned()))
    }

    /// `A` opens the preset picker on the Sources view.
    fn form(
        &self,
        a: crate::tui::action::Action,
        cx: &crate::tui::tabs::FormCx,
    ) -> Option<crate::tui::tabs::Form> {
        use crate::tui::tabs::Form;
        if a != crate::tui::action::Action::AddSource {
            return None;
        }
        Some(if cx.shape.sources {
            Form::Open(picker::open(&cx.data.presets))
        } else {
            Form::Say("press S for the Sources view, then A to add a source from a preset".into())
        })
    }

    fn toggles(&self) -> &'static [crate::tui::action::Action] {
        &[crate::tui::action::Action::Sources]
    }

    /// The list holds the newest [`RECENT_EVIDENCE`](crate::tui::data::RECENT_EVIDENCE) items;
    /// its title says so when there are more.
    fn list_cut(&self, d: &Data, shape: &crate::tui::tabs::Shape) -> Option<(u64, u64)> {
        let total = d.snapshot.evidence_rows;
        let loaded = d.recent_evidence.len() as u64;
        (!shape.sources && total > loaded).then_some((loaded, total))
    }

    fn list_name(&self, shape: &crate::tui::tabs::Shape) -> (&'static str, Option<&'static str>) {
        if shape.sources {
            ("Evidence › sources (S: items)", None)
        } else {
            ("Evidence", None)
        }
    }

    /// `S` switches between items and sources here; pressed elsewhere it shows the sources.
    fn toggle(
        &self,
        _a: crate::tui::action::Action,
        shape: &mut crate::tui::tabs::Shape,
        here: bool,
    ) -> Option<String> {
        shape.sources = !here || !shape.sources;
        None
    }
}
