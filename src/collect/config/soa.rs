//! `[soa]` in `certready.toml`: the document control of the Statement of Applicability
//! (version, approver, approval date). Every field is optional; an unset one is printed as
//! "not set" in the statement, never invented.

use crate::domain::Date;
use serde::Deserialize;

/// The `[soa]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SoaConfig {
    /// Document version (`"1.2"`).
    #[serde(default)]
    pub version: Option<String>,
    /// Who approved the statement.
    #[serde(default)]
    pub approver: Option<String>,
    /// When it was approved (`2026-06-30`).
    #[serde(default)]
    pub approved: Option<Date>,
}
