//! The pack's first page and charts as the HTML template prints them: per framework the
//! readiness bar, its change since last week, its next audit date and the projected Type I and
//! Type II dates with their slip; the counts that need a decision; and the drawn charts.
//!
//! Invariants: pure (this week and the stored weeks in, text and SVG out); every state is said
//! in words and a shape as well as a colour, so the page reads in grey print; with no week
//! before this one the changes say so instead of showing a zero.

use super::inputs::{ChartInputs, Target};
use super::{FrameworkWeek, Metrics};
use crate::domain::Date;
use serde::Serialize;

/// The weeks the trend charts show at most.
pub const WEEKS_SHOWN: usize = 12;

/// Everything the first page and the charts section print.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Charts {
    /// One line per framework in scope.
    pub frameworks: Vec<Line>,
    /// The counts that need a decision.
    pub signals: Vec<Signal>,
    /// Type II ledgers as strips (SVG), one per window.
    pub strips: Vec<String>,
    /// Readiness per framework over the stored weeks (SVG each).
    pub readiness: Vec<String>,
    /// Type II coverage per framework with a window, over the stored weeks (SVG each).
    pub coverage: Vec<String>,
    /// Gap and partial requirements over the stored weeks (SVG).
    pub burndown: String,
    /// Inherent and residual 5×5 risk matrices (SVG).
    pub heatmap: String,
    /// The next 90 days: audits, windows, fieldwork, reports and the critical path (SVG).
    pub calendar: String,
}

/// A framework's line on the first page.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    /// Name.
    pub name: String,
    /// Readiness, `21.1%`.
    pub pct: String,
    /// The readiness bar (SVG), with last week's value marked.
    pub bar: String,
    /// Change since last week: `▲ +0.4 pp`, `▼ -1.0 pp`, `► no change`, `– no last week`.
    pub change: String,
    /// `up`, `down` or `flat` (the CSS class).
    pub trend: &'static str,
    /// The next audit date and what it is, or `no audit planned`.
    pub target: String,
    /// Projected Type I date, or why there is none.
    pub type1: String,
    /// Its move since last week in days.
    pub type1_slip: Slip,
    /// Projected Type II report date (and the planned one), or `-`.
    pub type2: String,
    /// Its move since last week in days.
    pub type2_slip: Slip,
}

/// A projected date's move since last week.
#[derive(Debug, Clone, Serialize)]
pub struct Slip {
    /// Words: `slipped 7 days`, `3 days earlier`, `unchanged`, `no last week`.
    pub text: String,
    /// `up` (earlier), `down` (later) or `flat`.
    pub trend: &'static str,
}

/// A count that needs a decision, with its level in words and a shape.
#[derive(Debug, Clone, Serialize)]
pub struct Signal {
    /// What is counted.
    pub label: String,
    /// The count.
    pub count: usize,
    /// `red`, `amber` or `green` (the CSS class).
    pub level: &'static str,
    /// The level in words: `act now`, `watch`, `on track`.
    pub word: &'static str,
    /// The level as a shape: ▲, ◆, ●.
    pub mark: &'static str,
}

/// Builds the page from this week, the week before (if stored) and every stored week.
pub fn build(current: &Metrics, previous: Option<&Metrics>, history: &[Metrics]) -> Charts {
    let mut weeks: Vec<&Metrics> = history.iter().filter(|m| m.as_of < current.as_of).collect();
    weeks.push(current);
    let weeks = &weeks[weeks.len().saturating_sub(WEEKS_SHOWN)..];
    let c = &current.charts;
    Charts {
        frameworks: current
            .frameworks
            .iter()
            .map(|f| {
                line(
                    f,
                    previous.and_then(|p| p.frameworks.iter().find(|x| x.key == f.key)),
                    previous.is_some(),
                    &c.targets,
                )
            })
            .collect(),
        signals: signals(current),
        strips: c
            .ledgers
            .iter()
            .map(|s| super::strip::ledger(s, current.as_of))
            .collect(),
        readiness: super::trends::readiness(weeks),
        coverage: super::trends::coverage(weeks),
        burndown: super::trends::burndown(weeks),
        heatmap: super::heatmap::draw(c),
        calendar: super::gantt::draw(c, current.as_of),
    }
}

fn line(
    f: &FrameworkWeek,
    before: Option<&FrameworkWeek>,
    had_week: bool,
    targets: &[Target],
) -> Line {
    let delta = before.map(|b| ((f.readiness_pct - b.readiness_pct) * 10.0).round() / 10.0);
    let (change, trend) = match delta {
        None => ("– no last week".to_owned(), "flat"),
        Some(x) if x > 0.0 => (format!("▲ +{x:.1} pp"), "up"),
        Some(x) if x < 0.0 => (format!("▼ {x:.1} pp"), "down"),
        Some(_) => ("► no change".to_owned(), "flat"),
    };
    let type2 = match (f.type2_report, f.type2_planned) {
        (Some(r), Some(p)) if r != p => format!("{p} planned (earliest {r})"),
        (Some(r), _) => r.to_string(),
        (None, _) => "-".to_owned(),
    };
    Line {
        name: f.name.clone(),
        pct: format!("{:.1}%", f.readiness_pct),
        bar: super::strip::bar(f.readiness_pct, before.map(|b| b.readiness_pct)),
        change,
        trend,
        target: targets.iter().find(|t| t.key == f.key).map_or_else(
            || "no audit planned".to_owned(),
            |t| format!("{} {}", t.date, t.what),
        ),
        type1: f.type1_ready.map_or_else(
            || format!("no date: {} unplanned", f.unplanned),
            |d| d.to_string(),
        ),
        type1_slip: slip(f.type1_ready, was(before, had_week, |b| b.type1_ready)),
        type2,
        type2_slip: slip(f.type2_report, was(before, had_week, |b| b.type2_report)),
    }
}

/// What last week said of a projected date.
enum Was {
    /// No week is stored before this one.
    NoWeek,
    /// The framework was not in last week's pack.
    Absent,
    /// The date it projected (none while requirements were unplanned).
    Said(Option<Date>),
}

fn was(
    before: Option<&FrameworkWeek>,
    had_week: bool,
    date: fn(&FrameworkWeek) -> Option<Date>,
) -> Was {
    match before {
        Some(b) => Was::Said(date(b)),
        None if had_week => Was::Absent,
        None => Was::NoWeek,
    }
}

fn slip(now: Option<Date>, before: Was) -> Slip {
    let (text, trend) = match (now, before) {
        (_, Was::NoWeek) => ("no last week".to_owned(), "flat"),
        (_, Was::Absent) => ("new this week".to_owned(), "flat"),
        (Some(n), Was::Said(Some(b))) => match (n - b).num_days() {
            0 => ("► unchanged".to_owned(), "flat"),
            x if x > 0 => (format!("▼ slipped {x} {}", days(x)), "down"),
            x => (format!("▲ {} {} earlier", -x, days(-x)), "up"),
        },
        (Some(_), Was::Said(None)) => ("▲ dated this week".to_owned(), "up"),
        (None, Was::Said(Some(_))) => ("▼ date lost".to_owned(), "down"),
        (None, Was::Said(None)) => ("► still no date".to_owned(), "flat"),
    };
    Slip { text, trend }
}

fn days(n: i64) -> &'static str {
    if n == 1 { "day" } else { "days" }
}

/// The levels: (CSS class, word, shape).
const RED: (&str, &str, &str) = ("red", "act now", "▲");
const AMBER: (&str, &str, &str) = ("amber", "watch", "◆");
const GREEN: (&str, &str, &str) = ("green", "on track", "●");

fn signals(m: &Metrics) -> Vec<Signal> {
    let c: &ChartInputs = &m.charts;
    let unplanned: usize = m.frameworks.iter().map(|f| f.unplanned).sum();
    let level = |n: usize, amber_up_to: usize| match n {
        0 => GREEN,
        n if n <= amber_up_to => AMBER,
        _ => RED,
    };
    [
        (
            "Critical findings open",
            c.critical_findings,
            level(c.critical_findings, 0),
        ),
        (
            "Late remediation tasks",
            m.late_tasks.len(),
            level(m.late_tasks.len(), 3),
        ),
        (
            "Requirements with no remediation task",
            unplanned,
            level(unplanned, 9),
        ),
        (
            "Vendors with PHI and no BAA",
            c.vendors_without_baa,
            level(c.vendors_without_baa, 0),
        ),
    ]
    .into_iter()
    .map(|(label, count, (level, word, mark))| Signal {
        label: label.to_owned(),
        count,
        level,
        word,
        mark,
    })
    .collect()
}
