//! The after-action report: what auditors ask of a tabletop record (date, attendees, scenario,
//! injects, decisions, gaps, action items with owners) in Markdown and in one self-contained
//! HTML page. Both are laid out from the same [`View`], so they never disagree.
//!
//! Invariant: a `View` holds text as it was typed; every piece of it that came from a person
//! (scenario files, notes, decisions, gaps, actions, names) is escaped once, for its output:
//! with `escape::markdown` in the Markdown (no raw HTML, no links, no new blocks from user
//! text), and by the template engine's autoescape in the HTML page
//! (`assets/templates/tabletop-report.html`, escaped as `escape::HTML_TEXT`: values appear only
//! between tags, never in an attribute).

use super::Scenario;
use super::exercise::{Event, Exercise, Kind, clock_text};
use crate::report::escape::{self, markdown as md, markdown_block};
use chrono::DateTime;
use serde::Serialize;
use std::fmt::Write as _;

/// The HTML page's template.
const HTML: &str = include_str!("../../assets/templates/tabletop-report.html");

/// What ending the exercise created, for the report.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Finding ids, one per gap, in order.
    pub findings: Vec<String>,
    /// Task ids, one per action item, in order.
    pub tasks: Vec<String>,
}

/// One line of the timeline: the exercise clock and what happened.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Exercise clock (`mm:ss`).
    pub at: String,
    /// What happened, as typed.
    pub text: String,
}

/// A gap and the finding it opened.
#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    /// The gap, as typed.
    pub text: String,
    /// The finding id, or `-`.
    pub finding: String,
}

/// An action item and the task it opened.
#[derive(Debug, Clone, Serialize)]
pub struct ActionRow {
    /// The task id, or `-`.
    pub task: String,
    /// The action, as typed.
    pub text: String,
    /// The owner, or `-`.
    pub owner: String,
    /// The due date, or `-`.
    pub due: String,
}

/// Everything the report says, unescaped: both outputs lay out this.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    /// Scenario title.
    pub title: String,
    /// Exercise id.
    pub exercise: String,
    /// Scenario id.
    pub scenario: String,
    /// When it started (UTC).
    pub held_from: String,
    /// When it ended (UTC).
    pub held_to: String,
    /// The exercise clock at the end.
    pub clock_end: String,
    /// Facilitator.
    pub facilitator: String,
    /// Attendees, or `(not recorded)`.
    pub attendees: String,
    /// Requirements exercised, per framework.
    pub requirements: String,
    /// The scenario summary, one entry per paragraph.
    pub summary: Vec<String>,
    /// Objectives.
    pub objectives: Vec<String>,
    /// `played of total` injects, e.g. `1 of 5`.
    pub injects_played: String,
    /// The injects never reached, as `n. title`.
    pub unplayed: Vec<String>,
    /// Timeline.
    pub timeline: Vec<Entry>,
    /// Decisions.
    pub decisions: Vec<String>,
    /// Gaps found.
    pub gaps: Vec<Gap>,
    /// Action items.
    pub actions: Vec<ActionRow>,
    /// Notes.
    pub notes: Vec<String>,
}

fn when(t: i64) -> String {
    DateTime::from_timestamp(t, 0)
        .map_or_else(String::new, |d| d.format("%Y-%m-%d %H:%M UTC").to_string())
}

fn at(ex: &Exercise, e: &Event) -> String {
    clock_text(ex.clock(e.t))
}

fn line(s: &Scenario, e: &Event) -> String {
    match e.kind {
        Kind::Start => "Exercise started".to_owned(),
        Kind::Inject => {
            let i = e.inject.unwrap_or(0);
            s.injects.get(i).map_or_else(String::new, |inj| {
                format!("Inject {}: {}", i + 1, inj.title)
            })
        }
        Kind::Note => format!("Note: {}", e.text),
        Kind::Decision => format!("Decision: {}", e.text),
        Kind::Gap => format!("Gap: {}", e.text),
        Kind::Action => format!(
            "Action: {} ({}, due {})",
            e.text,
            e.owner.as_deref().unwrap_or("no owner"),
            e.due
                .map_or_else(|| "not set".to_owned(), |d| d.to_string())
        ),
        Kind::Pause => "Paused".to_owned(),
        Kind::Resume => "Resumed".to_owned(),
        Kind::Participants => format!("Attendees: {}", e.text),
        Kind::End => "Exercise ended".to_owned(),
    }
}

/// What the report says about an exercise of scenario `s` that created `out`.
pub fn view(ex: &Exercise, s: &Scenario, out: &Outcome) -> View {
    let end = ex
        .events
        .iter()
        .find(|e| e.kind == Kind::End)
        .map_or(ex.started(), |e| e.t);
    let people = ex.participants();
    let texts = |kind: Kind| ex.of(kind).into_iter().map(|e| e.text.clone()).collect();
    let id = |ids: &[String], i: usize| ids.get(i).map_or("-", String::as_str).to_owned();
    let played = ex.played();
    View {
        title: s.title.clone(),
        exercise: ex.id.clone(),
        scenario: s.id.clone(),
        held_from: when(ex.started()),
        held_to: when(end),
        clock_end: clock_text(ex.clock(end)),
        facilitator: ex.facilitator.clone(),
        attendees: if people.is_empty() {
            "(not recorded)".to_owned()
        } else {
            people.join(", ")
        },
        requirements: s
            .requirements
            .iter()
            .map(|(fw, ids)| format!("{fw} {}", ids.join(", ")))
            .collect::<Vec<_>>()
            .join("; "),
        summary: s
            .summary
            .trim()
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect(),
        objectives: s.objectives.clone(),
        injects_played: format!("{} of {}", played.len(), s.injects.len()),
        unplayed: s
            .injects
            .iter()
            .enumerate()
            .filter(|(i, _)| !played.contains(i))
            .map(|(i, inj)| format!("{}. {} (+{} min)", i + 1, inj.title, inj.at))
            .collect(),
        timeline: ex
            .events
            .iter()
            .map(|e| Entry {
                at: at(ex, e),
                text: line(s, e),
            })
            .collect(),
        decisions: texts(Kind::Decision),
        gaps: ex
            .of(Kind::Gap)
            .into_iter()
            .enumerate()
            .map(|(i, g)| Gap {
                text: g.text.clone(),
                finding: id(&out.findings, i),
            })
            .collect(),
        actions: ex
            .of(Kind::Action)
            .into_iter()
            .enumerate()
            .map(|(i, a)| ActionRow {
                task: id(&out.tasks, i),
                text: a.text.clone(),
                owner: a.owner.clone().unwrap_or_else(|| "-".to_owned()),
                due: a.due.map_or("-".to_owned(), |d| d.to_string()),
            })
            .collect(),
        notes: texts(Kind::Note),
    }
}

/// The report as Markdown.
pub fn markdown(ex: &Exercise, s: &Scenario, out: &Outcome) -> String {
    let v = view(ex, s, out);
    let mut m = String::new();
    let _ = writeln!(m, "# After-action report: {}\n", md(&v.title));
    let _ = writeln!(m, "- Exercise: {}", md(&v.exercise));
    let _ = writeln!(m, "- Scenario: {} (`{}`)", md(&v.title), md(&v.scenario));
    let _ = writeln!(
        m,
        "- Held: {} to {} (exercise clock {})",
        v.held_from, v.held_to, v.clock_end
    );
    let _ = writeln!(m, "- Facilitator: {}", md(&v.facilitator));
    let _ = writeln!(m, "- Attendees: {}", md(&v.attendees));
    let _ = writeln!(m, "- Requirements exercised: {}", md(&v.requirements));
    let _ = writeln!(m, "- Injects played: {}\n", v.injects_played);
    let _ = writeln!(m, "## Scenario\n\n{}\n", markdown_block(s.summary.trim()));
    let _ = writeln!(m, "## Objectives\n");
    for o in &v.objectives {
        let _ = writeln!(m, "- {}", md(o));
    }
    if !v.unplayed.is_empty() {
        let _ = writeln!(m, "\n## Injects not played\n");
        for u in &v.unplayed {
            let _ = writeln!(m, "- {}", md(u));
        }
    }
    let _ = writeln!(m, "\n## Timeline\n");
    for e in &v.timeline {
        let _ = writeln!(m, "- `{}` {}", e.at, md(&e.text));
    }
    let section = |m: &mut String, title: &str, empty: bool| {
        let _ = writeln!(m, "\n## {title}\n");
        if empty {
            let _ = writeln!(m, "None recorded.");
        }
    };
    section(&mut m, "Decisions", v.decisions.is_empty());
    for d in &v.decisions {
        let _ = writeln!(m, "- {}", md(d));
    }
    section(&mut m, "Gaps found", v.gaps.is_empty());
    for g in &v.gaps {
        let _ = writeln!(m, "- {} (finding {})", md(&g.text), g.finding);
    }
    section(&mut m, "Action items", v.actions.is_empty());
    if !v.actions.is_empty() {
        let _ = writeln!(
            m,
            "| Task | Action | Owner | Due |\n| --- | --- | --- | --- |"
        );
    }
    for a in &v.actions {
        let _ = writeln!(
            m,
            "| {} | {} | {} | {} |",
            a.task,
            md(&a.text),
            md(&a.owner),
            a.due
        );
    }
    section(&mut m, "Notes", v.notes.is_empty());
    for n in &v.notes {
        let _ = writeln!(m, "- {}", md(n));
    }
    m
}

/// The report as one self-contained HTML page (inline styles, prints cleanly), from the
/// embedded template.
pub fn html(ex: &Exercise, s: &Scenario, out: &Outcome) -> anyhow::Result<String> {
    escape::render(
        |_| escape::HTML_TEXT,
        "tabletop-report.html",
        HTML,
        view(ex, s, out),
    )
}

#[cfg(test)]
mod tests;
