//! SVG charts for the review pack, drawn with plotters' SVG backend (no system fonts needed).

use plotters::prelude::*;

/// A line chart of (label, value) points on a 0-100 scale, as an SVG document.
pub fn line_pct(title: &str, points: &[(String, f64)]) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (560, 220)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let n = points.len().max(2);
        let chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(24)
            .y_label_area_size(36)
            .build_cartesian_2d(0usize..n - 1, 0f64..100f64);
        if let Ok(mut chart) = chart {
            let labels: Vec<String> = points.iter().map(|p| p.0.clone()).collect();
            let _ = chart
                .configure_mesh()
                .x_labels(n.min(8))
                .x_label_formatter(&|i| labels.get(*i).cloned().unwrap_or_default())
                .y_label_formatter(&|v| format!("{v:.0}%"))
                .draw();
            let _ = chart.draw_series(LineSeries::new(
                points.iter().enumerate().map(|(i, p)| (i, p.1)),
                BLUE.stroke_width(2),
            ));
        }
        let _ = root.present();
    }
    svg
}
