//! The facilitator's view in large type for a projector: the exercise clock, the current
//! inject and a countdown to the next, the questions for the room, the participants and the
//! log as it grows (each action with its owner and due date).

use super::Running;
use super::inject::{inject_lines, split};
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

/// Draws the facilitator's view; the inject pane starts at line `scroll` (clamped) and shows
/// its position when it does not fit.
pub fn render(f: &mut Frame, area: Rect, r: &Running, now: i64, t: &Theme, scroll: usize) {
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
    f.render_widget(block, area);
    let (head, main, side) = split(area);
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
    let lines = inject_lines(r, t);
    let inner = Block::bordered().inner(main);
    let total = crate::tui::scroll::wrapped_len(&lines, inner.width);
    let offset = scroll.min(crate::tui::scroll::max_offset(total, inner.height));
    let mut pane = Block::bordered().border_style(t.fg(t.border));
    if let Some(pos) = crate::tui::scroll::position(offset, inner.height, total) {
        pane =
            pane.title_top(Line::styled(format!(" {pos} · J/K "), t.fg(t.muted)).right_aligned());
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((offset as u16, 0))
            .block(pane),
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
