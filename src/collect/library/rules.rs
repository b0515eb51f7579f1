//! A rule over the items of an answer: which items match (a filter, an age against a
//! threshold in days), and the one line that names them ("1 of 2 pods running a privileged
//! container: kube-system/debugger").
//!
//! Invariant: items are named by the fields the rule names (clipped), never shown whole.

use super::judge::{Expect, NAMES_SHOWN, Rule, shown};
use super::read::timestamp;
use serde_json::Value;
use serde_json_path::JsonPath;

fn field<'a>(item: &'a Value, dotted: &str) -> Option<&'a Value> {
    dotted.split('.').try_fold(item, |v, k| v.get(k))
}

/// Reads rule `r` over `doc` at `now` (seconds): whether it holds, and its line.
pub fn rule(
    r: &Rule,
    items: &JsonPath,
    when: Option<&JsonPath>,
    doc: &Value,
    now: i64,
) -> (bool, String) {
    let all = items.query(doc).all();
    let total = all.len();
    let older = r
        .older_than_days
        .as_deref()
        .and_then(|d| d.trim().parse::<f64>().ok());
    let younger = r
        .younger_than_days
        .as_deref()
        .and_then(|d| d.trim().parse::<f64>().ok());
    let mut matched: Vec<(String, Option<i64>)> = Vec::new();
    for (i, item) in all.iter().enumerate() {
        if let Some(w) = when {
            let wrapped = Value::Array(vec![(*item).clone()]);
            if w.query(&wrapped).is_empty() {
                continue;
            }
        }
        let days = r
            .age
            .as_deref()
            .and_then(|a| field(item, a))
            .and_then(timestamp)
            .map(|t| (now - t).div_euclid(86_400));
        let secs = r
            .age
            .as_deref()
            .and_then(|a| field(item, a))
            .and_then(timestamp)
            .map(|t| now - t);
        if let Some(o) = older
            && secs.is_some_and(|s| (s as f64) <= o * 86_400.0)
        {
            continue;
        }
        if let Some(y) = younger
            && !secs.is_some_and(|s| (s as f64) < y * 86_400.0)
        {
            continue;
        }
        matched.push((name_of(r, item, i), days.filter(|_| r.age.is_some())));
    }
    let label = |(n, d): &(String, Option<i64>)| match (d, r.age.is_some()) {
        (Some(d), _) => format!("{n} {d} d"),
        (None, true) => format!("{n} age unknown"),
        (None, false) => n.clone(),
    };
    let names = |list: &[(String, Option<i64>)]| {
        let mut s: Vec<String> = list.iter().take(NAMES_SHOWN).map(label).collect();
        if list.len() > NAMES_SHOWN {
            s.push(format!("+{} more", list.len() - NAMES_SHOWN));
        }
        s.join(", ")
    };
    let what = if r.what.is_empty() {
        String::new()
    } else {
        format!(" {}", r.what)
    };
    let head = format!("{} of {total} {}{what}", matched.len(), r.noun);
    match r.expect {
        Expect::None => {
            // The oldest offenders first: they are the ones an auditor asks about.
            matched.sort_by_key(|(n, d)| (std::cmp::Reverse(*d), n.clone()));
            if matched.is_empty() {
                (true, head)
            } else {
                (false, format!("{head}: {}", names(&matched)))
            }
        }
        Expect::Some if matched.is_empty() => (false, head),
        Expect::Some => (true, format!("{head}: {}", names(&matched))),
        Expect::List if matched.is_empty() => (false, format!("no {}{what} in the answer", r.noun)),
        Expect::List => (
            true,
            format!("{} {}{what}: {}", matched.len(), r.noun, names(&matched)),
        ),
        Expect::Cover => {
            let wanted: Vec<&str> = r
                .values
                .as_deref()
                .unwrap_or("")
                .split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .collect();
            let missing: Vec<&str> = wanted
                .iter()
                .copied()
                .filter(|w| !matched.iter().any(|(n, _)| n == w))
                .collect();
            let line = format!(
                "{} of {} named {}{what}",
                wanted.len() - missing.len(),
                wanted.len(),
                r.noun
            );
            if missing.is_empty() && !wanted.is_empty() {
                (true, line)
            } else {
                (false, format!("{line}; missing: {}", missing.join(", ")))
            }
        }
    }
}

fn name_of(r: &Rule, item: &Value, i: usize) -> String {
    let parts: Vec<String> = r
        .name
        .iter()
        .filter_map(|f| field(item, f))
        .filter(|v| !v.is_null())
        .map(shown)
        .collect();
    if parts.is_empty() {
        match item {
            Value::String(s) => shown(&Value::String(s.clone())),
            _ => format!("#{}", i + 1),
        }
    } else {
        parts.join("/")
    }
}
