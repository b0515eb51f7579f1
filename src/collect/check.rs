//! One check of one source: attempts with backoff inside the source's time budget, then one
//! redacted `Observation`. A source that hangs costs at most its timeout: a command's process
//! group is killed and a file read stops when the budget is spent.
//!
//! Invariant: the summary, the content and the gateway version are redacted with the
//! workspace's whole secret set before the observation leaves this module.

use super::redact::Redactor;
use super::spec::{Kind, Spec};
use crate::domain::{GatewayReading, GatewayState, Observation};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// HTTP clients by CA file, built once and shared by every source that uses them.
#[derive(Default, Clone)]
pub struct Clients {
    by_ca: HashMap<Option<PathBuf>, Result<reqwest::Client, String>>,
}

impl Clients {
    /// Builds the clients `specs` need.
    pub fn for_specs(specs: &[Spec]) -> Self {
        let mut c = Self::default();
        for s in specs {
            if matches!(s.kind, Kind::Gateway { .. } | Kind::Http { .. }) {
                c.by_ca
                    .entry(s.ca_file.clone())
                    .or_insert_with(|| super::http::client(s.ca_file.as_deref()));
            }
        }
        c
    }

    fn get(&self, ca: Option<&PathBuf>) -> Result<reqwest::Client, String> {
        self.by_ca
            .get(&ca.cloned())
            .cloned()
            .unwrap_or_else(|| super::http::client(ca.map(PathBuf::as_path)))
    }
}

type Attempt = (bool, String, String, Option<GatewayReading>);

async fn attempt(spec: &Spec, clients: &Clients, deadline: tokio::time::Instant) -> Attempt {
    match &spec.kind {
        Kind::Gateway { .. } | Kind::Http { .. } => match clients.get(spec.ca_file.as_ref()) {
            Ok(c) => super::http::attempt(&c, spec).await,
            Err(e) => (false, e, String::new(), None),
        },
        Kind::Tls {
            host,
            port,
            min_days,
        } => {
            let (host, port, min_days) = (host.clone(), *port, *min_days);
            let (ca, timeout) = (spec.ca_file.clone(), spec.timeout);
            let now = chrono::Utc::now().timestamp();
            let r = tokio::task::spawn_blocking(move || {
                super::tls::inspect(&host, port, ca.as_deref(), timeout, now)
            })
            .await
            .unwrap_or_else(|e| Err(e.to_string()));
            match r {
                Ok(seen) => {
                    let (ok, summary) = super::tls::judge(&seen, min_days);
                    let content = format!(
                        "protocol {}\nsubject {}\nissuer {}\ntrusted {}\nexpiry_ok {}\n",
                        seen.protocol,
                        seen.subject,
                        seen.issuer,
                        seen.untrusted.is_none(),
                        seen.days_left >= i64::from(min_days)
                    );
                    (ok, summary, content, None)
                }
                Err(e) => (false, e, String::new(), None),
            }
        }
        Kind::File {
            pattern,
            asserts,
            regex,
            max_age,
        } => {
            let (p, a, r, m, cap) = (
                pattern.clone(),
                asserts.clone(),
                regex.clone(),
                *max_age,
                spec.max_bytes,
            );
            let until = deadline.into_std();
            let (ok, s, c) = tokio::task::spawn_blocking(move || {
                super::files::attempt(&p, &a, r.as_deref(), m, cap, until)
            })
            .await
            .unwrap_or_else(|e| (false, e.to_string(), String::new()));
            (ok, s, c, None)
        }
        Kind::Command {
            program,
            args,
            expect_exit,
            regex,
            env,
        } => {
            let p = super::command::Program {
                program,
                args,
                env,
                dir: &spec.dir,
            };
            let (ok, s, c) =
                super::command::attempt(&p, *expect_exit, regex.as_deref(), spec.max_bytes).await;
            (ok, s, c, None)
        }
    }
}

/// Runs `spec` once: attempts with backoff (200 ms, doubling) while its timeout lasts.
pub async fn run(spec: &Spec, clients: &Clients) -> Observation {
    let started = Instant::now();
    let deadline = tokio::time::Instant::now() + spec.timeout;
    let mut attempts = 0;
    let result: Attempt = if let Some(var) = &spec.missing_env {
        attempts = 1;
        (
            false,
            format!("environment variable {var} is not set"),
            String::new(),
            None,
        )
    } else {
        let mut backoff = Duration::from_millis(200);
        loop {
            attempts += 1;
            let r = match tokio::time::timeout_at(deadline, attempt(spec, clients, deadline)).await
            {
                Ok(r) => r,
                Err(_) => (
                    false,
                    format!("timed out after {}s", spec.timeout.as_secs_f32()),
                    String::new(),
                    is_gateway(spec).then_some(GatewayReading {
                        state: GatewayState::Down,
                        version: None,
                    }),
                ),
            };
            let retry = !r.0
                && attempts <= spec.retries
                && tokio::time::Instant::now() + backoff < deadline;
            if !retry {
                break r;
            }
            tokio::time::sleep(backoff).await;
            backoff *= 2;
        }
    };
    let (mut ok, mut summary, content, mut gateway) = result;
    if let Some(j) = &spec.preset {
        let now = chrono::Utc::now().timestamp();
        (ok, summary) =
            super::library::run::apply(j, &spec.kind, (ok, summary), &content, spec.max_bytes, now);
    }
    let redactor = Redactor::new(&spec.secrets);
    let mut summary = redactor.text(&summary).replace(['\n', '\r'], " ");
    super::redact::clip(&mut summary, 300);
    let content = if matches!(spec.kind, Kind::Gateway { .. }) {
        redactor.content(&content)
    } else {
        format!("{summary}\n{}", redactor.content(&content))
    };
    if let Some(g) = &mut gateway {
        g.version = g.version.as_deref().map(|v| {
            let mut v = redactor.text(v);
            super::redact::clip(&mut v, 60);
            v
        });
    }
    Observation {
        source: spec.name.clone(),
        kind: spec.evidence_source(),
        controls: spec.controls.clone(),
        at: chrono::Utc::now().timestamp(),
        ok,
        summary,
        content,
        latency_ms: started.elapsed().as_millis() as u64,
        attempts,
        gateway,
        fail_after: spec.fail_after,
        interval_s: spec.interval.as_secs(),
    }
}

fn is_gateway(spec: &Spec) -> bool {
    matches!(spec.kind, Kind::Gateway { .. })
}
