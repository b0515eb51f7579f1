//! `tests/collect_faults.rs` on PostgreSQL: the same cases, each workspace in its own fresh database
//! (see `tests/common/backend.rs`).

#[path = "collect_faults.rs"]
mod cases;
