//! The exercises held, under the scenario picker: one row each (id, date, scenario,
//! facilitator, findings and tasks it opened), newest first, and a detail that names the
//! after-action report. What an exercise opened is found by the ids ending it gives them
//! (`F-<exercise>-G<n>`, `T-<exercise>-A<n>`).

use crate::tui::data::Data;
use crate::tui::rows::{Cell, Role, Row};
use crate::tui::theme::Theme;
use ratatui::text::Line;

/// The heading row's id (Enter on it folds the list).
pub const HEADING: &str = "past-exercises";

/// The findings and tasks exercise `id` opened.
fn opened(d: &Data, id: &str) -> (Vec<String>, Vec<String>) {
    let f = format!("F-{id}-");
    let t = format!("T-{id}-");
    (
        d.snapshot
            .findings
            .iter()
            .filter(|x| x.id.as_str().starts_with(&f))
            .map(|x| x.id.to_string())
            .collect(),
        d.snapshot
            .tasks
            .iter()
            .filter(|x| x.id.as_str().starts_with(&t))
            .map(|x| x.id.to_string())
            .collect(),
    )
}

/// The day part of an RFC 3339 stamp.
fn day(stamp: &str) -> &str {
    stamp.get(..10).unwrap_or(stamp)
}

/// A heading and one row per exercise held (none without exercises).
pub fn rows(d: &Data, shape: &crate::tui::tabs::Shape) -> Vec<Row> {
    if d.exercises.is_empty() {
        return Vec::new();
    }
    let mut out = vec![Row {
        id: HEADING.to_owned(),
        cells: vec![
            Cell::new(
                format!("Exercises held ({})", d.exercises.len()),
                Role::Accent,
            ),
            Cell::text(""),
            Cell::text(""),
            Cell::new(
                "date · scenario · facilitator · findings · tasks",
                Role::Muted,
            ),
        ],
        heading: true,
        bar: None,
    }];
    if shape.folded.contains(HEADING) {
        return out;
    }
    out.extend(d.exercises.iter().map(|e| {
        let (findings, tasks) = opened(d, &e.id);
        let state = if e.ended.is_some() { "" } else { " · open" };
        Row {
            id: e.id.clone(),
            cells: vec![
                Cell::new(e.id.clone(), Role::Text),
                Cell::text(""),
                Cell::text(""),
                Cell::text(format!(
                    "{} · {} · {} · {} finding(s) · {} task(s){state}",
                    day(&e.started),
                    e.scenario,
                    if e.facilitator.is_empty() {
                        "-"
                    } else {
                        &e.facilitator
                    },
                    findings.len(),
                    tasks.len()
                )),
            ],
            heading: false,
            bar: None,
        }
    }));
    out
}

/// An exercise's detail: when, who, what it opened and where its report is.
pub fn detail(d: &Data, id: &str, t: &Theme) -> Vec<Line<'static>> {
    let Some(e) = d.exercises.iter().find(|e| e.id == id) else {
        return Vec::new();
    };
    let title = d
        .scenarios
        .iter()
        .find(|s| s.id == e.scenario)
        .map_or_else(|| e.scenario.clone(), |s| s.title.clone());
    let (findings, tasks) = opened(d, &e.id);
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_owned()
        } else {
            v.join(", ")
        }
    };
    let mut out = vec![
        Line::styled(format!("{} · {title}", e.id), t.title()),
        Line::raw(format!("scenario     {}", e.scenario)),
        Line::raw(format!("facilitator  {}", e.facilitator)),
        Line::raw(format!("started      {}", e.started)),
        Line::raw(format!(
            "ended        {}",
            e.ended
                .as_deref()
                .unwrap_or("(open: Enter on its scenario resumes it)")
        )),
        Line::raw(format!("findings     {}", list(&findings))),
        Line::raw(format!("tasks        {}", list(&tasks))),
        Line::default(),
        Line::styled("After-action report", t.title()),
    ];
    match (&e.ended, &d.reports) {
        (None, _) => out.push(Line::raw("  written when the exercise ends")),
        (Some(_), Some(dir)) => {
            for ext in ["md", "html"] {
                out.push(Line::raw(format!(
                    "  {}",
                    dir.join(format!("{}.{ext}", e.id)).display()
                )));
            }
        }
        (Some(_), None) => out.push(Line::raw(format!("  reports/{}.md", e.id))),
    }
    out
}
