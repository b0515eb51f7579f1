//! HTTP checks: gateway presets and plain HTTP sources, through one rustls client per CA set.
//!
//! Invariants: redirects are followed only to the same scheme, host and port (at most 5), so a
//! token never leaves for another host; a body over the cap is refused while it streams, never
//! read whole; a redirect not followed is reported by its host alone (never its `Location`,
//! which may carry credentials or be unparseable); every failure reason is redacted by the
//! caller.

use super::spec::{Kind, Spec};
use super::{assert, presets};
use crate::domain::{GatewayReading, GatewayState};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// The most redirects followed.
pub const MAX_REDIRECTS: usize = 5;

/// Trusted roots: the Mozilla set plus the certificates in `ca_file`.
pub fn roots(ca_file: Option<&Path>) -> Result<rustls::RootCertStore, String> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(p) = ca_file {
        use rustls::pki_types::CertificateDer;
        use rustls::pki_types::pem::PemObject;
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(p)
            .map_err(|e| format!("ca_file {}: {e}", p.display()))?
            .collect::<Result<_, _>>()
            .map_err(|e| format!("ca_file {}: {e}", p.display()))?;
        if certs.is_empty() {
            return Err(format!("ca_file {}: no certificate in it", p.display()));
        }
        for c in certs {
            roots
                .add(c)
                .map_err(|e| format!("ca_file {}: {e}", p.display()))?;
        }
    }
    Ok(roots)
}

/// The crypto provider every TLS connection uses.
pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A client trusting `ca_file` besides the Mozilla roots; same-host redirects only.
pub fn client(ca_file: Option<&Path>) -> Result<reqwest::Client, String> {
    let tls = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots(ca_file)?)
        .with_no_client_auth();
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        let first = &attempt.previous()[0];
        let to = attempt.url();
        if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
        } else if to.scheme() != first.scheme()
            || to.host_str() != first.host_str()
            || to.port_or_known_default() != first.port_or_known_default()
        {
            attempt.stop()
        } else {
            attempt.follow()
        }
    });
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .redirect(policy)
        .no_proxy()
        .user_agent(concat!("certready/", env!("CARGO_PKG_VERSION")))
        .pool_idle_timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| e.to_string())
}

/// Why a request failed, in a few words (the error's causes joined).
pub fn reason(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    if e.is_timeout() {
        parts.push("timed out".to_owned());
    } else if e.is_redirect() {
        parts.push("redirect loop".to_owned());
    } else if e.is_connect() {
        parts.push("connection failed".to_owned());
    } else if e.is_body() || e.is_decode() {
        parts.push("body read failed".to_owned());
    }
    let mut src: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = src {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        src = s.source();
    }
    if parts.is_empty() {
        parts.push(e.to_string());
    }
    parts.join(": ")
}

/// A response: status, body (within the cap), where a stopped redirect pointed.
pub struct Answer {
    /// Status code.
    pub status: u16,
    /// Body text.
    pub body: String,
    /// `Location` of a redirect that was not followed.
    pub location: Option<String>,
}

/// Sends one request and reads at most `cap` bytes of the body.
pub async fn fetch(
    client: &reqwest::Client,
    method: &str,
    url: &str,
    headers: &[(String, String)],
    cap: usize,
) -> Result<Answer, String> {
    let m = reqwest::Method::from_bytes(method.as_bytes())
        .map_err(|_| format!("`{method}` is not an HTTP method"))?;
    let mut req = client.request(m, url);
    for (k, v) in headers {
        req = req.header(k.as_str(), v.as_str());
    }
    let mut resp = req.send().await.map_err(|e| reason(&e))?;
    let status = resp.status().as_u16();
    if resp.content_length().is_some_and(|n| n > cap as u64) {
        return Err(format!("body larger than the {cap}-byte cap"));
    }
    let location = (300..400).contains(&status).then(|| {
        resp.headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    });
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| reason(&e))? {
        if body.len() + chunk.len() > cap {
            return Err(format!("body larger than the {cap}-byte cap"));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Answer {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
        location,
    })
}

/// The result of one attempt: passed, summary, content to store, gateway reading.
pub type Attempt = (bool, String, String, Option<GatewayReading>);

fn worse(a: GatewayState, b: GatewayState) -> GatewayState {
    use GatewayState::{Degraded, Down, Up};
    match (a, b) {
        (Down, _) | (_, Down) => Down,
        (Degraded, _) | (_, Degraded) => Degraded,
        _ => Up,
    }
}

/// One attempt at a gateway or HTTP source.
pub async fn attempt(client: &reqwest::Client, spec: &Spec) -> Attempt {
    match &spec.kind {
        Kind::Gateway { preset, url, token } => {
            let mut paths: Vec<&str> = presets::paths(preset).to_vec();
            if preset == "litellm" && token.is_some() {
                paths.push("/health");
            }
            let mut state = GatewayState::Up;
            let (mut version, mut parts) = (None, Vec::new());
            for p in paths {
                let auth: Vec<(String, String)> = token
                    .iter()
                    .map(|t| ("Authorization".to_owned(), format!("Bearer {t}")))
                    .collect();
                let h =
                    match fetch(client, "GET", &format!("{url}{p}"), &auth, spec.max_bytes).await {
                        Ok(a) => presets::read(preset, p, a.status, &a.body),
                        Err(e) => presets::Health {
                            state: GatewayState::Down,
                            version: None,
                            summary: e,
                        },
                    };
                state = worse(state, h.state);
                version = version.or(h.version);
                parts.push(h.summary);
            }
            let summary = format!("{}: {}", state.as_str(), parts.join("; "));
            let content = serde_json::json!({
                "preset": preset, "state": state, "version": version, "summary": summary,
            })
            .to_string();
            let reading = GatewayReading { state, version };
            (state != GatewayState::Down, summary, content, Some(reading))
        }
        Kind::Http {
            url,
            method,
            headers,
            expect_status,
            asserts,
        } => match fetch(client, method, url, headers, spec.max_bytes).await {
            Err(e) => (false, e, String::new(), None),
            Ok(a) if a.location.is_some() && a.status != *expect_status => {
                let to = a.location.unwrap_or_default();
                let host = reqwest::Url::parse(url)
                    .and_then(|u| u.join(&to))
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_owned))
                    .unwrap_or_else(|| "an unparseable location".into());
                (
                    false,
                    format!(
                        "HTTP {} redirect to another host ({host}) not followed",
                        a.status
                    ),
                    String::new(),
                    None,
                )
            }
            Ok(a) if a.status != *expect_status => (
                false,
                format!("HTTP {}, expected {expect_status}", a.status),
                a.body,
                None,
            ),
            Ok(a) => match assert::check_all(&a.body, asserts) {
                Ok(()) => (
                    true,
                    format!(
                        "HTTP {}, {} assertion(s) hold, {} bytes",
                        a.status,
                        asserts.len(),
                        a.body.len()
                    ),
                    a.body,
                    None,
                ),
                Err(e) => (false, format!("assertion failed: {e}"), a.body, None),
            },
        },
        _ => (false, "not an HTTP source".into(), String::new(), None),
    }
}
