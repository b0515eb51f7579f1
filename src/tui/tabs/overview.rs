//! Overview: per framework a Type I readiness gauge with met/partial/gap counts, Type II
//! coverage and how far the window has run, projected report dates; open findings by
//! severity; late tasks; evidence lapsing in 14 days; the top five risks; upcoming audits; the
//! gateway panel. Panel lines that do not fit end in `…`; the gateway's state is judged at
//! the `now` the dashboard passes down.

pub mod gateway_panel;
mod model;
mod panels;

pub use model::Model;
use panels::{audits, expiring, findings, gateway, late_tasks, top_risks};

use crate::tui::data::Data;
use crate::tui::rows::Role;
use crate::tui::theme::Theme;
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

    fn body(&self, _shape: &crate::tui::tabs::Shape, _running: bool) -> crate::tui::tabs::Body {
        crate::tui::tabs::Body::Own
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &crate::tui::tabs::DrawCx) {
        render(f, area, cx.data, cx.now, cx.theme);
    }
}
