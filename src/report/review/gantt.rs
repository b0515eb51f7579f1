//! The next 90 days as a small Gantt chart: audit windows, fieldwork, audit and report dates,
//! the projected readiness and report dates, and the tasks on the critical path, one row each,
//! with today on the left edge and the months along the top.
//!
//! Invariants: each kind has its own shape (outlined bar, solid bar, diamond, hollow diamond,
//! circle, hatched bar), so the chart reads in grey print; what the framework's rhythm implies
//! but nobody planned is dashed; bars running past either edge are cut there and say their
//! real dates; every text stays inside the drawing.

use super::inputs::{Bar, BarKind, ChartInputs, HORIZON_DAYS};
use crate::domain::Date;
use crate::report::charts::Svg;
use chrono::{Datelike, Days, Months};

const W: f64 = 680.0;
const PLOT: (f64, f64) = (236.0, 672.0);
const ROW: f64 = 20.0;
const TOP: f64 = 46.0;

fn short(d: Date) -> String {
    d.format("%d %b").to_string()
}

/// `d` with its year when that is not `year`.
fn dated(d: Date, year: i32) -> String {
    if d.year() == year {
        short(d)
    } else {
        d.format("%d %b %Y").to_string()
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// Draws the calendar of `c` from `as_of` for [`HORIZON_DAYS`] days.
pub fn draw(c: &ChartInputs, as_of: Date) -> String {
    let horizon = as_of
        .checked_add_days(Days::new(HORIZON_DAYS))
        .unwrap_or(as_of);
    #[allow(clippy::cast_precision_loss)]
    let px = (PLOT.1 - PLOT.0) / HORIZON_DAYS as f64;
    #[allow(clippy::cast_precision_loss)]
    let x = |d: Date| PLOT.0 + px * (d.clamp(as_of, horizon) - as_of).num_days() as f64;
    let critical = c.calendar.iter().any(|b| b.kind == BarKind::Critical);
    let rows = c.calendar.len() + usize::from(critical) + usize::from(c.critical_more > 0);
    #[allow(clippy::cast_precision_loss)]
    let bottom = TOP + ROW * rows.max(1) as f64;
    let h = bottom + 60.0;
    let title = format!("The next 90 days: {as_of} to {horizon}");
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let mut svg = Svg::new(680, h as u32, &title);
    svg.raw("<defs><pattern id=\"hatch-critical\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#f3c6c6\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#b3261e\" stroke-width=\"3\"/></pattern></defs>");
    svg.heading(&title);
    // Months along the top, a faint line at each first day.
    let mut m = as_of.with_day(1).unwrap_or(as_of);
    while m <= horizon {
        let at = if m < as_of { as_of } else { m };
        let next = m.checked_add_months(Months::new(1)).unwrap_or(horizon);
        let label = if m.month() == 1 || m <= as_of {
            m.format("%b %Y")
        } else {
            m.format("%b")
        };
        if m < as_of && (next - as_of).num_days() < 14 {
            // Too close to the next month's label: the next one is drawn alone.
            m = next;
            continue;
        }
        let anchor = if x(at) > PLOT.1 - 50.0 {
            "end"
        } else {
            "start"
        };
        svg.line((x(at), TOP - 12.0), (x(at), bottom), "stroke=\"#ccc\"");
        svg.text(
            x(at) + 3.0,
            TOP - 4.0,
            11,
            anchor,
            "fill=\"#444\"",
            &label.to_string(),
        );
        m = m
            .checked_add_months(Months::new(1))
            .unwrap_or(horizon + Days::new(1));
    }
    svg.line(
        (PLOT.0, TOP - 12.0),
        (PLOT.0, bottom),
        "stroke=\"#111\" stroke-width=\"2\"",
    );
    if c.calendar.is_empty() {
        svg.text(
            PLOT.0 + 8.0,
            TOP + 14.0,
            12,
            "start",
            "fill=\"#555\"",
            "Nothing scheduled in the next 90 days.",
        );
    }
    let mut y = TOP;
    let mut header = false;
    for b in &c.calendar {
        if b.kind == BarKind::Critical && !header {
            header = true;
            svg.text(
                0.0,
                y + 14.0,
                11,
                "start",
                "font-weight=\"600\"",
                "Critical path to Type I readiness:",
            );
            y += ROW;
        }
        if (y - TOP) / ROW % 2.0 < 1.0 {
            svg.rect(0.0, y, W, ROW, "fill=\"#f6f6f6\"");
        }
        let label = if b.kind == BarKind::Projected {
            format!("projected: {}", b.label)
        } else {
            b.label.clone()
        };
        svg.text(
            0.0,
            y + 14.0,
            11,
            "start",
            "fill=\"#111\"",
            &truncate(&label, 36),
        );
        bar(&mut svg, b, y, &x, (as_of, horizon));
        y += ROW;
    }
    if c.critical_more > 0 {
        let more = format!(
            "and {} more critical tasks (see the Timeline)",
            c.critical_more
        );
        svg.text(0.0, y + 14.0, 11, "start", "fill=\"#444\"", &more);
    }
    legend(&mut svg, bottom + 22.0);
    svg.finish()
}

fn style(kind: BarKind, rhythm: bool) -> String {
    let dash = if rhythm {
        " stroke-dasharray=\"4 3\""
    } else {
        ""
    };
    let style = match kind {
        BarKind::Window => "fill=\"#d6e4f5\" stroke=\"#1f5fa8\" stroke-width=\"1.5\"",
        BarKind::Fieldwork => "fill=\"#1f5fa8\" stroke=\"#1f5fa8\"",
        BarKind::Audit => "fill=\"#1f5fa8\" stroke=\"#0b2d55\"",
        BarKind::Report => "fill=\"#fff\" stroke=\"#0b2d55\" stroke-width=\"2\"",
        BarKind::Projected => "fill=\"#fff\" stroke=\"#555\" stroke-width=\"2\"",
        BarKind::Critical => {
            "fill=\"url(#hatch-critical)\" stroke=\"#b3261e\" stroke-width=\"1.5\""
        }
    };
    format!("{style}{dash}")
}

/// The shape of a bar from `x1` to `x2` (a milestone when `point`) in the row at `y`.
fn mark(svg: &mut Svg, kind: BarKind, rhythm: bool, point: bool, (x1, x2): (f64, f64), y: f64) {
    let style = style(kind, rhythm);
    let mid = y + ROW / 2.0;
    if point && kind == BarKind::Projected {
        svg.circle(x1, mid, 5.5, &style);
    } else if point {
        let diamond = [
            (x1, mid - 7.0),
            (x1 + 7.0, mid),
            (x1, mid + 7.0),
            (x1 - 7.0, mid),
        ];
        svg.poly("polygon", &diamond, &style);
    } else {
        svg.rect(x1, y + 4.0, (x2 - x1).max(2.0), ROW - 8.0, &style);
    }
}

fn bar(svg: &mut Svg, b: &Bar, y: f64, x: &impl Fn(Date) -> f64, (from, to): (Date, Date)) {
    let mid = y + ROW / 2.0;
    let (x1, x2) = (x(b.start), x(b.end));
    let point = b.start == b.end;
    mark(svg, b.kind, b.rhythm, point, (x1, x2), y);
    if !point && b.start < from {
        svg.text(x1 + 2.0, mid + 4.0, 11, "start", "fill=\"#111\"", "◂");
    }
    if !point && b.end > to {
        svg.text(x2 - 2.0, mid + 4.0, 11, "end", "fill=\"#111\"", "▸");
    }
    let year = from.year();
    let text = if point {
        dated(b.start, year)
    } else if b.start.year() == b.end.year() && b.start.month() == b.end.month() {
        format!("{}–{}", b.start.format("%d"), dated(b.end, year))
    } else if b.start.year() == b.end.year() {
        format!("{}–{}", short(b.start), dated(b.end, year))
    } else {
        format!("{}–{}", dated(b.start, year), dated(b.end, year))
    };
    // The dates after the bar when they fit there, otherwise before it, otherwise inside.
    let gap = if point { 10.0 } else { 4.0 };
    #[allow(clippy::cast_precision_loss)]
    let width = 6.2 * text.chars().count() as f64;
    if x2 + gap + width <= PLOT.1 {
        svg.text(x2 + gap, mid + 4.0, 11, "start", "fill=\"#333\"", &text);
    } else if x1 - gap - width >= PLOT.0 {
        svg.text(x1 - gap, mid + 4.0, 11, "end", "fill=\"#333\"", &text);
    } else {
        let style = "fill=\"#111\" font-weight=\"600\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\"";
        svg.text(PLOT.0 + 14.0, mid + 4.0, 11, "start", style, &text);
    }
}

fn legend(svg: &mut Svg, y: f64) {
    let items = [
        (BarKind::Window, false, "window"),
        (BarKind::Fieldwork, false, "fieldwork"),
        (BarKind::Audit, true, "audit date"),
        (BarKind::Report, true, "report"),
        (BarKind::Projected, true, "projected date"),
        (BarKind::Critical, false, "critical task"),
    ];
    let mut x = 0.0;
    for (kind, point, text) in items {
        let at = if point { x + 8.0 } else { x };
        mark(svg, kind, false, point, (at, x + 24.0), y - ROW / 2.0);
        svg.text(x + 30.0, y + 4.0, 11, "start", "fill=\"#111\"", text);
        #[allow(clippy::cast_precision_loss)]
        let step = 44.0 + 6.2 * text.chars().count() as f64;
        x += step;
    }
    mark(
        svg,
        BarKind::Window,
        true,
        false,
        (0.0, 24.0),
        y + 18.0 - ROW / 2.0,
    );
    let note = "dashed: implied by the framework's rhythm, nobody has planned it yet";
    svg.text(30.0, y + 22.0, 11, "start", "fill=\"#111\"", note);
}
