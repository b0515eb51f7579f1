//! `tests/cli.rs` on PostgreSQL: the same command-line cases, each workspace in its own fresh
//! database (see `tests/common/backend.rs`).

#[path = "cli.rs"]
mod cases;
