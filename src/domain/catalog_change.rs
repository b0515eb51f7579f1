//! What a new edition of a catalog changes, as plain data shared by the diff that finds it and
//! the store that applies it.

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
    /// In the old edition only.
    Removed {
        /// Old id.
        id: String,
        /// Title.
        title: String,
        /// Controls mapped to it.
        controls: Vec<String>,
    },
    /// Same title under a new id.
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
}
