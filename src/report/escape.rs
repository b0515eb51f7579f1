//! Text from the model (titles, notes, names, collected summaries) is untrusted: anyone who can
//! edit a YAML file, a CSV import or a gateway response can put anything in it. This module is
//! the one place that makes such text safe for each place certready writes it to:
//!
//! - [`csv_cell`]: spreadsheet formula injection. Following OWASP ("CSV Injection"), a cell
//!   that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so a
//!   spreadsheet shows it as text instead of evaluating it; the csv writer then quotes the cell
//!   where needed. OWASP's rule has no exception for numbers, so neither does this one: a
//!   user-typed `-5` comes out as `'-5`. certready's own numeric columns (likelihood, impact,
//!   estimates, dates) are never negative, so none of its own values are touched.
//! - [`markdown`] / [`markdown_block`]: Markdown output. `&`, `<`, `>` become entities (so
//!   no raw HTML, `<script>` or autolink `<javascript:...>` survives a Markdown renderer), `[`
//!   and `]` become entities (no link or image syntax), `|` becomes an entity (no extra table
//!   cells), and a `javascript:`, `vbscript:` or `data:` scheme loses its colon. The inline
//!   form also turns line breaks into spaces, so a value cannot start a new block.
//! - [`environment`]: the template engine every page certready renders goes through
//!   (review packs, after-action reports, the Statement of Applicability). Each template names
//!   its escaping: minijinja's HTML autoescape ([`minijinja::AutoEscape::Html`], which also
//!   escapes `/` and `'`), [`HTML_TEXT`] (`&`, `<` and `>` only, pulldown-cmark's escaper for
//!   text between tags, for templates that put values in text and never in an attribute), or
//!   [`MARKDOWN`] ([`markdown`]). Only values marked `|safe` pass unchanged.
//! - [`terminal`]: text shown on a terminal. C0 and C1 control characters (escape sequences),
//!   bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the other
//!   invisible direction marks are replaced by U+FFFD, so they can neither drive the terminal
//!   nor reorder what the user reads ("Trojan Source", CVE-2021-42574).

use minijinja::{AutoEscape, Environment};
use std::borrow::Cow;

/// The Markdown escaping ([`markdown`]) of a template's values.
pub const MARKDOWN: AutoEscape = AutoEscape::Custom("markdown");

/// The HTML escaping of values printed between tags (`&`, `<`, `>`): for templates that never
/// put a value inside an attribute.
pub const HTML_TEXT: AutoEscape = AutoEscape::Custom("html-text");

/// A template environment whose templates are escaped as `auto` says for each name (see the
/// module docs); trailing newlines are kept.
pub fn environment(auto: fn(&str) -> AutoEscape) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_keep_trailing_newline(true);
    env.set_auto_escape_callback(auto);
    env.set_formatter(|out, state, value| {
        let mode = state.auto_escape();
        if mode != MARKDOWN && mode != HTML_TEXT {
            return minijinja::escape_formatter(out, state, value);
        }
        match value.as_str() {
            Some(s) if !value.is_safe() && mode == MARKDOWN => out.write_str(&markdown(s))?,
            Some(s) if !value.is_safe() => {
                let mut text = String::with_capacity(s.len());
                let _ = pulldown_cmark_escape::escape_html_body_text(&mut text, s);
                out.write_str(&text)?;
            }
            _ => write!(out, "{value}")?,
        }
        Ok(())
    });
    env
}

/// Renders the embedded template `name` (`text`) with `ctx` in an [`environment`] escaped as
/// `auto` says.
pub fn render<S: serde::Serialize>(
    auto: fn(&str) -> AutoEscape,
    name: &str,
    text: &str,
    ctx: S,
) -> anyhow::Result<String> {
    let mut env = environment(auto);
    env.add_template_owned(name.to_owned(), text.to_owned())
        .map_err(|e| anyhow::anyhow!("template {name}: {e}"))?;
    env.get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|e| anyhow::anyhow!("template {name}: {e}"))
}

/// The visible stand-in for a character that must not reach a terminal.
pub const PLACEHOLDER: char = '\u{FFFD}';

/// Whether `c` must not reach a terminal: every control character (tab and newline included,
/// since a cell or a table field must stay on its line) and the Unicode direction controls.
pub fn is_unsafe_for_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// `s` with every character [`is_unsafe_for_terminal`] replaced by U+FFFD (borrowed when
/// there is none).
pub fn terminal(s: &str) -> Cow<'_, str> {
    if s.chars().any(is_unsafe_for_terminal) {
        Cow::Owned(
            s.chars()
                .map(|c| {
                    if is_unsafe_for_terminal(c) {
                        PLACEHOLDER
                    } else {
                        c
                    }
                })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// One CSV cell, neutralised as OWASP recommends (see the module docs).
pub fn csv_cell(s: String) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s
    }
}

/// Schemes that run code when a link is followed.
const SCHEMES: [&str; 3] = ["javascript:", "vbscript:", "data:"];

fn push_markdown(out: &mut String, s: &str, inline: bool) {
    let lower = s.to_ascii_lowercase();
    let mut i = 0;
    for (at, c) in s.char_indices() {
        if at < i {
            continue;
        }
        if let Some(scheme) = SCHEMES.iter().find(|p| lower[at..].starts_with(**p)) {
            out.push_str(&s[at..at + scheme.len() - 1]);
            out.push_str("&#58;");
            i = at + scheme.len();
            continue;
        }
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' => out.push_str("&#91;"),
            ']' => out.push_str("&#93;"),
            '|' => out.push_str("&#124;"),
            '\r' | '\n' if inline => out.push(' '),
            c => out.push(c),
        }
    }
}

/// Untrusted text for one line of Markdown (a list item, a table cell, a heading).
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_markdown(&mut out, s, true);
    out
}

/// Untrusted text for a Markdown paragraph: as [`markdown`], but line breaks are kept.
pub fn markdown_block(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_markdown(&mut out, s, false);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_that_a_spreadsheet_would_evaluate_get_a_quote() {
        for bad in ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_cell(bad.into()), format!("'{bad}"));
        }
        for ok in ["GW-MFA-01", "2026-11-26", "a=b", " =x", ""] {
            assert_eq!(csv_cell(ok.into()), ok);
        }
    }

    #[test]
    fn markdown_keeps_no_html_links_or_new_blocks() {
        let evil = "<script>alert(1)</script> [x](JavaScript:alert(1)) a|b &lt;\n# h";
        let m = markdown(evil);
        for bad in ["<", ">", "[", "]", "|", "\n", "javascript:", "JavaScript:"] {
            assert!(!m.contains(bad), "{bad} in {m}");
        }
        assert!(m.contains("&amp;lt;"), "{m}");
        assert!(markdown_block(evil).contains('\n'));
        assert_eq!(markdown("Plain text, 50% (ok)"), "Plain text, 50% (ok)");
    }

    #[test]
    fn terminal_text_loses_controls_and_direction_overrides() {
        let t = terminal("a\u{202E}b\u{2066}c\u{1b}[2Jd\u{9b}e\u{200F}");
        assert_eq!(t, "a\u{FFFD}b\u{FFFD}c\u{FFFD}[2Jd\u{FFFD}e\u{FFFD}");
        assert!(matches!(terminal("plain — ok"), Cow::Borrowed(_)));
    }
}
