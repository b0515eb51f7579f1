//! The checks gateways and sources share: a unique name, timing keys, bounds on every number,
//! URLs without credentials in them, and environment variable names.
//!
//! Invariant: every number the config holds is bounded here, so nothing downstream can
//! overflow or panic on it (a semaphore of 2^61 permits, a retention of 300000 years).

use super::{KeyError, MAX_SECONDS, Source, seconds};
use crate::import::InputError;

/// The most checks that may run at once.
pub const MAX_CONCURRENCY: u64 = 1024;
/// The longest retention default, in years.
pub const MAX_RETENTION_YEARS: u64 = 100;
/// The most retries after a failed attempt.
pub const MAX_RETRIES: u64 = 10;
/// The most consecutive failures before a finding opens.
pub const MAX_FAIL_AFTER: u64 = 1000;
/// The largest body or output cap (256 MiB).
pub const MAX_BYTES: u64 = 256 << 20;
/// The longest timeout (one day).
pub const MAX_TIMEOUT: u64 = 86_400;

/// `value` must lie in `lo..=hi`.
pub fn bounded(
    err: &KeyError<'_>,
    key: &str,
    value: u64,
    lo: u64,
    hi: u64,
) -> Result<(), InputError> {
    if (lo..=hi).contains(&value) {
        Ok(())
    } else {
        Err(err(
            key,
            format!("{value} is out of range (expected {lo} to {hi})"),
        ))
    }
}

/// Whether `v` is the NAME of an environment variable (A-Z, 0-9, _; not starting with a digit).
pub fn env_name(v: &str) -> bool {
    !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && !v.starts_with(|c: char| c.is_ascii_digit())
}

/// A source's name: not empty and not taken by another gateway or source.
pub fn unique_name(
    err: &KeyError<'_>,
    names: &mut std::collections::HashSet<String>,
    name: &str,
) -> Result<(), InputError> {
    if name.trim().is_empty() {
        return Err(err("name", "must not be empty".into()));
    }
    if !names.insert(name.to_owned()) {
        return Err(err("name", format!("duplicate source name `{name}`")));
    }
    Ok(())
}

/// An http(s) URL with no `user:password@` in it (reqwest would send that as Basic auth and
/// the server could echo it). The URL is never repeated in the message: it may hold a password.
pub fn http_url(err: &KeyError<'_>, u: &str, secret_via: &str) -> Result<(), InputError> {
    let Some(rest) = u
        .strip_prefix("http://")
        .or_else(|| u.strip_prefix("https://"))
    else {
        let shown = crate::collect::redact::Redactor::default().text(u);
        return Err(err("url", format!("`{shown}` is not an http(s) URL")));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return Err(err(
            "url",
            format!(
                "must not hold a user name or password (`user:pass@host`); put the credential in an environment variable and send it with `{secret_via}`"
            ),
        ));
    }
    Ok(())
}

/// The keys every gateway and source times itself by: `retries`, `fail_after`, `max_bytes`,
/// `interval`, `timeout`.
pub fn timing(
    err: &KeyError<'_>,
    retries: u32,
    fail_after: u32,
    max_bytes: Option<usize>,
    interval: &str,
    timeout: &str,
) -> Result<(), InputError> {
    if fail_after == 0 {
        return Err(err("fail_after", "must be at least 1".into()));
    }
    bounded(err, "fail_after", fail_after.into(), 1, MAX_FAIL_AFTER)?;
    bounded(err, "retries", retries.into(), 0, MAX_RETRIES)?;
    if let Some(m) = max_bytes {
        bounded(err, "max_bytes", m as u64, 1, MAX_BYTES)?;
    }
    for (k, v, max, said) in [
        ("interval", interval, MAX_SECONDS, "366 days"),
        ("timeout", timeout, MAX_TIMEOUT, "one day"),
    ] {
        match seconds(v) {
            None => {
                return Err(err(
                    k,
                    format!("`{v}` is not a duration like 15s, 5m or 1h"),
                ));
            }
            Some(s) if s > max => {
                return Err(err(k, format!("`{v}` is longer than {said}")));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// The numbers only sources have: `port`, `min_days`, `expect_status`, `expect_exit`.
pub fn source_numbers(err: &KeyError<'_>, s: &Source) -> Result<(), InputError> {
    if let Some(p) = s.port {
        bounded(err, "port", p.into(), 1, 65_535)?;
    }
    if let Some(d) = s.min_days {
        bounded(err, "min_days", d.into(), 0, 3650)?;
    }
    if let Some(c) = s.expect_status {
        bounded(err, "expect_status", c.into(), 100, 599)?;
    }
    if let Some(c) = s.expect_exit
        && !(0..=255).contains(&c)
    {
        return Err(err(
            "expect_exit",
            format!("{c} is out of range (expected 0 to 255)"),
        ));
    }
    Ok(())
}
