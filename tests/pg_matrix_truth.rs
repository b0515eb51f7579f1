//! `tests/truth.rs` with every workspace in its own PostgreSQL database (see
//! `common::backend`): what the command line says is true on PostgreSQL too.

#[path = "truth.rs"]
mod cases;
