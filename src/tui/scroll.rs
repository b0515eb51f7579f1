//! Scrolling a pane of text: how many rows its wrapped lines take, the furthest it may scroll,
//! and the position shown in its border ("12-30 of 45").
//!
//! Invariant: the offset a pane is drawn with is always clamped to `total - height`, so a pane
//! never scrolls past its last line, and the same numbers are used by `update` (to move) and
//! by the view (to draw), so both agree on what is visible.

use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

/// Rows `lines` take when word-wrapped to `width` columns (as the view draws them).
pub fn wrapped_len(lines: &[Line<'static>], width: u16) -> usize {
    if width == 0 {
        return 0;
    }
    Paragraph::new(lines.to_vec())
        .wrap(Wrap { trim: false })
        .line_count(width)
}

/// The furthest offset that still fills a pane `height` rows high.
pub fn max_offset(total: usize, height: u16) -> usize {
    total.saturating_sub(usize::from(height))
}

/// `offset` moved by `delta` rows and kept inside `0..=max`.
pub fn step(offset: usize, delta: isize, max: usize) -> usize {
    offset.saturating_add_signed(delta).min(max)
}

/// "12-30 of 45" when `total` rows do not fit in `height`; `None` when everything shows.
pub fn position(offset: usize, height: u16, total: usize) -> Option<String> {
    let h = usize::from(height);
    if total <= h || h == 0 {
        return None;
    }
    let first = offset.min(max_offset(total, height)) + 1;
    let last = (first + h - 1).min(total);
    Some(format!("{first}-{last} of {total}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_only_when_overflowing() {
        assert_eq!(position(0, 10, 10), None);
        assert_eq!(position(0, 10, 45).as_deref(), Some("1-10 of 45"));
        assert_eq!(position(99, 10, 45).as_deref(), Some("36-45 of 45"));
    }

    #[test]
    fn step_stays_inside() {
        assert_eq!(step(0, -3, 5), 0);
        assert_eq!(step(4, 3, 5), 5);
        assert_eq!(step(2, isize::MIN / 2, 5), 0);
    }

    #[test]
    fn wrapping_counts_rows() {
        let lines = vec![Line::raw("one two three four five six")];
        assert_eq!(wrapped_len(&lines, 40), 1);
        assert!(wrapped_len(&lines, 10) >= 3);
    }
}
