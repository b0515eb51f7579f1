//! The facilitator's view in large type for a projector: the exercise clock, the current
//! inject and a countdown to the next, the questions for the room, the participants and the
//! log as it grows (each action with its owner and due date).

use super::Running;
use crate::tabletop::exercise::{Kind, clock_text};
use crate::tui::rows::Role;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

/// Big digits, three columns by five rows each.
fn big(text: &str) -> [String; 5] {
    const GLYPHS: [[&str; 5]; 11] = [
        ["███", "█ █", "█ █", "█ █", "███"],
        ["  █", "  █", "  █", "  █", "  █"],
        ["███", "  █", "███", "█  ", "███"],
        ["███", "  █", "███", "  █", "███"],
        ["█ █", "█ █", "███", "  █", "  █"],
        ["███", "█  ", "███", "  █", "███"],
        ["███", "█  ", "███", "█ █", "███"],
        ["███", "  █", "  █", "  █", "  █"],
        ["███", "█ █", "███", "█ █", "███"],
        ["███", "█ █", "███", "  █", "███"],
        ["   ", " ▪ ", "   ", " ▪ ", "   "],
    ];
    let mut rows: [String; 5] = Default::default();
    for ch in text.chars() {
        let g = match ch {
            '0'..='9' => GLYPHS[ch as usize - '0' as usize],
            _ => GLYPHS[10],
        };
        for (r, row) in rows.iter_mut().enumerate() {
            row.push_str(g[r]);
            row.push(' ');
        }
    }
    rows
}

/// Draws the facilitator's view.
pub fn render(f: &mut Frame, area: Rect, r: &Running, now: i64, t: &Theme) {
    let ex = &r.exercise;
    let s = &r.scenario;
    let cur = ex.current();
    let inject = s.injects.get(cur);
    let block = Block::bordered()
        .title(Span::styled(
            format!(" Tabletop · {} · {} ", ex.id, s.title),
            t.title(),
        ))
        .border_style(t.fg(t.accent));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let wide = inner.width >= 110;
    let [head, body] = Layout::vertical([Constraint::Length(6), Constraint::Fill(1)]).areas(inner);
    let [clock_area, status_area] =
        Layout::horizontal([Constraint::Length(34), Constraint::Fill(1)]).areas(head);
    let clock = clock_text(ex.clock(now));
    let clock_style = if ex.paused() {
        t.alert(t.warn)
    } else {
        t.title()
    };
    f.render_widget(
        Paragraph::new(
            big(&clock)
                .into_iter()
                .map(|l| Line::styled(l, clock_style))
                .collect::<Vec<_>>(),
        ),
        clock_area,
    );
    let next = match ex.countdown(s, now) {
        Some(secs) => format!("next inject in {}", clock_text(secs)),
        None => "last inject".to_owned(),
    };
    let people = ex.participants();
    let mut status = vec![
        Line::from(vec![
            Span::styled(
                format!("Inject {}/{} ", cur + 1, s.injects.len()),
                t.title().add_modifier(Modifier::BOLD),
            ),
            Span::styled(next, t.fg(t.accent)),
            Span::styled(if ex.paused() { "  PAUSED" } else { "" }, t.alert(t.warn)),
        ]),
        Line::raw(format!(
            "facilitator {} · {} participant(s): {}",
            ex.facilitator,
            people.len(),
            people.join(", ")
        )),
        Line::styled(
            "n note  D decision  g gap  a action  p participants  space pause  → next  ← back  E end",
            t.fg(t.muted),
        ),
    ];
    if let Some(sig) = inject.and_then(|i| i.signal.as_ref()) {
        status.push(Line::styled(
            format!("live signal: gateway {}", sig.gateway),
            t.alert(t.late),
        ));
    }
    f.render_widget(
        Paragraph::new(status).wrap(Wrap { trim: true }),
        status_area,
    );
    let (main, side) = if wide {
        let [m, sd] = Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)])
            .areas(body);
        (m, sd)
    } else {
        let [m, sd] =
            Layout::vertical([Constraint::Percentage(65), Constraint::Percentage(35)]).areas(body);
        (m, sd)
    };
    let mut lines = Vec::new();
    if let Some(i) = inject {
        lines.push(Line::styled(
            format!("+{} min · {}", i.at, i.title),
            t.title().add_modifier(Modifier::BOLD),
        ));
        lines.push(Line::default());
        lines.push(Line::raw(i.text.trim().to_owned()));
        lines.push(Line::default());
        lines.push(Line::styled("Questions for the room", t.title()));
        lines.extend(i.questions.iter().map(|q| Line::raw(format!("  ▸ {q}"))));
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().border_style(t.fg(t.border))),
        main,
    );
    let log: Vec<Line> = ex
        .events
        .iter()
        .rev()
        .filter(|e| {
            matches!(
                e.kind,
                Kind::Note | Kind::Decision | Kind::Gap | Kind::Action
            )
        })
        .map(|e| {
            let (label, role) = match e.kind {
                Kind::Decision => ("decision", Role::Accent),
                Kind::Gap => ("gap", Role::Gap),
                Kind::Action => ("action", Role::Partial),
                _ => ("note", Role::Muted),
            };
            let mut owner = e
                .owner
                .as_ref()
                .map_or(String::new(), |o| format!(" → {o}"));
            if e.kind == Kind::Action {
                owner.push_str(
                    &e.due
                        .map_or_else(|| " · no due date".to_owned(), |d| format!(" · due {d}")),
                );
            }
            Line::from(vec![
                Span::styled(
                    format!("{} {label:<8} ", clock_text(ex.clock(e.t))),
                    role.style(t),
                ),
                Span::raw(format!("{}{owner}", e.text)),
            ])
        })
        .collect();
    f.render_widget(
        Paragraph::new(log).wrap(Wrap { trim: true }).block(
            Block::bordered()
                .title(" log (saved as it happens) ")
                .border_style(t.fg(t.border)),
        ),
        side,
    );
}
