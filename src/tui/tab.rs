//! The tabs of the dashboard.

/// A tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    /// Readiness at a glance.
    Overview,
    /// Framework → group → requirement tree.
    Frameworks,
    /// Controls.
    Controls,
    /// Risk register and heat map.
    Risks,
    /// Findings.
    Findings,
    /// Remediation tasks.
    Tasks,
    /// Evidence.
    Evidence,
    /// Schedule, what-if and the Type II ledger.
    Timeline,
    /// Vendors and business associates.
    Vendors,
    /// Tabletop exercises.
    Tabletop,
    /// The weekly management review.
    Review,
}

impl Tab {
    /// Every tab in order.
    pub const ALL: [Tab; 11] = [
        Tab::Overview,
        Tab::Frameworks,
        Tab::Controls,
        Tab::Risks,
        Tab::Findings,
        Tab::Tasks,
        Tab::Evidence,
        Tab::Timeline,
        Tab::Vendors,
        Tab::Tabletop,
        Tab::Review,
    ];

    /// Title in the tab bar (from the tab's registry entry).
    pub fn title(self) -> &'static str {
        super::tabs::view(self).title()
    }

    /// Position.
    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    /// Parses a tab name (case-insensitive).
    pub fn parse(s: &str) -> Option<Tab> {
        Tab::ALL
            .into_iter()
            .find(|t| t.title().eq_ignore_ascii_case(s))
    }

    /// Whether this tab is a list.
    pub fn is_list(self) -> bool {
        self != Tab::Overview
    }
}
