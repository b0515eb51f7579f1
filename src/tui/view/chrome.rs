//! The bars around the body: the tab bar (each tab with the key that opens it, names shortened
//! on narrow terminals), the status line (the last message, or the keys worth knowing, fitted
//! to the width) and the notice shown when the terminal is too small.
//!
//! Invariants: the tab bar shows the keys the keymap really binds (never a position number a
//! key does not open) and never a bare key without a name; the status line never runs past the
//! terminal's width, and always names the help and quit keys when it shows hints.

use super::{MIN_SIZE, Pane};
use crate::tui::action::Action as A;
use crate::tui::app::{App, Mode};
use crate::tui::keymap::Keymap;
use crate::tui::tab::Tab;
use crate::tui::tabs;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Columns kept free on the right of the tab bar for the DEMO label.
const LABEL_ROOM: u16 = 6;

/// Tab titles as drawn, with their keys: ` 1 Overview ` when everything fits, `1 Overview`
/// when that fits, else the active tab in full and the others by their first three letters
/// (`2 Fra`).
fn tab_labels(width: u16, active: Tab, keymap: &Keymap) -> Vec<String> {
    let label = |t: Tab, name: String, pad: bool| {
        let key = keymap.key_for(tabs::view(t).key());
        match (key.is_empty(), pad) {
            (true, true) => format!(" {name} "),
            (true, false) => name,
            (false, true) => format!(" {key} {name} "),
            (false, false) => format!("{key} {name}"),
        }
    };
    let forms: [Box<dyn Fn(Tab) -> String>; 2] = [
        Box::new(|t| label(t, t.title().to_owned(), true)),
        Box::new(|t| label(t, t.title().to_owned(), false)),
    ];
    let room = usize::from(width.saturating_sub(LABEL_ROOM));
    for form in &forms {
        let labels: Vec<String> = Tab::ALL.iter().map(|t| form(*t)).collect();
        if labels.iter().map(|l| l.chars().count() + 1).sum::<usize>() <= room {
            return labels;
        }
    }
    Tab::ALL
        .iter()
        .map(|t| {
            if *t == active {
                label(*t, t.title().to_owned(), false)
            } else {
                label(*t, t.title().chars().take(3).collect(), false)
            }
        })
        .collect()
}

/// The tab under column `x` of a tab bar `width` wide while `active` is shown.
pub fn tab_at(x: u16, width: u16, active: Tab, keymap: &Keymap) -> Option<Tab> {
    let mut start = 0u16;
    for (i, l) in tab_labels(width, active, keymap).iter().enumerate() {
        let w = l.chars().count() as u16;
        if x >= start && x < start + w {
            return Some(Tab::ALL[i]);
        }
        start += w + 1;
    }
    None
}

pub(super) fn tab_bar(f: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let labels = tab_labels(area.width, app.tab, &app.keymap);
    let mut spans = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        let style = if Tab::ALL[i] == app.tab {
            t.selected()
        } else {
            t.fg(t.muted)
        };
        spans.push(Span::styled(l.clone(), style));
        spans.push(Span::raw(" "));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
    let Some(d) = &app.data else { return };
    let used: u16 = labels.iter().map(|l| l.chars().count() as u16 + 1).sum();
    let room = area.width.saturating_sub(used);
    let full = format!(
        "{}{} · {} ",
        if d.demo { "DEMO · " } else { "" },
        app.label,
        d.as_of
    );
    let label = if (full.chars().count() as u16) <= room {
        full
    } else if d.demo && room >= LABEL_ROOM {
        " DEMO ".to_owned()
    } else {
        String::new()
    };
    let w = label.chars().count() as u16;
    if w > 0 {
        let style = if d.demo {
            t.alert(t.demo)
                .add_modifier(Modifier::BOLD | Modifier::REVERSED)
        } else {
            t.fg(t.muted)
        };
        let x = area.x + area.width.saturating_sub(w);
        f.render_widget(
            Paragraph::new(Span::styled(label, style)),
            Rect::new(x, area.y, w.min(area.width), 1),
        );
    }
}

/// Key hints that fit in `width` columns: help first and quit last always, the others in
/// order of use while they fit.
fn hints(app: &App, pane: Option<&Pane>, width: usize, all: bool) -> String {
    let k = |a| app.keymap.key_for(a);
    let mut middle: Vec<String> = Vec::new();
    if all {
        if pane.is_some_and(|p| p.position().is_some()) {
            middle.push(format!("{}/{} scroll", k(A::PaneDown), k(A::PaneUp)));
        }
        if app.tab.is_list() {
            middle.push(format!("{} filter", k(A::Filter)));
        }
        middle.push(format!("{} commands", k(A::Palette)));
        if app.tab.is_list()
            && crate::tui::tabs::view(app.tab).body(&app.shape, false)
                != crate::tui::tabs::Body::Document
        {
            middle.push(format!("{} detail", k(A::Open)));
            middle.push(format!("{} sort", k(A::Sort)));
        }
        middle.push(format!("{} status", k(A::EditStatus)));
        middle.push(format!("{} note", k(A::AddNote)));
        middle.push(format!("{} undo", k(A::Undo)));
    }
    let first = format!("{} help", k(A::Help));
    let last = format!("{} quit", k(A::Quit));
    let mut out = first.clone();
    let mut len = first.chars().count() + 2 + last.chars().count();
    for m in middle {
        let n = m.chars().count() + 2;
        if len + n > width {
            break;
        }
        len += n;
        out.push_str("  ");
        out.push_str(&m);
    }
    out.push_str("  ");
    out.push_str(&last);
    out
}

pub(super) fn status_line(f: &mut Frame, app: &App, area: Rect, pane: Option<&Pane>) {
    let t = &app.theme;
    let width = usize::from(area.width);
    let line = match (&app.mode, &app.message) {
        (Mode::Filter, _) => Line::from(vec![
            Span::styled("/", t.title()),
            Span::raw(app.list().filter.clone()),
            Span::styled("▏ Enter keeps, Esc clears", t.fg(t.muted)),
        ]),
        (_, Some((m, err))) => {
            let style = if *err { t.alert(t.gap) } else { t.fg(t.ok) };
            let short = hints(app, pane, width, false);
            let used = m.chars().count() + 2 + short.chars().count();
            if used <= width {
                let gap = " ".repeat(width - used + 2);
                Line::from(vec![
                    Span::styled(m.clone(), style),
                    Span::raw(gap),
                    Span::styled(short, t.fg(t.muted)),
                ])
            } else {
                Line::styled(m.clone(), style)
            }
        }
        _ => Line::styled(hints(app, pane, width, true), t.fg(t.muted)),
    };
    f.render_widget(Paragraph::new(line), area);
}

/// The notice drawn instead of the dashboard on a terminal below [`MIN_SIZE`].
pub(super) fn too_small(f: &mut Frame, app: &App, size: (u16, u16)) {
    let t = &app.theme;
    let lines = vec![
        Line::styled("terminal too small", t.alert(t.warn)),
        Line::raw(format!(
            "need {}x{}, have {}x{}",
            MIN_SIZE.0, MIN_SIZE.1, size.0, size.1
        )),
        Line::styled(
            format!("{} quits", app.keymap.key_for(A::Quit)),
            t.fg(t.muted),
        ),
    ];
    let y = size.1.saturating_sub(3) / 2;
    let area = Rect::new(0, y, size.0, size.1.saturating_sub(y).min(3));
    f.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(ratatui::widgets::Wrap { trim: true }),
        area,
    );
}
