//! Reports rendered from the same analysis the dashboard shows: the weekly management-review
//! pack (Markdown and one self-contained HTML page with SVG charts), the exports, and the two
//! helpers every output goes through: `escape` (untrusted text for CSV, Markdown and terminals)
//! and `write` (atomic, owner-only files that never follow a planted symlink).

pub mod charts;
pub mod escape;
pub mod export;
pub mod export_csv;
pub mod export_json;
pub mod oscal;
pub mod review;
pub mod soa;
pub mod write;
