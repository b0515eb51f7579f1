//! Evidence that collects itself: the workspace config of gateways and evidence sources,
//! pollers that check them (async, at the edge, on their own thread), redaction before
//! anything leaves a check, gateway health presets and the simulated gateway. Nothing here speaks
//! SQL: results go to the store's single writer. Availability and the gateway panel's uptime
//! are pure figures over the stored checks and live in `analysis`.

pub mod assert;
pub mod backlog;
pub mod check;
pub mod command;
pub mod config;
pub mod files;
pub mod http;
pub mod library;
pub mod poller;
pub mod presets;
pub mod redact;
pub mod sim;
pub mod spec;
pub mod tls;

/// The gateway panel's figures, kept at this path for the dashboard that names them here.
pub use crate::analysis::gateway as panel;
