//! Frameworks: framework → group → requirement tree with status colours, a "gaps only"
//! toggle, and a "why" pane for the selected row (the rule and the controls that decided it).

mod crosswalk;
pub mod plan;

use super::{Shape, Spec, kv, note_lines};
use crate::domain::ReqStatus;
use crate::tui::action::Action;
use crate::tui::data::Data;
use crate::tui::rows::{Cell, Role, Row, status_role};
use crate::tui::theme::Theme;
use ratatui::layout::Constraint;
use ratatui::text::{Line, Span};

/// Columns.
pub static SPEC: Spec = Spec {
    headers: &["Requirement", "Status", "Controls"],
    widths: &[
        Constraint::Fill(1),
        Constraint::Length(15),
        Constraint::Length(9),
    ],
    sorts: &["catalog order"],
    drop_order: &[],
};

/// A mapping's rationale, source and, for a workspace override, what the built-in set said.
fn mapping_line(m: &crate::domain::Mapping, t: &Theme) -> Line<'static> {
    let source = match m.overrides.as_deref() {
        Some("none") => format!("added by {}", m.source),
        Some("removed") | None => m.source.clone(),
        Some(was) => format!("override in {} (built-in: {was})", m.source),
    };
    Line::styled(
        format!("      {} [{source}]", m.rationale),
        if m.overrides.is_some() {
            t.fg(t.warn)
        } else {
            t.fg(t.muted)
        },
    )
}

/// Row ids: `fw`, `fw/group`, `fw/group/ref`.
pub fn rows(d: &Data, shape: &Shape) -> Vec<Row> {
    let mut out = Vec::new();
    for f in &d.assessment.frameworks {
        let fw_id = f.key.to_string();
        let r = &f.readiness;
        let label = if f.in_scope {
            format!(
                "{}  {:.1}%  ({} met, {} partial, {} gap)",
                f.name, r.type1_readiness_pct, r.met, r.partial, r.gap
            )
        } else {
            format!("{}  (out of scope)", f.name)
        };
        let folded = shape.folded.contains(&fw_id);
        out.push(Row {
            id: fw_id.clone(),
            cells: vec![
                Cell::new(
                    format!("{} {label}", if folded { "▸" } else { "▾" }),
                    Role::Accent,
                ),
                Cell::text(""),
                Cell::text(""),
            ],
            heading: true,
            bar: None,
        });
        if folded || !f.in_scope {
            continue;
        }
        let Some(fw) = d.snapshot.frameworks.iter().find(|x| x.key == f.key) else {
            continue;
        };
        for g in &fw.groups {
            let reqs: Vec<_> = r
                .requirements
                .iter()
                .filter(|q| q.group == g.id && q.assessable)
                .filter(|q| {
                    !shape.gaps_only || matches!(q.status, ReqStatus::Gap | ReqStatus::Partial)
                })
                .collect();
            if reqs.is_empty() {
                continue;
            }
            let gid = format!("{fw_id}/{}", g.id);
            let met = reqs.iter().filter(|q| q.status == ReqStatus::Met).count();
            let gaps = reqs.iter().filter(|q| q.status == ReqStatus::Gap).count();
            let gfold = shape.folded.contains(&gid);
            let role = if gaps > 0 {
                Role::Gap
            } else if met == reqs.len() {
                Role::Met
            } else {
                Role::Text
            };
            out.push(Row {
                id: gid.clone(),
                cells: vec![
                    Cell::new(
                        format!("  {} {}", if gfold { "▸" } else { "▾" }, g.title),
                        role,
                    ),
                    Cell::new(format!("{met}/{} met", reqs.len()), Role::Muted),
                    Cell::text(""),
                ],
                heading: true,
                bar: None,
            });
            if gfold {
                continue;
            }
            for q in reqs {
                out.push(Row {
                    id: format!("{gid}/{}", q.ref_id),
                    cells: vec![
                        Cell::text(format!("      {}  {}", q.ref_id, q.title)),
                        Cell::new(q.status.label(), status_role(q.status)),
                        Cell::new(q.controls.len().to_string(), Role::Muted),
                    ],
                    heading: false,
                    bar: None,
                });
            }
        }
    }
    out
}

/// The why pane.
pub fn detail(d: &Data, id: &str, t: &Theme) -> Vec<Line<'static>> {
    let mut parts = id.splitn(3, '/');
    let (Some(fw), group, req) = (parts.next(), parts.next(), parts.next()) else {
        return Vec::new();
    };
    let Some(f) = d.assessment.framework(fw) else {
        return Vec::new();
    };
    let Some(cat) = d.snapshot.frameworks.iter().find(|x| x.key.as_str() == fw) else {
        return Vec::new();
    };
    let Some(req) = req else {
        let r = &f.readiness;
        let mut out = vec![
            Line::styled(format!("{} {}", f.name, cat.version), t.title()),
            kv(t, "in scope", r.requirements_in_scope.to_string()),
            kv(t, "met", r.met.to_string()),
            kv(t, "partial", r.partial.to_string()),
            kv(t, "gap", r.gap.to_string()),
            kv(t, "n/a", r.not_applicable.to_string()),
            kv(
                t,
                "Type I",
                format!("{:.1}% = met / in scope", r.type1_readiness_pct),
            ),
        ];
        if let Some(g) = group {
            out.insert(
                1,
                kv(
                    t,
                    "group",
                    cat.groups
                        .iter()
                        .find(|x| x.id == g)
                        .map_or(g.to_owned(), |x| x.title.clone()),
                ),
            );
        }
        for n in &cat.notes {
            out.push(Line::styled(format!("note: {n}"), t.fg(t.warn)));
        }
        out.extend(f.projected.why.iter().map(|w| Line::raw(w.clone())));
        if !f.projected.unplanned.is_empty() {
            out.push(Line::styled(
                "P drafts a remediation task for each unplanned requirement (previewed first; u undoes)",
                t.fg(t.accent),
            ));
        }
        return out;
    };
    let Some(state) = f
        .readiness
        .requirements
        .iter()
        .find(|q| q.ref_id.as_str() == req)
    else {
        return Vec::new();
    };
    let def = cat.requirements.iter().find(|q| q.ref_id.as_str() == req);
    let mut out = vec![
        Line::from(vec![
            Span::styled(format!("{req} "), t.title()),
            Span::raw(state.title.clone()),
        ]),
        Line::from(vec![
            Span::styled(format!("{:<14}", "status"), t.fg(t.muted)),
            Span::styled(
                state.status.label().to_owned(),
                status_role(state.status).style(t),
            ),
        ]),
        kv(t, "why", state.reason.clone()),
    ];
    if let Some(def) = def {
        if let Some(h) = def.hipaa {
            out.push(kv(t, "HIPAA", h.label()));
        }
        out.push(Line::raw(def.description.clone()));
        if let Some(n) = &def.note {
            out.push(Line::styled(format!("note: {n}"), t.fg(t.warn)));
        }
        if let Some(l) = &def.left_to_org {
            out.push(Line::styled(
                format!("left to the organisation: {l}"),
                t.fg(t.muted),
            ));
        }
        if let Some(l) = &def.usually_na {
            out.push(Line::styled(
                format!("usually not applicable to an API platform: {l}"),
                t.fg(t.muted),
            ));
        }
    }
    out.push(Line::default());
    out.push(Line::styled(
        "Mapped controls (rule: met when every one is designed and one maps full)",
        t.title(),
    ));
    if state.controls.is_empty() {
        out.push(Line::styled("  none", t.alert(t.gap)));
    }
    let mine =
        |m: &&crate::domain::Mapping| m.framework.as_str() == fw && m.requirement.as_str() == req;
    for (c, rel) in &state.controls {
        let cs = d.assessment.controls.iter().find(|x| &x.id == c);
        let m = d
            .snapshot
            .mappings
            .iter()
            .filter(mine)
            .find(|m| &m.control == c);
        let inherited = *rel == crate::domain::Relationship::Inherited;
        // An inherited mapping is judged by its carve-out (named in the why line above).
        let (mark, role) = match cs {
            _ if inherited => ("^", Role::Accent),
            Some(s) if s.designed => ("✓", Role::Met),
            _ => ("✗", Role::Gap),
        };
        out.push(Line::from(vec![
            Span::styled(format!("  {mark} {c} ({rel}) "), role.style(t)),
            Span::styled(
                if inherited {
                    m.and_then(|m| m.carve_out.as_ref())
                        .map_or(String::new(), |co| format!("carved out to {co}"))
                } else {
                    cs.map_or(String::new(), |s| s.reason.clone())
                },
                t.fg(t.muted),
            ),
        ]));
        if let Some(m) = m {
            out.push(mapping_line(m, t));
        }
    }
    for m in d.snapshot.removed_mappings.iter().filter(mine) {
        out.push(Line::styled(
            format!(
                "  − {} ({}) removed by this workspace",
                m.control, m.relationship
            ),
            t.fg(t.warn),
        ));
        out.push(mapping_line(m, t));
    }
    out.extend(crosswalk::lines(d, fw, req, t));
    out.extend(note_lines(d, "requirement", &format!("{fw}:{req}"), t));
    out
}

list_tab!(
    FrameworksTab,
    Frameworks,
    "Frameworks",
    TabFrameworks,
    |d, sort, shape| rows(d, shape),
    note_by = note_target,
    form = form,
    toggles = [GapsOnly] => toggle,
    enter = enter,
    more {
        fn detail_always(&self) -> bool {
            true
        }
        fn detail_title(&self, _shape: &Shape) -> Option<&'static str> {
            Some(" why ")
        }
        fn headings_are_items(&self) -> bool {
            true
        }
        fn list_name(&self, shape: &Shape) -> (&'static str, Option<&'static str>) {
            ("Frameworks", shape.gaps_only.then_some("gaps only"))
        }
    }
);

/// Enter on a requirement goes to the Controls tab showing only its mapped controls.
fn enter(d: &Data, id: &str) -> Option<super::Enter> {
    let mut p = id.splitn(3, '/');
    let (fw, _, req) = (p.next()?, p.next()?, p.next()?);
    let state = d
        .assessment
        .framework(fw)?
        .readiness
        .requirements
        .iter()
        .find(|q| q.ref_id.as_str() == req)?;
    let ids: Vec<String> = state.controls.iter().map(|(c, _)| c.to_string()).collect();
    if ids.is_empty() {
        return None;
    }
    let n = ids.len();
    Some(super::Enter::Show(super::Only {
        tab: crate::tui::tab::Tab::Controls,
        ids,
        label: format!(
            "the {n} control{} mapped to {fw} {req}",
            if n == 1 { "" } else { "s" }
        ),
    }))
}

/// `P` drafts a task per unplanned requirement of the selected row's framework.
fn form(a: Action, cx: &super::FormCx) -> Option<super::Form> {
    (a == Action::PlanUnplanned).then(|| plan::form(cx))?
}

/// What a note on requirement row `fw/group/req` is about.
fn note_target(id: &str) -> Option<(&'static str, String)> {
    let mut p = id.splitn(3, '/');
    let (fw, _, req) = (p.next()?, p.next()?, p.next()?);
    Some(("requirement", format!("{fw}:{req}")))
}

/// `g` shows only gap and partial requirements, or every requirement again.
fn toggle(_a: Action, shape: &mut Shape, _here: bool) -> String {
    shape.gaps_only = !shape.gaps_only;
    if shape.gaps_only {
        "showing gap and partial requirements only"
    } else {
        "showing every requirement"
    }
    .into()
}
