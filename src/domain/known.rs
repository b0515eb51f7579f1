//! The ids a workspace already holds, which an import (model files, libraries, tabletop
//! scenarios) checks its references against before anything is written.
//!
//! Invariant: plain sets and maps read from the store; nothing here reads the store itself.

use std::collections::{HashMap, HashSet};

/// Ids the workspace already holds, for validating references in an import.
#[derive(Debug, Default)]
pub struct Known {
    /// Framework → requirement ids.
    pub requirements: HashMap<String, HashSet<String>>,
    /// SOC 2 category (group) ids.
    pub soc2_categories: HashSet<String>,
    /// Control ids.
    pub controls: HashSet<String>,
    /// Finding ids.
    pub findings: HashSet<String>,
    /// Task id → its dependencies.
    pub task_deps: HashMap<String, Vec<String>>,
    /// Vendor ids.
    pub vendors: HashSet<String>,
}

impl Known {
    /// The framework keys, comma separated, for messages.
    pub fn framework_list(&self) -> String {
        let mut keys: Vec<&str> = self.requirements.keys().map(String::as_str).collect();
        keys.sort_unstable();
        keys.join(", ")
    }
}
