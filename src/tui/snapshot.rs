//! Headless rendering: a tab drawn into an in-memory buffer, as text (for tests, docs and
//! timing) or as the buffer itself (for per-cell colour checks).

use super::app::{App, Msg};
use super::data::Data;
use super::keymap::Keymap;
use super::tab::Tab;
use super::theme::Theme;
use super::view;
use anyhow::Result;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

/// An app showing `data` on `tab` at `size`.
pub fn app_with(data: Data, tab: Tab, size: (u16, u16), theme: Theme, label: &str) -> Result<App> {
    let keymap = Keymap::parse(super::keymap::DEFAULT)?;
    let mut app = App::new(keymap, theme, size, label.to_owned());
    let today = data.as_of;
    app.update(Msg::Loaded(Box::new(data)), today);
    app.tab = tab;
    app.refresh_rows();
    Ok(app)
}

/// Renders the app into a buffer of its size.
pub fn render(app: &App) -> Result<Buffer> {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1))?;
    terminal.draw(|f| view::render(f, app))?;
    Ok(terminal.backend().buffer().clone())
}

/// A buffer as plain text, one line per row, trailing spaces trimmed.
pub fn text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
