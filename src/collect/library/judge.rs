//! The judge: a preset's checks and rules read a JSON answer and say in one line, in words an
//! auditor reads, whether it holds and why ("3 of 41 IAM users' first keys older than 90 days:
//! ci-deployer 212 d, ...").
//!
//! Invariants: declarative only (JSONPath selections, a name field, an age against a threshold
//! in days); the line names items by the fields the preset names, never whole values, so a
//! secret in an answer is not repeated; the date is a parameter (`now`, seconds).

use super::Preset;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json_path::JsonPath;

/// Names shown before "+N more".
pub const NAMES_SHOWN: usize = 5;

/// A check on a value in the answer.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// What it is, in words.
    pub label: String,
    /// JSONPath to the value.
    pub path: String,
    /// The value must equal this.
    #[serde(default)]
    pub equals: Option<toml::Value>,
    /// The value must be a number at least this.
    #[serde(default)]
    pub at_least: Option<String>,
    /// The path must match at least this many nodes.
    #[serde(default)]
    pub count_at_least: Option<String>,
}

/// How a rule's matching items decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    /// No item may match (the matches are the offenders, named).
    #[default]
    None,
    /// At least one item must match.
    Some,
    /// There must be items; all are named (a list for access reviews).
    List,
    /// Every name in `values` must be among the matching items' names.
    Cover,
}

/// A rule over the items of the answer.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// JSONPath selecting the items (the population).
    pub items: String,
    /// What the items are, plural ("IAM users", "snapshots").
    pub noun: String,
    /// What matching means, in words ("without MFA", "older than 90 days").
    #[serde(default)]
    pub what: String,
    /// A filter an item must pass to match (the body of `[?...]`, with `@` the item).
    #[serde(default)]
    pub when: Option<String>,
    /// Fields (dot paths) naming an item, joined by `/`.
    #[serde(default)]
    pub name: Vec<String>,
    /// Field holding a timestamp (RFC 3339, a date, or seconds since the epoch).
    #[serde(default)]
    pub age: Option<String>,
    /// The item matches only if older than this many days (an unknown age counts as older).
    #[serde(default)]
    pub older_than_days: Option<String>,
    /// The item matches only if younger than this many days.
    #[serde(default)]
    pub younger_than_days: Option<String>,
    /// How the matches decide.
    #[serde(default)]
    pub expect: Expect,
    /// The names that must all be present (`cover`), comma-separated.
    #[serde(default)]
    pub values: Option<String>,
}

/// A preset's checks and rules, ready to read answers.
#[derive(Debug, Clone)]
pub struct Judge {
    checks: Vec<(Check, JsonPath)>,
    rules: Vec<(Rule, JsonPath, Option<JsonPath>)>,
    csv_from: Option<JsonPath>,
    /// The newest file must hold at least this many bytes (file presets).
    pub min_bytes: Option<u64>,
}

fn path(p: &str) -> Result<JsonPath, String> {
    JsonPath::parse(p).map_err(|e| format!("`{p}` is not a JSONPath: {e}"))
}

fn number(what: &str, v: Option<&String>) -> Result<Option<f64>, String> {
    v.map(|s| {
        s.trim()
            .parse::<f64>()
            .map_err(|_| format!("{what}: `{s}` is not a number"))
    })
    .transpose()
}

impl Judge {
    /// The judge of a filled preset; the error names the bad path or number.
    pub fn new(p: &Preset) -> Result<Self, String> {
        let mut checks = Vec::new();
        for c in &p.asserts {
            number(&c.label, c.at_least.as_ref())?;
            number(&c.label, c.count_at_least.as_ref())?;
            checks.push((c.clone(), path(&c.path)?));
        }
        let mut rules = Vec::new();
        for r in &p.rules {
            number(&r.noun, r.older_than_days.as_ref())?;
            number(&r.noun, r.younger_than_days.as_ref())?;
            let when = r
                .when
                .as_deref()
                .map(|w| path(&format!("$[?{w}]")))
                .transpose()?;
            rules.push((r.clone(), path(&r.items)?, when));
        }
        let min_bytes = p
            .file
            .as_ref()
            .and_then(|f| f.min_bytes.as_ref())
            .map(|b| {
                b.parse::<u64>()
                    .map_err(|_| format!("min_bytes: `{b}` is not a number"))
            })
            .transpose()?;
        Ok(Self {
            checks,
            rules,
            csv_from: p.csv_from.as_deref().map(path).transpose()?,
            min_bytes,
        })
    }

    /// Whether the judge reads the answer at all (a file preset may check only age and size).
    pub fn reads_content(&self) -> bool {
        !self.checks.is_empty() || !self.rules.is_empty()
    }

    /// Reads `text` (JSON) at `now`: whether it holds, and the line that says why.
    pub fn judge(&self, text: &str, now: i64) -> (bool, String) {
        if !self.reads_content() {
            return (true, String::new());
        }
        let mut doc: Value = match serde_json::from_str(text) {
            Ok(d) => d,
            Err(e) => return (false, format!("the answer is not JSON ({e})")),
        };
        if let Some(p) = &self.csv_from {
            match p.query(&doc).first().and_then(Value::as_str).map(csv_rows) {
                Some(Ok(rows)) => doc = rows,
                Some(Err(e)) => return (false, e),
                None => return (false, "the answer holds no report to read".into()),
            }
        }
        let mut ok = true;
        let mut parts = Vec::new();
        for (c, p) in &self.checks {
            let (good, line) = check(c, p, &doc);
            ok &= good;
            parts.push(line);
        }
        for (r, items, when) in &self.rules {
            let (good, line) = rule(r, items, when.as_ref(), &doc, now);
            ok &= good;
            parts.push(line);
        }
        (ok, parts.join("; "))
    }
}

fn shown(v: &Value) -> String {
    let mut s = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    crate::collect::redact::clip(&mut s, 40);
    s
}

fn check(c: &Check, p: &JsonPath, doc: &Value) -> (bool, String) {
    let nodes = p.query(doc).all();
    if let Some(n) = c
        .count_at_least
        .as_deref()
        .and_then(|n| n.trim().parse::<f64>().ok())
    {
        let good = nodes.len() as f64 >= n;
        return (
            good,
            format!("{}: {} (at least {n} needed)", c.label, nodes.len()),
        );
    }
    let Some(first) = nodes.first() else {
        return (false, format!("{}: not in the answer", c.label));
    };
    if let Some(min) = c
        .at_least
        .as_deref()
        .and_then(|n| n.trim().parse::<f64>().ok())
    {
        let got = first.as_f64();
        let good = got.is_some_and(|g| g >= min);
        return (
            good,
            format!("{}: {} (at least {min} needed)", c.label, shown(first)),
        );
    }
    if let Some(want) = &c.equals {
        let want = crate::collect::assert::to_json(want);
        let same = |v: &Value| match (v, &want) {
            (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
            _ => *v == want,
        };
        if let Some(bad) = nodes.iter().find(|v| !same(v)) {
            return (
                false,
                format!("{}: {}, expected {}", c.label, shown(bad), shown(&want)),
            );
        }
    }
    (true, format!("{}: {}", c.label, shown(first)))
}

fn field<'a>(item: &'a Value, dotted: &str) -> Option<&'a Value> {
    dotted.split('.').try_fold(item, |v, k| v.get(k))
}

/// Seconds since the epoch of a timestamp: RFC 3339, `YYYY-MM-DD HH:MM:SS`, a date, or a number.
pub fn timestamp(v: &Value) -> Option<i64> {
    if let Some(n) = v.as_i64() {
        return Some(if n > 100_000_000_000 { n / 1000 } else { n });
    }
    let s = v.as_str()?.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp());
    }
    let iso = s.replacen(' ', "T", 1);
    for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f%#z"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(&iso, f) {
            return Some(t.and_utc().timestamp());
        }
        if let Ok(t) = chrono::DateTime::parse_from_str(&iso, f) {
            return Some(t.timestamp());
        }
    }
    chrono::NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp())
}

fn rule(
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

/// A base64 CSV report (header row first) as an array of objects of strings.
pub fn csv_rows(b64: &str) -> Result<Value, String> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|e| format!("the report is not base64 ({e})"))?;
    let mut rd = csv::Reader::from_reader(bytes.as_slice());
    let headers = rd
        .headers()
        .map_err(|e| format!("the report is not CSV ({e})"))?
        .clone();
    let mut rows = Vec::new();
    for rec in rd.records() {
        let rec = rec.map_err(|e| format!("the report is not CSV ({e})"))?;
        let obj: serde_json::Map<String, Value> = headers
            .iter()
            .zip(rec.iter())
            .map(|(h, v)| (h.to_owned(), Value::String(v.to_owned())))
            .collect();
        rows.push(Value::Object(obj));
    }
    Ok(Value::Array(rows))
}
