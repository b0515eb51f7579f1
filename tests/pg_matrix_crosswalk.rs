//! `tests/crosswalk.rs` with every workspace in its own PostgreSQL database (see
//! `common::backend`): what a mapping may claim, checked on PostgreSQL too.

#[path = "crosswalk.rs"]
mod cases;
