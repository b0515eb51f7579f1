//! Overview: per framework a Type I readiness gauge with met/partial/gap counts, Type II
//! coverage and how far the window has run, projected report dates; open findings by
//! severity; late tasks; evidence lapsing in 14 days; the top five risks; upcoming audits; the
//! gateway panel. Panel lines that do not fit end in `…`; the gateway's state is judged at
//! the `now` the dashboard passes down.

pub mod gateway_panel;

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

/// What the Overview's panels list, computed once per load (off the UI thread) so a frame
/// only draws.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Open findings per severity (critical first) and how many are overdue.
    pub findings: ([usize; 4], usize),
    /// Late tasks, most overdue first (at most 30): id, days late, owner, title.
    pub late: Vec<(String, i64, String, String)>,
    /// Controls whose evidence lapses within 14 days (at most 30), soonest first.
    pub expiring: Vec<(crate::domain::Date, String)>,
    /// Top five risks: inherent, residual, title.
    pub risks: Vec<(u8, u8, String)>,
    /// Next five audit milestones.
    pub audits: Vec<(crate::domain::Date, String)>,
    /// Vendor issues, worst first (at most 8): severity and message.
    pub vendors: Vec<(crate::domain::Severity, String)>,
}

impl Model {
    /// Computes the panels from loaded data.
    pub fn build(d: &Data) -> Self {
        let mut m = Model::default();
        for x in d.snapshot.findings.iter().filter(|x| is_open(x)) {
            m.findings.0[Severity::ALL
                .iter()
                .position(|s| *s == x.severity)
                .unwrap_or(3)] += 1;
            m.findings.1 += usize::from(x.due.is_some_and(|v| v < d.as_of));
        }
        let mut late: Vec<_> = d
            .snapshot
            .tasks
            .iter()
            .filter(|x| x.status != TaskStatus::Done && x.due.is_some_and(|v| v < d.as_of))
            .collect();
        late.sort_by_key(|x| (x.due, x.id.clone()));
        m.late = late
            .iter()
            .take(30)
            .map(|x| {
                (
                    x.id.to_string(),
                    x.due.map_or(0, |v| (d.as_of - v).num_days()),
                    x.owner.clone(),
                    x.title.clone(),
                )
            })
            .collect();
        let end = d.as_of.checked_add_days(Days::new(14)).unwrap_or(d.as_of);
        let mut soon: Vec<_> = d
            .assessment
            .controls
            .iter()
            .filter(|c| crate::analysis::totals::lapses_soon(&d.snapshot, c, end))
            .filter_map(|c| Some((c.valid_until?, c.id.to_string())))
            .collect();
        soon.sort();
        soon.truncate(30);
        m.expiring = soon;
        let mut r: Vec<_> = d.snapshot.risks.iter().collect();
        let key = |x: &&crate::domain::Risk| {
            (
                std::cmp::Reverse(x.score()),
                std::cmp::Reverse(x.residual_score()),
                x.id.clone(),
            )
        };
        if r.len() > 5 {
            r.select_nth_unstable_by_key(4, key);
            r.truncate(5);
        }
        r.sort_by_key(key);
        m.risks = r
            .iter()
            .map(|x| (x.score(), x.residual_score(), x.title.clone()))
            .collect();
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
                Some((when, a.kind.label().to_owned()))
            })
            .collect();
        next.sort();
        next.truncate(5);
        m.audits = next;
        let mut v: Vec<_> = d
            .assessment
            .vendors
            .issues
            .iter()
            .map(|i| (i.severity, i.message.clone()))
            .collect();
        v.sort();
        v.truncate(8);
        m.vendors = v;
        m
    }
}

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

/// A panel of `lines`, each cut to the panel's inner width with `…`.
fn cut_panel(f: &mut Frame, area: Rect, title: &'static str, lines: Vec<Line<'static>>, t: &Theme) {
    let w = usize::from(area.width.saturating_sub(2));
    let lines: Vec<Line> = lines
        .into_iter()
        .map(|l| crate::tui::rows::fit_line(l, w))
        .collect();
    f.render_widget(Paragraph::new(lines).block(panel(title, t)), area);
}

/// Draws the Overview into `area`; `now` (seconds since the epoch) is the dashboard's clock.
pub fn render(f: &mut Frame, area: Rect, d: &Data, now: i64, t: &Theme) {
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
    let bar_w = match area.width {
        160.. => 20,
        100.. => 10,
        _ => 8,
    };
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
            let name = if area.width >= 100 {
                x.name.clone()
            } else {
                // The short form of the name, not the framework's key.
                x.name
                    .replace("ISO/IEC ", "ISO ")
                    .replace(" Security Rule", "")
            };
            let mut cells = vec![Line::raw(name), gauge, counts];
            if wide {
                cells.push(Line::raw(window));
            }
            cells.extend([
                Line::raw(cov),
                Line::raw(run),
                Line::raw(x.projected.type1_compact()),
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
            Constraint::Length(13),
            Constraint::Length(14),
        ]
    } else {
        vec![
            Constraint::Fill(1),
            Constraint::Length(bar_w as u16 + 7),
            Constraint::Length(12),
            Constraint::Length(8),
            Constraint::Length(4),
            Constraint::Length(13),
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
    let m = &d.overview;
    cut_panel(f, a, "Open findings", findings(m, t), t);
    cut_panel(f, b, "Late tasks", late_tasks(m, t), t);
    cut_panel(f, c, "Evidence lapsing ≤14d", expiring(m, t), t);
    cut_panel(f, e, "Top risks", top_risks(m, t), t);
    cut_panel(f, g, "Upcoming audits", audits(m, t), t);
    f.render_widget(
        Paragraph::new(gateway(d, now, t))
            .wrap(ratatui::widgets::Wrap { trim: true })
            .block(panel("Gateway & vendors", t)),
        h,
    );
}

fn findings(m: &Model, t: &Theme) -> Vec<Line<'static>> {
    let mut out: Vec<Line> = Severity::ALL
        .iter()
        .zip(m.findings.0)
        .map(|(s, n)| {
            Line::from(vec![
                Span::styled(format!("{:<9}", s.label()), severity_role(*s).style(t)),
                Span::raw(n.to_string()),
            ])
        })
        .collect();
    let overdue = m.findings.1;
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

fn late_tasks(m: &Model, t: &Theme) -> Vec<Line<'static>> {
    if m.late.is_empty() {
        return vec![Line::styled("none", t.fg(t.ok))];
    }
    m.late
        .iter()
        .map(|(id, days, owner, title)| {
            Line::from(vec![
                Span::styled(format!("{id} +{days}d "), Role::Late.style(t)),
                Span::raw(format!("{owner} {title}")),
            ])
        })
        .collect()
}

fn expiring(m: &Model, t: &Theme) -> Vec<Line<'static>> {
    if m.expiring.is_empty() {
        return vec![Line::styled("nothing lapses in 14 days", t.fg(t.ok))];
    }
    m.expiring
        .iter()
        .map(|(v, id)| {
            Line::from(vec![
                Span::styled(format!("{} ", v.format("%m-%d")), Role::Warn.style(t)),
                Span::raw(id.clone()),
            ])
        })
        .collect()
}

fn top_risks(m: &Model, t: &Theme) -> Vec<Line<'static>> {
    m.risks
        .iter()
        .map(|(score, residual, title)| {
            let style = if *residual > crate::analysis::totals::RISK_APPETITE {
                Role::High.style(t)
            } else {
                t.fg(t.muted)
            };
            Line::from(vec![
                Span::styled(format!("{score:>2}→{residual:<2} "), style),
                Span::raw(title.clone()),
            ])
        })
        .collect()
}

fn audits(m: &Model, t: &Theme) -> Vec<Line<'static>> {
    if m.audits.is_empty() {
        return vec![Line::styled("none planned", t.fg(t.muted))];
    }
    m.audits
        .iter()
        .map(|(w, kind)| {
            Line::from(vec![
                Span::styled(format!("{w} "), t.fg(t.accent)),
                Span::raw(kind.clone()),
            ])
        })
        .collect()
}

fn gateway(d: &Data, now: i64, t: &Theme) -> Vec<Line<'static>> {
    let v = &d.assessment.totals.vendors;
    let mut out = gateway_panel::lines(d, now, t);
    out.extend([Line::from(vec![
        Span::raw(format!("vendors {} · ", v.total)),
        Span::styled(
            format!("{} missing BAA", v.missing_baa),
            if v.missing_baa > 0 {
                Role::Late.style(t)
            } else {
                t.fg(t.muted)
            },
        ),
        Span::raw(format!(" · {} expiring ≤60d", v.expiring_60d)),
    ])]);
    for (sev, msg) in &d.overview.vendors {
        out.push(Line::styled(msg.clone(), severity_role(*sev).style(t)));
    }
    out
}

/// The Overview tab in the registry.
pub struct OverviewTab;

impl crate::tui::tabs::TabView for OverviewTab {
    fn tab(&self) -> crate::tui::tab::Tab {
        crate::tui::tab::Tab::Overview
    }

    fn title(&self) -> &'static str {
        "Overview"
    }

    fn key(&self) -> crate::tui::action::Action {
        crate::tui::action::Action::TabOverview
    }

    fn spec(&self, _shape: &crate::tui::tabs::Shape) -> &'static crate::tui::tabs::Spec {
        &super::frameworks::SPEC
    }

    fn rows(
        &self,
        _d: &Data,
        _sort: usize,
        _shape: &crate::tui::tabs::Shape,
    ) -> Vec<crate::tui::rows::Row> {
        Vec::new()
    }

    fn detail(&self, _d: &Data, _id: &str, _t: &Theme) -> Vec<Line<'static>> {
        Vec::new()
    }
}
