//! The Sources view (Evidence tab, `S`): every configured source with its last result, when
//! it is next due, failures in a row, the monitoring finding it opened, the evidence preset it
//! runs and the controls it feeds, worst first.

use crate::store::SourceRow;
use crate::tui::data::Data;
use crate::tui::rows::{Cell, Role, Row};
use crate::tui::tabs::{Spec, kv, note_lines};
use crate::tui::theme::Theme;
use ratatui::layout::Constraint;
use ratatui::text::{Line, Span};

/// Row ids carry this prefix, so the Evidence tab's detail knows a source from an item.
pub const PREFIX: &str = "source:";

/// Columns and sorts.
pub static SPEC: Spec = Spec {
    headers: &[
        "Source", "Kind", "Preset", "Controls", "Result", "Last", "Next", "Fails", "Finding",
        "Summary",
    ],
    widths: &[
        Constraint::Length(18),
        Constraint::Length(8),
        Constraint::Length(22),
        Constraint::Length(20),
        Constraint::Length(6),
        Constraint::Length(8),
        Constraint::Length(8),
        Constraint::Length(5),
        Constraint::Length(14),
        Constraint::Fill(1),
    ],
    sorts: &["worst", "name"],
    drop_order: &[3, 2, 1, 8, 6, 5],
};

fn clock(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .unwrap_or_default()
        .format("%H:%M:%S")
        .to_string()
}

fn result(s: &SourceRow) -> (&'static str, Role) {
    match s.last_ok {
        Some(true) => ("pass", Role::Met),
        Some(false) => ("FAIL", Role::Gap),
        None => ("-", Role::Muted),
    }
}

/// The preset the source `name` runs, if it is a preset source.
fn preset_of<'a>(d: &'a Data, name: &str) -> Option<&'a str> {
    d.live
        .presets
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, p)| p.as_str())
}

/// One row per source; `sort` 0 puts failing sources first.
pub fn rows(d: &Data, sort: usize) -> Vec<Row> {
    let mut items: Vec<&SourceRow> = d.live.sources.iter().collect();
    if sort == 0 {
        items.sort_by_key(|s| (std::cmp::Reverse(s.consecutive_failures), s.name.clone()));
    }
    items
        .into_iter()
        .map(|s| {
            let (r, role) = result(s);
            Row {
                id: format!("{PREFIX}{}", s.name),
                cells: vec![
                    Cell::text(s.name.clone()),
                    Cell::new(s.kind.clone(), Role::Muted),
                    Cell::new(preset_of(d, &s.name).unwrap_or("-").to_owned(), Role::Muted),
                    Cell::new(s.controls.join(","), Role::Muted),
                    Cell::new(r, role),
                    Cell::new(s.last_at.map_or("-".into(), clock), Role::Muted),
                    Cell::new(
                        s.last_at.map_or("-".into(), |t| clock(t + s.interval_s)),
                        Role::Muted,
                    ),
                    Cell::new(
                        s.consecutive_failures.to_string(),
                        if s.consecutive_failures > 0 {
                            Role::Late
                        } else {
                            Role::Muted
                        },
                    ),
                    Cell::new(
                        s.finding_id.clone().unwrap_or_else(|| "-".into()),
                        Role::Warn,
                    ),
                    Cell::text(s.last_summary.clone()),
                ],
                heading: false,
                bar: None,
            }
        })
        .collect()
}

/// Detail of the source `id` (with the prefix).
pub fn detail(d: &Data, id: &str, t: &Theme) -> Vec<Line<'static>> {
    let name = id.trim_start_matches(PREFIX);
    let Some(s) = d.live.sources.iter().find(|s| s.name == name) else {
        return Vec::new();
    };
    let at = |v: i64| {
        chrono::DateTime::from_timestamp(v, 0)
            .unwrap_or_default()
            .format("%Y-%m-%d %H:%M:%S UTC")
            .to_string()
    };
    let mut out = vec![
        Line::from(vec![
            Span::styled(format!("source {} ", s.name), t.title()),
            Span::styled(result(s).0, result(s).1.style(t)),
        ]),
        kv(t, "kind", s.kind.clone()),
        kv(t, "preset", preset_of(d, &s.name).unwrap_or("-").to_owned()),
        kv(t, "controls", s.controls.join(", ")),
        kv(t, "last check", s.last_at.map_or("never".into(), at)),
        kv(
            t,
            "next due",
            s.last_at.map_or("-".into(), |v| at(v + s.interval_s)),
        ),
        kv(t, "interval", format!("{} s", s.interval_s)),
        kv(
            t,
            "latency",
            s.latency_ms.map_or("-".into(), |l| format!("{l} ms")),
        ),
        kv(t, "fails in a row", s.consecutive_failures.to_string()),
        kv(t, "checks", format!("{} ({} failed)", s.checks, s.failures)),
        kv(
            t,
            "finding",
            s.finding_id.clone().unwrap_or_else(|| "-".into()),
        ),
        kv(t, "last result", s.last_summary.clone()),
    ];
    if let Some(f) = &s.finding_id {
        out.extend(note_lines(d, "finding", f, t));
    }
    out
}
