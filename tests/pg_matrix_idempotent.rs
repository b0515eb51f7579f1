//! `tests/idempotent.rs` on PostgreSQL: the same "run twice, change nothing" cases, each workspace
//! in its own fresh database (see `tests/common/backend.rs`).

#[path = "idempotent.rs"]
mod cases;
