//! SVG drawing for the review pack: a small writer of SVG elements and the trend chart (a
//! line of weekly values with a point and a printed value for every week).
//!
//! Invariants: output is deterministic (no random ids, numbers printed by [`num`] with at most
//! one decimal); every text is XML-escaped ([`esc`]) and at least [`MIN_FONT`] px; the value
//! axis of a trend is zoomed to the data (at least [`MIN_SPAN`] units tall, so 91 and 92 are
//! visibly apart) and labels are placed inside the drawing, never cut at its edge.

use std::fmt::Write as _;

/// The smallest type any chart uses, in px.
pub const MIN_FONT: u32 = 11;
/// The smallest span of a zoomed value axis, in the values' units.
pub const MIN_SPAN: f64 = 4.0;
/// The font of every chart.
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', sans-serif";

/// `x` with at most one decimal and no trailing `.0` (`91`, `91.5`, `-3`).
pub fn num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if (r - r.round()).abs() < 1e-9 {
        format!("{}", r.round())
    } else {
        format!("{r:.1}")
    }
}

/// `s` escaped for SVG text and attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// An SVG document being written.
pub struct Svg {
    out: String,
}

impl Svg {
    /// Starts a `w`×`h` drawing titled `title` (read by screen readers).
    pub fn new(w: u32, h: u32, title: &str) -> Self {
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{t}\" font-family=\"{FONT}\" font-size=\"12\">\n<title>{t}</title>\n",
            t = esc(title)
        );
        Self { out }
    }

    /// The chart's heading, top left in bold.
    pub fn heading(&mut self, title: &str) {
        self.text(0.0, 15.0, 13, "start", "font-weight=\"600\"", title);
    }

    /// Ends a `w`×`h` chart that has no week to draw, saying so in its middle.
    pub fn no_weeks(mut self, w: f64, h: f64) -> String {
        self.text(
            w / 2.0,
            h / 2.0,
            12,
            "middle",
            "fill=\"#555\"",
            "no weeks stored yet",
        );
        self.finish()
    }

    /// Horizontal grid lines from `lo` to `hi` every `step` between `left` and `right`, each
    /// labelled with its value and `unit` at the left; `y` maps a value to its height.
    pub fn grid(
        &mut self,
        (left, right): (f64, f64),
        (lo, hi, step): (f64, f64, f64),
        y: impl Fn(f64) -> f64,
        unit: &str,
    ) {
        let mut tick = lo;
        while tick <= hi + 1e-9 {
            self.line((left, y(tick)), (right, y(tick)), "stroke=\"#ddd\"");
            self.text(
                left - 4.0,
                y(tick) + 4.0,
                11,
                "end",
                "fill=\"#444\"",
                &format!("{}{unit}", num(tick)),
            );
            tick += step;
        }
    }

    /// Adds raw markup certready wrote (definitions, groups).
    pub fn raw(&mut self, s: &str) {
        self.out.push_str(s);
        self.out.push('\n');
    }

    /// A rectangle; `style` holds its other attributes (`fill="#eee"`).
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, style: &str) {
        let _ = writeln!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {style}/>",
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0))
        );
    }

    /// A line.
    pub fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), style: &str) {
        let _ = writeln!(
            self.out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {style}/>",
            num(x1),
            num(y1),
            num(x2),
            num(y2)
        );
    }

    /// A circle.
    pub fn circle(&mut self, x: f64, y: f64, r: f64, style: &str) {
        let _ = writeln!(
            self.out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {style}/>",
            num(x),
            num(y),
            num(r)
        );
    }

    /// A polyline or polygon through `pts`.
    pub fn poly(&mut self, tag: &str, pts: &[(f64, f64)], style: &str) {
        let p: Vec<String> = pts
            .iter()
            .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
            .collect();
        let _ = writeln!(self.out, "<{tag} points=\"{}\" {style}/>", p.join(" "));
    }

    /// Text at (x, y) of `size` px, anchored `anchor` (`start`, `middle`, `end`).
    pub fn text(&mut self, x: f64, y: f64, size: u32, anchor: &str, extra: &str, s: &str) {
        let size = size.max(MIN_FONT);
        let _ = writeln!(
            self.out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{size}\" text-anchor=\"{anchor}\" {extra}>{}</text>",
            num(x),
            num(y),
            esc(s)
        );
    }

    /// The finished document.
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

/// A value axis zoomed to `values`: (low, high, tick step), at least [`MIN_SPAN`] tall and
/// within `[floor, ceil]` when those bound the values.
pub fn zoom(values: &[f64], floor: f64, ceil: f64) -> (f64, f64, f64) {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 0.0) };
    let pad = ((hi - lo) * 0.15).max(0.5);
    let (mut lo, mut hi) = ((lo - pad).max(floor), (hi + pad).min(ceil));
    if hi - lo < MIN_SPAN {
        let mid = f64::midpoint(lo, hi);
        (lo, hi) = (mid - MIN_SPAN / 2.0, mid + MIN_SPAN / 2.0);
        if lo < floor {
            (lo, hi) = (floor, hi + floor - lo);
        }
        if hi > ceil {
            (lo, hi) = ((lo - (hi - ceil)).max(floor), ceil);
        }
    }
    let step = [
        1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 250.0, 500.0,
    ]
    .into_iter()
    .find(|s| (hi - lo) / s <= 6.0)
    .unwrap_or(1000.0);
    let lo = ((lo / step).floor() * step).max(floor);
    let hi = ((hi / step).ceil() * step).min(ceil);
    (lo, hi, step)
}

/// A weekly trend: its title, unit (`%` or empty) and points (label, value), oldest first.
pub struct Trend<'a> {
    /// Title, top left.
    pub title: &'a str,
    /// Unit printed after each value.
    pub unit: &'a str,
    /// Size in px.
    pub size: (u32, u32),
    /// Points.
    pub points: &'a [(String, f64)],
}

/// Margins of a trend's plot: left (axis labels), right, top (title), bottom (dates).
const MARGIN: (f64, f64, f64, f64) = (40.0, 8.0, 44.0, 24.0);
/// Room kept at both ends of the x axis so a centred date label fits.
const INSET: f64 = 30.0;

/// The value axis of `t`: (low, high, tick step); percentages stay within 0-100.
fn axis(t: &Trend) -> (f64, f64, f64) {
    let values: Vec<f64> = t.points.iter().map(|p| p.1).collect();
    let ceil = if t.unit == "%" { 100.0 } else { f64::MAX };
    zoom(&values, 0.0, ceil)
}

/// The y position (px from the top) at which `t` draws value `v`.
pub fn trend_y(t: &Trend, v: f64) -> f64 {
    let (lo, hi, _) = axis(t);
    let (top, bottom) = (MARGIN.2, f64::from(t.size.1) - MARGIN.3);
    bottom - (v - lo) / (hi - lo) * (bottom - top)
}

/// A line chart of weekly values with a point, and the value printed, for every week.
pub fn trend(t: &Trend) -> String {
    let (w, h) = (f64::from(t.size.0), f64::from(t.size.1));
    let mut svg = Svg::new(t.size.0, t.size.1, t.title);
    svg.heading(t.title);
    let Some(last) = t.points.last() else {
        return svg.no_weeks(w, h);
    };
    svg.text(
        w,
        15.0,
        13,
        "end",
        "font-weight=\"600\"",
        &format!("{:.1}{}", last.1, t.unit),
    );
    let values: Vec<f64> = t.points.iter().map(|p| p.1).collect();
    let (lo, hi, step) = axis(t);
    let (left, right) = (MARGIN.0, w - MARGIN.1);
    let y = |v: f64| trend_y(t, v);
    svg.grid((left, right), (lo, hi, step), y, t.unit);
    let n = t.points.len();
    let span = right - left - 2.0 * INSET;
    #[allow(clippy::cast_precision_loss)]
    let x = |i: usize| {
        if n == 1 {
            f64::midpoint(left, right)
        } else {
            left + INSET + span * i as f64 / (n - 1) as f64
        }
    };
    let pts: Vec<(f64, f64)> = (0..n).map(|i| (x(i), y(values[i]))).collect();
    svg.poly(
        "polyline",
        &pts,
        "fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\"",
    );
    // Labels: every point while they fit, otherwise the first, the last and evenly between.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let every = if n > 1 {
        (44.0 / (span / (n - 1) as f64)).ceil().max(1.0) as usize
    } else {
        1
    };
    for (i, ((px, py), (label, v))) in pts.iter().zip(t.points).enumerate() {
        svg.circle(
            *px,
            *py,
            3.5,
            "fill=\"#1f5fa8\" stroke=\"#fff\" stroke-width=\"1\"",
        );
        let shown = i == n - 1 || (i % every == 0 && (n - 1 - i) >= every);
        if shown {
            svg.text(
                *px,
                py - 8.0,
                11,
                "middle",
                "fill=\"#111\"",
                &format!("{v:.1}{}", t.unit),
            );
            svg.text(*px, h - 6.0, 11, "middle", "fill=\"#444\"", label);
        }
    }
    svg.finish()
}
