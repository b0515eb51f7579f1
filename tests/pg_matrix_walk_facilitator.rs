//! `tests/walk_facilitator.rs` with every workspace in its own PostgreSQL database (see
//! `common::backend`): the dashboard in a real pseudo-terminal on the PostgreSQL backend.

#[path = "walk_facilitator.rs"]
mod cases;
