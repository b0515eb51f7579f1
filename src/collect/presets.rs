//! Reading gateway health answers (REFERENCE.md, "LLM API gateways"): LiteLLM, Kong, Envoy
//! admin, OpenAI-compatible `/v1/models`, and a generic 2xx check. LiteLLM's unhealthy
//! endpoints carry error text with stack traces and the raw request: only their count and
//! hosts are kept, never the text, and never the userinfo of their `api_base`.

use serde::Serialize;
use serde_json::Value;

pub use crate::domain::GatewayState as State;

/// What a health answer says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Health {
    /// State.
    pub state: State,
    /// Gateway version, when it says.
    pub version: Option<String>,
    /// A one-line summary safe to store.
    pub summary: String,
}

/// The health paths a preset checks.
pub fn paths(preset: &str) -> &'static [&'static str] {
    match preset {
        "litellm" => &["/health/readiness"],
        "kong" => &["/status"],
        "envoy" => &["/ready"],
        "openai" => &["/v1/models"],
        _ => &["/"],
    }
}

/// The host (and port) of an endpoint URL, never its userinfo, path or query.
fn host_of(url: &str) -> String {
    if let Ok(u) = reqwest::Url::parse(url)
        && let Some(h) = u.host_str()
    {
        return u
            .port()
            .map_or_else(|| h.to_owned(), |p| format!("{h}:{p}"));
    }
    let authority = url
        .split("://")
        .nth(1)
        .unwrap_or(url)
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    authority.rsplit('@').next().unwrap_or("").to_owned()
}

/// Reads one answer (`status` code and body) of `preset`.
pub fn read(preset: &str, path: &str, status: u16, body: &str) -> Health {
    let json: Option<Value> = serde_json::from_str(body).ok();
    let ok = (200..300).contains(&status);
    let h = |state, version: Option<String>, summary: String| Health {
        state,
        version,
        summary,
    };
    let answers_503 = status == 503 && matches!(preset, "envoy" | "kong");
    if !ok && !answers_503 {
        return h(State::Down, None, format!("HTTP {status}"));
    }
    match (preset, path) {
        ("litellm", "/health") => {
            let j = json.unwrap_or(Value::Null);
            let healthy = j["healthy_count"].as_u64().unwrap_or(0);
            let unhealthy = j["unhealthy_count"].as_u64().unwrap_or(0);
            let mut hosts: Vec<String> = j["unhealthy_endpoints"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|e| e["api_base"].as_str().map(host_of))
                        .collect()
                })
                .unwrap_or_default();
            hosts.sort();
            hosts.dedup();
            let state = if unhealthy == 0 {
                State::Up
            } else if healthy > 0 {
                State::Degraded
            } else {
                State::Down
            };
            let detail = if hosts.is_empty() {
                String::new()
            } else {
                format!(" ({})", hosts.join(", "))
            };
            h(
                state,
                None,
                format!("{healthy} healthy, {unhealthy} unhealthy endpoint(s){detail}"),
            )
        }
        ("litellm", _) => {
            let j = json.unwrap_or(Value::Null);
            let version = j["litellm_version"].as_str().map(str::to_owned);
            let db = j["db"].as_str().unwrap_or("");
            let healthy = j["status"].as_str() == Some("healthy") || body.contains("I'm alive");
            match (healthy, db) {
                (true, "connected" | "") => h(State::Up, version, "ready".into()),
                (true, other) => h(State::Degraded, version, format!("database {other}")),
                (false, _) => h(State::Down, version, "not ready".into()),
            }
        }
        ("kong", "/status/ready") => match status {
            200 => h(State::Up, None, "ready".into()),
            _ => h(
                State::Degraded,
                None,
                json.and_then(|j| j["message"].as_str().map(str::to_owned))
                    .unwrap_or_else(|| "not ready".into()),
            ),
        },
        ("kong", _) => {
            let j = json.unwrap_or(Value::Null);
            if status == 503 {
                return h(State::Down, None, "HTTP 503".into());
            }
            let reachable = j["database"]["reachable"].as_bool().unwrap_or(true);
            let active = j["server"]["connections_active"].as_u64().unwrap_or(0);
            if reachable {
                h(State::Up, None, format!("{active} active connection(s)"))
            } else {
                h(State::Degraded, None, "database unreachable".into())
            }
        }
        ("envoy", _) => match body.trim() {
            "LIVE" if status == 200 => h(State::Up, None, "LIVE".into()),
            "DRAINING" => h(State::Degraded, None, "DRAINING".into()),
            other => h(State::Down, None, other.chars().take(40).collect()),
        },
        ("openai", _) => {
            let n = json
                .as_ref()
                .and_then(|j| j["data"].as_array().map(Vec::len))
                .unwrap_or(0);
            if n > 0 {
                h(State::Up, None, format!("{n} model(s)"))
            } else {
                h(State::Degraded, None, "no models listed".into())
            }
        }
        _ => h(State::Up, None, format!("HTTP {status}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn litellm_kong_envoy_and_openai_answers() {
        let ready =
            r#"{"status":"healthy","db":"connected","cache":null,"litellm_version":"1.52.0"}"#;
        assert_eq!(
            read("litellm", "/health/readiness", 200, ready),
            Health {
                state: State::Up,
                version: Some("1.52.0".into()),
                summary: "ready".into()
            }
        );
        let nodb = r#"{"status":"healthy","db":"Not connected","litellm_version":"1.52.0"}"#;
        assert_eq!(
            read("litellm", "/health/readiness", 200, nodb).state,
            State::Degraded
        );
        let health = r#"{"healthy_endpoints":[{"model":"a"}],"unhealthy_endpoints":[{"api_base":"https://apiuser:PASS@api.provider.example/v1","error":"Traceback ... Authorization: Bearer sk-abc","raw_request":"POST ..."}],"healthy_count":1,"unhealthy_count":1}"#;
        let h = read("litellm", "/health", 200, health);
        assert_eq!(h.state, State::Degraded);
        assert_eq!(
            h.summary,
            "1 healthy, 1 unhealthy endpoint(s) (api.provider.example)"
        );
        assert!(!h.summary.contains("Traceback") && !h.summary.contains("sk-"));
        let odd = r#"{"unhealthy_endpoints":[{"api_base":"gw://apiuser:PASS@[bad/v1"}],"healthy_count":0,"unhealthy_count":1}"#;
        let h = read("litellm", "/health", 200, odd);
        assert!(
            !h.summary.contains("PASS") && !h.summary.contains("apiuser"),
            "{}",
            h.summary
        );
        assert_eq!(
            read(
                "litellm",
                "/health",
                401,
                r#"{"error":{"type":"auth_error"}}"#
            )
            .state,
            State::Down
        );
        assert_eq!(
            read(
                "kong",
                "/status",
                200,
                r#"{"database":{"reachable":false},"server":{"connections_active":3}}"#
            )
            .state,
            State::Degraded
        );
        assert_eq!(
            read(
                "kong",
                "/status",
                200,
                r#"{"database":{"reachable":true},"server":{"connections_active":3}}"#
            )
            .summary,
            "3 active connection(s)"
        );
        assert_eq!(read("envoy", "/ready", 200, "LIVE\n").state, State::Up);
        assert_eq!(
            read("envoy", "/ready", 503, "DRAINING").state,
            State::Degraded
        );
        assert_eq!(
            read("envoy", "/ready", 503, "PRE_INITIALIZING").state,
            State::Down
        );
        assert_eq!(
            read(
                "openai",
                "/v1/models",
                200,
                r#"{"object":"list","data":[{"id":"m","object":"model"}]}"#
            )
            .summary,
            "1 model(s)"
        );
        assert_eq!(read("generic", "/", 502, "").state, State::Down);
    }
}
