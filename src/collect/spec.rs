//! A source ready to check: the config entry resolved against the environment and the
//! workspace folder. Secret values live only here, in memory, and in the redaction list.
//!
//! Invariant: every spec of a workspace carries the same redaction list, the values of every
//! secret variable the config names (gateways' `token_env`, sources' `headers_env` and `env`),
//! so no source can store another source's secret.

use super::config::{Assertion, Config, Gateway, Source, seconds};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Default cap on a response body or command output.
pub const DEFAULT_MAX_BYTES: usize = 1 << 20;

/// What to check.
#[derive(Debug, Clone)]
pub enum Kind {
    /// A gateway's health through its preset.
    Gateway {
        /// Preset name.
        preset: String,
        /// Base URL.
        url: String,
        /// Bearer token (from `token_env`).
        token: Option<String>,
    },
    /// An HTTP endpoint with status and JSONPath assertions.
    Http {
        /// URL.
        url: String,
        /// Method.
        method: String,
        /// Headers with their secret values.
        headers: Vec<(String, String)>,
        /// Expected status.
        expect_status: u16,
        /// Assertions on the JSON body.
        asserts: Vec<Assertion>,
    },
    /// A TLS endpoint: protocol and certificate.
    Tls {
        /// Host.
        host: String,
        /// Port.
        port: u16,
        /// Fail under this many days to expiry.
        min_days: u32,
    },
    /// The newest file matching a glob.
    File {
        /// Glob, absolute.
        pattern: String,
        /// Assertions on JSON content.
        asserts: Vec<Assertion>,
        /// A regex the content must match.
        regex: Option<String>,
        /// Maximum age.
        max_age: Option<Duration>,
    },
    /// A local program, run without a shell.
    Command {
        /// Program.
        program: String,
        /// Arguments.
        args: Vec<String>,
        /// Expected exit code.
        expect_exit: i32,
        /// A regex the output must match.
        regex: Option<String>,
        /// The variables the program gets besides `PATH`, `HOME` and `LANG`, with their values.
        env: Vec<(String, String)>,
    },
}

/// A source ready to check.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Name.
    pub name: String,
    /// What to check.
    pub kind: Kind,
    /// Controls evidenced.
    pub controls: Vec<String>,
    /// Poll interval.
    pub interval: Duration,
    /// Budget for one check, retries included.
    pub timeout: Duration,
    /// Retries after a failed attempt.
    pub retries: u32,
    /// Consecutive failures that open a finding.
    pub fail_after: u32,
    /// Body or output cap.
    pub max_bytes: usize,
    /// Extra trusted CA file.
    pub ca_file: Option<PathBuf>,
    /// Values to redact: every secret the workspace's config names, for every source.
    pub secrets: Vec<String>,
    /// An environment variable the config names but the environment lacks.
    pub missing_env: Option<String>,
    /// Working folder (the workspace) for files and commands.
    pub dir: PathBuf,
    /// The preset this source runs: its judge reads the answer and says why in one line.
    pub preset: Option<super::library::Judged>,
}

impl Spec {
    /// The evidence source this kind writes.
    pub fn evidence_source(&self) -> &'static str {
        match self.kind {
            Kind::Gateway { .. } => "gateway",
            Kind::Http { .. } => "http",
            Kind::Tls { .. } => "tls",
            Kind::File { .. } => "file",
            Kind::Command { .. } => "command",
        }
    }
}

fn dur(s: &str) -> Duration {
    Duration::from_secs(seconds(s).unwrap_or(10))
}

struct Env<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
    secrets: Vec<String>,
    missing: Option<String>,
}

impl Env<'_> {
    fn get(&mut self, name: &str) -> Option<String> {
        match (self.lookup)(name).filter(|v| !v.is_empty()) {
            Some(v) => {
                self.secrets.push(v.clone());
                Some(v)
            }
            None => {
                self.missing.get_or_insert_with(|| name.to_owned());
                None
            }
        }
    }
}

pub(crate) fn rel(dir: &Path, p: &str) -> PathBuf {
    let p = Path::new(p);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        dir.join(p)
    }
}

fn gateway(g: &Gateway, dir: &Path, lookup: &dyn Fn(&str) -> Option<String>) -> Spec {
    let mut env = Env {
        lookup,
        secrets: Vec::new(),
        missing: None,
    };
    let token = g.token_env.as_deref().and_then(|n| env.get(n));
    let kind = Kind::Gateway {
        preset: g.preset.clone(),
        url: g.url.trim_end_matches('/').to_owned(),
        token,
    };
    let common = Common {
        name: &g.name,
        controls: &g.controls,
        interval: &g.interval,
        timeout: &g.timeout,
        retries: g.retries,
        fail_after: g.fail_after,
        max_bytes: g.max_bytes,
        ca_file: g.ca_file.as_deref(),
    };
    common.spec(kind, env, dir)
}

/// The keys gateways and sources share.
struct Common<'a> {
    name: &'a str,
    controls: &'a [String],
    interval: &'a str,
    timeout: &'a str,
    retries: u32,
    fail_after: u32,
    max_bytes: Option<usize>,
    ca_file: Option<&'a str>,
}

impl Common<'_> {
    fn spec(self, kind: Kind, env: Env<'_>, dir: &Path) -> Spec {
        Spec {
            name: self.name.to_owned(),
            kind,
            controls: self.controls.to_vec(),
            interval: dur(self.interval),
            timeout: dur(self.timeout),
            retries: self.retries,
            fail_after: self.fail_after,
            max_bytes: self.max_bytes.unwrap_or(DEFAULT_MAX_BYTES),
            ca_file: self.ca_file.map(|p| rel(dir, p)),
            secrets: env.secrets,
            missing_env: env.missing,
            dir: dir.to_path_buf(),
            preset: None,
        }
    }
}

fn source(
    s: &Source,
    dir: &Path,
    lookup: &dyn Fn(&str) -> Option<String>,
    lib: &super::library::Library,
) -> Spec {
    let mut env = Env {
        lookup,
        secrets: Vec::new(),
        missing: None,
    };
    let mut judged = None;
    let kind = match s.kind.as_str() {
        "preset" => {
            let (kind, j) = super::library::source_kind(s, dir, lib, &mut |n| env.get(n), lookup);
            judged = Some(j);
            kind
        }
        "http" => Kind::Http {
            url: s.url.clone().unwrap_or_default(),
            method: s.method.clone().unwrap_or_else(|| "GET".into()),
            headers: s
                .headers_env
                .iter()
                .filter_map(|(h, n)| env.get(n).map(|v| (h.clone(), v)))
                .collect(),
            expect_status: s.expect_status.unwrap_or(200),
            asserts: s.assert.clone(),
        },
        "tls" => Kind::Tls {
            host: s.host.clone().unwrap_or_default(),
            port: s.port.unwrap_or(443),
            min_days: s.min_days.unwrap_or(14),
        },
        "file" => Kind::File {
            pattern: rel(dir, s.path.as_deref().unwrap_or(""))
                .to_string_lossy()
                .into_owned(),
            asserts: s.assert.clone(),
            regex: s.regex.clone(),
            max_age: s.max_age.as_deref().map(dur),
        },
        _ => Kind::Command {
            program: s.program.clone().unwrap_or_default(),
            args: s.args.clone(),
            expect_exit: s.expect_exit.unwrap_or(0),
            regex: s.regex.clone(),
            env: s
                .env
                .iter()
                .filter_map(|n| env.get(n).map(|v| (n.clone(), v)))
                .collect(),
        },
    };
    let common = Common {
        name: &s.name,
        controls: &s.controls,
        interval: &s.interval,
        timeout: &s.timeout,
        retries: s.retries,
        fail_after: s.fail_after,
        max_bytes: s.max_bytes,
        ca_file: s.ca_file.as_deref(),
    };
    let mut spec = common.spec(kind, env, dir);
    spec.preset = judged;
    spec
}

/// Every source of `cfg`, gateways first, resolved against `lookup` (the environment) and the
/// workspace folder `dir`.
/// Every source shares one redaction list: the secrets of all of them.
pub fn resolve(cfg: &Config, dir: &Path, lookup: &dyn Fn(&str) -> Option<String>) -> Vec<Spec> {
    let lib = if cfg.source.iter().any(|s| s.kind == "preset") {
        super::library::Library::load(dir).unwrap_or_default()
    } else {
        super::library::Library::default()
    };
    let mut specs: Vec<Spec> = cfg
        .gateway
        .iter()
        .map(|g| gateway(g, dir, lookup))
        .chain(cfg.source.iter().map(|s| source(s, dir, lookup, &lib)))
        .collect();
    let mut all: Vec<String> = specs.iter().flat_map(|s| s.secrets.clone()).collect();
    all.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    all.dedup();
    for s in &mut specs {
        s.secrets.clone_from(&all);
    }
    specs
}

/// The workspace's secret values (what every spec redacts), for showing stored text.
pub fn secrets(specs: &[Spec]) -> Vec<String> {
    specs.first().map(|s| s.secrets.clone()).unwrap_or_default()
}

/// Resolves against the process environment.
pub fn resolve_env(cfg: &Config, dir: &Path) -> Vec<Spec> {
    resolve(cfg, dir, &|n| std::env::var(n).ok())
}
