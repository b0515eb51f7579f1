//! The help overlay: the keymap's bindings (see [`crate::tui::help`]), scrolled, with its
//! position in the top border and the filter or the keys that work here in the bottom one.

use crate::tui::app::App;
use crate::tui::help;
use crate::tui::scroll;
use ratatui::Frame;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

pub(super) fn draw(f: &mut Frame, app: &App) {
    let t = &app.theme;
    let h = &app.help;
    let size = (f.area().width, f.area().height);
    let lines = help::lines(&app.keymap, &h.query, help::inner_width(size.0), t);
    let total = lines.len();
    let area = help::area(size, total);
    let height = area.height.saturating_sub(2);
    let offset = h.offset.min(scroll::max_offset(total, height));
    let pos = scroll::position(offset, height, total).unwrap_or_else(|| format!("{total} lines"));
    let bottom = if h.typing {
        format!(" /{}▏ Enter keeps · Esc clears ", h.query)
    } else if !h.query.is_empty() {
        format!(" filter: {} · / edits · Esc closes ", h.query)
    } else {
        " / filter · j/k PgUp/PgDn g/G scroll · Esc ? q close ".to_owned()
    };
    let block = Block::bordered()
        .title(Line::styled(" keys ", t.title()))
        .title_top(Line::styled(format!(" {pos} "), t.fg(t.muted)).right_aligned())
        .title_bottom(Line::styled(bottom, t.fg(t.muted)))
        .border_style(t.fg(t.accent));
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(offset)
        .take(usize::from(height))
        .collect();
    f.render_widget(Clear, area);
    f.render_widget(Paragraph::new(shown).block(block), area);
}
