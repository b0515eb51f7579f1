//! Tabletop: the scenario picker with the exercises held (date, scenario, facilitator, the
//! findings and tasks they opened; the detail names the after-action report) and, while an
//! exercise runs, the facilitator's view ([`facilitator`]).

mod facilitator;
mod past;

pub use facilitator::render;

mod inject;

pub use inject::{inject_area, inject_lines};

use super::Spec;
use crate::tabletop::Scenario;
use crate::tabletop::exercise::Exercise;
use crate::tui::data::Data;
use crate::tui::rows::{Cell, Role, Row};
use crate::tui::theme::Theme;
use ratatui::layout::Constraint;
use ratatui::text::Line;

/// Scenario list columns.
pub static SPEC: Spec = Spec {
    headers: &["Scenario", "Min", "Injects", "Title"],
    widths: &[
        Constraint::Length(26),
        Constraint::Length(4),
        Constraint::Length(8),
        Constraint::Fill(1),
    ],
    sorts: &["library order"],
    drop_order: &[2, 1],
};

/// A running exercise with its scenario.
#[derive(Debug, Clone)]
pub struct Running {
    /// The exercise (its log is its state).
    pub exercise: Exercise,
    /// The scenario.
    pub scenario: Scenario,
}

/// One row per scenario, then the exercises held (newest first) under a heading.
pub fn rows(d: &Data, shape: &crate::tui::tabs::Shape) -> Vec<Row> {
    let mut out: Vec<Row> = d
        .scenarios
        .iter()
        .map(|s| Row {
            id: s.id.clone(),
            cells: vec![
                Cell::new(s.id.clone(), Role::Accent),
                Cell::new(s.duration_minutes.to_string(), Role::Muted),
                Cell::new(s.injects.len().to_string(), Role::Muted),
                Cell::text(s.title.clone()),
            ],
            heading: false,
            bar: None,
        })
        .collect();
    out.extend(past::rows(d, shape));
    out
}

/// The scenario's briefing (detail pane of the picker).
pub fn detail(d: &Data, id: &str, t: &Theme) -> Vec<Line<'static>> {
    let Some(s) = d.scenarios.iter().find(|s| s.id == id) else {
        return past::detail(d, id, t);
    };
    let mut out = vec![
        Line::styled(s.title.clone(), t.title()),
        Line::raw(s.summary.trim().to_owned()),
        Line::default(),
        Line::styled("Objectives", t.title()),
    ];
    out.extend(s.objectives.iter().map(|o| Line::raw(format!("  • {o}"))));
    out.push(Line::styled("Roles", t.title()));
    out.extend(
        s.roles
            .iter()
            .map(|r| Line::raw(format!("  • {} ({})", r.role, r.suggested))),
    );
    out.push(Line::styled("Requirements exercised", t.title()));
    out.extend(
        s.requirements
            .iter()
            .map(|(fw, ids)| Line::raw(format!("  {fw}: {}", ids.join(", ")))),
    );
    out.push(Line::styled("Injects", t.title()));
    out.extend(
        s.injects
            .iter()
            .map(|i| Line::raw(format!("  +{:>2} min  {}", i.at, i.title))),
    );
    let past: Vec<_> = d.exercises.iter().filter(|e| e.scenario == s.id).collect();
    if !past.is_empty() {
        out.push(Line::styled("Held", t.title()));
        out.extend(past.iter().map(|e| {
            Line::raw(format!(
                "  {} {} by {} {}",
                e.id,
                e.started,
                e.facilitator,
                e.ended.as_deref().unwrap_or("(open)")
            ))
        }));
    }
    out.push(Line::default());
    out.push(Line::styled("Enter starts the exercise", t.fg(t.muted)));
    out
}

/// The start form's field: who facilitates.
pub const FACILITATOR: &str = "run by";

/// The form that starts scenario `id`, prefilled with the last facilitator (None: `id` is
/// not a scenario).
fn start_form(d: &Data, id: &str) -> Option<crate::tui::prompt::Prompt> {
    use crate::tui::prompt::{self, Prompt, Target};
    let s = d.scenarios.iter().find(|s| s.id == id)?;
    let mut p = Prompt::new(
        format!("Start exercise {}", s.id),
        Target::TtLog(crate::tabletop::exercise::Kind::Start),
        vec![prompt::text(FACILITATOR, &d.facilitator, false)],
    );
    p.preview = vec![
        format!("{} · {} injects", s.title, s.injects.len()),
        "an exercise of this scenario left open is resumed instead".into(),
    ];
    Some(p)
}

/// The Tabletop tab in the registry.
pub struct TabletopTab;

impl crate::tui::tabs::TabView for TabletopTab {
    fn tab(&self) -> crate::tui::tab::Tab {
        crate::tui::tab::Tab::Tabletop
    }

    fn title(&self) -> &'static str {
        "Tabletop"
    }

    fn key(&self) -> crate::tui::action::Action {
        crate::tui::action::Action::TabTabletop
    }

    fn context(&self, running: bool) -> Option<&'static str> {
        running.then_some("tabletop")
    }

    fn spec(&self, _shape: &crate::tui::tabs::Shape) -> &'static Spec {
        &SPEC
    }

    fn rows(&self, d: &Data, _sort: usize, shape: &crate::tui::tabs::Shape) -> Vec<Row> {
        rows(d, shape)
    }

    fn detail(&self, d: &Data, id: &str, t: &Theme) -> Vec<Line<'static>> {
        detail(d, id, t)
    }

    /// Enter on a scenario asks who facilitates, then starts (or resumes) its exercise;
    /// nothing while one is under way (a past exercise opens its detail).
    fn enter(&self, d: &Data, id: &str, running: bool) -> Option<crate::tui::tabs::Enter> {
        if running {
            return None;
        }
        start_form(d, id).map(crate::tui::tabs::Enter::Form)
    }

    fn body(&self, _shape: &crate::tui::tabs::Shape, running: bool) -> crate::tui::tabs::Body {
        if running {
            crate::tui::tabs::Body::Own
        } else {
            crate::tui::tabs::Body::List
        }
    }

    fn draw(
        &self,
        f: &mut ratatui::Frame,
        area: ratatui::layout::Rect,
        cx: &crate::tui::tabs::DrawCx,
    ) {
        if let Some(r) = cx.running {
            render(f, area, r, cx.now, cx.theme, cx.pane);
        }
    }

    fn pane(
        &self,
        cx: &crate::tui::tabs::DrawCx,
        body: ratatui::layout::Rect,
    ) -> Option<(Vec<Line<'static>>, ratatui::layout::Rect)> {
        let r = cx.running?;
        Some((inject_lines(r, cx.theme), inject_area(body)))
    }

    fn detail_always(&self) -> bool {
        true
    }
}
