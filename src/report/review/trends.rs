//! The pack's charts over the stored weeks: readiness per framework and Type II coverage per
//! window as small line charts (each zoomed to its own values), and the burn-down of gap and
//! partial requirements as stacked columns from zero.
//!
//! Invariants: one stored week still draws its point and value; a framework's chart appears
//! from the first week it has a value; the weeks are the caller's (oldest first).

use super::Metrics;
use crate::report::charts::{self, Svg, Trend};

/// Size of one small chart, px (two fit side by side on A4).
const SMALL: (u32, u32) = (336, 170);

fn label(m: &Metrics) -> String {
    m.as_of.format("%d %b").to_string()
}

/// Per framework of this week (the last of `weeks`), a chart of `value` over the weeks it has one.
fn per_framework(
    weeks: &[&Metrics],
    what: &str,
    value: impl Fn(&super::FrameworkWeek) -> Option<f64>,
) -> Vec<String> {
    let Some(now) = weeks.last() else {
        return Vec::new();
    };
    now.frameworks
        .iter()
        .filter_map(|f| {
            let points: Vec<(String, f64)> = weeks
                .iter()
                .filter_map(|m| {
                    let x = m.frameworks.iter().find(|x| x.key == f.key)?;
                    Some((label(m), value(x)?))
                })
                .collect();
            value(f)?;
            Some(charts::trend(&Trend {
                title: &format!("{} {what}", f.name),
                unit: "%",
                size: SMALL,
                points: &points,
            }))
        })
        .collect()
}

/// Type I readiness per framework over the weeks.
pub fn readiness(weeks: &[&Metrics]) -> Vec<String> {
    per_framework(weeks, "readiness", |f| Some(f.readiness_pct))
}

/// Type II coverage per framework with a window over the weeks.
pub fn coverage(weeks: &[&Metrics]) -> Vec<String> {
    per_framework(weeks, "Type II coverage", |f| f.coverage_pct)
}

/// Gap (bottom, dark) and partial (top, light) requirements of all frameworks per week.
pub fn burndown(weeks: &[&Metrics]) -> String {
    let (w, h) = (680.0, 230.0);
    let title = "Open requirements per week: gap and partial, all frameworks";
    let mut svg = Svg::new(680, 230, title);
    svg.heading(title);
    let totals: Vec<(usize, usize)> = weeks
        .iter()
        .map(|m| {
            m.frameworks
                .iter()
                .fold((0, 0), |(g, p), f| (g + f.gap, p + f.partial))
        })
        .collect();
    let Some(max) = totals.iter().map(|(g, p)| g + p).max() else {
        return svg.no_weeks(w, h);
    };
    #[allow(clippy::cast_precision_loss)]
    let (_, hi, step) = charts::zoom(&[0.0, max as f64], 0.0, f64::MAX);
    let (left, right, top, bottom) = (44.0, w - 8.0, 48.0, h - 40.0);
    let y = |v: f64| bottom - v / hi * (bottom - top);
    svg.grid((left, right), (0.0, hi, step), y, "");
    #[allow(clippy::cast_precision_loss)]
    let slot = (right - left) / totals.len() as f64;
    let cw = (slot * 0.6).min(56.0);
    for (i, (m, (g, p))) in weeks.iter().zip(&totals).enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let cx = left + slot * (i as f64 + 0.5);
        #[allow(clippy::cast_precision_loss)]
        let (gv, pv) = (*g as f64, *p as f64);
        svg.rect(cx - cw / 2.0, y(gv), cw, bottom - y(gv), "fill=\"#7a1f1a\"");
        svg.rect(
            cx - cw / 2.0,
            y(gv + pv),
            cw,
            y(gv) - y(gv + pv),
            "fill=\"#f2cf7d\" stroke=\"#7a5a00\" stroke-width=\"0.5\"",
        );
        if bottom - y(gv) >= 15.0 {
            svg.text(
                cx,
                bottom - 4.0,
                11,
                "middle",
                "fill=\"#fff\"",
                &g.to_string(),
            );
        }
        if y(gv) - y(gv + pv) >= 15.0 {
            svg.text(
                cx,
                y(gv) - 4.0,
                11,
                "middle",
                "fill=\"#111\"",
                &p.to_string(),
            );
        }
        svg.text(
            cx,
            y(gv + pv) - 5.0,
            11,
            "middle",
            "font-weight=\"600\"",
            &(g + p).to_string(),
        );
        svg.text(cx, h - 24.0, 11, "middle", "fill=\"#444\"", &label(m));
    }
    svg.rect(left, h - 14.0, 12.0, 12.0, "fill=\"#7a1f1a\"");
    svg.text(
        left + 16.0,
        h - 3.5,
        11,
        "start",
        "",
        "gap (no control under way)",
    );
    svg.rect(
        left + 210.0,
        h - 14.0,
        12.0,
        12.0,
        "fill=\"#f2cf7d\" stroke=\"#7a5a00\" stroke-width=\"0.5\"",
    );
    svg.text(
        left + 226.0,
        h - 3.5,
        11,
        "start",
        "",
        "partial; the number on top is the total",
    );
    svg.finish()
}
