//! A preset and its parameters become a source ready to check: the request, program or file
//! pattern with every placeholder filled, and the judge that reads the answer.
//!
//! Invariants: secrets come from the environment variables the parameters name and go into
//! the spec's redaction list; a command gets only the variables its preset passes on (those
//! set) and the secret ones it names; nothing here runs or fetches anything.

use super::judge::Judge;
use super::{Entry, Preset, PresetKind, params};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An HTTP request.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// URL.
    pub url: String,
    /// Method (default GET).
    #[serde(default)]
    pub method: Option<String>,
    /// Plain headers (no secrets).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The variable whose value authorises the request.
    #[serde(default)]
    pub auth_env: Option<String>,
    /// The header it goes in (default `Authorization`).
    #[serde(default)]
    pub auth_header: Option<String>,
    /// The scheme word before it (`Bearer`, `SSWS`; empty for the bare value).
    #[serde(default)]
    pub auth_scheme: Option<String>,
}

/// A local program whose standard output is JSON.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Command {
    /// Program.
    pub program: String,
    /// Arguments; an argument that fills to nothing is dropped.
    #[serde(default)]
    pub args: Vec<String>,
    /// Arguments added only when the parameter they are keyed by is not empty.
    #[serde(default)]
    pub optional_args: BTreeMap<String, Vec<String>>,
    /// Variables passed on when set (not secret: a profile, a region, a config file).
    #[serde(default)]
    pub pass_env: Vec<String>,
    /// Variables passed on when set whose values are secret (redacted everywhere).
    #[serde(default)]
    pub secret_env: Vec<String>,
}

/// The newest file matching a pattern.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FileSpec {
    /// Glob, relative to the workspace.
    pub path: String,
    /// The newest file must be younger than this many days.
    #[serde(default)]
    pub max_age_days: Option<String>,
    /// The newest file must hold at least this many bytes.
    #[serde(default)]
    pub min_bytes: Option<String>,
}

/// What to run, with secret values, before it becomes a `spec::Kind`.
#[derive(Debug, Clone)]
pub enum Plan {
    /// An HTTP GET (or other method) with headers, secret values included.
    Http {
        /// URL.
        url: String,
        /// Method.
        method: String,
        /// Headers.
        headers: Vec<(String, String)>,
    },
    /// A program.
    Command {
        /// Program.
        program: String,
        /// Arguments.
        args: Vec<String>,
        /// Variables with values.
        env: Vec<(String, String)>,
    },
    /// A file.
    File {
        /// Glob (relative to the workspace).
        path: String,
        /// Maximum age in days.
        max_age_days: Option<u64>,
    },
}

/// A preset filled with its parameters.
#[derive(Debug, Clone)]
pub struct Filled {
    /// The filled preset.
    pub preset: Preset,
    /// Every parameter's value.
    pub values: BTreeMap<String, String>,
}

/// Fills `entry` with `given` parameters; the error is one line naming the parameter.
pub fn fill(entry: &Entry, given: &BTreeMap<String, String>) -> Result<Filled, String> {
    let values = params::resolve(entry, given)?;
    let raw = params::fill_value(&toml::Value::Table(entry.raw.clone()), &values)?;
    let preset: Preset = raw
        .try_into()
        .map_err(|e: toml::de::Error| format!("preset {}: {}", entry.preset.name, e.message()))?;
    let judge = Judge::new(&preset)?;
    drop(judge);
    let needs = match preset.kind {
        PresetKind::Http => preset.request.is_none().then_some("[request]"),
        PresetKind::Command => preset.command.is_none().then_some("[command]"),
        PresetKind::File => preset.file.is_none().then_some("[file]"),
    };
    if let Some(n) = needs {
        return Err(format!(
            "preset {}: a {} preset needs {n}",
            preset.name,
            preset.kind.as_str()
        ));
    }
    Ok(Filled { preset, values })
}

/// The plan of a filled preset, with secrets read through `get` (which records them for
/// redaction and notes a missing one) and other variables through `peek`.
pub fn plan(
    f: &Filled,
    get: &mut dyn FnMut(&str) -> Option<String>,
    peek: &dyn Fn(&str) -> Option<String>,
) -> Plan {
    let p = &f.preset;
    match (p.kind, &p.request, &p.command, &p.file) {
        (PresetKind::Http, Some(r), _, _) => {
            let mut headers: Vec<(String, String)> = r
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if let Some(var) = r.auth_env.as_deref().filter(|v| !v.is_empty())
                && let Some(value) = get(var)
            {
                let scheme = r.auth_scheme.as_deref().unwrap_or("Bearer");
                let header = r
                    .auth_header
                    .clone()
                    .unwrap_or_else(|| "Authorization".into());
                let v = if scheme.is_empty() {
                    value
                } else {
                    format!("{scheme} {value}")
                };
                headers.push((header, v));
            }
            Plan::Http {
                url: r.url.clone(),
                method: r.method.clone().unwrap_or_else(|| "GET".into()),
                headers,
            }
        }
        (PresetKind::Command, _, Some(c), _) => {
            let mut env = Vec::new();
            for n in &c.pass_env {
                if let Some(v) = peek(n).filter(|v| !v.is_empty()) {
                    env.push((n.clone(), v));
                }
            }
            for n in c.secret_env.iter().filter(|n| !n.is_empty()) {
                if peek(n).is_some_and(|v| !v.is_empty())
                    && let Some(v) = get(n)
                {
                    env.push((n.clone(), v));
                }
            }
            let mut args: Vec<String> = c.args.iter().filter(|a| !a.is_empty()).cloned().collect();
            for (param, extra) in &c.optional_args {
                if f.values.get(param).is_some_and(|v| !v.is_empty()) {
                    args.extend(extra.iter().cloned());
                }
            }
            Plan::Command {
                program: c.program.clone(),
                args,
                env,
            }
        }
        (_, _, _, Some(fs)) => Plan::File {
            path: fs.path.clone(),
            max_age_days: fs.max_age_days.as_deref().and_then(|d| d.parse().ok()),
        },
        _ => Plan::File {
            path: String::new(),
            max_age_days: None,
        },
    }
}
