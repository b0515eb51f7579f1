//! The Overview's gateway panel: per gateway what may be said of it now, its version, uptime
//! over 24 h, 7 d, 30 d and each audit window, the latency sparkline of the last 24 checked
//! hours and the latest outage, from the live part of the data (what the collectors last
//! wrote).
//!
//! Invariant: a gateway reads UP (or DOWN, DEGRADED) only when `analysis::gateway_state`
//! says so at `now`, the dashboard's one clock passed down to the view; otherwise it reads
//! "not configured" or "stale since <its last check>", as in `status` and the review pack.

use crate::analysis::gateway_state::Shown;
use crate::tui::data::Data;
use crate::tui::rows::Role;
use crate::tui::theme::Theme;
use ratatui::text::{Line, Span};

/// The gateway panel at `now` (seconds since the epoch): state, version, uptime over 24 h /
/// 7 d / 30 d and each audit window, the latency sparkline and the latest outages.
pub fn lines(d: &Data, now: i64, t: &Theme) -> Vec<Line<'static>> {
    use crate::collect::panel::sparkline;
    if d.live.gateways.is_empty() {
        return vec![Line::styled(
            "no gateway configured ([[gateway]] in certready.toml)",
            t.fg(t.muted),
        )];
    }
    let pct = |p: Option<f64>| p.map_or("-".to_owned(), |p| format!("{p:.2}%"));
    let hm = |s: i64| {
        chrono::DateTime::from_timestamp(s, 0)
            .unwrap_or_default()
            .format("%m-%d %H:%M")
            .to_string()
    };
    let shown = d.live.shown(now);
    let mut out = Vec::new();
    for (g, state) in d.live.gateways.iter().zip(shown) {
        let (word, role) = match state {
            Shown::Up => ("UP".to_owned(), Role::Met),
            Shown::Degraded => ("DEGRADED".to_owned(), Role::Partial),
            Shown::Down => ("DOWN".to_owned(), Role::Gap),
            Shown::Stale { .. } => (state.describe(), Role::Warn),
            Shown::NotConfigured => ("not configured".to_owned(), Role::Muted),
        };
        let checked = matches!(state, Shown::Up | Shown::Down | Shown::Degraded);
        let live = d.live.polling && checked;
        out.push(Line::from(vec![
            Span::styled(format!("● {} ", g.name), t.title()),
            Span::styled(word, role.style(t)),
            Span::styled(
                format!(
                    " {}{}",
                    if checked {
                        g.version.as_deref().unwrap_or("")
                    } else {
                        ""
                    },
                    if live { " · live" } else { "" }
                ),
                t.fg(t.muted),
            ),
        ]));
        if matches!(state, Shown::NotConfigured) {
            out.push(Line::styled(
                format!(
                    "no [[gateway]] in certready.toml; checks stored until {}",
                    hm(g.last_at)
                ),
                t.fg(t.muted),
            ));
        }
        out.push(Line::raw(format!(
            "uptime 24h {} · 7d {} · 30d {}",
            pct(g.uptime[0]),
            pct(g.uptime[1]),
            pct(g.uptime[2])
        )));
        for (label, p, days) in &g.windows {
            out.push(Line::styled(
                format!("{label}: {} ({days} d observed)", pct(*p)),
                t.fg(t.muted),
            ));
        }
        let lat: Vec<u64> = g.latency.iter().flatten().copied().collect();
        let avg = if lat.is_empty() {
            0
        } else {
            lat.iter().sum::<u64>() / lat.len() as u64
        };
        out.push(Line::from(vec![
            Span::raw("latency "),
            Span::styled(sparkline(&g.latency), t.fg(t.accent)),
            Span::raw(format!(" avg {avg} ms")),
        ]));
        let paused = if g.latency.contains(&None) {
            "; ┊ checks paused"
        } else {
            ""
        };
        out.push(Line::styled(
            format!("(hourly, last {} checked hours{paused})", lat.len()),
            t.fg(t.muted),
        ));
        match g.outages.first() {
            Some(o) => out.push(Line::styled(
                format!(
                    "{} outage(s) in 30d; last {} for {} min",
                    g.outages.len(),
                    hm(o.from),
                    (o.to - o.from + 59) / 60
                ),
                Role::Late.style(t),
            )),
            None => out.push(Line::styled("no outage in 30d", t.fg(t.muted))),
        }
    }
    out
}
