//! Tasks, the remediation plan: sortable by due date, status and owner; late ones stand out;
//! dependencies shown; a task on the critical path to a framework's Type I date is marked in
//! its own column (the word crit, so it reads without colour).

pub mod form;

use super::{Spec, kv, note_lines};
use crate::domain::{Task, TaskStatus};
use crate::tui::data::Data;
use crate::tui::rows::{Cell, Role, Row};
use crate::tui::theme::Theme;
use ratatui::layout::Constraint;
use ratatui::text::{Line, Span};

/// Columns and sorts.
pub static SPEC: Spec = Spec {
    headers: &[
        "ID", "Status", "Title", "Owner", "Due", "After", "For", "Crit",
    ],
    widths: &[
        Constraint::Length(8),
        Constraint::Length(7),
        Constraint::Fill(1),
        Constraint::Length(14),
        Constraint::Length(15),
        Constraint::Length(13),
        Constraint::Length(12),
        Constraint::Length(4),
    ],
    sorts: &["due", "status", "owner", "severity"],
    drop_order: &[6, 5, 3],
};

fn late(t: &Task, d: &Data) -> bool {
    t.status != TaskStatus::Done && t.due.is_some_and(|x| x < d.as_of)
}

/// One row per task.
/// The severity of the finding a task remediates.
fn severity(d: &Data, t: &Task) -> Option<crate::domain::Severity> {
    let f = t.finding.as_ref()?;
    d.snapshot
        .findings
        .iter()
        .find(|x| &x.id == f)
        .map(|x| x.severity)
}

/// One row per task, grouped under headings when sorted by status, owner or severity.
pub fn rows(d: &Data, sort: usize, folded: &std::collections::HashSet<String>) -> Vec<Row> {
    let mut items: Vec<&Task> = d.snapshot.tasks.iter().collect();
    let done = |t: &Task| t.status == TaskStatus::Done;
    match sort {
        1 => items.sort_by_key(|t| (t.status, t.due, t.id.clone())),
        2 => items.sort_by_key(|t| (t.owner.clone(), done(t), t.due, t.id.clone())),
        3 => items.sort_by_key(|t| {
            (
                severity(d, t).is_none(),
                severity(d, t),
                done(t),
                t.due,
                t.id.clone(),
            )
        }),
        _ => items.sort_by_key(|t| (done(t), t.due.is_none(), t.due, t.id.clone())),
    }
    let group = |t: &Task| match sort {
        1 => t.status.to_string(),
        2 => t.owner.clone(),
        3 => severity(d, t).map_or("no finding".to_owned(), |s| s.to_string()),
        _ => String::new(),
    };
    let critical = crate::analysis::timeline::critical_tasks(
        d.assessment.frameworks.iter().map(|f| &f.projected),
    );
    let rows: Vec<(String, Row)> = items
        .into_iter()
        .map(|t| (group(t), row(d, t, critical.contains(&t.id))))
        .collect();
    if sort == 0 {
        rows.into_iter().map(|(_, r)| r).collect()
    } else {
        super::grouped(&rows, folded, 2)
    }
}

fn row(d: &Data, t: &Task, critical: bool) -> Row {
    {
        {
            let is_late = late(t, d);
            let status_role = match t.status {
                TaskStatus::Done => Role::Met,
                TaskStatus::Blocked => Role::Gap,
                TaskStatus::Doing => Role::Partial,
                TaskStatus::Todo => Role::Text,
            };
            Row {
                id: t.id.to_string(),
                cells: vec![
                    Cell::new(
                        t.id.to_string(),
                        if is_late { Role::Late } else { Role::Text },
                    ),
                    Cell::new(t.status.as_str(), status_role),
                    Cell::text(t.title.clone()),
                    Cell::new(t.owner.clone(), Role::Muted),
                    Cell::new(
                        t.due.map_or("-".into(), |x| {
                            if is_late {
                                format!("{x} late")
                            } else {
                                x.to_string()
                            }
                        }),
                        if is_late { Role::Late } else { Role::Text },
                    ),
                    Cell::new(
                        t.depends_on
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(","),
                        Role::Muted,
                    ),
                    Cell::new(
                        t.finding
                            .as_ref()
                            .map(ToString::to_string)
                            .or_else(|| t.control.as_ref().map(ToString::to_string))
                            .unwrap_or_default(),
                        Role::Muted,
                    ),
                    if critical {
                        Cell::new("crit", Role::Gap)
                    } else {
                        Cell::new("", Role::Muted)
                    },
                ],
                heading: false,
                bar: None,
            }
        }
    }
}

/// Task detail with its dependency chain and what it unblocks.
pub fn detail(d: &Data, id: &str, th: &Theme) -> Vec<Line<'static>> {
    let Some(t) = d.snapshot.tasks.iter().find(|x| x.id.as_str() == id) else {
        return Vec::new();
    };
    let opt = |v: Option<crate::domain::Date>| v.map_or("-".into(), |x| x.to_string());
    let mut out = vec![
        Line::from(vec![
            Span::styled(format!("{} ", t.id), th.title()),
            Span::raw(t.title.clone()),
        ]),
        kv(
            th,
            "status",
            format!(
                "{} · owner {} · due {}{}",
                t.status,
                t.owner,
                opt(t.due),
                if late(t, d) { " (late)" } else { "" }
            ),
        ),
        kv(
            th,
            "estimate",
            t.estimate_days.map_or("-".into(), |e| format!("{e} days")),
        ),
        kv(
            th,
            "finding",
            t.finding.as_ref().map_or("-".into(), ToString::to_string),
        ),
        kv(
            th,
            "control",
            t.control.as_ref().map_or("-".into(), ToString::to_string),
        ),
        Line::default(),
        Line::styled("Depends on", th.title()),
    ];
    for dep in &t.depends_on {
        let dt = d.snapshot.tasks.iter().find(|x| &x.id == dep);
        out.push(Line::raw(format!(
            "  {dep} {}",
            dt.map_or(String::new(), |x| format!(
                "[{}] {} · due {}",
                x.status,
                x.title,
                opt(x.due)
            ))
        )));
    }
    let next: Vec<_> = d
        .snapshot
        .tasks
        .iter()
        .filter(|x| x.depends_on.contains(&t.id))
        .collect();
    if !next.is_empty() {
        out.push(Line::styled("Unblocks", th.title()));
        for x in next {
            out.push(Line::raw(format!("  {} [{}] {}", x.id, x.status, x.title)));
        }
    }
    for f in &d.assessment.frameworks {
        if f.projected.critical_path.contains(&t.id) {
            out.push(Line::styled(
                format!(
                    "On the critical path to {} Type I readiness ({})",
                    f.name,
                    f.projected.type1_short()
                ),
                th.alert(th.late),
            ));
        }
    }
    out.extend(note_lines(d, "task", id, th));
    out
}

list_tab!(
    TasksTab,
    Tasks,
    "Tasks",
    TabTasks,
    |d, sort, shape| rows(d, sort, &shape.folded),
    note = "task",
    form = form::form
);
