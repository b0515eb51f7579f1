//! `tests/tabletop.rs` with every workspace in its own PostgreSQL database (see
//! `common::backend`): the facilitator's exercises, their records and after-action report on
//! PostgreSQL; the report snapshots must equal the SQLite ones.

#[path = "tabletop.rs"]
mod cases;
