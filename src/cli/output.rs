//! Plain-text tables for the terminal: columns padded to their widest cell. Cells are
//! untrusted text, so control characters and direction overrides in them are replaced by
//! U+FFFD (`report::escape::terminal`) before they are measured and printed.

/// Renders rows (the first is the header) as aligned columns separated by two spaces.
pub fn table(rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| crate::report::escape::terminal(c).into_owned())
                .collect()
        })
        .collect();
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; cols];
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let mut out = String::new();
    for r in &rows {
        let mut line = String::new();
        for (i, c) in r.iter().enumerate() {
            if i + 1 == r.len() {
                line.push_str(c);
            } else {
                line.push_str(c);
                line.push_str(&" ".repeat(widths[i] - c.chars().count() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Untrusted text for a terminal, line by line: control characters (other than the line
/// breaks) and direction overrides become U+FFFD.
pub fn text(s: &str) -> String {
    s.split('\n')
        .map(|l| crate::report::escape::terminal(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A document printed to standard output: byte for byte into a pipe or file (it is data), but
/// through [`text`] when standard output is a terminal.
pub fn document(s: &str) -> std::borrow::Cow<'_, str> {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal() {
        std::borrow::Cow::Owned(text(s))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// A percentage with one decimal, or a dash.
pub fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_owned(), |p| format!("{p:.1}%"))
}
