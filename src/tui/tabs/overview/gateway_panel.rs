//! The Overview's gateway panel: per gateway its state and version, uptime over 24 h, 7 d,
//! 30 d and each audit window, the hourly latency sparkline and the latest outage, from the
//! live part of the data (what the collectors last wrote).

use crate::tui::data::Data;
use crate::tui::rows::Role;
use crate::tui::theme::Theme;
use ratatui::text::{Line, Span};

/// The gateway panel: state, version, uptime over 24 h / 7 d / 30 d and each audit window, the
/// hourly latency sparkline and the latest outages.
pub fn lines(d: &Data, t: &Theme) -> Vec<Line<'static>> {
    use crate::collect::panel::sparkline;
    use crate::domain::GatewayState;
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
    let mut out = Vec::new();
    for g in &d.live.gateways {
        let role = match g.state {
            GatewayState::Up => Role::Met,
            GatewayState::Degraded => Role::Partial,
            GatewayState::Down => Role::Gap,
        };
        out.push(Line::from(vec![
            Span::styled(format!("● {} ", g.name), t.title()),
            Span::styled(g.state.as_str().to_uppercase(), role.style(t)),
            Span::styled(
                format!(
                    " {}{}",
                    g.version.as_deref().unwrap_or(""),
                    if d.live.polling { " · live" } else { "" }
                ),
                t.fg(t.muted),
            ),
        ]));
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
            Span::raw("latency 24h "),
            Span::styled(sparkline(&g.latency), t.fg(t.accent)),
            Span::raw(format!(" avg {avg} ms")),
        ]));
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
