//! `tests/collect_store.rs` on PostgreSQL: the same collector-writer cases, each workspace in
//! its own fresh database (see `tests/common/backend.rs`).

#[path = "collect_store.rs"]
mod cases;
