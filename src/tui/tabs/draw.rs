//! What a tab that draws its own screen is given: the dashboard's state the view holds, as
//! plain references (a tab never sees the app), and how a tab's body is laid out.

use super::Shape;
use super::tabletop::Running;
use crate::tui::data::Data;
use crate::tui::rows::Row;
use crate::tui::theme::Theme;

/// The state a tab draws from.
pub struct DrawCx<'a> {
    /// Loaded data.
    pub data: &'a Data,
    /// Theme.
    pub theme: &'a Theme,
    /// Wall time (seconds since the epoch) from the last tick.
    pub now: i64,
    /// The exercise under way, if any.
    pub running: Option<&'a Running>,
    /// The visible rows of the tab.
    pub rows: &'a [Row],
    /// Selected row.
    pub selected: usize,
    /// First row shown.
    pub offset: usize,
    /// Filter text.
    pub filter: &'a str,
    /// Folding, filters and the timeline's view.
    pub shape: &'a Shape,
    /// Lines under a chart (what the what-if moves).
    pub footer: &'a [String],
    /// First line of the tab's own scrolling pane.
    pub pane: usize,
}

/// How a tab's body is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// The shared table, a detail pane and any side panel.
    List,
    /// The tab draws the list area; the detail pane and side panel are shared.
    OwnList,
    /// The tab draws the whole body (panels, the facilitator's view).
    Own,
    /// The rows are one document filling the body, scrolled as a pane.
    Document,
}
