//! Evidence that collects itself: the workspace config of gateways and evidence sources,
//! pollers that check them (async, at the edge, on their own thread), redaction before
//! anything leaves a check, gateway health presets, availability from a series of checks, and
//! the simulated gateway. Nothing here speaks SQL: results go to the store's single writer.

pub mod assert;
pub mod availability;
pub mod backlog;
pub mod check;
pub mod command;
pub mod config;
pub mod files;
pub mod http;
pub mod panel;
pub mod poller;
pub mod presets;
pub mod redact;
pub mod sim;
pub mod spec;
pub mod tls;
