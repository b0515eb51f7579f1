//! Review: the weekly management-review pack as the `review` command writes it (this week's
//! metrics against the last stored snapshot, with its clause 9.3 sections and the follow-up of
//! the last review), and where the meeting's decisions (`D`), actions (`a`) and typed 9.3
//! inputs (`i`) are recorded; `certready review` records the review and writes the pack.
//! The pack is drawn as a document (rendered Markdown, wrapped to the pane) that scrolls with
//! the list keys; `/` narrows it to the blocks that match.

pub mod markdown;
mod table;

pub mod form;

use super::Spec;
use crate::tui::data::Data;
use crate::tui::rows::Row;
use crate::tui::theme::Theme;
use ratatui::layout::Constraint;
use ratatui::text::Line;

/// One column: the pack's lines.
pub static SPEC: Spec = Spec {
    headers: &["Management review pack"],
    widths: &[Constraint::Fill(1)],
    sorts: &["document order"],
    drop_order: &[],
};

/// The pack, one row per Markdown block (headings, paragraphs, list items, table rows); the
/// view lays them out as a document ([`markdown::document`]).
pub fn rows(d: &Data) -> Vec<Row> {
    markdown::blocks(&d.review)
}

/// No detail: the pack is the detail.
pub fn detail(_d: &Data, _id: &str, t: &Theme) -> Vec<Line<'static>> {
    vec![Line::styled(
        "D records a decision, a an action, i the clause 9.3 inputs; `certready review` records the week and writes the pack",
        t.fg(t.muted),
    )]
}

/// The Review tab in the registry.
pub struct ReviewTab;

impl crate::tui::tabs::TabView for ReviewTab {
    fn tab(&self) -> crate::tui::tab::Tab {
        crate::tui::tab::Tab::Review
    }

    fn title(&self) -> &'static str {
        "Review"
    }

    fn key(&self) -> crate::tui::action::Action {
        crate::tui::action::Action::TabReview
    }

    fn context(&self, _running: bool) -> Option<&'static str> {
        Some("review")
    }

    fn spec(&self, _shape: &crate::tui::tabs::Shape) -> &'static Spec {
        &SPEC
    }

    fn rows(&self, d: &Data, _sort: usize, _shape: &crate::tui::tabs::Shape) -> Vec<Row> {
        rows(d)
    }

    fn detail(&self, d: &Data, id: &str, t: &Theme) -> Vec<Line<'static>> {
        detail(d, id, t)
    }

    fn form(
        &self,
        a: crate::tui::action::Action,
        cx: &crate::tui::tabs::FormCx,
    ) -> Option<crate::tui::tabs::Form> {
        form::form(a, cx)
    }

    fn body(&self, _shape: &crate::tui::tabs::Shape, _running: bool) -> crate::tui::tabs::Body {
        crate::tui::tabs::Body::Document
    }

    fn pane(
        &self,
        cx: &crate::tui::tabs::DrawCx,
        body: ratatui::layout::Rect,
    ) -> Option<(Vec<Line<'static>>, ratatui::layout::Rect)> {
        let inner = ratatui::widgets::Block::bordered().inner(body);
        Some((markdown::document(cx.rows, inner.width, cx.theme), inner))
    }
}
