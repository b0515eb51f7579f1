//! ISO/IEC 27001:2022 clause 9.3 in the pack: one section per input 9.3.2 lists (a to g) and
//! per output 9.3.3 asks for, filled from the model where certready knows the answer and from
//! the text typed for the review otherwise; and the follow-up of the last review's actions
//! and decisions.
//!
//! Invariants: every section is listed whether or not it has content, and one with neither
//! model lines nor typed text is flagged empty; an action's status is computed from its task
//! and the review date only (done, late, open), never from the clock.

use super::{MeetingItem, Metrics};
use crate::domain::{Date, FindingStatus, Snapshot, TaskStatus};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The inputs typed at the meeting (not known to the model): (key, clause, title).
pub const PROMPTED: &[(&str, &str, &str)] = &[
    (
        "external-issues",
        "9.3.2 b",
        "Changes in external and internal issues",
    ),
    (
        "interested-parties",
        "9.3.2 c",
        "Changes in needs and expectations of interested parties",
    ),
    ("feedback", "9.3.2 e", "Feedback from interested parties"),
    (
        "improvement",
        "9.3.2 g",
        "Opportunities for continual improvement",
    ),
    (
        "isms-changes",
        "9.3.3 changes",
        "Needs for changes to the ISMS",
    ),
];

/// Where a section's content comes from.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Filled from the model.
    Model,
    /// Typed at the meeting.
    Meeting,
}

/// One 9.3 section.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Section {
    /// The input key (`previous-actions`, `external-issues`, ...).
    pub key: String,
    /// `9.3.2 a` ... `9.3.3`.
    pub clause: String,
    /// The clause's words.
    pub title: String,
    /// Model or meeting.
    pub source: Source,
    /// What the model says.
    pub lines: Vec<String>,
    /// What was typed for this review.
    pub text: String,
    /// Whether it has content.
    pub covered: bool,
}

/// The 9.3 sections and their coverage.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Iso93 {
    /// Inputs a to g, then the outputs.
    pub sections: Vec<Section>,
    /// Sections with content.
    pub covered: usize,
    /// Clauses of the empty sections.
    pub empty: Vec<String>,
}

/// The status now of an action of an earlier review.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ActionStatus {
    /// Its task is done.
    Done,
    /// Not done and past its due date.
    Late,
    /// Not done, not yet due.
    Open,
}

/// An action of the last review and where it stands.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FollowAction {
    /// What was to be done.
    pub text: String,
    /// Who.
    pub owner: String,
    /// By when.
    pub due: String,
    /// Its task.
    pub task: String,
    /// Done, late or open as of this review.
    pub status: ActionStatus,
}

/// What the last review decided and asked for.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct FollowUp {
    /// The last review's date, when there was one.
    pub previous: Option<String>,
    /// Its actions with their status now.
    pub actions: Vec<FollowAction>,
    /// Its decisions.
    pub decisions: Vec<String>,
}

/// The follow-up of `last` (the last review's date and meeting items) as of `as_of`.
pub fn follow_up(s: &Snapshot, as_of: Date, last: Option<(Date, &[MeetingItem])>) -> FollowUp {
    let Some((date, items)) = last else {
        return FollowUp::default();
    };
    let actions = items
        .iter()
        .filter(|m| m.kind == "action")
        .map(|m| {
            let task = s.tasks.iter().find(|t| t.id.as_str() == m.task);
            let due = task
                .and_then(|t| t.due)
                .or_else(|| m.due.parse::<Date>().ok());
            let status = if task.is_some_and(|t| t.status == TaskStatus::Done) {
                ActionStatus::Done
            } else if due.is_some_and(|d| d < as_of) {
                ActionStatus::Late
            } else {
                ActionStatus::Open
            };
            FollowAction {
                text: m.text.clone(),
                owner: task.map_or_else(|| m.owner.clone(), |t| t.owner.clone()),
                due: due.map_or_else(|| m.due.clone(), |d| d.to_string()),
                task: m.task.clone(),
                status,
            }
        })
        .collect();
    FollowUp {
        previous: Some(date.to_string()),
        actions,
        decisions: items
            .iter()
            .filter(|m| m.kind == "decision")
            .map(|m| m.text.clone())
            .collect(),
    }
}

/// The 9.3 sections of a pack: `cur`/`prev` the weeks' metrics, `meeting` this review's items,
/// `typed` the inputs typed for it by key.
pub fn sections(
    s: &Snapshot,
    cur: &Metrics,
    prev: Option<&Metrics>,
    follow: &FollowUp,
    meeting: &[MeetingItem],
    typed: &BTreeMap<String, String>,
) -> Iso93 {
    let text = |k: &str| typed.get(k).cloned().unwrap_or_default();
    let model = |key: &str, clause: &str, title: &str, lines: Vec<String>| Section {
        key: key.into(),
        clause: clause.into(),
        title: title.into(),
        source: Source::Model,
        covered: !lines.is_empty() || !text(key).is_empty(),
        text: text(key),
        lines,
    };
    let prompted = |i: usize, lines: Vec<String>| {
        let (key, clause, title) = PROMPTED[i];
        Section {
            source: Source::Meeting,
            ..model(key, clause, title, lines)
        }
    };
    let mut out = vec![
        model(
            "previous-actions",
            "9.3.2 a",
            "Status of actions from previous reviews",
            previous_actions(follow),
        ),
        prompted(0, Vec::new()),
        prompted(1, Vec::new()),
        model(
            "performance",
            "9.3.2 d",
            "Feedback on information security performance",
            super::iso93_lines::performance(s, cur, prev),
        ),
        prompted(2, Vec::new()),
        model(
            "risk",
            "9.3.2 f",
            "Results of risk assessment and status of the risk treatment plan",
            super::iso93_lines::risk(s, cur),
        ),
        prompted(3, Vec::new()),
        // Recorded at the meeting (`--decision`, `--action`), so its source is the meeting.
        Section {
            source: Source::Meeting,
            ..model(
                "decisions",
                "9.3.3 decisions",
                "Decisions related to continual improvement opportunities",
                meeting
                    .iter()
                    .map(|m| match m.kind.as_str() {
                        "action" => {
                            format!("Action: {} (owner {}, due {})", m.text, m.owner, m.due)
                        }
                        _ => format!("Decision: {}", m.text),
                    })
                    .collect(),
            )
        },
        prompted(4, Vec::new()),
    ];
    for sec in &mut out {
        sec.covered = !sec.lines.is_empty() || !sec.text.is_empty();
    }
    Iso93 {
        covered: out.iter().filter(|x| x.covered).count(),
        empty: out
            .iter()
            .filter(|x| !x.covered)
            .map(|x| x.clause.clone())
            .collect(),
        sections: out,
    }
}

fn previous_actions(f: &FollowUp) -> Vec<String> {
    let Some(date) = &f.previous else {
        return Vec::new();
    };
    let count = |st: ActionStatus| f.actions.iter().filter(|a| a.status == st).count();
    if f.actions.is_empty() {
        return vec![format!("The review of {date} recorded no actions.")];
    }
    vec![format!(
        "{} action(s) of the review of {date}: {} done, {} late, {} open (listed under Follow-up).",
        f.actions.len(),
        count(ActionStatus::Done),
        count(ActionStatus::Late),
        count(ActionStatus::Open)
    )]
}

/// Open nonconformities: findings open or being remediated.
pub(super) fn open_findings(s: &Snapshot) -> usize {
    s.findings
        .iter()
        .filter(|f| matches!(f.status, FindingStatus::Open | FindingStatus::Remediating))
        .count()
}
