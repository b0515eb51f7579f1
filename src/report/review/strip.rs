//! The first page's small drawings: a framework's readiness bar (last week's value marked)
//! and a Type II ledger as a strip of weeks, each week a column of the control periods ending
//! in it (evidenced, missed, open, upcoming), with today marked.
//!
//! Invariants: missed periods are hatched and upcoming ones left white, so the strip reads in
//! grey print; pattern ids are named after the framework key (unique within one pack); every
//! label is inside the drawing.

use super::inputs::Strip;
use crate::domain::Date;
use crate::report::charts::{Svg, esc, num};
use chrono::Datelike;

/// Width of the readiness bar, px.
const BAR_W: f64 = 150.0;

/// A readiness bar of `pct`, with `before` (last week) marked by a black tick.
pub fn bar(pct: f64, before: Option<f64>) -> String {
    let mut svg = Svg::new(158, 22, &format!("readiness {}%", num(pct)));
    svg.rect(4.0, 4.0, BAR_W, 14.0, "fill=\"#e6e6e6\" stroke=\"#888\"");
    svg.rect(
        4.0,
        4.0,
        BAR_W * pct.clamp(0.0, 100.0) / 100.0,
        14.0,
        "fill=\"#1f5fa8\"",
    );
    for q in [25.0, 50.0, 75.0] {
        let x = 4.0 + BAR_W * q / 100.0;
        svg.line((x, 4.0), (x, 18.0), "stroke=\"#fff\" stroke-width=\"1\"");
    }
    if let Some(b) = before {
        let x = 4.0 + BAR_W * b.clamp(0.0, 100.0) / 100.0;
        svg.line((x, 0.0), (x, 22.0), "stroke=\"#111\" stroke-width=\"2\"");
    }
    svg.finish()
}

/// Colours (fill) of evidenced, missed, open and upcoming periods.
const FILL: [&str; 4] = ["#2e7d32", "url(#hatch-{})", "#e0a800", "#ffffff"];
/// Their names in the legend.
const NAMES: [&str; 4] = ["evidenced", "missed (exception)", "open now", "upcoming"];

/// The ledger of one Type II window as a strip of weeks.
pub fn ledger(s: &Strip, as_of: Date) -> String {
    let (w, left) = (680.0, 2.0);
    let n = s.weeks.len().max(1);
    #[allow(clippy::cast_precision_loss)]
    let cw = (w - 2.0 * left) / n as f64;
    let cover = s.coverage_pct.map_or_else(
        || "no period has ended yet".to_owned(),
        |c| format!("{c:.1}% covered"),
    );
    let title = format!(
        "{} Type II window {} to {}: {cover}",
        s.name, s.start, s.end
    );
    let mut svg = Svg::new(680, 118, &title);
    let id = esc(&s.key);
    svg.raw(&format!(
        "<defs><pattern id=\"hatch-{id}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#f3c6c6\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#b3261e\" stroke-width=\"3\"/></pattern></defs>"
    ));
    svg.text(left, 14.0, 13, "start", "font-weight=\"600\"", &title);
    let (top, height) = (30.0, 40.0);
    let monday = s.start - chrono::Days::new(u64::from(s.start.weekday().num_days_from_monday()));
    for (i, wk) in s.weeks.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let x = left + cw * i as f64;
        let total: u32 = wk.iter().sum();
        let mut y = top;
        // Top to bottom: missed, open, evidenced, upcoming.
        for k in [1, 2, 0, 3] {
            if total == 0 {
                break;
            }
            let h = height * f64::from(wk[k]) / f64::from(total);
            let fill = FILL[k].replace("{}", &id);
            svg.rect(x, y, cw, h, &format!("fill=\"{fill}\""));
            y += h;
        }
        svg.rect(
            x,
            top,
            cw,
            height,
            "fill=\"none\" stroke=\"#666\" stroke-width=\"0.5\"",
        );
    }
    let days = (as_of - monday).num_days();
    #[allow(clippy::cast_precision_loss)]
    let week_px = cw / 7.0;
    if as_of >= s.start && as_of <= s.end {
        #[allow(clippy::cast_precision_loss)]
        let x = left + week_px * days as f64;
        svg.line(
            (x, top - 6.0),
            (x, top + height + 4.0),
            "stroke=\"#111\" stroke-width=\"2\"",
        );
        let (at, anchor) = if x > w - 120.0 {
            (x - 4.0, "end")
        } else {
            (x + 4.0, "start")
        };
        svg.text(
            at,
            top - 2.0,
            11,
            anchor,
            "fill=\"#111\"",
            &format!("today {as_of}"),
        );
    }
    // Month labels under the strip: the first day of each month inside the window.
    let mut m = s.start.with_day(1).unwrap_or(s.start);
    while m <= s.end {
        if m >= s.start {
            #[allow(clippy::cast_precision_loss)]
            let x = left + week_px * (m - monday).num_days() as f64;
            let anchor = if x > w - 40.0 { "end" } else { "start" };
            svg.line(
                (x, top + height),
                (x, top + height + 5.0),
                "stroke=\"#444\"",
            );
            svg.text(
                x + 2.0,
                top + height + 16.0,
                11,
                anchor,
                "fill=\"#444\"",
                &m.format("%b %Y").to_string(),
            );
        }
        m = m
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(s.end + chrono::Days::new(1));
    }
    let mut x = left;
    for k in [0, 1, 2, 3] {
        let fill = FILL[k].replace("{}", &id);
        svg.rect(
            x,
            100.0,
            12.0,
            12.0,
            &format!("fill=\"{fill}\" stroke=\"#444\" stroke-width=\"0.5\""),
        );
        let label = format!("{} {}", NAMES[k], s.totals[k]);
        svg.text(x + 16.0, 110.5, 11, "start", "fill=\"#111\"", &label);
        #[allow(clippy::cast_precision_loss)]
        let step = 30.0 + 6.6 * label.chars().count() as f64;
        x += step;
    }
    svg.finish()
}
