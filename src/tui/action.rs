//! What a key (or palette entry, or mouse event) asks the app to do.

use serde::Deserialize;

/// Actions the keymap can bind. Text entry (filter, prompts) bypasses the keymap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Quit.
    Quit,
    /// Toggle help.
    Help,
    /// Open the command palette.
    Palette,
    /// Next tab.
    NextTab,
    /// Previous tab.
    PrevTab,
    /// Go to Overview.
    TabOverview,
    /// Go to Frameworks.
    TabFrameworks,
    /// Go to Controls.
    TabControls,
    /// Go to Risks.
    TabRisks,
    /// Go to Findings.
    TabFindings,
    /// Go to Tasks.
    TabTasks,
    /// Go to Evidence.
    TabEvidence,
    /// Go to Timeline.
    TabTimeline,
    /// Go to Vendors.
    TabVendors,
    /// Go to Tabletop.
    TabTabletop,
    /// Go to Review.
    TabReview,
    /// Review: record a decision of the meeting.
    ReviewDecision,
    /// Review: record an action of the meeting.
    ReviewAction,
    /// Review: type the clause 9.3 inputs the model cannot supply.
    ReviewInput,
    /// Tabletop: log a note.
    TtNote,
    /// Tabletop: log a decision.
    TtDecision,
    /// Tabletop: log a gap (becomes a finding).
    TtGap,
    /// Tabletop: log an action item (becomes a task).
    TtAction,
    /// Tabletop: set the participants.
    TtParticipants,
    /// Tabletop: pause or resume the clock.
    TtPause,
    /// Tabletop: next inject.
    TtNext,
    /// Tabletop: previous inject.
    TtBack,
    /// Tabletop: end the exercise.
    TtEnd,
    /// Timeline: zoom between a quarter and a year.
    Zoom,
    /// Timeline: earlier dates.
    PanLeft,
    /// Timeline: later dates.
    PanRight,
    /// Timeline: switch between the schedule and the Type II ledger.
    Ledger,
    /// Evidence: switch between evidence items and the collectors' sources.
    Sources,
    /// What-if: move the selected task or window a week later.
    Later,
    /// What-if: move the selected task or window a week earlier.
    Earlier,
    /// What-if: make the selected window a month longer.
    Longer,
    /// What-if: make the selected window a month shorter.
    Shorter,
    /// What-if: save the changes tried.
    SaveWhatIf,
    /// Move down.
    Down,
    /// Move up.
    Up,
    /// Page down.
    PageDown,
    /// Page up.
    PageUp,
    /// First row.
    Top,
    /// Last row.
    Bottom,
    /// Start filtering.
    Filter,
    /// Cycle sort.
    Sort,
    /// Open detail / fold.
    Open,
    /// Close detail, help, filter.
    Back,
    /// Frameworks: gaps only.
    GapsOnly,
    /// Edit status.
    EditStatus,
    /// Edit owner.
    EditOwner,
    /// Edit due date.
    EditDue,
    /// Add a note.
    AddNote,
    /// Add manual evidence.
    AddEvidence,
    /// Evidence: add a source from a preset (Sources view).
    AddSource,
    /// Frameworks: draft a task for each unplanned requirement (previewed, undoable).
    PlanUnplanned,
    /// Undo the last edit.
    Undo,
    /// Reload from the database.
    Reload,
    /// Scroll the pane beside the list (detail, inject, document) down a line.
    PaneDown,
    /// Scroll that pane up a line.
    PaneUp,
    /// Scroll that pane down half a page.
    PaneHalfDown,
    /// Scroll that pane up half a page.
    PaneHalfUp,
}

impl Action {
    /// Moves in the list or scrolls a pane (help scrolls with the same keys).
    pub fn is_movement(self) -> bool {
        matches!(
            self,
            Action::Down
                | Action::Up
                | Action::PageDown
                | Action::PageUp
                | Action::Top
                | Action::Bottom
                | Action::PaneDown
                | Action::PaneUp
                | Action::PaneHalfDown
                | Action::PaneHalfUp
        )
    }
}
