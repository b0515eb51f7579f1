//! `tests/evidence_add.rs` on PostgreSQL: the same cases, each workspace in its own fresh database
//! (see `tests/common/backend.rs`).

#[path = "evidence_add.rs"]
mod cases;
