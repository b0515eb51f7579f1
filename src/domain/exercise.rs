//! A tabletop exercise as stored: its event log. What the log means (the clock, the current
//! inject, the outcome) is worked out in `tabletop::exercise`.

use super::Date;
use serde::{Deserialize, Serialize};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExerciseKind {
    /// The exercise started.
    Start,
    /// An inject became current (its index in `inject`).
    Inject,
    /// A note.
    Note,
    /// A decision the room took.
    Decision,
    /// A gap the room found (becomes a finding).
    Gap,
    /// An action item with owner and due date (becomes a task).
    Action,
    /// The clock stopped.
    Pause,
    /// The clock restarted.
    Resume,
    /// The participant list changed (`text` is the comma-separated list).
    Participants,
    /// The exercise ended.
    End,
}

/// One logged event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExerciseEvent {
    /// Wall time, seconds since the epoch.
    pub t: i64,
    /// Kind.
    pub kind: ExerciseKind,
    /// Text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// Owner of an action item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Due date of an action item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    /// Inject index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inject: Option<usize>,
}

/// An exercise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exercise {
    /// Id (`TT-20261126-1`).
    pub id: String,
    /// Scenario id.
    pub scenario: String,
    /// Facilitator.
    pub facilitator: String,
    /// The log.
    pub events: Vec<ExerciseEvent>,
}
