//! `tests/review.rs` with every workspace in its own PostgreSQL database (see
//! `common::backend`): the weekly review pack, its stored snapshots and the meeting's record on
//! PostgreSQL; the pack compared with the same snapshot files as SQLite's.

#[path = "review.rs"]
mod cases;
