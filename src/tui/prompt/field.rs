//! One field of a form. Text and date fields edit like a terminal line (the editing itself is
//! `tui-input`'s): ←/→ and Ctrl-B/F move by a character, Ctrl-←/→ and Alt-B/F by a word,
//! Home/End and Ctrl-A/E to the ends, Backspace and Delete remove a character, Ctrl-W and
//! Alt-Backspace the word before the cursor, Alt-D the word after it, Ctrl-K to the end and
//! Ctrl-U the whole value. Choice fields cycle through their options.
//!
//! Invariant: `cursor` is a character index within `value` (0..=chars), so the value can be
//! split at it for drawing without panicking.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::{Input, InputRequest};

/// What a field holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Any text (required unless optional).
    Text {
        /// May be left empty.
        optional: bool,
    },
    /// A date as YYYY-MM-DD (optional: empty means none).
    Date {
        /// May be left empty.
        optional: bool,
    },
    /// One of a fixed list (cycled with ←/→ or space).
    Choice(Vec<String>),
}

/// One field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Label.
    pub label: &'static str,
    /// Current value.
    pub value: String,
    /// Kind.
    pub kind: Kind,
    /// Cursor position in characters (text and date fields).
    pub cursor: usize,
}

impl Field {
    /// A field of `kind` holding `value`, the cursor at its end.
    pub fn new(label: &'static str, value: &str, kind: Kind) -> Self {
        Self {
            label,
            value: value.to_owned(),
            kind,
            cursor: value.chars().count(),
        }
    }

    /// Whether the field is a choice.
    pub fn is_choice(&self) -> bool {
        matches!(self.kind, Kind::Choice(_))
    }

    /// Applies an editing key; false when the key is not an editing key of this field.
    pub fn edit(&mut self, k: KeyEvent) -> bool {
        if let Kind::Choice(options) = &self.kind {
            let step = match k.code {
                KeyCode::Left => options.len().saturating_sub(1),
                KeyCode::Right | KeyCode::Char(' ') => 1,
                _ => return false,
            };
            let i = options.iter().position(|x| *x == self.value).unwrap_or(0);
            if let Some(next) = options.get((i + step) % options.len().max(1)) {
                self.value.clone_from(next);
            }
            return true;
        }
        let Some(req) = request(k) else {
            return false;
        };
        let mut input = Input::new(std::mem::take(&mut self.value)).with_cursor(self.cursor);
        input.handle(req);
        self.cursor = input.cursor();
        input.value().clone_into(&mut self.value);
        true
    }

    /// The value as drawn: a choice between arrows; text with a bar at the cursor when focused.
    pub fn display(&self, focus: bool) -> String {
        if self.is_choice() {
            return format!("◂ {} ▸", self.value);
        }
        if !focus {
            return self.value.clone();
        }
        let at = self
            .value
            .char_indices()
            .nth(self.cursor)
            .map_or(self.value.len(), |(i, _)| i);
        format!("{}▏{}", &self.value[..at], &self.value[at..])
    }
}

/// The editing request of a key, if it is one.
fn request(k: KeyEvent) -> Option<InputRequest> {
    use InputRequest as R;
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    let alt = k
        .modifiers
        .intersects(KeyModifiers::ALT | KeyModifiers::META);
    Some(match k.code {
        KeyCode::Left if ctrl => R::GoToPrevWord,
        KeyCode::Right if ctrl => R::GoToNextWord,
        KeyCode::Left => R::GoToPrevChar,
        KeyCode::Right => R::GoToNextChar,
        KeyCode::Home => R::GoToStart,
        KeyCode::End => R::GoToEnd,
        KeyCode::Backspace if alt || ctrl => R::DeletePrevWord,
        KeyCode::Backspace => R::DeletePrevChar,
        KeyCode::Delete if ctrl => R::DeleteNextWord,
        KeyCode::Delete => R::DeleteNextChar,
        KeyCode::Char(c) if ctrl && !alt => match c.to_ascii_lowercase() {
            'a' => R::GoToStart,
            'e' => R::GoToEnd,
            'b' => R::GoToPrevChar,
            'f' => R::GoToNextChar,
            'h' => R::DeletePrevChar,
            'd' => R::DeleteNextChar,
            'u' => R::DeleteLine,
            'w' => R::DeletePrevWord,
            'k' => R::DeleteTillEnd,
            _ => return None,
        },
        KeyCode::Char(c) if alt && !ctrl => match c.to_ascii_lowercase() {
            'b' => R::GoToPrevWord,
            'f' => R::GoToNextWord,
            'd' => R::DeleteNextWord,
            _ => return None,
        },
        KeyCode::Char(c) => R::InsertChar(c),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::{Field, Kind};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn key(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn the_bar_is_drawn_at_the_cursor_even_after_wide_characters() {
        let mut f = Field::new("text", "été ok", Kind::Text { optional: false });
        f.edit(key(KeyCode::Left, KeyModifiers::CONTROL));
        assert_eq!(f.display(true), "été ▏ok");
        assert_eq!(f.display(false), "été ok");
    }
}
