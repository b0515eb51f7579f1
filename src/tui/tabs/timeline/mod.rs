//! Timeline: a Gantt of audits, projected rhythms and report dates, tabletop exercises and the
//! remediation plan, with a today marker, quarter and year zoom and the what-if (`gantt`);
//! `l` switches to the Type II ledger (`ledger`): per control a calendar strip of its periods,
//! the sample an auditor is likely to draw, coverage, and the missed periods as likely
//! exceptions, riskiest first.
//!
//! Invariants: the critical path shows as a mark in the text (`!` before the task, `▓` for its
//! bar, with a legend), never as a colour alone; an item the what-if moved, by hand or pushed
//! by a task it depends on, is marked "(what-if)", and a task's row keeps its saved date as
//! "(was ...)" (the what-if summary lists them all).

pub mod form;

mod detail;
mod gantt;
pub mod ledger;

pub use detail::detail;
pub use gantt::{Gantt, render};
pub use ledger::LEDGER_SPEC;

use super::Spec;
use crate::analysis::timeline::{self, Item, Lane, State, WhatIf};
use crate::domain::Date;
use crate::tui::data::Data;
use crate::tui::rows::{Cell, Role, Row};
use crate::tui::theme::Theme;
use chrono::{Datelike, Days};
use ratatui::layout::Constraint;
use ratatui::text::Line;

/// Timeline view state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct View {
    /// Showing the Type II ledger instead of the schedule.
    pub ledger: bool,
    /// A year on screen instead of a quarter.
    pub year: bool,
    /// First day on screen (default: a little before today).
    pub start: Option<Date>,
    /// Changes being tried.
    pub whatif: WhatIf,
}

impl View {
    /// Days on screen.
    pub fn span(&self) -> u64 {
        if self.year { 365 } else { 92 }
    }

    /// First day on screen.
    pub fn first_day(&self, as_of: Date) -> Date {
        self.start.unwrap_or_else(|| {
            let back = if self.year { 60 } else { 21 };
            as_of.checked_sub_days(Days::new(back)).unwrap_or(as_of)
        })
    }
}

/// Schedule columns.
pub static SPEC: Spec = Spec {
    headers: &["Item", "When"],
    widths: &[Constraint::Fill(1), Constraint::Length(23)],
    sorts: &["lane and date"],
    drop_order: &[1],
};

/// The mark of the critical path in a row's label.
pub const CRITICAL_MARK: &str = "!";

fn state_role(s: State) -> Role {
    match s {
        State::Done => Role::Muted,
        State::Running => Role::Accent,
        State::Planned => Role::Text,
        State::Projected => Role::Partial,
        State::Late => Role::Late,
        State::Critical => Role::Gap,
    }
}

/// `d` as `MM-DD`.
fn month_day(d: Date) -> String {
    let mut out = String::with_capacity(5);
    push_digits(&mut out, d.month(), 2);
    out.push('-');
    push_digits(&mut out, d.day(), 2);
    out
}

/// Appends the last `width` decimal digits of `n` (a key press formats thousands of dates:
/// this skips the formatting machinery).
fn push_digits(out: &mut String, n: u32, width: u32) {
    for k in (0..width).rev() {
        let digit = (n / 10u32.pow(k)) % 10;
        out.push(char::from_digit(digit, 10).unwrap_or('0'));
    }
}

/// Appends `d` as `YYYY-MM-DD` (`full`) or `YY-MM-DD`; a year outside 0..=9999 as chrono
/// writes it.
fn push_date(out: &mut String, d: Date, full: bool) {
    let Some(year) = u32::try_from(d.year()).ok().filter(|y| *y <= 9999) else {
        out.push_str(&d.to_string());
        return;
    };
    if full {
        push_digits(out, year, 4);
    } else {
        push_digits(out, year % 100, 2);
    }
    out.push('-');
    push_digits(out, d.month(), 2);
    out.push('-');
    push_digits(out, d.day(), 2);
}

/// How a row shows the what-if.
#[derive(Debug, Clone, Copy)]
enum Mark {
    /// Not moved.
    Still,
    /// A task moved from this saved due date.
    Was(Date),
    /// Moved otherwise (a window, or a task saved without a date).
    Moved,
}

/// The row of one schedule item.
fn row(i: &Item, mark: Mark) -> Row {
    let mut when = String::with_capacity(18);
    if i.is_point() {
        push_date(&mut when, i.start, true);
    } else {
        push_date(&mut when, i.start, false);
        when.push_str("..");
        push_date(&mut when, i.end, false);
    }
    let lane = match i.lane {
        Lane::Projection => "◆",
        Lane::Audit => "▣",
        Lane::Exercise => "✦",
        Lane::Task if i.state == State::Critical => CRITICAL_MARK,
        Lane::Task => "•",
    };
    let moved = match mark {
        Mark::Was(w) => {
            when.push_str(" (was ");
            when.push_str(&month_day(w));
            when.push(')');
            "(what-if) "
        }
        Mark::Moved => "(what-if) ",
        Mark::Still => "",
    };
    let role = state_role(i.state);
    Row {
        id: i.id.clone(),
        cells: vec![
            Cell::new(
                {
                    let mut label =
                        String::with_capacity(lane.len() + 1 + moved.len() + i.label.len());
                    label.push_str(lane);
                    label.push(' ');
                    label.push_str(moved);
                    label.push_str(&i.label);
                    label
                },
                role,
            ),
            Cell::new(
                when,
                if moved.is_empty() {
                    Role::Muted
                } else {
                    Role::Warn
                },
            ),
        ],
        heading: false,
        bar: Some((i.start, i.end, role)),
    }
}

/// Schedule rows on screen (with the what-if applied) or ledger rows.
pub fn rows(d: &Data, view: &View) -> Vec<Row> {
    if view.ledger {
        return ledger::rows(d);
    }
    let first = view.first_day(d.as_of);
    let last = first
        .checked_add_days(Days::new(view.span() - 1))
        .unwrap_or(first);
    let on_screen = |i: &&Item| i.end >= first && i.start <= last;
    match &d.whatif {
        Some(r) if !view.whatif.is_empty() => r
            .schedule
            .items()
            .filter(on_screen)
            .map(|i| {
                let was = i.id.strip_prefix("task:").and_then(|t| {
                    let (was, now) = r.moved.get(&crate::domain::TaskId::from(t))?;
                    (*was != Some(*now)).then_some(*was)
                });
                let window = i.id.strip_prefix("audit:").is_some_and(|a| {
                    view.whatif
                        .windows
                        .contains_key(&crate::domain::AuditId::from(a))
                });
                row(
                    i,
                    match was {
                        Some(Some(w)) => Mark::Was(w),
                        Some(None) => Mark::Moved,
                        None if window => Mark::Moved,
                        None => Mark::Still,
                    },
                )
            })
            .collect(),
        _ => timeline::schedule(&d.snapshot, &d.assessment)
            .items
            .iter()
            .filter(on_screen)
            .map(|i| row(i, Mark::Still))
            .collect(),
    }
}

/// The Timeline tab in the registry.
pub struct TimelineTab;

impl crate::tui::tabs::TabView for TimelineTab {
    fn tab(&self) -> crate::tui::tab::Tab {
        crate::tui::tab::Tab::Timeline
    }

    fn title(&self) -> &'static str {
        "Timeline"
    }

    fn key(&self) -> crate::tui::action::Action {
        crate::tui::action::Action::TabTimeline
    }

    fn spec(&self, shape: &crate::tui::tabs::Shape) -> &'static Spec {
        if shape.timeline.ledger {
            &LEDGER_SPEC
        } else {
            &SPEC
        }
    }

    fn rows(&self, d: &Data, _sort: usize, shape: &crate::tui::tabs::Shape) -> Vec<Row> {
        rows(d, &shape.timeline)
    }

    fn detail(&self, d: &Data, id: &str, t: &Theme) -> Vec<Line<'static>> {
        detail(d, id, t)
    }

    fn form(
        &self,
        a: crate::tui::action::Action,
        cx: &crate::tui::tabs::FormCx,
    ) -> Option<crate::tui::tabs::Form> {
        form::form(a, cx)
    }

    fn note_target(
        &self,
        id: &str,
        shape: &crate::tui::tabs::Shape,
    ) -> Option<(&'static str, String)> {
        form::note_target(id, shape)
    }

    fn body(&self, _shape: &crate::tui::tabs::Shape, _running: bool) -> crate::tui::tabs::Body {
        crate::tui::tabs::Body::OwnList
    }

    /// The Gantt's detail has no title; the ledger's says how to close it.
    fn detail_title(&self, shape: &crate::tui::tabs::Shape) -> Option<&'static str> {
        shape.timeline.ledger.then_some(" detail (Esc closes) ")
    }

    /// The Gantt chart, or the Type II ledger (its strip follows the width).
    fn draw(
        &self,
        f: &mut ratatui::Frame,
        area: ratatui::layout::Rect,
        cx: &crate::tui::tabs::DrawCx,
    ) {
        if cx.shape.timeline.ledger {
            let v = ledger::View {
                rows: cx.rows,
                selected: cx.selected,
                offset: cx.offset,
                filter: cx.filter,
                data: cx.data,
            };
            ledger::render(f, area, &v, cx.theme);
        } else {
            let g = Gantt {
                rows: cx.rows,
                selected: cx.selected,
                offset: cx.offset,
                view: &cx.shape.timeline,
                data: cx.data,
                footer: cx.footer,
            };
            render(f, area, &g, cx.theme);
        }
    }
}
