//! `tests/mapping_review.rs` with every workspace in its own PostgreSQL database (see
//! `common::backend`): what a mapping may claim, checked on PostgreSQL too.

#[path = "mapping_review.rs"]
mod cases;
