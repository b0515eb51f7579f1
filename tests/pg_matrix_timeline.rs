//! `tests/timeline.rs` with every workspace in its own PostgreSQL database (see
//! `common::backend`): the analysis run on a demo kept in PostgreSQL.

#[path = "timeline.rs"]
mod cases;
