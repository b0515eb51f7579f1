//! What a new edition of a catalog changes, as plain data shared by the diff that finds it and
//! the store that applies it.
//!
//! Invariant: every change names the requirement ids it touches and the workspace's controls
//! mapped to them, so a reviewer sees which mappings move (renames, swaps) and which are left
//! on a retired requirement (removals) before anything is applied.

use serde::Serialize;

/// One change between two editions of a catalog (found by `catalog::diff`, applied by the
/// store).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum CatalogChange {
    /// In the new edition only.
    Added {
        /// New id.
        id: String,
        /// Title.
        title: String,
    },
    /// In the old edition only: retired (kept for history, no longer assessed); its mappings
    /// are orphaned.
    Removed {
        /// Old id.
        id: String,
        /// Title.
        title: String,
        /// Controls mapped to it (their mappings stay on the retired requirement).
        controls: Vec<String>,
    },
    /// The same (or nearly the same) content under a new id; mappings move to the new id.
    Renamed {
        /// Old id.
        from: String,
        /// New id.
        to: String,
        /// Title.
        title: String,
        /// Controls whose mappings move.
        controls: Vec<String>,
    },
    /// Two ids that exchanged their contents; mappings follow the content.
    Swapped {
        /// One id.
        a: String,
        /// The other id.
        b: String,
        /// Controls mapped to `a` before (their mappings move to `b`).
        controls_a: Vec<String>,
        /// Controls mapped to `b` before (their mappings move to `a`).
        controls_b: Vec<String>,
    },
    /// Same id, new title.
    Retitled {
        /// Id.
        id: String,
        /// Old title.
        from: String,
        /// New title.
        to: String,
        /// Controls mapped to it.
        controls: Vec<String>,
    },
    /// Same id, new description.
    #[serde(rename = "description_changed")]
    Described {
        /// Id.
        id: String,
        /// Old description.
        from: String,
        /// New description.
        to: String,
        /// Controls mapped to it (to re-check against the new wording).
        controls: Vec<String>,
    },
    /// Same id, assessed or no longer assessed.
    #[serde(rename = "assessable_changed")]
    Assessable {
        /// Id.
        id: String,
        /// Before.
        from: bool,
        /// After.
        to: bool,
        /// Controls mapped to it.
        controls: Vec<String>,
    },
    /// Same id under another group or parent.
    Moved {
        /// Id.
        id: String,
        /// Old place: `group` or `group/parent`.
        from: String,
        /// New place.
        to: String,
        /// Controls mapped to it.
        controls: Vec<String>,
    },
}

impl CatalogChange {
    /// The change-log action and the short label shown to a reviewer (as in the JSON).
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Added { .. } => "added",
            Self::Removed { .. } => "removed",
            Self::Renamed { .. } => "renamed",
            Self::Swapped { .. } => "swapped",
            Self::Retitled { .. } => "retitled",
            Self::Described { .. } => "description_changed",
            Self::Assessable { .. } => "assessable_changed",
            Self::Moved { .. } => "moved",
        }
    }

    /// Whether it moves mappings from one id to another (to review before applying).
    #[must_use]
    pub fn moves_mappings(&self) -> bool {
        matches!(self, Self::Renamed { .. } | Self::Swapped { .. })
    }
}
