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
            match p
                .query(&doc)
                .first()
                .and_then(Value::as_str)
                .map(super::read::csv_rows)
            {
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
            let (good, line) = super::rules::rule(r, items, when.as_ref(), &doc, now);
            ok &= good;
            parts.push(line);
        }
        (ok, parts.join("; "))
    }
}

/// A value as short text (strings bare, clipped to 40 characters).
pub fn shown(v: &Value) -> String {
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
