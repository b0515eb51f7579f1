//! Plain data types of the certready model.
//!
//! Invariants: no I/O, no clock reads, no UI or database types. IDs are newtypes and statuses
//! are enums; their string forms are the ones used in model files, CSV, JSON and SQLite.

mod catalog_change;
mod digest;
mod entities;
mod enums;
mod exercise;
mod ids;
mod known;
pub mod model_file;
mod new_evidence;
mod observation;
mod ref_lookup;

pub use catalog_change::CatalogChange;
pub use digest::sha256_hex;
pub use entities::*;
pub use enums::*;
pub use exercise::{Exercise, ExerciseEvent, ExerciseKind};
pub use ids::*;
pub use known::Known;
pub use new_evidence::NewEvidence;
pub use observation::*;
pub use ref_lookup::{find_ref, loose_ref};

/// A calendar date (no time zone): every scoring rule works on whole days.
pub type Date = chrono::NaiveDate;
