//! `tests/collect_sources.rs` on PostgreSQL: the same cases, each workspace in its own fresh database
//! (see `tests/common/backend.rs`).

#[path = "collect_sources.rs"]
mod cases;
