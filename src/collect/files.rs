//! File checks: the newest file matching a glob: exists, age, size, SHA-256, and optional
//! JSONPath or regex checks on its content (a scanner's JSON report, a configuration snapshot).
//!
//! Invariant: reading and hashing stop at the check's deadline, so a huge (or endless) file
//! costs at most the source's timeout and then fails with "timed out".

use super::config::Assertion;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::time::{Duration, Instant, SystemTime};

/// One attempt: passed, summary, content to store.
pub fn attempt(
    pattern: &str,
    asserts: &[Assertion],
    regex: Option<&str>,
    max_age: Option<Duration>,
    cap: usize,
    until: Instant,
) -> (bool, String, String) {
    let paths = match glob::glob(pattern) {
        Ok(p) => p,
        Err(e) => return (false, format!("bad glob `{pattern}`: {e}"), String::new()),
    };
    let newest = paths
        .take_while(|_| Instant::now() < until)
        .filter_map(Result::ok)
        .filter_map(|p| {
            let m = std::fs::metadata(&p).ok()?;
            m.is_file()
                .then(|| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), p))
        })
        .max();
    let Some((modified, path)) = newest else {
        return (false, format!("no file matches `{pattern}`"), String::new());
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut f = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => return (false, format!("{name}: {e}"), String::new()),
    };
    let (mut hasher, mut size, mut kept) = (Sha256::new(), 0usize, Vec::new());
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        if Instant::now() >= until {
            return (
                false,
                format!("{name}: timed out after reading {size} bytes"),
                String::new(),
            );
        }
        match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                hasher.update(&buf[..n]);
                if size + n <= cap {
                    kept.extend_from_slice(&buf[..n]);
                }
                size += n;
            }
            Err(e) => return (false, format!("{name}: {e}"), String::new()),
        }
    }
    let digest: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let age = SystemTime::now()
        .duration_since(modified)
        .unwrap_or_default()
        .as_secs();
    let head = format!(
        "{name}: {size} bytes, {} old, sha256 {}",
        human_age(age),
        &digest[..12]
    );
    let content = format!("file {name}\nsize {size}\nsha256 {digest}\n");
    if let Some(max) = max_age
        && age > max.as_secs()
    {
        return (
            false,
            format!("older than {}: {head}", human_age(max.as_secs())),
            content,
        );
    }
    if (!asserts.is_empty() || regex.is_some()) && size > cap {
        return (
            false,
            format!("larger than the {cap}-byte cap for checks: {head}"),
            content,
        );
    }
    let text = String::from_utf8_lossy(&kept);
    if let Err(e) = super::assert::check_all(&text, asserts) {
        return (false, format!("assertion failed: {e}: {head}"), content);
    }
    if let Some(r) = regex {
        match regex_lite::Regex::new(r) {
            Ok(re) if re.is_match(&text) => {}
            Ok(_) => return (false, format!("no match for /{r}/: {head}"), content),
            Err(e) => return (false, format!("bad regex: {e}"), content),
        }
    }
    (true, head, content)
}

/// `90s`, `12m`, `5h`, `3d`.
pub fn human_age(s: u64) -> String {
    match s {
        0..120 => format!("{s}s"),
        120..7200 => format!("{}m", s / 60),
        7200..172_800 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    }
}
