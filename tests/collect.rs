//! The collectors' first parts against a real HTTP server on 127.0.0.1: the simulated gateway
//! answers like LiteLLM, changes mode while running, and its answers read as up, degraded or
//! down; what it leaks (keys in error text) is redacted before anything would be stored. Runs
//! on SQLite here and on PostgreSQL as `pg_matrix_collect` (the signal case's workspace).

mod common;

use certready::collect::{presets, redact, sim};
use std::io::{Read, Write};
use std::net::TcpStream;

fn request(port: u16, method: &str, path: &str, auth: Option<&str>) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let auth = auth.map_or(String::new(), |a| format!("Authorization: {a}\r\n"));
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = out.split("\r\n\r\n").nth(1).unwrap_or("").to_owned();
    (status, body)
}

#[test]
fn the_simulated_gateway_reads_as_up_degraded_and_down() {
    let (port, state) = sim::start(0, "up", "sk-test-master-key-0123456789").unwrap();
    let (st, body) = request(port, "GET", "/health/readiness", None);
    assert_eq!(
        presets::read("litellm", "/health/readiness", st, &body).state,
        presets::State::Up
    );
    assert_eq!(
        request(port, "GET", "/health", None).0,
        401,
        "the detailed health needs the master key"
    );
    let (st, body) = request(
        port,
        "GET",
        "/health",
        Some("Bearer sk-test-master-key-0123456789"),
    );
    assert_eq!(
        presets::read("litellm", "/health", st, &body).summary,
        "2 healthy, 0 unhealthy endpoint(s)"
    );
    assert_eq!(request(port, "POST", "/__mode/degraded", None).0, 200);
    assert_eq!(state.mode(), "degraded");
    let (st, body) = request(
        port,
        "GET",
        "/health",
        Some("Bearer sk-test-master-key-0123456789"),
    );
    let h = presets::read("litellm", "/health", st, &body);
    assert_eq!(h.state, presets::State::Degraded);
    assert!(!h.summary.contains("sk-") && !h.summary.contains("Traceback"));
    let stored = redact::redact(&body, &["sk-test-master-key-0123456789".into()]);
    assert!(!stored.contains("sk-simulated-leak"), "{stored}");
    request(port, "POST", "/__mode/down", None);
    let (st, body) = request(port, "GET", "/health/readiness", None);
    assert_eq!(
        presets::read("litellm", "/health/readiness", st, &body).state,
        presets::State::Down
    );
    assert_eq!(request(port, "POST", "/__mode/sideways", None).0, 400);
    request(port, "POST", "/__mode/flapping", None);
    let a = request(port, "GET", "/v1/models", None).0;
    let b = request(port, "GET", "/v1/models", None).0;
    assert_ne!(a, b, "flapping alternates");
}

#[test]
fn an_inject_signal_switches_the_simulated_gateway() {
    use certready::tui::app::{Effect, Msg};
    let t = tempfile::tempdir().unwrap();
    let ws = common::workspace(&t.path().join("ws"));
    let mut store = ws.init("Org", true, "2026-11-26T09:00:00Z").unwrap();
    let (port, state) = sim::start(0, "up", "k").unwrap();
    std::fs::write(
        ws.dir().join("sim-url.txt"),
        format!("http://127.0.0.1:{port}"),
    )
    .unwrap();
    let today = "2026-11-26".parse().unwrap();
    let msgs = certready::tui::worker::handle(
        &mut store,
        &ws,
        Effect::Signal("down".into()),
        false,
        today,
    )
    .unwrap();
    assert_eq!(state.mode(), "down");
    assert!(matches!(&msgs[..], [Msg::Info(text)] if text.contains("switched to down")));
    let msgs = certready::tui::worker::handle(
        &mut store,
        &ws,
        Effect::Signal("sideways".into()),
        false,
        today,
    )
    .unwrap();
    assert!(matches!(&msgs[..], [Msg::Failed(text)] if text.contains("failed")));
    assert_eq!(state.mode(), "down");
}
