//! `tests/roundtrip.rs` with every workspace in its own PostgreSQL database (see
//! `common::backend`): export json and csv re-imported to the same status on PostgreSQL.

#[path = "roundtrip.rs"]
mod cases;
