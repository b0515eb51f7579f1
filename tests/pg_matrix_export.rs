//! `tests/export.rs` with every workspace in its own PostgreSQL database (see
//! `common::backend`): every exporter's output parsed back and checked on PostgreSQL.

#[path = "export.rs"]
mod cases;
