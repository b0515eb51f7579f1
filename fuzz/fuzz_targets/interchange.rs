//! The interchange importers: an OSCAL catalog (JSON) and a CISO Assistant library (YAML),
//! both on the same input; mappings from a library are resolved against the shipped
//! frameworks as `import` does.
//! Property: any input returns (`Ok` or `Err`) without a panic, a hang or unbounded memory.

#![no_main]

mod common;

use certready::domain::{ControlId, Mapping, Relationship};
use certready::import::libraries::{Ciso, ciso_library, derive_mappings};
use certready::import::oscal::catalog as oscal_catalog;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

/// One existing mapping per shipped framework (its first requirement), so derived mappings
/// have something to carry.
static EXISTING: LazyLock<Vec<Mapping>> = LazyLock::new(|| {
    common::FRAMEWORKS
        .iter()
        .filter_map(|fw| {
            let r = fw.requirements.first()?;
            Some(Mapping {
                control: ControlId("GW-FUZZ-01".to_owned()),
                framework: fw.key.clone(),
                requirement: r.ref_id.clone(),
                relationship: Relationship::Full,
                rationale: String::new(),
                carve_out: None,
                source: String::new(),
                overrides: None,
            })
        })
        .collect()
});

fuzz_target!(|data: &[u8]| {
    let text = common::text(data);
    if let Err(e) = oscal_catalog("fuzz.json", &text) {
        let _ = e.to_string();
    }
    match ciso_library("fuzz.yaml", &text) {
        Ok(Ciso::Mappings(rows)) => {
            let _ = derive_mappings(&rows, &common::FRAMEWORKS, &EXISTING);
        }
        Ok(Ciso::Framework(_)) => {}
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
