//! Risks: the register sorted by score; a 5×5 likelihood × impact heat map, inherent and
//! residual, with the appetite line; risks whose controls are not designed stand out.

use super::{Spec, kv, note_lines};
use crate::analysis::totals::RISK_APPETITE;
use crate::domain::Risk;
use crate::tui::data::Data;
use crate::tui::rows::{Cell, Role, Row};
use crate::tui::theme::Theme;
use ratatui::layout::Constraint;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

/// Columns and sorts.
pub static SPEC: Spec = Spec {
    headers: &[
        "ID",
        "Title",
        "Category",
        "L×I",
        "Score",
        "Resid",
        "Treatment",
        "Owner",
    ],
    widths: &[
        Constraint::Length(16),
        Constraint::Fill(1),
        Constraint::Length(19),
        Constraint::Length(4),
        Constraint::Length(5),
        Constraint::Length(5),
        Constraint::Length(9),
        Constraint::Length(17),
    ],
    sorts: &["score", "residual", "owner", "category"],
    drop_order: &[2, 6, 7, 3],
};

/// Whether any control the risk relies on is not designed.
pub fn controls_in_gap(d: &Data, r: &Risk) -> Vec<String> {
    r.controls
        .iter()
        .filter(|c| {
            !d.assessment
                .controls
                .iter()
                .any(|s| &s.id == *c && s.designed)
        })
        .map(ToString::to_string)
        .collect()
}

fn score_role(score: u8) -> Role {
    match score {
        s if s >= 15 => Role::Critical,
        s if s > RISK_APPETITE => Role::High,
        s if s >= 5 => Role::Medium,
        _ => Role::Low,
    }
}

/// One row per risk.
pub fn rows(d: &Data, sort: usize) -> Vec<Row> {
    let mut items: Vec<&Risk> = d.snapshot.risks.iter().collect();
    match sort {
        1 => items.sort_by(|a, b| {
            b.residual_score()
                .cmp(&a.residual_score())
                .then(a.id.cmp(&b.id))
        }),
        2 => items.sort_by(|a, b| a.owner.cmp(&b.owner).then(b.score().cmp(&a.score()))),
        3 => items.sort_by(|a, b| a.category.cmp(&b.category).then(b.score().cmp(&a.score()))),
        _ => items.sort_by(|a, b| b.score().cmp(&a.score()).then(a.id.cmp(&b.id))),
    }
    items
        .into_iter()
        .map(|r| {
            let gap = !controls_in_gap(d, r).is_empty();
            Row {
                id: r.id.to_string(),
                cells: vec![
                    Cell::new(
                        format!("{}{}", if gap { "! " } else { "" }, r.id),
                        if gap { Role::Late } else { Role::Text },
                    ),
                    Cell::text(r.title.clone()),
                    Cell::new(r.category.label(), Role::Muted),
                    Cell::text(format!("{}×{}", r.likelihood, r.impact)),
                    Cell::new(r.score().to_string(), score_role(r.score())),
                    Cell::new(
                        r.residual_score().to_string(),
                        score_role(r.residual_score()),
                    ),
                    Cell::new(r.treatment.label(), Role::Muted),
                    Cell::new(r.owner.clone(), Role::Muted),
                ],
                heading: false,
                bar: None,
            }
        })
        .collect()
}

/// A 5×5 heat map (likelihood up, impact across) as lines; cells above appetite are marked.
pub fn heat_map(d: &Data, residual: bool, t: &Theme) -> Vec<Line<'static>> {
    let mut grid = [[0usize; 5]; 5];
    for r in &d.snapshot.risks {
        let (l, i) = if residual {
            (
                r.residual_likelihood.unwrap_or(r.likelihood),
                r.residual_impact.unwrap_or(r.impact),
            )
        } else {
            (r.likelihood, r.impact)
        };
        if (1..=5).contains(&l) && (1..=5).contains(&i) {
            grid[usize::from(l - 1)][usize::from(i - 1)] += 1;
        }
    }
    let mut out = vec![Line::styled(
        if residual {
            "Residual L×I"
        } else {
            "Inherent L×I"
        },
        t.title(),
    )];
    for l in (1..=5u8).rev() {
        let mut spans = vec![Span::styled(format!("{l} "), t.fg(t.muted))];
        for i in 1..=5u8 {
            let n = grid[usize::from(l - 1)][usize::from(i - 1)];
            let above = l * i > RISK_APPETITE;
            let text = if n == 0 {
                " · ".to_owned()
            } else {
                format!("{n:^3}")
            };
            let mut style = score_role(l * i).style(t);
            if above {
                style = style.add_modifier(Modifier::BOLD);
            }
            spans.push(Span::styled(text, style));
            // The appetite line: a bar where a row crosses from within to above appetite.
            let next_above = i < 5 && l * (i + 1) > RISK_APPETITE;
            spans.push(Span::styled(
                if !above && next_above { "┃" } else { " " },
                t.fg(t.warn),
            ));
        }
        out.push(Line::from(spans));
    }
    out.push(Line::styled("   1   2   3   4   5", t.fg(t.muted)));
    out.push(Line::styled("↑ likelihood · → impact", t.fg(t.muted)));
    out.push(Line::styled(
        format!("┃ appetite: score ≤ {RISK_APPETITE}"),
        t.fg(t.warn),
    ));
    if residual {
        out.push(Line::styled("! control not designed", t.alert(t.late)));
    }
    out
}

/// Risk detail.
pub fn detail(d: &Data, id: &str, t: &Theme) -> Vec<Line<'static>> {
    let Some(r) = d.snapshot.risks.iter().find(|r| r.id.as_str() == id) else {
        return Vec::new();
    };
    let gaps = controls_in_gap(d, r);
    let mut out = vec![
        Line::from(vec![
            Span::styled(format!("{} ", r.id), t.title()),
            Span::raw(r.title.clone()),
        ]),
        kv(t, "category", r.category.label()),
        kv(
            t,
            "inherent",
            format!(
                "likelihood {} × impact {} = {}",
                r.likelihood,
                r.impact,
                r.score()
            ),
        ),
        kv(
            t,
            "residual",
            format!("= {} (appetite ≤ {RISK_APPETITE})", r.residual_score()),
        ),
        kv(
            t,
            "treatment",
            format!("{} · owner {}", r.treatment.label(), r.owner),
        ),
        kv(
            t,
            "controls",
            r.controls
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ];
    if !gaps.is_empty() {
        out.push(Line::styled(
            format!(
                "not designed: {} (the residual rating relies on them)",
                gaps.join(", ")
            ),
            t.alert(t.late),
        ));
    }
    out.extend(note_lines(d, "risk", id, t));
    out.push(Line::default());
    out.extend(heat_map(d, false, t));
    out.extend(heat_map(d, true, t));
    out
}

list_tab!(
    RisksTab,
    Risks,
    "Risks",
    TabRisks,
    |d, sort, shape| rows(d, sort),
    note = "risk",
    more {
        fn side(&self) -> Option<(u16, u16)> {
            Some((26, 100))
        }
        fn side_lines(&self, d: &Data, t: &Theme) -> Vec<Line<'static>> {
            let mut lines = heat_map(d, false, t);
            lines.push(Line::default());
            lines.extend(heat_map(d, true, t));
            lines
        }
    }
);
