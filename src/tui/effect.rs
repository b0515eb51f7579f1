//! Work the app asks of the store thread: typed effects returned by `App::update`, so the
//! state owner does no I/O. Tabs may name an effect (Tabletop's Enter starts an exercise)
//! without importing the app.

use crate::domain::{ControlId, Date, EvidenceResult};
use crate::store::Edit;
use std::path::PathBuf;

/// Work for the store thread.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Reload data.
    Reload,
    /// Store an edit (`undo` marks an undo in the change log).
    Edit {
        /// The edit.
        edit: Edit,
        /// Whether it is an undo.
        undo: bool,
    },
    /// Add manual evidence, copying `file` into the workspace.
    AddEvidence {
        /// Control.
        control: ControlId,
        /// Title.
        title: String,
        /// Effective date.
        effective: Date,
        /// Result.
        result: EvidenceResult,
        /// Optional file to attach.
        file: Option<PathBuf>,
    },
    /// The day changed: score as of this date from now on, and reload.
    SetDate(Date),
    /// Verify the chains.
    Verify,
    /// Start (or resume the open) exercise of a scenario (its id), with this facilitator.
    StartExercise(String, String),
    /// Save an exercise's log.
    SaveExercise(Box<crate::tabletop::exercise::Exercise>),
    /// End an exercise: findings, tasks, evidence, report.
    FinishExercise(Box<crate::tui::tabs::tabletop::Running>),
    /// An inject's live signal: switch the (simulated) gateway to this mode.
    Signal(String),
    /// Results from the pollers, for the single writer.
    Ingest(Vec<crate::domain::Observation>),
    /// Record a decision of the review meeting of this date.
    ReviewDecision(Date, String),
    /// Record an action of the review meeting of this date; it becomes a task.
    ReviewAction(Date, crate::ops::review::Action),
    /// Set the typed clause 9.3 inputs of the review of this date: (key, text).
    ReviewInputs(Date, Vec<(String, String)>),
    /// Append a source from a preset (its name) to certready.toml, with these parameters.
    AddSource(String, std::collections::BTreeMap<String, String>),
}
