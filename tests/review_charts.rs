//! The review pack's first page and charts on the demo workspace: SVG snapshots of each chart,
//! the first week drawing its point and value, the value axis zoomed to the data, the page
//! carrying no external resource and no type under 11 px, and old stored weeks still loading.

use certready::domain::Date;
use certready::report::charts::{self, Trend};
use certready::report::review::{self, Metrics, Pack};

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

/// The demo's metrics for each of `dates` (the model as of the last one, assessed each day).
fn weeks(dates: &[&str]) -> Vec<Metrics> {
    let t = tempfile::tempdir().unwrap();
    let store =
        certready::demo::build(t.path(), day("2026-11-26"), "2026-11-26T09:00:00Z").unwrap();
    let s = store.snapshot().unwrap();
    dates
        .iter()
        .map(|d| review::metrics(&s, &certready::analysis::assess(&s, day(d))))
        .collect()
}

fn pack(mut weeks: Vec<Metrics>) -> Pack {
    let current = weeks.pop().unwrap();
    review::pack("Lumen Health AI", current, &weeks, Vec::new())
}

#[test]
fn each_chart_is_a_stable_svg() {
    let p = pack(weeks(&[
        "2026-11-05",
        "2026-11-12",
        "2026-11-19",
        "2026-11-26",
    ]));
    let c = &p.charts;
    insta::assert_snapshot!("readiness_soc2", c.readiness[0]);
    insta::assert_snapshot!("coverage_soc2", c.coverage[0]);
    insta::assert_snapshot!("burndown", c.burndown);
    insta::assert_snapshot!("heatmap", c.heatmap);
    insta::assert_snapshot!("calendar", c.calendar);
    insta::assert_snapshot!("ledger_strip_soc2", c.strips[0]);
    insta::assert_snapshot!("readiness_bar_soc2", c.frameworks[0].bar);
    // The same weeks draw the same bytes.
    let again = pack(weeks(&[
        "2026-11-05",
        "2026-11-12",
        "2026-11-19",
        "2026-11-26",
    ]));
    assert_eq!(again.charts.calendar, c.calendar);
    assert_eq!(again.charts.readiness, c.readiness);
}

#[test]
fn the_first_week_draws_a_point_and_its_value_and_says_there_is_no_last_week() {
    let p = pack(weeks(&["2026-11-26"]));
    let soc2 = &p.charts.readiness[0];
    assert_eq!(soc2.matches("<circle").count(), 1, "{soc2}");
    assert!(soc2.contains(">21.1%</text>"), "{soc2}");
    let cov = &p.charts.coverage[0];
    assert_eq!(cov.matches("<circle").count(), 1, "{cov}");
    assert!(cov.contains(">72.1%</text>"), "{cov}");
    assert!(
        p.charts.burndown.contains(">411</text>"),
        "{}",
        p.charts.burndown
    );
    let f = &p.charts.frameworks[0];
    assert_eq!(f.change, "– no last week");
    assert_eq!(f.type2_slip.text, "no last week");
    assert!(
        !f.bar.contains("stroke-width=\"2\""),
        "no last-week tick: {}",
        f.bar
    );
}

#[test]
fn the_value_axis_is_zoomed_so_a_point_of_change_is_visible() {
    let points = vec![("05 Nov".to_owned(), 91.0), ("12 Nov".to_owned(), 92.0)];
    let t = Trend {
        title: "readiness",
        unit: "%",
        size: (336, 170),
        points: &points,
    };
    let apart = charts::trend_y(&t, 91.0) - charts::trend_y(&t, 92.0);
    assert!(apart >= 15.0, "91% and 92% are {apart} px apart");
    // Flat values still get an axis, and 100% stays the top.
    let top = charts::zoom(&[99.5, 100.0], 0.0, 100.0);
    assert!(
        (top.1 - 100.0).abs() < 1e-9 && top.1 - top.0 >= 4.0,
        "{top:?}"
    );
    let counts = charts::zoom(&[0.0, 412.0], 0.0, f64::MAX);
    assert_eq!(format!("{counts:?}"), "(0.0, 500.0, 100.0)");
    // The last date label sits inside the drawing (centred, at least 30 px from the edge).
    let svg = charts::trend(&t);
    let last = svg.lines().find(|l| l.contains(">12 Nov<")).unwrap();
    let x: f64 = last
        .split("x=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(x + 30.0 <= 336.0, "{last}");
}

#[test]
fn the_html_pack_is_self_contained_and_its_type_is_at_least_11_px() {
    let p = pack(weeks(&["2026-11-19", "2026-11-26"]));
    let html = review::render(&p, true, None).unwrap();
    let external = regex::Regex::new(r#"(?i)(src|href)\s*=\s*["']?\s*(https?:|//)|<link|<script|@import|url\(\s*["']?(https?:|//)"#).unwrap();
    assert!(external.find(&html).is_none(), "{:?}", external.find(&html));
    assert!(html.contains("@page{size:A4") && html.contains("@media print"));
    assert!(html.contains("<h2>Are we on track?</h2>"));
    let svg_sizes = regex::Regex::new(r#"font-size="([0-9.]+)""#).unwrap();
    let css_sizes = regex::Regex::new(r"font(?:-size)?:\s*([0-9.]+)px").unwrap();
    let mut n = 0;
    for c in svg_sizes
        .captures_iter(&html)
        .chain(css_sizes.captures_iter(&html))
    {
        let px: f64 = c[1].parse().unwrap();
        assert!(px >= 11.0, "{} is under 11 px", &c[0]);
        n += 1;
    }
    assert!(n > 50, "sizes checked: {n}");
    // Every level reads without colour: a word and a shape with each count.
    for s in &p.charts.signals {
        assert!(html.contains(&format!("{} {}", s.mark, s.word)));
    }
}

#[test]
fn a_week_stored_before_the_charts_existed_still_loads() {
    let mut w = weeks(&["2026-11-19", "2026-11-26"]);
    let m = w.pop().unwrap();
    let mut json: serde_json::Value = serde_json::to_value(&w[0]).unwrap();
    json.as_object_mut().unwrap().remove("charts");
    let old: Metrics = serde_json::from_value(json).unwrap();
    assert_eq!(old.charts, review::inputs::ChartInputs::default());
    let p = review::pack("Lumen Health AI", m, &[old], Vec::new());
    assert_eq!(p.charts.readiness[0].matches("<circle").count(), 2);
}
