//! The workspace config parser (`certready.toml`), and the duration parser on every interval
//! and timeout it accepts.
//! Property: any input returns (`Ok` or `Err`) without a panic, a hang or unbounded memory.

#![no_main]

mod common;

use certready::collect::config::{parse, seconds};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = common::text(data);
    match parse("certready.toml", &text) {
        Ok(cfg) => {
            for g in &cfg.gateway {
                let _ = (seconds(&g.interval), seconds(&g.timeout));
            }
            for s in &cfg.source {
                let _ = (seconds(&s.interval), seconds(&s.timeout));
                let _ = s.max_age.as_deref().map(seconds);
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    // The duration parser on its own, on the first line of the input.
    let _ = seconds(text.lines().next().unwrap_or_default());
});
