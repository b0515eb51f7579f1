//! Findings: sortable by severity, status, owner (of the linked control) and due date; late
//! ones stand out.

pub mod form;

use super::{Spec, kv, note_lines};
use crate::domain::{Finding, FindingStatus, Severity};
use crate::tui::data::Data;
use crate::tui::rows::{Cell, Role, Row};
use crate::tui::theme::Theme;
use ratatui::layout::Constraint;
use ratatui::text::{Line, Span};

/// Columns and sorts.
pub static SPEC: Spec = Spec {
    headers: &[
        "ID", "Severity", "Status", "Title", "Source", "Owner", "Due",
    ],
    widths: &[
        Constraint::Length(12),
        Constraint::Length(8),
        Constraint::Length(13),
        Constraint::Fill(1),
        Constraint::Length(15),
        Constraint::Length(17),
        Constraint::Length(15),
    ],
    sorts: &["severity", "status", "owner", "due"],
    drop_order: &[4, 5, 2],
};

/// Role of a severity.
pub fn severity_role(s: Severity) -> Role {
    match s {
        Severity::Critical => Role::Critical,
        Severity::High => Role::High,
        Severity::Medium => Role::Medium,
        Severity::Low => Role::Low,
    }
}

/// Whether a finding is still open.
pub fn is_open(f: &Finding) -> bool {
    matches!(f.status, FindingStatus::Open | FindingStatus::Remediating)
}

fn owner(d: &Data, f: &Finding) -> String {
    f.control
        .as_ref()
        .and_then(|c| d.snapshot.controls.iter().find(|x| &x.id == c))
        .map_or("-".into(), |c| c.owner.clone())
}

/// One row per finding.
/// One row per finding, grouped under headings when sorted by severity, status or owner.
pub fn rows(d: &Data, sort: usize, folded: &std::collections::HashSet<String>) -> Vec<Row> {
    let mut items: Vec<&Finding> = d.snapshot.findings.iter().collect();
    let open_first = |f: &Finding| !is_open(f);
    match sort {
        1 => items.sort_by_key(|f| (f.status, f.severity, f.id.clone())),
        2 => items.sort_by_key(|f| (owner(d, f), f.severity, f.id.clone())),
        3 => items.sort_by_key(|f| (open_first(f), f.due.is_none(), f.due, f.id.clone())),
        _ => items.sort_by_key(|f| (f.severity, open_first(f), f.due, f.id.clone())),
    }
    let group = |f: &Finding| match sort {
        1 => f.status.label().to_owned(),
        2 => owner(d, f),
        3 => String::new(),
        _ => f.severity.label().to_owned(),
    };
    let rows: Vec<(String, Row)> = items.into_iter().map(|f| (group(f), row(d, f))).collect();
    if sort == 3 {
        rows.into_iter().map(|(_, r)| r).collect()
    } else {
        super::grouped(&rows, folded, 3)
    }
}

fn row(d: &Data, f: &Finding) -> Row {
    {
        {
            let late = is_open(f) && f.due.is_some_and(|x| x < d.as_of);
            Row {
                id: f.id.to_string(),
                cells: vec![
                    Cell::new(f.id.to_string(), if late { Role::Late } else { Role::Text }),
                    Cell::new(f.severity.label(), severity_role(f.severity)),
                    Cell::new(
                        f.status.label(),
                        if is_open(f) { Role::Text } else { Role::Muted },
                    ),
                    Cell::text(f.title.clone()),
                    Cell::new(f.source.label(), Role::Muted),
                    Cell::new(owner(d, f), Role::Muted),
                    Cell::new(
                        f.due.map_or("-".into(), |x| {
                            if late {
                                format!("{x} late")
                            } else {
                                x.to_string()
                            }
                        }),
                        if late { Role::Late } else { Role::Text },
                    ),
                ],
                heading: false,
                bar: None,
            }
        }
    }
}

/// Finding detail with the tasks that remediate it.
pub fn detail(d: &Data, id: &str, t: &Theme) -> Vec<Line<'static>> {
    let Some(f) = d.snapshot.findings.iter().find(|f| f.id.as_str() == id) else {
        return Vec::new();
    };
    let opt = |v: Option<crate::domain::Date>| v.map_or("-".into(), |x| x.to_string());
    let mut out = vec![
        Line::from(vec![
            Span::styled(format!("{} ", f.id), t.title()),
            Span::raw(f.title.clone()),
        ]),
        kv(t, "severity", f.severity.label()),
        kv(t, "status", f.status.label()),
        kv(t, "source", f.source.label()),
        kv(
            t,
            "control",
            f.control.as_ref().map_or("-".into(), ToString::to_string),
        ),
        kv(
            t,
            "requirement",
            f.requirement.clone().unwrap_or_else(|| "-".into()),
        ),
        kv(
            t,
            "dates",
            format!(
                "opened {} · due {} · closed {}",
                opt(f.opened),
                opt(f.due),
                opt(f.closed)
            ),
        ),
        Line::default(),
        Line::styled("Remediation tasks", t.title()),
    ];
    for task in d
        .snapshot
        .tasks
        .iter()
        .filter(|x| x.finding.as_ref() == Some(&f.id))
    {
        out.push(Line::raw(format!(
            "  {} [{}] {} · {} · due {}",
            task.id,
            task.status,
            task.title,
            task.owner,
            opt(task.due)
        )));
    }
    out.extend(note_lines(d, "finding", id, t));
    out
}

list_tab!(
    FindingsTab,
    Findings,
    "Findings",
    TabFindings,
    |d, sort, shape| rows(d, sort, &shape.folded),
    note = "finding",
    form = form::form
);
