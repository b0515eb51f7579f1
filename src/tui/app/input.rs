//! Keys by input mode: through the keymap (in its context) in normal mode, or to the filter,
//! the help overlay, the palette, the open form or the open yes/no question.

use super::{App, Effect, Mode, nav};
use crate::domain::Date;
use crate::tui::action::Action;
use crossterm::event::KeyEvent;

impl App {
    pub(super) fn key(&mut self, k: KeyEvent, today: Date) -> Vec<Effect> {
        use crossterm::event::KeyCode;
        match &mut self.mode {
            Mode::Normal => match self.keymap.action_in(&k, self.context()) {
                Some(a) => self.act(a, today),
                None => {
                    self.dirty = false;
                    Vec::new()
                }
            },
            Mode::Filter => {
                match k.code {
                    KeyCode::Esc => {
                        self.list_mut().filter.clear();
                        self.mode = Mode::Normal;
                    }
                    KeyCode::Enter => self.mode = Mode::Normal,
                    KeyCode::Backspace => {
                        self.list_mut().filter.pop();
                    }
                    KeyCode::Char(c) => self.list_mut().filter.push(c),
                    KeyCode::Down => return self.act(Action::Down, today),
                    KeyCode::Up => return self.act(Action::Up, today),
                    _ => {}
                }
                self.list_mut().selected = 0;
                self.refresh_rows();
                Vec::new()
            }
            Mode::Help => {
                self.help_key(k);
                Vec::new()
            }
            Mode::Palette(q, sel) => {
                let n = nav::palette_matches(&self.keymap, q).len();
                match k.code {
                    KeyCode::Esc => self.mode = Mode::Normal,
                    KeyCode::Down => *sel = (*sel + 1).min(n.saturating_sub(1)),
                    KeyCode::Up => *sel = sel.saturating_sub(1),
                    KeyCode::Backspace => {
                        q.pop();
                        *sel = 0;
                    }
                    KeyCode::Char(c) => {
                        q.push(c);
                        *sel = 0;
                    }
                    KeyCode::Enter => {
                        let chosen = nav::palette_matches(&self.keymap, q)
                            .get(*sel)
                            .map(|b| b.action);
                        self.mode = Mode::Normal;
                        if let Some(a) = chosen {
                            return self.act(a, today);
                        }
                    }
                    _ => {}
                }
                Vec::new()
            }
            Mode::Confirm(c) => {
                let question = c.question;
                match crate::tui::prompt::confirm::Confirm::answer(k) {
                    Some(yes) => {
                        self.mode = Mode::Normal;
                        self.answered(question, yes)
                    }
                    None => Vec::new(),
                }
            }
            Mode::Prompt(_) => self.prompt_key(k, today),
        }
    }
}
