//! The one clock: the only place the current date and time are read. Callers read it once
//! and pass the value down (the analysis never reads a clock).

use crate::domain::Date;

/// Today's date on this machine.
pub fn today() -> Date {
    chrono::Local::now().date_naive()
}

/// The current time as RFC 3339 UTC.
pub fn now_stamp() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The current time in seconds since the epoch.
pub fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}
