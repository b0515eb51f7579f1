//! `tests/concurrency.rs` on PostgreSQL: the same parallel writers and readers, the workspace
//! in its own fresh database (see `tests/common/backend.rs`).

#[path = "concurrency.rs"]
mod cases;
