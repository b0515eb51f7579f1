//! The running exercise's layout (clock and status, inject pane, log) and the inject pane's
//! text, shared by the view (to draw) and by `update` (to scroll the inject), so both agree on
//! how many rows the inject takes.

use super::Running;
use crate::tui::theme::Theme;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::Line;
use ratatui::widgets::Block;

/// The running exercise's areas inside `area`: the clock and status, the inject pane (with its
/// border) and the log.
pub(super) fn split(area: Rect) -> (Rect, Rect, Rect) {
    let inner = Block::bordered().inner(area);
    let wide = inner.width >= 110;
    let [head, body] = Layout::vertical([Constraint::Length(6), Constraint::Fill(1)]).areas(inner);
    let (main, side) = if wide {
        let [m, sd] = Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)])
            .areas(body);
        (m, sd)
    } else {
        let [m, sd] =
            Layout::vertical([Constraint::Percentage(65), Constraint::Percentage(35)]).areas(body);
        (m, sd)
    };
    (head, main, side)
}

/// The rows inside the inject pane's border when the exercise fills `area`.
pub fn inject_area(area: Rect) -> Rect {
    Block::bordered().inner(split(area).1)
}

/// The current inject: title, text and the questions for the room.
pub fn inject_lines(r: &Running, t: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if let Some(i) = r.scenario.injects.get(r.exercise.current()) {
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
    lines
}
