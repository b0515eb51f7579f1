//! Evidence that collects itself (issue in progress): the workspace config of gateways and
//! evidence sources, redaction before anything is stored, reading gateway health answers, and
//! availability from a series of checks. The pollers (async, at the edge) come next; these
//! parts are pure and tested on their own.

pub mod availability;
pub mod config;
pub mod presets;
pub mod redact;
pub mod sim;
