//! `tests/walk_lead.rs` with every workspace in its own PostgreSQL database (see
//! `common::backend`): the dashboard in a real pseudo-terminal on the PostgreSQL backend.

#[path = "walk_lead.rs"]
mod cases;
