//! Tabletop: the scenario picker and, while an exercise runs, the facilitator's view in large
//! type for a projector: the exercise clock, the current inject and a countdown to the next,
//! the questions for the room, the participants and the log as it grows.

mod inject;

use inject::split;
pub use inject::{inject_area, inject_lines};

use super::Spec;
use crate::tabletop::Scenario;
use crate::tabletop::exercise::{Exercise, Kind, clock_text};
use crate::tui::data::Data;
use crate::tui::rows::{Cell, Role, Row};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

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

/// One row per scenario.
pub fn rows(d: &Data) -> Vec<Row> {
    d.scenarios
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
        .collect()
}

/// The scenario's briefing (detail pane of the picker).
pub fn detail(d: &Data, id: &str, t: &Theme) -> Vec<Line<'static>> {
    let Some(s) = d.scenarios.iter().find(|s| s.id == id) else {
        return Vec::new();
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
                "  {} {} {}",
                e.id,
                e.started,
                e.ended.as_deref().unwrap_or("(open)")
            ))
        }));
    }
    out.push(Line::default());
    out.push(Line::styled("Enter starts the exercise", t.fg(t.muted)));
    out
}

/// Big digits, three columns by five rows each.
fn big(text: &str) -> [String; 5] {
    const GLYPHS: [[&str; 5]; 11] = [
        ["███", "█ █", "█ █", "█ █", "███"],
        ["  █", "  █", "  █", "  █", "  █"],
        ["███", "  █", "███", "█  ", "███"],
        ["███", "  █", "███", "  █", "███"],
        ["█ █", "█ █", "███", "  █", "  █"],
        ["███", "█  ", "███", "  █", "███"],
        ["███", "█  ", "███", "█ █", "███"],
        ["███", "  █", "  █", "  █", "  █"],
        ["███", "█ █", "███", "█ █", "███"],
        ["███", "█ █", "███", "  █", "███"],
        ["   ", " ▪ ", "   ", " ▪ ", "   "],
    ];
    let mut rows: [String; 5] = Default::default();
    for ch in text.chars() {
        let g = match ch {
            '0'..='9' => GLYPHS[ch as usize - '0' as usize],
            _ => GLYPHS[10],
        };
        for (r, row) in rows.iter_mut().enumerate() {
            row.push_str(g[r]);
            row.push(' ');
        }
    }
    rows
}

/// Draws the facilitator's view; the inject pane starts at line `scroll` (clamped) and shows
/// its position when it does not fit.
pub fn render(f: &mut Frame, area: Rect, r: &Running, now: i64, t: &Theme, scroll: usize) {
    let ex = &r.exercise;
    let s = &r.scenario;
    let cur = ex.current();
    let inject = s.injects.get(cur);
    let block = Block::bordered()
        .title(Span::styled(
            format!(" Tabletop · {} · {} ", ex.id, s.title),
            t.title(),
        ))
        .border_style(t.fg(t.accent));
    f.render_widget(block, area);
    let (head, main, side) = split(area);
    let [clock_area, status_area] =
        Layout::horizontal([Constraint::Length(34), Constraint::Fill(1)]).areas(head);
    let clock = clock_text(ex.clock(now));
    let clock_style = if ex.paused() {
        t.alert(t.warn)
    } else {
        t.title()
    };
    f.render_widget(
        Paragraph::new(
            big(&clock)
                .into_iter()
                .map(|l| Line::styled(l, clock_style))
                .collect::<Vec<_>>(),
        ),
        clock_area,
    );
    let next = match ex.countdown(s, now) {
        Some(secs) => format!("next inject in {}", clock_text(secs)),
        None => "last inject".to_owned(),
    };
    let people = ex.participants();
    let mut status = vec![
        Line::from(vec![
            Span::styled(
                format!("Inject {}/{} ", cur + 1, s.injects.len()),
                t.title().add_modifier(Modifier::BOLD),
            ),
            Span::styled(next, t.fg(t.accent)),
            Span::styled(if ex.paused() { "  PAUSED" } else { "" }, t.alert(t.warn)),
        ]),
        Line::raw(format!(
            "facilitator {} · {} participant(s): {}",
            ex.facilitator,
            people.len(),
            people.join(", ")
        )),
        Line::styled(
            "n note  D decision  g gap  a action  p participants  space pause  → next  ← back  E end",
            t.fg(t.muted),
        ),
    ];
    if let Some(sig) = inject.and_then(|i| i.signal.as_ref()) {
        status.push(Line::styled(
            format!("live signal: gateway {}", sig.gateway),
            t.alert(t.late),
        ));
    }
    f.render_widget(
        Paragraph::new(status).wrap(Wrap { trim: true }),
        status_area,
    );
    let lines = inject_lines(r, t);
    let inner = Block::bordered().inner(main);
    let total = crate::tui::scroll::wrapped_len(&lines, inner.width);
    let offset = scroll.min(crate::tui::scroll::max_offset(total, inner.height));
    let mut pane = Block::bordered().border_style(t.fg(t.border));
    if let Some(pos) = crate::tui::scroll::position(offset, inner.height, total) {
        pane =
            pane.title_top(Line::styled(format!(" {pos} · J/K "), t.fg(t.muted)).right_aligned());
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((offset as u16, 0))
            .block(pane),
        main,
    );
    let log: Vec<Line> = ex
        .events
        .iter()
        .rev()
        .filter(|e| {
            matches!(
                e.kind,
                Kind::Note | Kind::Decision | Kind::Gap | Kind::Action
            )
        })
        .map(|e| {
            let (label, role) = match e.kind {
                Kind::Decision => ("decision", Role::Accent),
                Kind::Gap => ("gap", Role::Gap),
                Kind::Action => ("action", Role::Partial),
                _ => ("note", Role::Muted),
            };
            let owner = e
                .owner
                .as_ref()
                .map_or(String::new(), |o| format!(" → {o}"));
            Line::from(vec![
                Span::styled(
                    format!("{} {label:<8} ", clock_text(ex.clock(e.t))),
                    role.style(t),
                ),
                Span::raw(format!("{}{owner}", e.text)),
            ])
        })
        .collect();
    f.render_widget(
        Paragraph::new(log).wrap(Wrap { trim: true }).block(
            Block::bordered()
                .title(" log (saved as it happens) ")
                .border_style(t.fg(t.border)),
        ),
        side,
    );
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

    fn rows(&self, d: &Data, _sort: usize, _shape: &crate::tui::tabs::Shape) -> Vec<Row> {
        rows(d)
    }

    fn detail(&self, d: &Data, id: &str, t: &Theme) -> Vec<Line<'static>> {
        detail(d, id, t)
    }

    /// Enter on a scenario starts (or resumes) its exercise, unless one is under way.
    fn enter(&self, _d: &Data, id: &str, running: bool) -> Option<crate::tui::tabs::Enter> {
        (!running).then(|| {
            crate::tui::tabs::Enter::Effect(crate::tui::effect::Effect::StartExercise(
                id.to_owned(),
            ))
        })
    }
}
