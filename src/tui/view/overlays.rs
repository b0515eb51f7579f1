//! Overlays drawn over the body: the command palette and the edit forms.

use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

/// A centred rectangle.
pub(super) fn centred(outer: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(outer.width);
    let h = h.min(outer.height);
    Rect::new(
        outer.x + (outer.width - w) / 2,
        outer.y + (outer.height - h) / 2,
        w,
        h,
    )
}

pub(super) fn palette(f: &mut Frame, app: &App, q: &str, sel: usize) {
    let t = &app.theme;
    let matches = crate::tui::app::palette_matches(&app.keymap, q);
    let mut lines = vec![Line::from(vec![
        Span::styled(":", t.title()),
        Span::raw(q.to_owned()),
        Span::styled("▏", t.fg(t.muted)),
    ])];
    for (i, b) in matches.iter().enumerate().take(12) {
        let style = if i == sel { t.selected() } else { t.fg(t.text) };
        lines.push(Line::styled(
            format!("{:<44} {}", b.description, b.keys.join(" ")),
            style,
        ));
    }
    let area = centred(f.area(), 64, 15);
    f.render_widget(Clear, area);
    f.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(" command palette ")
                .border_style(t.fg(t.accent)),
        ),
        area,
    );
}

pub(super) fn prompt(f: &mut Frame, app: &App, p: &crate::tui::prompt::Prompt) {
    let t = &app.theme;
    let mut lines = Vec::new();
    let label_w = p
        .fields
        .iter()
        .map(|f| f.label.chars().count() + 1)
        .fold(10, usize::max);
    for (i, fld) in p.fields.iter().enumerate() {
        let focus = i == p.focus;
        let value = fld.display(focus);
        lines.push(Line::from(vec![
            Span::styled(
                format!("{:<label_w$}", fld.label),
                if focus { t.title() } else { t.fg(t.muted) },
            ),
            Span::styled(value, if focus { t.selected() } else { t.fg(t.text) }),
        ]));
    }
    if !p.preview.is_empty() {
        lines.push(Line::default());
        lines.extend(
            p.preview
                .iter()
                .map(|l| Line::styled(l.clone(), t.fg(t.text))),
        );
    }
    lines.push(Line::default());
    match &p.error {
        Some(e) => lines.push(Line::styled(e.clone(), t.alert(t.gap))),
        None => lines.push(Line::styled(p.hint(), t.fg(t.muted))),
    }
    let area = centred(f.area(), 64, lines.len() as u16 + 2);
    f.render_widget(Clear, area);
    f.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(format!(" {} ", p.title))
                .border_style(t.fg(t.accent)),
        ),
        area,
    );
}
