//! `tests/integrity.rs` on PostgreSQL: the same tampering cases, each workspace in its own fresh
//! database (see `tests/common/backend.rs`).

#[path = "integrity.rs"]
mod cases;
