//! The after-action report: what auditors ask of a tabletop record (date, attendees, scenario,
//! injects, decisions, gaps, action items with owners) in Markdown and in one self-contained
//! HTML page. Both are rendered from the same lines, so they never disagree.
//!
//! Invariant: every piece of text that came from a person (scenario files, notes, decisions,
//! gaps, actions, names) goes into the Markdown through `escape::markdown`, so the report
//! carries no raw HTML and no links from user text; the HTML page undoes that escaping line
//! by line and escapes again for HTML, so nothing is escaped twice or not at all.

use super::Scenario;
use super::exercise::{Event, Exercise, Kind, clock_text};
use crate::report::escape::{markdown as md, markdown_block, markdown_unescape};
use chrono::DateTime;
use std::fmt::Write as _;

/// What ending the exercise created, for the report.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Finding ids, one per gap, in order.
    pub findings: Vec<String>,
    /// Task ids, one per action item, in order.
    pub tasks: Vec<String>,
}

fn when(t: i64) -> String {
    DateTime::from_timestamp(t, 0)
        .map_or_else(String::new, |d| d.format("%Y-%m-%d %H:%M UTC").to_string())
}

fn at(ex: &Exercise, e: &Event) -> String {
    clock_text(ex.clock(e.t))
}

/// The report as Markdown.
pub fn markdown(ex: &Exercise, s: &Scenario, out: &Outcome) -> String {
    let mut m = String::new();
    let end = ex
        .events
        .iter()
        .find(|e| e.kind == Kind::End)
        .map_or(ex.started(), |e| e.t);
    let _ = writeln!(m, "# After-action report: {}\n", md(&s.title));
    let _ = writeln!(m, "- Exercise: {}", md(&ex.id));
    let _ = writeln!(m, "- Scenario: {} (`{}`)", md(&s.title), md(&s.id));
    let _ = writeln!(
        m,
        "- Held: {} to {} (exercise clock {})",
        when(ex.started()),
        when(end),
        clock_text(ex.clock(end))
    );
    let _ = writeln!(m, "- Facilitator: {}", md(&ex.facilitator));
    let people = ex.participants();
    let _ = writeln!(
        m,
        "- Attendees: {}",
        if people.is_empty() {
            "(not recorded)".to_owned()
        } else {
            md(&people.join(", "))
        }
    );
    let reqs: Vec<String> = s
        .requirements
        .iter()
        .map(|(fw, ids)| format!("{fw} {}", ids.join(", ")))
        .collect();
    let _ = writeln!(m, "- Requirements exercised: {}\n", md(&reqs.join("; ")));
    let _ = writeln!(m, "## Scenario\n\n{}\n", markdown_block(s.summary.trim()));
    let _ = writeln!(m, "## Objectives\n");
    for o in &s.objectives {
        let _ = writeln!(m, "- {}", md(o));
    }
    let _ = writeln!(m, "\n## Timeline\n");
    for e in &ex.events {
        let line = match e.kind {
            Kind::Start => "Exercise started".to_owned(),
            Kind::Inject => {
                let i = e.inject.unwrap_or(0);
                s.injects.get(i).map_or_else(String::new, |inj| {
                    format!("Inject {}: {}", i + 1, md(&inj.title))
                })
            }
            Kind::Note => format!("Note: {}", md(&e.text)),
            Kind::Decision => format!("Decision: {}", md(&e.text)),
            Kind::Gap => format!("Gap: {}", md(&e.text)),
            Kind::Action => format!(
                "Action: {} ({})",
                md(&e.text),
                md(e.owner.as_deref().unwrap_or("no owner"))
            ),
            Kind::Pause => "Paused".to_owned(),
            Kind::Resume => "Resumed".to_owned(),
            Kind::Participants => format!("Attendees: {}", md(&e.text)),
            Kind::End => "Exercise ended".to_owned(),
        };
        let _ = writeln!(m, "- `{}` {line}", at(ex, e));
    }
    let section = |m: &mut String, title: &str, kind: Kind| {
        let _ = writeln!(m, "\n## {title}\n");
        let items = ex.of(kind);
        if items.is_empty() {
            let _ = writeln!(m, "None recorded.");
        }
        items
    };
    for d in section(&mut m, "Decisions", Kind::Decision) {
        let _ = writeln!(m, "- {}", md(&d.text));
    }
    for (i, g) in section(&mut m, "Gaps found", Kind::Gap)
        .into_iter()
        .enumerate()
    {
        let _ = writeln!(
            m,
            "- {} (finding {})",
            md(&g.text),
            out.findings.get(i).map_or("-", String::as_str)
        );
    }
    let actions = section(&mut m, "Action items", Kind::Action);
    if !actions.is_empty() {
        let _ = writeln!(
            m,
            "| Task | Action | Owner | Due |\n| --- | --- | --- | --- |"
        );
    }
    for (i, a) in actions.into_iter().enumerate() {
        let _ = writeln!(
            m,
            "| {} | {} | {} | {} |",
            out.tasks.get(i).map_or("-", String::as_str),
            md(&a.text),
            md(a.owner.as_deref().unwrap_or("-")),
            a.due.map_or("-".to_owned(), |d| d.to_string())
        );
    }
    for n in section(&mut m, "Notes", Kind::Note) {
        let _ = writeln!(m, "- {}", md(&n.text));
    }
    m
}

/// HTML text from a line of the Markdown report (its escaping undone first).
fn esc(s: &str) -> String {
    markdown_unescape(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The report as one self-contained HTML page (inline styles, prints cleanly).
pub fn html(ex: &Exercise, s: &Scenario, out: &Outcome) -> String {
    let text = markdown(ex, s, out);
    let mut body = String::new();
    let mut in_list = false;
    let mut in_table = false;
    for line in text.lines() {
        let is_item = line.starts_with("- ");
        let is_row = line.starts_with('|');
        if in_list && !is_item {
            body.push_str("</ul>\n");
            in_list = false;
        }
        if in_table && !is_row {
            body.push_str("</table>\n");
            in_table = false;
        }
        if let Some(h) = line.strip_prefix("# ") {
            let _ = writeln!(body, "<h1>{}</h1>", esc(h));
        } else if let Some(h) = line.strip_prefix("## ") {
            let _ = writeln!(body, "<h2>{}</h2>", esc(h));
        } else if let Some(item) = line.strip_prefix("- ") {
            if !in_list {
                body.push_str("<ul>\n");
                in_list = true;
            }
            let _ = writeln!(body, "<li>{}</li>", esc(item).replace('`', ""));
        } else if is_row {
            if line.contains("---") {
                continue;
            }
            if !in_table {
                body.push_str("<table>\n");
                in_table = true;
            }
            let cells: Vec<String> = line
                .trim_matches('|')
                .split('|')
                .map(|c| format!("<td>{}</td>", esc(c.trim())))
                .collect();
            let _ = writeln!(body, "<tr>{}</tr>", cells.concat());
        } else if !line.trim().is_empty() {
            let _ = writeln!(body, "<p>{}</p>", esc(line));
        }
    }
    if in_list {
        body.push_str("</ul>\n");
    }
    if in_table {
        body.push_str("</table>\n");
    }
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>After-action report: {}</title>\n<style>body{{font:15px/1.45 system-ui,sans-serif;max-width:860px;margin:2em auto;color:#111}}h1{{font-size:1.6em}}h2{{border-bottom:1px solid #ccc;margin-top:1.6em}}table{{border-collapse:collapse;width:100%}}td{{border:1px solid #ccc;padding:4px 6px}}tr:first-child td{{font-weight:600;background:#f3f3f3}}@media print{{body{{margin:0}}}}</style></head><body>\n{body}</body></html>\n",
        esc(&md(&s.title))
    )
}
