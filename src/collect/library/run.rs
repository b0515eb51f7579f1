//! A preset source in a poll: the config entry becomes a check kind and a judge; after the
//! check's own attempt (exit code, HTTP status, file age) the judge reads the answer and its
//! one line becomes the result's summary.
//!
//! Invariants: a source whose preset is unknown or whose parameters do not fill fails every
//! check with that reason (never runs something half-filled); a file is read up to the cap.

use super::Library;
use super::expand::{Plan, fill, plan};
use super::judge::Judge;
use crate::collect::config::Source;
use crate::collect::spec::{Kind, rel};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// A preset source's judge, or why it cannot run.
#[derive(Debug, Clone)]
pub struct Judged {
    /// The preset's name.
    pub preset: String,
    /// Its judge, or the reason it has none.
    pub judge: Result<Arc<Judge>, String>,
}

/// The check kind and judge of the preset source `s`.
pub fn source_kind(
    s: &Source,
    dir: &Path,
    lib: &Library,
    get: &mut dyn FnMut(&str) -> Option<String>,
    peek: &dyn Fn(&str) -> Option<String>,
) -> (Kind, Judged) {
    let name = s.preset.clone().unwrap_or_default();
    let broken = |why: String| {
        (
            Kind::Command {
                program: String::new(),
                args: Vec::new(),
                expect_exit: 0,
                regex: None,
                env: Vec::new(),
            },
            Judged {
                preset: name.clone(),
                judge: Err(why),
            },
        )
    };
    let Some(entry) = lib.get(&name) else {
        return broken(format!("unknown preset `{name}` (see `certready presets`)"));
    };
    let filled = match fill(entry, &s.params) {
        Ok(f) => f,
        Err(e) => return broken(e),
    };
    let judge = match Judge::new(&filled.preset) {
        Ok(j) => Arc::new(j),
        Err(e) => return broken(e),
    };
    let kind = match plan(&filled, get, peek) {
        Plan::Http {
            url,
            method,
            headers,
        } => Kind::Http {
            url,
            method,
            headers,
            expect_status: 200,
            asserts: Vec::new(),
        },
        Plan::Command { program, args, env } => Kind::Command {
            program,
            args,
            expect_exit: 0,
            regex: None,
            env,
        },
        Plan::File { path, max_age_days } => Kind::File {
            pattern: rel(dir, &path).to_string_lossy().into_owned(),
            asserts: Vec::new(),
            regex: None,
            max_age: max_age_days.map(|d| Duration::from_secs(d.saturating_mul(86_400))),
        },
    };
    (
        kind,
        Judged {
            preset: name,
            judge: Ok(judge),
        },
    )
}

/// Reads the newest file matching `pattern` (up to `cap` bytes) for the judge: its size
/// against the floor, then its content.
pub fn judge_file(pattern: &str, cap: usize, judge: &Judge, now: i64) -> (bool, String) {
    let newest = glob::glob(pattern)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|p| {
            let m = std::fs::metadata(&p).ok()?;
            m.is_file().then(|| (m.modified().ok(), m.len(), p))
        })
        .max();
    let Some((_, size, path)) = newest else {
        return (false, format!("no file matches `{pattern}`"));
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut parts = Vec::new();
    let mut ok = true;
    if let Some(min) = judge.min_bytes {
        ok &= size >= min;
        parts.push(format!("{name}: {size} bytes (at least {min} needed)"));
    }
    if judge.reads_content() {
        if size > cap as u64 {
            return (false, format!("{name}: larger than the {cap}-byte cap"));
        }
        let text = match std::fs::read(&path) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => return (false, format!("{name}: {e}")),
        };
        let (good, line) = judge.judge(&text, now);
        ok &= good;
        parts.push(format!("{name}: {line}"));
    }
    (ok, parts.join("; "))
}

/// The result after the judge: `(ok, summary)` of the attempt, read again by the preset.
pub fn apply(
    judged: &Judged,
    kind: &Kind,
    attempt: (bool, String),
    content: &str,
    cap: usize,
    now: i64,
) -> (bool, String) {
    let judge = match &judged.judge {
        Ok(j) => j,
        Err(e) => return (false, e.clone()),
    };
    if !attempt.0 {
        return attempt;
    }
    let (ok, line) = match kind {
        Kind::File { pattern, .. } => {
            let (ok, line) = judge_file(pattern, cap, judge, now);
            (ok, if line.is_empty() { attempt.1 } else { line })
        }
        _ => judge.judge(content, now),
    };
    (ok, line)
}
