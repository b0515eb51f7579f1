//! The review pack's Markdown as rows of blocks (a heading, a paragraph, a list item, a table
//! row, a code line), and those rows laid out as wrapped text of a given width: headings stand
//! out, list items hang under their bullet, tables become aligned columns whose cells wrap
//! inside their column; the clause 9.3 coverage gets a bar, empty 9.3 sections and late
//! actions of the last review stand out, done ones read as met.
//!
//! Invariants: every drawn line is at most `width` columns wide (words longer than a line are
//! broken, nothing is cut at the border); a block's row id says its kind (`h2:7`, `p:3`,
//! `li1:9`, `t0:0` for the header of the first table), so the layout survives filtering.

use super::table::table;
use crate::tui::rows::{Cell, Role, Row};
use crate::tui::theme::Theme;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use ratatui::style::Modifier;
use ratatui::text::Line;

/// The pack as rows, one per block; a table row keeps one cell per column.
pub fn blocks(md: &str) -> Vec<Row> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut cells: Vec<String> = Vec::new();
    let mut depth = 0usize;
    let mut tables = 0usize;
    let mut table_row = 0usize;
    let mut in_cell = false;
    let mut code = false;
    let push = |out: &mut Vec<Row>, kind: String, cells: Vec<String>| {
        let n = out.len();
        out.push(Row {
            id: format!("{kind}:{n}"),
            cells: cells.into_iter().map(Cell::text).collect(),
            heading: false,
            bar: None,
        });
    };
    for ev in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match ev {
            Event::Start(Tag::List(_)) => {
                if depth > 0 && !text.trim().is_empty() {
                    push(&mut out, format!("li{depth}"), vec![text.trim().to_owned()]);
                }
                text.clear();
                depth += 1;
            }
            Event::End(TagEnd::List(_)) => depth = depth.saturating_sub(1),
            Event::Start(Tag::Table(_)) => table_row = 0,
            Event::End(TagEnd::Table) => tables += 1,
            Event::Start(Tag::TableCell) => {
                in_cell = true;
                text.clear();
            }
            Event::End(TagEnd::TableCell) => {
                in_cell = false;
                cells.push(text.trim().to_owned());
                text.clear();
            }
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                push(
                    &mut out,
                    format!("t{tables}:{table_row}"),
                    std::mem::take(&mut cells),
                );
                table_row += 1;
            }
            Event::Start(Tag::CodeBlock(_)) => code = true,
            Event::End(TagEnd::CodeBlock) => {
                code = false;
                for l in text.lines() {
                    push(&mut out, "code".to_owned(), vec![l.to_owned()]);
                }
                text.clear();
            }
            Event::End(TagEnd::Heading(level)) => {
                push(
                    &mut out,
                    format!("h{}", level as u8),
                    vec![text.trim().to_owned()],
                );
                text.clear();
            }
            Event::End(TagEnd::Paragraph) if depth == 0 && !in_cell => {
                push(&mut out, "p".to_owned(), vec![text.trim().to_owned()]);
                text.clear();
            }
            Event::End(TagEnd::Paragraph) => text.push(' '),
            Event::End(TagEnd::Item) => {
                if !text.trim().is_empty() {
                    push(&mut out, format!("li{depth}"), vec![text.trim().to_owned()]);
                }
                text.clear();
            }
            Event::Rule => push(&mut out, "hr".to_owned(), vec![String::new()]),
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if !code => text.push(' '),
            Event::SoftBreak | Event::HardBreak => text.push('\n'),
            _ => {}
        }
    }
    out
}

/// The kind part of a block's id (`h2`, `p`, `li1`, `t0`, `code`, `hr`).
fn kind(r: &Row) -> &str {
    r.id.split(':').next().unwrap_or("")
}

fn text(r: &Row) -> &str {
    r.cells.first().map_or("", |c| c.text.as_str())
}

/// Wraps `s` to `width` columns with the given first and following indents.
pub(super) fn wrap(s: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let opts = textwrap::Options::new(width.max(4))
        .initial_indent(first)
        .subsequent_indent(rest);
    textwrap::wrap(s, opts)
        .into_iter()
        .map(|c| c.into_owned())
        .collect()
}

/// The rows laid out at `width` columns.
pub fn document(rows: &[Row], width: u16, t: &Theme) -> Vec<Line<'static>> {
    let w = usize::from(width).max(8);
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut prev = String::new();
    let mut i = 0;
    while i < rows.len() {
        let k = kind(&rows[i]).to_owned();
        let same_group =
            (k.starts_with("li") && prev.starts_with("li")) || k == prev && k == "code";
        if !out.is_empty() && !same_group {
            out.push(Line::default());
        }
        if k.starts_with('t') {
            let n = rows[i..].iter().take_while(|r| kind(r) == k).count();
            table(&rows[i..i + n], w, t, &mut out);
            i += n;
            prev = k;
            continue;
        }
        let r = &rows[i];
        let s = text(r);
        let role = role_of(s);
        if let Some(bar) = coverage_bar(s, w) {
            out.push(Line::styled(bar, role.style(t)));
        }
        match k.as_str() {
            "h1" => out.extend(
                wrap(s, w, "", "")
                    .into_iter()
                    .map(|l| Line::styled(l, t.title().add_modifier(Modifier::BOLD))),
            ),
            h if h.starts_with('h') && h != "hr" => {
                out.extend(
                    wrap(s, w, "", "")
                        .into_iter()
                        .map(|l| Line::styled(l, t.title())),
                );
            }
            "hr" => out.push(Line::styled("─".repeat(w), t.fg(t.border))),
            "code" => out.extend(
                wrap(s, w, "    ", "    ")
                    .into_iter()
                    .map(|l| Line::styled(l, t.fg(t.muted))),
            ),
            li if li.starts_with("li") => {
                let depth: usize = li[2..].parse().unwrap_or(1);
                let pad = "  ".repeat(depth.saturating_sub(1));
                let first = format!("{pad}• ");
                let rest = format!("{pad}  ");
                out.extend(
                    wrap(s, w, &first, &rest)
                        .into_iter()
                        .map(|l| Line::styled(l, role.style(t))),
                );
            }
            _ => out.extend(
                wrap(s, w, "", "")
                    .into_iter()
                    .map(|l| Line::styled(l, role.style(t))),
            ),
        }
        prev = k;
        i += 1;
    }
    out
}

/// How a paragraph or list item reads: an empty 9.3 section or a late action stands out.
fn role_of(s: &str) -> Role {
    if s.starts_with("EMPTY") {
        Role::Gap
    } else if s.starts_with("Late:") {
        Role::Late
    } else if s.starts_with("Done:") {
        Role::Met
    } else if s.contains(" covered. Empty: ") {
        Role::Warn
    } else if s.contains("Decision:") || s.contains("Action:") || s.starts_with("Open:") {
        Role::Partial
    } else {
        Role::Text
    }
}

/// A bar for the clause 9.3 coverage line (`N of M covered.`), at most `w` columns.
fn coverage_bar(s: &str, w: usize) -> Option<String> {
    let (n, rest) = s.split_once(" of ")?;
    let (m, _) = rest.split_once(" covered.")?;
    let (n, m): (usize, usize) = (n.parse().ok()?, m.parse().ok()?);
    let label = format!(" {n}/{m} clause 9.3 inputs and outputs covered");
    let cells = (m * 2).min(w.saturating_sub(label.chars().count())).max(1);
    let full = (n * cells).checked_div(m)?.min(cells);
    Some(format!(
        "{}{}{label}",
        "█".repeat(full),
        "░".repeat(cells - full)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_become_aligned_columns_that_fit() {
        let md = "# Pack\n\n| A | Long column |\n| --- | --- |\n| x | one two three four five six seven |\n\n- item one\n- item two\n";
        let rows = blocks(md);
        let kinds: Vec<&str> = rows.iter().map(kind).collect();
        assert_eq!(kinds, ["h1", "t0", "t0", "li1", "li1"]);
        let t = Theme::named("default").unwrap();
        let lines = document(&rows, 20, &t);
        let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert!(
            text.iter()
                .all(|l| unicode_width::UnicodeWidthStr::width(l.as_str()) <= 20),
            "{text:?}"
        );
        assert!(
            !text.iter().any(|l| l.contains("---") || l.contains('|')),
            "{text:?}"
        );
        assert!(text.contains(&"• item one".to_owned()), "{text:?}");
        let x_row = text.iter().find(|l| l.starts_with("x ")).unwrap();
        assert!(x_row.contains("one two"), "{text:?}");
    }
}
