//! The tabletop scenario parser (YAML; validated with and without the known requirement ids)
//! and the facilitator-script parser, both on the same input.
//! Property: any input returns (`Ok` or `Err`) without a panic, a hang or unbounded memory.

#![no_main]

mod common;

use certready::tabletop::{self, script};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = common::text(data);
    for known in [None, Some(&*common::KNOWN)] {
        if let Err(e) = tabletop::parse("fuzz.yaml", &text, known) {
            let _ = e.to_string();
        }
    }
    if let Err(e) = script::parse("fuzz.script", &text) {
        let _ = e.to_string();
    }
});
