//! Yes/no questions asked before work would be lost: ending an exercise, quitting while one
//! runs or while what-if changes are unsaved. `y` or Enter answers yes, `n`, Esc or `q` no;
//! any other key leaves the question open.

use crate::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

/// What is being asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    /// End the running exercise (findings, tasks and the report are written).
    EndExercise,
    /// Quit while an exercise runs.
    QuitExercise,
    /// Quit with what-if changes not saved.
    QuitWhatIf,
}

/// An open question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    /// What is asked.
    pub question: Question,
    /// The question as shown, ending in `(y/n)`.
    pub title: String,
    /// What answering yes does.
    pub lines: Vec<String>,
}

impl Confirm {
    /// A question.
    pub fn new(question: Question, title: impl Into<String>, lines: Vec<String>) -> Self {
        Self {
            question,
            title: title.into(),
            lines,
        }
    }

    /// The answer a key gives: Some(true) yes, Some(false) no, None not an answer.
    pub fn answer(k: KeyEvent) -> Option<bool> {
        match k.code {
            KeyCode::Char('y' | 'Y') | KeyCode::Enter => Some(true),
            KeyCode::Char('n' | 'N' | 'q') | KeyCode::Esc => Some(false),
            _ => None,
        }
    }
}

/// Draws the question centred over the screen.
pub fn draw(f: &mut Frame, c: &Confirm, t: &Theme) {
    const HINT: &str = "y or Enter: yes · n or Esc: no";
    let outer = f.area();
    let w = 64.min(outer.width);
    let inner = usize::from(w.saturating_sub(2)).max(1);
    // Rows once wrapped (a word longer than the row aside), so the hint is never cut off.
    let rows: usize = c
        .lines
        .iter()
        .map(|l| l.chars().count().div_ceil(inner).max(1))
        .sum::<usize>()
        + 2;
    let mut lines: Vec<Line> = c
        .lines
        .iter()
        .map(|l| Line::styled(l.clone(), t.fg(t.text)))
        .collect();
    lines.push(Line::default());
    lines.push(Line::styled(HINT, t.fg(t.muted)));
    let h = (rows as u16 + 2).min(outer.height);
    let area = Rect::new(
        outer.x + (outer.width - w) / 2,
        outer.y + (outer.height - h) / 2,
        w,
        h,
    );
    f.render_widget(Clear, area);
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(
            Block::bordered()
                .title(format!(" {} ", c.title))
                .border_style(t.fg(t.accent)),
        ),
        area,
    );
}
