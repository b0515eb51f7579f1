//! `tests/vendors.rs` with every workspace in its own PostgreSQL database (see
//! `common::backend`): the analysis run on a demo kept in PostgreSQL.

#[path = "vendors.rs"]
mod cases;
