//! The workspace config (`certready.toml`): gateways and evidence sources. Secrets appear only
//! as the names of environment variables (never in a key's value, never as `user:pass@` in a
//! URL); every number is bounded; every error names the line and the key.

use crate::import::InputError;
use checks::{bounded, env_name, http_url, source_numbers, timing, unique_name};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The config `init` writes, with `{{organization}}` still to be filled in.
pub const DEFAULT_CONFIG: &str = include_str!("../../assets/default-config.toml");

/// The whole config.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Organisation name.
    #[serde(default)]
    pub organization: Option<String>,
    /// Retention default for evidence, in years.
    #[serde(default)]
    pub evidence_retention_years: Option<u32>,
    /// Gateways.
    #[serde(default)]
    pub gateway: Vec<Gateway>,
    /// Other evidence sources.
    #[serde(default)]
    pub source: Vec<Source>,
    /// How many checks may run at once (default 32).
    #[serde(default)]
    pub concurrency: Option<usize>,
    /// Document control of the Statement of Applicability.
    #[serde(default)]
    pub soa: soa::SoaConfig,
}

/// An LLM API gateway whose health is availability evidence.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gateway {
    /// Name.
    pub name: String,
    /// litellm | kong | envoy | openai | generic.
    pub preset: String,
    /// Base URL.
    pub url: String,
    /// Name of the environment variable holding the token.
    #[serde(default)]
    pub token_env: Option<String>,
    /// Poll interval (`15s`, `5m`, `1h`).
    #[serde(default = "default_interval")]
    pub interval: String,
    /// Timeout per check.
    #[serde(default = "default_timeout")]
    pub timeout: String,
    /// Retries after a failed attempt, within the timeout (default 1).
    #[serde(default = "default_retries")]
    pub retries: u32,
    /// Consecutive failures that open a monitoring finding (default 3).
    #[serde(default = "default_fail_after")]
    pub fail_after: u32,
    /// Largest response body or output read, in bytes (default 1 MiB).
    #[serde(default)]
    pub max_bytes: Option<usize>,
    /// Extra trusted CA certificates (PEM file, relative to the workspace).
    #[serde(default)]
    pub ca_file: Option<String>,
    /// Controls this evidences.
    #[serde(default)]
    pub controls: Vec<String>,
}

/// One JSONPath assertion on a response body.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assertion {
    /// JSONPath (RFC 9535).
    pub path: String,
    /// The value must equal this.
    #[serde(default)]
    pub equals: Option<toml::Value>,
    /// The number of matches must be this.
    #[serde(default)]
    pub count: Option<u64>,
}

/// An evidence source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Name.
    pub name: String,
    /// http | tls | file | command.
    pub kind: String,
    /// URL (http).
    #[serde(default)]
    pub url: Option<String>,
    /// Method (http, default GET).
    #[serde(default)]
    pub method: Option<String>,
    /// Headers whose values name environment variables (`{ "X-Api-Key" = "ENV_NAME" }`).
    #[serde(default)]
    pub headers_env: BTreeMap<String, String>,
    /// Expected status (http, default 200).
    #[serde(default)]
    pub expect_status: Option<u16>,
    /// JSONPath assertions (http, file).
    #[serde(default)]
    pub assert: Vec<Assertion>,
    /// Host (tls).
    #[serde(default)]
    pub host: Option<String>,
    /// Port (tls, default 443).
    #[serde(default)]
    pub port: Option<u16>,
    /// Fail when the certificate expires within this many days (tls).
    #[serde(default)]
    pub min_days: Option<u32>,
    /// Glob (file).
    #[serde(default)]
    pub path: Option<String>,
    /// Regex that must match (file, command output).
    #[serde(default)]
    pub regex: Option<String>,
    /// Program (command; no shell unless the program is one).
    #[serde(default)]
    pub program: Option<String>,
    /// Arguments (command).
    #[serde(default)]
    pub args: Vec<String>,
    /// Environment variables the program gets (command): NAMES only; it runs with `PATH`,
    /// `HOME`, `LANG` and these, nothing else. Their values are secrets, redacted everywhere.
    #[serde(default)]
    pub env: Vec<String>,
    /// Expected exit code (command, default 0).
    #[serde(default)]
    pub expect_exit: Option<i32>,
    /// The newest matching file must be younger than this (file: `36h`, `7d`).
    #[serde(default)]
    pub max_age: Option<String>,
    /// Poll interval.
    #[serde(default = "default_interval")]
    pub interval: String,
    /// Timeout.
    #[serde(default = "default_timeout")]
    pub timeout: String,
    /// Retries after a failed attempt, within the timeout (default 1).
    #[serde(default = "default_retries")]
    pub retries: u32,
    /// Consecutive failures that open a monitoring finding (default 3).
    #[serde(default = "default_fail_after")]
    pub fail_after: u32,
    /// Largest response body or output read, in bytes (default 1 MiB).
    #[serde(default)]
    pub max_bytes: Option<usize>,
    /// Extra trusted CA certificates (PEM file, relative to the workspace).
    #[serde(default)]
    pub ca_file: Option<String>,
    /// Controls this evidences.
    #[serde(default)]
    pub controls: Vec<String>,
    /// The evidence preset this source runs (`kind = "preset"`; see `certready presets`).
    #[serde(default)]
    pub preset: Option<String>,
    /// The preset's parameters (secrets by environment-variable NAME only).
    #[serde(default)]
    pub params: BTreeMap<String, String>,
}

fn default_interval() -> String {
    "5m".into()
}

fn default_timeout() -> String {
    "10s".into()
}

fn default_retries() -> u32 {
    1
}

fn default_fail_after() -> u32 {
    3
}

/// The longest interval or timeout accepted (366 days): longer ones overflow clocks.
pub const MAX_SECONDS: u64 = 366 * 86_400;

/// The units a configured duration may end in.
const UNITS: [&str; 5] = ["ms", "s", "m", "h", "d"];

/// Seconds of a duration like `15s`, `5m`, `1h`, `7d` or `500ms` (rounded up to a second):
/// digits, then one of [`UNITS`], read by humantime. Zero and other forms humantime would
/// take (`1w`, `1h30m`, `15 s`) are refused, as they always were.
pub fn seconds(s: &str) -> Option<u64> {
    let s = s.trim();
    let unit = s.trim_start_matches(|c: char| c.is_ascii_digit());
    if unit.len() == s.len() || !UNITS.contains(&unit) {
        return None;
    }
    let d = humantime::parse_duration(s).ok()?;
    let secs = if unit == "ms" {
        u64::try_from(d.as_millis().div_ceil(1000).max(1)).ok()?
    } else {
        d.as_secs()
    };
    Some(secs).filter(|&secs| secs > 0)
}

fn line_of(text: &str, needle: &str, nth: usize) -> Option<usize> {
    let mut seen = 0;
    for (i, l) in text.lines().enumerate() {
        if l.trim() == needle {
            if seen == nth {
                return Some(i + 1);
            }
            seen += 1;
        }
    }
    None
}

fn line_of_key(text: &str, from: Option<usize>, key: &str) -> Option<usize> {
    let start = from.unwrap_or(1);
    text.lines()
        .enumerate()
        .skip(start - 1)
        .find(|(_, l)| l.trim_start().starts_with(key))
        .map(|(i, _)| i + 1)
        .or(from)
}

/// Names a config error at a key of the entry being checked.
type KeyError<'a> = dyn Fn(&str, String) -> InputError + 'a;

/// Parses and checks `certready.toml`.
pub fn parse(file: &str, text: &str) -> Result<Config, InputError> {
    let cfg: Config = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        let msg = e.message().replace('\n', " ");
        let key = msg.split('`').nth(1).map(str::to_owned);
        InputError::new(file, line, key, msg)
    })?;
    let top = |key: &str, m: String| {
        InputError::new(file, line_of_key(text, None, key), Some(key.to_owned()), m)
    };
    if let Some(c) = cfg.concurrency {
        bounded(&top, "concurrency", c as u64, 1, checks::MAX_CONCURRENCY)?;
    }
    if let Some(y) = cfg.evidence_retention_years {
        bounded(
            &top,
            "evidence_retention_years",
            y.into(),
            1,
            checks::MAX_RETENTION_YEARS,
        )?;
    }
    let mut names = std::collections::HashSet::new();
    for (i, g) in cfg.gateway.iter().enumerate() {
        let at = line_of(text, "[[gateway]]", i);
        let err = |key: &str, m: String| {
            InputError::new(
                file,
                line_of_key(text, at, key),
                Some(format!("gateway[{i}].{key}")),
                m,
            )
        };
        unique_name(&err, &mut names, &g.name)?;
        if !["litellm", "kong", "envoy", "openai", "generic"].contains(&g.preset.as_str()) {
            return Err(err(
                "preset",
                format!(
                    "unknown preset `{}` (expected one of: litellm, kong, envoy, openai, generic)",
                    g.preset
                ),
            ));
        }
        http_url(&err, &g.url, "token_env")?;
        if let Some(t) = &g.token_env
            && !env_name(t)
        {
            return Err(err(
                "token_env",
                "must be the NAME of an environment variable (A-Z, 0-9, _), never the token itself"
                    .into(),
            ));
        }
        timing(
            &err,
            g.retries,
            g.fail_after,
            g.max_bytes,
            &g.interval,
            &g.timeout,
        )?;
    }
    for (i, s) in cfg.source.iter().enumerate() {
        let at = line_of(text, "[[source]]", i);
        let err = |key: &str, m: String| {
            InputError::new(
                file,
                line_of_key(text, at, key),
                Some(format!("source[{i}].{key}")),
                m,
            )
        };
        unique_name(&err, &mut names, &s.name)?;
        let need = |key: &str, v: bool| {
            if v {
                Ok(())
            } else {
                Err(err("kind", format!("a {} source needs `{key}`", s.kind)))
            }
        };
        match s.kind.as_str() {
            "http" => need("url", s.url.is_some())?,
            "tls" => need(
                "host",
                s.host.as_deref().is_some_and(|h| !h.trim().is_empty()),
            )?,
            "file" => need("path", s.path.as_deref().is_some_and(|p| !p.is_empty()))?,
            "command" => need(
                "program",
                s.program.as_deref().is_some_and(|p| !p.is_empty()),
            )?,
            "preset" => need("preset", s.preset.as_deref().is_some_and(|p| !p.is_empty()))?,
            other => {
                return Err(err(
                    "kind",
                    format!(
                        "unknown kind `{other}` (expected one of: http, tls, file, command, preset)"
                    ),
                ));
            }
        }
        if let Some(u) = &s.url {
            http_url(&err, u, "headers_env")?;
        }
        if let Some(m) = &s.method
            && (m.is_empty() || !m.bytes().all(|b| b.is_ascii_uppercase()))
        {
            return Err(err(
                "method",
                format!("`{m}` is not an HTTP method (GET, POST, HEAD...)"),
            ));
        }
        if let Some(p) = &s.path
            && let Err(e) = glob::Pattern::new(p)
        {
            return Err(err("path", format!("`{p}` is not a glob: {e}")));
        }
        for a in &s.assert {
            if let Err(e) = serde_json_path::JsonPath::parse(&a.path) {
                return Err(err(
                    "assert",
                    format!("`{}` is not a JSONPath: {e}", a.path),
                ));
            }
        }
        if let Some(r) = &s.regex
            && let Err(e) = regex_lite::Regex::new(r)
        {
            return Err(err(
                "regex",
                format!("`{r}` is not a regular expression: {e}"),
            ));
        }
        if let Some(m) = &s.max_age
            && seconds(m).is_none()
        {
            return Err(err(
                "max_age",
                format!("`{m}` is not a duration like 36h or 7d"),
            ));
        }
        for (h, v) in &s.headers_env {
            if !env_name(v) {
                return Err(err(
                    "headers_env",
                    format!(
                        "header `{h}`: the value must be the NAME of an environment variable, never the secret"
                    ),
                ));
            }
        }
        source_numbers(&err, s)?;
        if !s.env.is_empty() && s.kind != "command" {
            return Err(err("env", "only a command source takes `env`".into()));
        }
        if let Some(n) = s.env.iter().position(|v| !env_name(v)) {
            return Err(err(
                "env",
                format!(
                    "entry {} must be the NAME of an environment variable (A-Z, 0-9, _), never its value",
                    n + 1
                ),
            ));
        }
        timing(
            &err,
            s.retries,
            s.fail_after,
            s.max_bytes,
            &s.interval,
            &s.timeout,
        )?;
    }
    Ok(cfg)
}

pub mod checks;
pub mod soa;
#[cfg(test)]
mod tests;
