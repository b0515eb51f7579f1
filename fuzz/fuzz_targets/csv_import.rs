//! The CSV importer: detects the kind of list from the header row and converts each row into
//! model-file rows; then the validator, as for a YAML file.
//! Property: any input returns (`Ok` or `Err`) without a panic, a hang or unbounded memory.
//!
//! The importer (`src/import/csv_rows.rs`) is a private module, reachable from the public API
//! only through `certready::import::parse_file`, which reads a path from disk. To keep the
//! target pure (no file writes per input) the same source file is compiled into this target,
//! against the crate's public `import::model`, `InputError` and `Parsed`. The regression test
//! (`tests/fuzz_regressions.rs`) goes through `parse_file` with a `.csv` copy instead.

#![no_main]

mod common;

#[path = "../../src/import/csv_rows.rs"]
mod csv_rows;

// What `csv_rows` reaches through `super::`.
use certready::import::{InputError, Parsed, model};

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = common::text(data);
    let parsed: Result<Parsed, InputError> = csv_rows::parse("fuzz.csv", &text);
    match parsed {
        Ok(parsed) => {
            for known in [&*common::KNOWN, &*common::EMPTY] {
                if let Err(e) = certready::import::validate(&parsed, known) {
                    let _ = e.to_string();
                }
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
