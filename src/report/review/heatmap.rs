//! The risk heat maps: two 5×5 grids side by side, inherent and residual, likelihood up the
//! side (5 at the top) and impact along the bottom, each cell showing how many risks sit in it.
//!
//! Invariants: a cell's band follows its score (likelihood × impact: high from 15, medium 8-12,
//! low up to 6); high cells also get a heavy border so the band reads in grey print; empty
//! cells print nothing.

use super::inputs::ChartInputs;
use crate::report::charts::Svg;

/// Cell size, px.
const CELL: f64 = 46.0;
/// Top of the grids, px.
const TOP: f64 = 52.0;

fn band(score: usize) -> (&'static str, &'static str) {
    match score {
        15.. => ("#f4b4b0", "stroke=\"#7a1f1a\" stroke-width=\"2.5\""),
        8..=14 => ("#fbe3a8", "stroke=\"#999\" stroke-width=\"1\""),
        _ => ("#d4ebd4", "stroke=\"#999\" stroke-width=\"1\""),
    }
}

fn grid(svg: &mut Svg, x0: f64, title: &str, cells: &[[u32; 5]; 5]) {
    let total: u32 = cells.iter().flatten().sum();
    svg.text(
        x0,
        40.0,
        12,
        "start",
        "font-weight=\"600\"",
        &format!("{title} ({total} risks)"),
    );
    for (l, row) in cells.iter().enumerate() {
        for (i, n) in row.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let (x, y) = (x0 + CELL * i as f64, TOP + CELL * (4 - l) as f64);
            let (fill, stroke) = band((l + 1) * (i + 1));
            svg.rect(x, y, CELL, CELL, &format!("fill=\"{fill}\" {stroke}"));
            if *n > 0 {
                svg.text(
                    x + CELL / 2.0,
                    y + CELL / 2.0 + 6.0,
                    17,
                    "middle",
                    "font-weight=\"700\"",
                    &n.to_string(),
                );
            }
        }
    }
    for k in 0..5u8 {
        let at = CELL * f64::from(k) + CELL / 2.0;
        svg.text(
            x0 - 8.0,
            TOP + CELL * 5.0 - at + 4.0,
            11,
            "end",
            "fill=\"#444\"",
            &(k + 1).to_string(),
        );
        svg.text(
            x0 + at,
            TOP + CELL * 5.0 + 15.0,
            11,
            "middle",
            "fill=\"#444\"",
            &(k + 1).to_string(),
        );
    }
    svg.text(
        x0 + CELL * 2.5,
        TOP + CELL * 5.0 + 31.0,
        11,
        "middle",
        "fill=\"#444\"",
        "impact →",
    );
    let (lx, ly) = (x0 - 26.0, TOP + CELL * 2.5);
    svg.text(
        lx,
        ly,
        11,
        "middle",
        &format!("fill=\"#444\" transform=\"rotate(-90 {lx} {ly})\""),
        "likelihood →",
    );
}

/// The inherent and residual heat maps of the week.
pub fn draw(c: &ChartInputs) -> String {
    let title = "Risks by likelihood and impact: inherent and residual";
    let mut svg = Svg::new(680, 350, title);
    svg.heading(title);
    grid(
        &mut svg,
        50.0,
        "Inherent (before treatment)",
        &c.heat_inherent,
    );
    grid(
        &mut svg,
        400.0,
        "Residual (after treatment)",
        &c.heat_residual,
    );
    let y = 340.0;
    let legend = [
        (0.0, band(25), "high: score 15-25 (heavy border)"),
        (250.0, band(9), "medium: 8-12"),
        (380.0, band(1), "low: 1-6; the number is the count of risks"),
    ];
    for (x, (fill, stroke), text) in legend {
        svg.rect(
            x + 2.0,
            y - 10.0,
            12.0,
            12.0,
            &format!("fill=\"{fill}\" {stroke}"),
        );
        svg.text(x + 20.0, y, 11, "start", "fill=\"#111\"", text);
    }
    svg.finish()
}
