//! A Markdown table of the review pack laid out as aligned text: column widths fitted to the
//! pane (no column narrower than its longest word while that is possible), cells wrapped inside
//! their column, a rule under the header row.
//!
//! Invariant: no drawn line is wider than the width given.

use super::markdown::wrap;
use crate::tui::rows::Row;
use crate::tui::theme::Theme;
use ratatui::style::Modifier;
use ratatui::text::Line;
use unicode_width::UnicodeWidthStr;

/// Column widths for a table of `natural` widths in `width` columns with `gap` between columns:
/// the natural widths when they fit; else every column gets at least its longest word
/// (`words`) and the widest are capped at the largest width that still fits; when even the
/// words do not fit, every column is capped alike.
pub fn fit(natural: &[usize], words: &[usize], width: usize, gap: usize) -> Vec<usize> {
    let n = natural.len().max(1);
    let avail = width.saturating_sub(gap * (n - 1)).max(n);
    if natural.iter().sum::<usize>() <= avail {
        return natural.to_vec();
    }
    let floor: Vec<usize> = natural
        .iter()
        .zip(words)
        .map(|(n, w)| (*w).min(*n).max(1))
        .collect();
    let floor = if floor.iter().sum::<usize>() <= avail {
        floor
    } else {
        vec![1; natural.len()]
    };
    let at = |cap: usize| -> Vec<usize> {
        natural
            .iter()
            .zip(&floor)
            .map(|(n, f)| cap.min(*n).max(*f))
            .collect()
    };
    let mut cap = 1;
    while cap < avail && at(cap + 1).iter().sum::<usize>() <= avail {
        cap += 1;
    }
    at(cap)
}

/// One table: aligned columns, a rule under the header (row 0), cells wrapped in their column.
pub(super) fn table(rows: &[Row], w: usize, t: &Theme, out: &mut Vec<Line<'static>>) {
    const GAP: usize = 2;
    let n = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    if n == 0 {
        return;
    }
    let natural: Vec<usize> = (0..n)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.cells.get(c))
                .map(|cell| cell.text.width())
                .max()
                .unwrap_or(0)
                .max(1)
        })
        .collect();
    let words: Vec<usize> = (0..n)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.cells.get(c))
                .flat_map(|cell| cell.text.split_whitespace().map(UnicodeWidthStr::width))
                .max()
                .unwrap_or(1)
        })
        .collect();
    let widths = fit(&natural, &words, w, GAP);
    for r in rows {
        let header = r.id.split(':').nth(1).and_then(|x| x.parse::<usize>().ok()) == Some(0);
        let pieces: Vec<Vec<String>> = (0..n)
            .map(|c| {
                let s = r.cells.get(c).map_or("", |x| x.text.as_str());
                if s.is_empty() {
                    vec![String::new()]
                } else {
                    wrap(s, widths[c], "", "")
                }
            })
            .collect();
        let height = pieces.iter().map(Vec::len).max().unwrap_or(1);
        let style = if header {
            t.title().add_modifier(Modifier::BOLD)
        } else if r.cells.iter().any(|c| c.text == "EMPTY") {
            crate::tui::rows::Role::Gap.style(t)
        } else {
            t.fg(t.text)
        };
        for line in 0..height {
            let mut s = String::new();
            for (c, p) in pieces.iter().enumerate() {
                let piece = p.get(line).map_or("", String::as_str);
                s.push_str(piece);
                if c + 1 < n {
                    let pad = widths[c].saturating_sub(piece.width()) + GAP;
                    s.push_str(&" ".repeat(pad));
                }
            }
            out.push(Line::styled(s.trim_end().to_owned(), style));
        }
        if header {
            let rule: Vec<String> = widths.iter().map(|x| "─".repeat(*x)).collect();
            out.push(Line::styled(rule.join(&" ".repeat(GAP)), t.fg(t.border)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_caps_the_widest_columns() {
        assert_eq!(fit(&[3, 10], &[3, 4], 20, 2), vec![3, 10]);
        assert_eq!(fit(&[3, 40, 30], &[3, 8, 8], 40, 2), vec![3, 16, 16]);
        // A column keeps its longest word; the others share what is left.
        assert_eq!(fit(&[5, 40, 30], &[5, 20, 6], 40, 2), vec![5, 20, 11]);
    }
}
