//! The YAML model-file parser, and the validator on whatever parses: against a workspace that
//! knows the shipped catalogs and control set, and against an empty one.
//! Property: any input returns (`Ok` or `Err`) without a panic, a hang or unbounded memory.

#![no_main]

mod common;

use certready::import::{parse_yaml, validate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = common::text(data);
    match parse_yaml("fuzz.yaml", &text) {
        Ok(parsed) => {
            for known in [&*common::KNOWN, &*common::EMPTY] {
                if let Err(e) = validate(&parsed, known) {
                    let _ = e.to_string();
                }
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
