//! The row model every list tab produces: cells of text with a semantic role (met, late...)
//! that the theme turns into colour, so views stay pure and testable; and the one way text is
//! cut to fit a column or a panel.
//!
//! Invariants: a cut text ends in `…` and is never wider than its room; a column headed `ID`
//! is never cut: it grows to its longest cell and the flexible columns give way.

use super::theme::Theme;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// What a cell means, for colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Plain text.
    Text,
    /// Secondary text.
    Muted,
    /// Accent.
    Accent,
    /// Met / designed / pass.
    Met,
    /// Partial / in progress.
    Partial,
    /// Gap / fail.
    Gap,
    /// Not applicable.
    Na,
    /// Late.
    Late,
    /// Warning.
    Warn,
    /// Critical severity.
    Critical,
    /// High severity.
    High,
    /// Medium severity.
    Medium,
    /// Low severity.
    Low,
}

impl Role {
    /// The style of this role in `t`.
    pub fn style(self, t: &Theme) -> Style {
        match self {
            Role::Text => t.fg(t.text),
            Role::Muted => t.fg(t.muted),
            Role::Accent => t.fg(t.accent),
            Role::Met => t.fg(t.met),
            Role::Partial => t.fg(t.partial),
            Role::Gap => t.alert(t.gap),
            Role::Na => t.fg(t.not_applicable),
            Role::Late => t.alert(t.late),
            Role::Warn => t.fg(t.warn),
            Role::Critical => t.alert(t.critical),
            Role::High => t.alert(t.high),
            Role::Medium => t.fg(t.medium),
            Role::Low => t.fg(t.low),
        }
    }
}

/// One cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// Text.
    pub text: String,
    /// Role.
    pub role: Role,
}

impl Cell {
    /// A cell with a role.
    pub fn new(text: impl Into<String>, role: Role) -> Self {
        Self {
            text: text.into(),
            role,
        }
    }

    /// A plain cell.
    pub fn text(text: impl Into<String>) -> Self {
        Self::new(text, Role::Text)
    }
}

/// One row of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The item's id (what edits and detail act on).
    pub id: String,
    /// Cells, one per column.
    pub cells: Vec<Cell>,
    /// Heading rows (framework, group) fold instead of opening detail.
    pub heading: bool,
    /// A bar on the timeline: first day, last day, role.
    pub bar: Option<(crate::domain::Date, crate::domain::Date, Role)>,
}

impl Row {
    /// Whether any cell contains `needle` (already lower-case).
    pub fn matches(&self, needle: &str) -> bool {
        needle.is_empty()
            || self
                .cells
                .iter()
                .any(|c| c.text.to_lowercase().contains(needle))
    }
}

/// Role of a requirement status.
pub fn status_role(s: crate::domain::ReqStatus) -> Role {
    match s {
        crate::domain::ReqStatus::Met => Role::Met,
        crate::domain::ReqStatus::Partial => Role::Partial,
        crate::domain::ReqStatus::Gap => Role::Gap,
        crate::domain::ReqStatus::NotApplicable => Role::Na,
    }
}

/// `text` cut to `width` columns: unchanged when it fits, else its start and `…`.
pub fn fit(text: &str, width: usize) -> String {
    if unicode_width::UnicodeWidthStr::width(text) <= width {
        return text.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::with_capacity(width + 3);
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// `line` cut to `width` columns, its last kept span ending in `…` when anything was cut.
pub fn fit_line(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for s in line.spans {
        let w = s.width();
        if used + w < width {
            used += w;
            spans.push(s);
            continue;
        }
        spans.push(Span::styled(fit(&s.content, width - used), s.style));
        break;
    }
    if let Some(last) = spans.last_mut()
        && !last.content.ends_with('…')
    {
        let keep = fit(&last.content, last.width().saturating_sub(1));
        *last = Span::styled(format!("{}…", keep.trim_end_matches('…')), last.style);
    }
    Line::from(spans).style(line.style)
}

/// The width of each column of a table `inner` cells wide (columns one cell apart, as the
/// table draws them), where every column headed `ID` first grows to its longest cell.
pub fn column_widths(
    headers: &[&str],
    widths: &[Constraint],
    cells: &[Vec<&str>],
    inner: u16,
) -> Vec<u16> {
    let longest = |i: usize| {
        cells
            .iter()
            .filter_map(|r| r.get(i))
            .map(|c| unicode_width::UnicodeWidthStr::width(*c))
            .max()
            .unwrap_or(0)
    };
    let grown: Vec<Constraint> = widths
        .iter()
        .enumerate()
        .map(|(i, w)| match (headers.get(i), w) {
            (Some(&"ID"), Constraint::Length(n)) => {
                Constraint::Length((*n).max(u16::try_from(longest(i)).unwrap_or(u16::MAX)))
            }
            _ => *w,
        })
        .collect();
    Layout::horizontal(grown)
        .spacing(1)
        .split(Rect::new(0, 0, inner, 1))
        .iter()
        .map(|r| r.width)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_ends_in_an_ellipsis_and_fits() {
        assert_eq!(fit("Lanternfish Observability", 20), "Lanternfish Observa…");
        assert_eq!(fit("short", 20), "short");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(fit("ab", 1), "…");
        let l = fit_line(
            Line::from(vec![
                Span::raw("T-069 +61d "),
                Span::raw("jonas Subprocessor inventory"),
            ]),
            20,
        );
        assert_eq!(l.to_string(), "T-069 +61d jonas Su…");
        assert_eq!(l.width(), 20);
    }

    #[test]
    fn an_id_column_grows_to_its_longest_id() {
        let w = column_widths(
            &["ID", "Title"],
            &[Constraint::Length(12), Constraint::Fill(1)],
            &[vec!["F-TT-20261126-03", "a title"]],
            60,
        );
        assert_eq!(w, vec![16, 43]);
    }
}
