//! The row model every list tab produces: cells of text with a semantic role (met, late...)
//! that the theme turns into colour, so views stay pure and testable.

use super::theme::Theme;
use ratatui::style::Style;

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
