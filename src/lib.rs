//! certready: a local-first terminal dashboard that shows an organisation running LLM APIs how
//! ready it is for SOC 2 (Type I and II), ISO/IEC 27001, ISO/IEC 27701, HIPAA and PCI DSS.
//!
//! The crate is a library plus a short binary. Data flows `import` → `store` (SQLite) →
//! `domain` snapshot → `analysis` (pure scoring, `as_of` a date) → `ops` (use cases both
//! front ends run) → `cli` output and the `tui` dashboard.

pub mod analysis;
pub mod catalog;
pub mod cli;
pub mod collect;
pub mod demo;
pub mod domain;
pub mod import;
pub mod ops;
pub mod private;
pub mod report;
pub mod store;
pub mod tabletop;
pub mod tui;
pub mod workspace;
