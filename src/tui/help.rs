//! The help overlay's state and text: every binding of the keymap in force (so user overrides
//! show), grouped by where it applies, word-wrapped under a key column, narrowed by a filter.
//!
//! Invariants: the text is generated from the keymap only; lines are wrapped at word
//! boundaries to the overlay's width (no word is cut at the border); the overlay's area and
//! line count are pure functions of the terminal size and the filter, shared by the view (to
//! draw) and by `update` (to scroll), so scrolling stops at the last line.

use super::keymap::{Binding, Keymap};
use super::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// The overlay's state while it is open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Help {
    /// Filter text (every word must appear in a binding's keys, description or action).
    pub query: String,
    /// Whether keys go to the filter (after `/`, until Enter or Esc).
    pub typing: bool,
    /// First visible line.
    pub offset: usize,
}

/// Widest key column.
const KEY_COL: usize = 14;

/// Where bindings of a context apply, as a section heading.
fn section(context: Option<&str>) -> String {
    match context {
        None => "Everywhere".to_owned(),
        Some("tabletop") => "While an exercise runs (Tabletop tab)".to_owned(),
        Some("review") => "On the Review tab".to_owned(),
        Some(other) => format!("In {other}"),
    }
}

fn matches(b: &Binding, words: &[String]) -> bool {
    let text = format!("{} {} {:?}", b.keys.join(" "), b.description, b.action).to_lowercase();
    words.iter().all(|w| text.contains(w.as_str()))
}

/// The overlay's rectangle on a terminal of `size`: centred, at most 100 columns wide, as tall
/// as the text needs (`total` lines) within the screen.
pub fn area(size: (u16, u16), total: usize) -> Rect {
    let w = size.0.saturating_sub(2).min(100);
    let h = (total as u16)
        .saturating_add(2)
        .min(size.1.saturating_sub(2))
        .max(3);
    let h = h.min(size.1);
    Rect::new(
        size.0.saturating_sub(w) / 2,
        size.1.saturating_sub(h) / 2,
        w,
        h,
    )
}

/// Columns inside the overlay's border on a terminal `width` wide.
pub fn inner_width(width: u16) -> u16 {
    width.saturating_sub(2).min(100).saturating_sub(2)
}

/// The help text at `width` columns, filtered by `query`.
pub fn lines(k: &Keymap, query: &str, width: u16, t: &Theme) -> Vec<Line<'static>> {
    let width = usize::from(width).max(20);
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let mut contexts: Vec<Option<&str>> = Vec::new();
    for b in &k.bindings {
        if !contexts.contains(&b.context.as_deref()) {
            contexts.push(b.context.as_deref());
        }
    }
    let col = KEY_COL.min(width / 3);
    let desc_width = width.saturating_sub(col).max(8);
    let mut out = Vec::new();
    for ctx in contexts {
        let shown: Vec<&Binding> = k
            .bindings
            .iter()
            .filter(|b| b.context.as_deref() == ctx && matches(b, &words))
            .collect();
        if shown.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(Line::default());
        }
        out.push(Line::styled(section(ctx), t.title()));
        for b in shown {
            let keys = b.keys.join(" ");
            let desc = textwrap::wrap(&b.description, desc_width);
            let mut first = true;
            if keys.chars().count() >= col {
                out.push(Line::styled(keys.clone(), t.fg(t.accent)));
                first = false;
            }
            for piece in desc {
                let lead = if first {
                    format!("{keys:<col$}")
                } else {
                    " ".repeat(col)
                };
                out.push(Line::from(vec![
                    Span::styled(lead, t.fg(t.accent)),
                    Span::raw(piece.into_owned()),
                ]));
                first = false;
            }
        }
    }
    if out.is_empty() {
        out.push(Line::styled(
            format!("no key matches \u{201c}{query}\u{201d} (Backspace edits, Esc clears)"),
            t.fg(t.muted),
        ));
    }
    out
}

/// Lines of text and the rows that show them, for the overlay on a terminal of `size`.
pub fn metrics(k: &Keymap, query: &str, size: (u16, u16), t: &Theme) -> (usize, u16) {
    let total = lines(k, query, inner_width(size.0), t).len();
    (total, area(size, total).height.saturating_sub(2))
}
