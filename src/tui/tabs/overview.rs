//! Overview: per framework a Type I readiness gauge with met/partial/gap counts, Type II
//! coverage and how far the window has run, projected report dates; open findings by
//! severity; late tasks; evidence lapsing in 14 days; the top five risks; upcoming audits; the
//! gateway panel.

use crate::domain::{AuditStatus, Severity, TaskStatus};
use crate::tui::data::Data;
use crate::tui::rows::Role;
use crate::tui::tabs::findings::{is_open, severity_role};
use crate::tui::theme::Theme;
use chrono::Days;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, Table};

/// A text gauge: `█` for the done part, `░` for the rest.
pub fn bar(pct: f64, width: usize) -> String {
    let filled = ((pct / 100.0) * width as f64)
        .round()
        .clamp(0.0, width as f64) as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

fn panel<'a>(title: &'a str, t: &Theme) -> Block<'a> {
    Block::bordered()
        .title(Span::styled(title, t.title()))
        .border_style(t.fg(t.border))
}

/// Draws the Overview into `area`.
pub fn render(f: &mut Frame, area: Rect, d: &Data, t: &Theme) {
    let in_scope: Vec<_> = d
        .assessment
        .frameworks
        .iter()
        .filter(|x| x.in_scope)
        .collect();
    let fw_height = (in_scope.len() as u16 + 3)
        .min(area.height.saturating_sub(6))
        .max(3);
    let [top, bottom] =
        Layout::vertical([Constraint::Length(fw_height), Constraint::Fill(1)]).areas(area);
    let wide = area.width >= 140;
    let bar_w = if area.width >= 160 { 20 } else { 10 };
    let header = Row::new(if wide {
        vec![
            "Framework",
            "Type I readiness",
            "met/part/gap",
            "Type II window",
            "coverage",
            "run",
            "Type I ready",
            "Type II report",
        ]
    } else {
        vec![
            "Framework",
            "Type I",
            "met/part/gap",
            "T2 cover",
            "run",
            "T1 ready",
            "T2 report",
        ]
    })
    .style(t.fg(t.muted));
    let rows: Vec<Row> = in_scope
        .iter()
        .map(|x| {
            let r = &x.readiness;
            let role = if r.type1_readiness_pct >= 90.0 {
                Role::Met
            } else if r.type1_readiness_pct >= 50.0 {
                Role::Partial
            } else {
                Role::Gap
            };
            let gauge = Line::from(vec![
                Span::styled(bar(r.type1_readiness_pct, bar_w), role.style(t)),
                Span::raw(format!(" {:>5.1}%", r.type1_readiness_pct)),
            ]);
            let counts = Line::from(vec![
                Span::styled(r.met.to_string(), Role::Met.style(t)),
                Span::raw("/"),
                Span::styled(r.partial.to_string(), Role::Partial.style(t)),
                Span::raw("/"),
                Span::styled(r.gap.to_string(), Role::Gap.style(t)),
            ]);
            let (window, cov, run) =
                x.type2
                    .as_ref()
                    .map_or(("-".into(), "-".into(), "-".into()), |l| {
                        (
                            format!("{}..{}", l.window_start, l.window_end),
                            l.coverage_pct.map_or("-".into(), |c| format!("{c:.1}%")),
                            format!("{:.0}%", l.elapsed_pct),
                        )
                    });
            let t2 = x
                .projected
                .type2_report
                .map_or("-".into(), |v| v.to_string());
            let mut cells = vec![Line::raw(x.name.clone()), gauge, counts];
            if wide {
                cells.push(Line::raw(window));
            }
            cells.extend([
                Line::raw(cov),
                Line::raw(run),
                Line::raw(x.projected.type1_ready.to_string()),
                Line::raw(t2),
            ]);
            Row::new(cells)
        })
        .collect();
    let widths: Vec<Constraint> = if wide {
        vec![
            Constraint::Fill(1),
            Constraint::Length(bar_w as u16 + 7),
            Constraint::Length(12),
            Constraint::Length(22),
            Constraint::Length(8),
            Constraint::Length(4),
            Constraint::Length(12),
            Constraint::Length(14),
        ]
    } else {
        vec![
            Constraint::Fill(1),
            Constraint::Length(bar_w as u16 + 7),
            Constraint::Length(12),
            Constraint::Length(8),
            Constraint::Length(4),
            Constraint::Length(10),
            Constraint::Length(10),
        ]
    };
    f.render_widget(
        Table::new(rows, widths)
            .header(header)
            .block(panel("Readiness", t)),
        top,
    );

    let [r1, r2] = Layout::vertical([Constraint::Fill(1), Constraint::Fill(1)]).areas(bottom);
    let [a, b, c] = Layout::horizontal([Constraint::Fill(1); 3]).areas(r1);
    let [e, g, h] = Layout::horizontal([Constraint::Fill(1); 3]).areas(r2);
    f.render_widget(
        Paragraph::new(findings(d, t)).block(panel("Open findings", t)),
        a,
    );
    f.render_widget(
        Paragraph::new(late_tasks(d, t)).block(panel("Late tasks", t)),
        b,
    );
    f.render_widget(
        Paragraph::new(expiring(d, t)).block(panel("Evidence lapsing ≤14d", t)),
        c,
    );
    f.render_widget(
        Paragraph::new(top_risks(d, t)).block(panel("Top risks", t)),
        e,
    );
    f.render_widget(
        Paragraph::new(audits(d, t)).block(panel("Upcoming audits", t)),
        g,
    );
    f.render_widget(Paragraph::new(gateway(d, t)).block(panel("Gateway", t)), h);
}

fn findings(d: &Data, t: &Theme) -> Vec<Line<'static>> {
    let open: Vec<_> = d.snapshot.findings.iter().filter(|x| is_open(x)).collect();
    let mut out: Vec<Line> = Severity::ALL
        .iter()
        .map(|s| {
            let n = open.iter().filter(|x| x.severity == *s).count();
            Line::from(vec![
                Span::styled(format!("{:<9}", s.as_str()), severity_role(*s).style(t)),
                Span::raw(n.to_string()),
            ])
        })
        .collect();
    let overdue = open
        .iter()
        .filter(|x| x.due.is_some_and(|v| v < d.as_of))
        .count();
    out.push(Line::styled(
        format!("{overdue} overdue"),
        if overdue > 0 {
            Role::Late.style(t)
        } else {
            t.fg(t.muted)
        },
    ));
    out
}

fn late_tasks(d: &Data, t: &Theme) -> Vec<Line<'static>> {
    let mut late: Vec<_> = d
        .snapshot
        .tasks
        .iter()
        .filter(|x| x.status != TaskStatus::Done && x.due.is_some_and(|v| v < d.as_of))
        .collect();
    late.sort_by_key(|x| x.due);
    if late.is_empty() {
        return vec![Line::styled("none", t.fg(t.ok))];
    }
    late.iter()
        .map(|x| {
            let days = x.due.map_or(0, |v| (d.as_of - v).num_days());
            Line::from(vec![
                Span::styled(format!("{} +{days}d ", x.id), Role::Late.style(t)),
                Span::raw(format!("{} {}", x.owner, x.title)),
            ])
        })
        .collect()
}

fn expiring(d: &Data, t: &Theme) -> Vec<Line<'static>> {
    let end = d.as_of.checked_add_days(Days::new(14)).unwrap_or(d.as_of);
    let mut soon: Vec<_> = d
        .assessment
        .controls
        .iter()
        .filter(|c| crate::analysis::totals::lapses_soon(&d.snapshot, c, end))
        .collect();
    soon.sort_by_key(|c| c.valid_until);
    if soon.is_empty() {
        return vec![Line::styled("nothing lapses in 14 days", t.fg(t.ok))];
    }
    soon.iter()
        .map(|c| {
            Line::from(vec![
                Span::styled(
                    format!(
                        "{} ",
                        c.valid_until
                            .map_or(String::new(), |v| v.format("%m-%d").to_string())
                    ),
                    Role::Warn.style(t),
                ),
                Span::raw(c.id.to_string()),
            ])
        })
        .collect()
}

fn top_risks(d: &Data, t: &Theme) -> Vec<Line<'static>> {
    let mut r: Vec<_> = d.snapshot.risks.iter().collect();
    r.sort_by(|a, b| {
        b.score()
            .cmp(&a.score())
            .then(b.residual_score().cmp(&a.residual_score()))
            .then(a.id.cmp(&b.id))
    });
    r.iter()
        .take(5)
        .map(|x| {
            Line::from(vec![
                Span::styled(
                    format!("{:>2}→{:<2} ", x.score(), x.residual_score()),
                    if x.residual_score() > crate::analysis::totals::RISK_APPETITE {
                        Role::High.style(t)
                    } else {
                        t.fg(t.muted)
                    },
                ),
                Span::raw(x.title.clone()),
            ])
        })
        .collect()
}

fn audits(d: &Data, t: &Theme) -> Vec<Line<'static>> {
    let mut next: Vec<_> = d
        .snapshot
        .audits
        .iter()
        .filter(|a| a.status != AuditStatus::Completed)
        .filter_map(|a| {
            let when = [
                a.window_end,
                a.fieldwork_start,
                a.point_in_time,
                a.report_date,
            ]
            .into_iter()
            .flatten()
            .find(|v| *v >= d.as_of)?;
            Some((when, a))
        })
        .collect();
    next.sort_by_key(|(w, _)| *w);
    if next.is_empty() {
        return vec![Line::styled("none planned", t.fg(t.muted))];
    }
    next.iter()
        .take(5)
        .map(|(w, a)| {
            Line::from(vec![
                Span::styled(format!("{w} "), t.fg(t.accent)),
                Span::raw(a.kind.as_str()),
            ])
        })
        .collect()
}

fn gateway(d: &Data, t: &Theme) -> Vec<Line<'static>> {
    let v = &d.assessment.totals.vendors;
    vec![
        Line::styled("no gateway configured", t.fg(t.muted)),
        Line::styled("add [[gateway]] to certready.toml", t.fg(t.muted)),
        Line::from(vec![
            Span::raw(format!("vendors {} · ", v.total)),
            Span::styled(
                format!("{} missing BAA", v.missing_baa),
                if v.missing_baa > 0 {
                    Role::Late.style(t)
                } else {
                    t.fg(t.muted)
                },
            ),
        ]),
    ]
}
