//! Misbehaving endpoints through `certready poll --once`: each fault costs at most the
//! source's timeout and is recorded as a failed check with a reason (a hang, a slow answer, a
//! connection reset, a body over the cap, a redirect loop, a certificate nobody trusts), a
//! redirect to another host is never followed with the source's credentials, and the checks of
//! one poll run at the same time.
//!
//! The time bounds are budgets (a check must not outlive its timeout), not speed targets, so
//! they are generous. Runs on SQLite here and on PostgreSQL as `pg_matrix_collect_faults`.

mod common;
#[path = "common/polling.rs"]
mod polling;
#[path = "common/servers.rs"]
mod servers;

use polling::Ws;
use std::time::Duration;

const CONTROL: &str = "GW-AVAIL-01";

/// One `http` source named `name` at `url` with extra TOML `lines`.
fn http_source(name: &str, url: &str, lines: &str) -> String {
    format!(
        "\n[[source]]\nname = \"{name}\"\nkind = \"http\"\nurl = \"{url}\"\ncontrols = [\"{CONTROL}\"]\n{lines}\n"
    )
}

/// Asserts the single evidence row of `name` records a failure.
fn assert_failed_evidence(ws: &Ws, name: &str) {
    let rows = ws.rows_of(name);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (rows[0].source.as_str(), rows[0].result.as_str()),
        ("http", "fail"),
        "{rows:?}"
    );
    assert!(!rows[0].summary.is_empty(), "a failure keeps its reason");
}

fn latency(p: &polling::Polled, name: &str) -> Duration {
    Duration::from_millis(p.result(name)["latency_ms"].as_u64().unwrap())
}

#[test]
fn a_hanging_endpoint_costs_its_timeout_and_fails_as_timed_out() {
    let port = servers::hang();
    let ws = Ws::new(&http_source(
        "hangs",
        &format!("http://127.0.0.1:{port}/"),
        "timeout = \"1s\"",
    ));
    let p = ws.poll(&[]);
    assert_eq!(p.code, Some(1));
    p.assert_fail("hangs", &["timed out"]);
    assert!(
        p.elapsed < Duration::from_secs(5),
        "poll --once took {:?} for a 1 s timeout",
        p.elapsed
    );
    let spent = latency(&p, "hangs");
    assert!(
        spent >= Duration::from_millis(900) && spent < Duration::from_secs(3),
        "the check took {spent:?}"
    );
    assert_failed_evidence(&ws, "hangs");
}

#[test]
fn an_answer_slower_than_the_timeout_fails_as_timed_out() {
    let port = servers::slow(Duration::from_secs(4), r#"{"late":true}"#);
    let ws = Ws::new(&http_source(
        "slow",
        &format!("http://127.0.0.1:{port}/"),
        "timeout = \"1s\"",
    ));
    let p = ws.poll(&[]);
    assert_eq!(p.code, Some(1));
    p.assert_fail("slow", &["timed out"]);
    assert!(p.elapsed < Duration::from_secs(4), "took {:?}", p.elapsed);
    assert_failed_evidence(&ws, "slow");
}

#[test]
fn a_connection_closed_without_an_answer_fails_with_a_reason() {
    let port = servers::reset();
    let ws = Ws::new(&http_source(
        "resets",
        &format!("http://127.0.0.1:{port}/"),
        "timeout = \"2s\"",
    ));
    let p = ws.poll(&[]);
    assert_eq!(p.code, Some(1));
    p.assert_fail("resets", &[]);
    let s = p.summary("resets").to_lowercase();
    assert!(
        ["closed", "reset", "connection", "eof"]
            .iter()
            .any(|w| s.contains(w)),
        "the reason names the connection: {s}"
    );
    assert!(
        p.result("resets")["attempts"].as_u64() >= Some(2),
        "a reset is retried within the budget: {}",
        p.result("resets")
    );
    assert!(p.elapsed < Duration::from_secs(5), "took {:?}", p.elapsed);
    assert_failed_evidence(&ws, "resets");
}

#[test]
fn a_body_over_max_bytes_is_refused_whether_or_not_its_length_is_announced() {
    let announced = servers::huge();
    let chunked = servers::huge_chunked();
    let ws = Ws::new(&format!(
        "{}{}",
        http_source(
            "huge-length",
            &format!("http://127.0.0.1:{announced}/"),
            "max_bytes = 65536\ntimeout = \"5s\"",
        ),
        http_source(
            "huge-chunked",
            &format!("http://127.0.0.1:{chunked}/"),
            "max_bytes = 65536\ntimeout = \"5s\"",
        )
    ));
    let p = ws.poll(&[]);
    assert_eq!(p.code, Some(1));
    for name in ["huge-length", "huge-chunked"] {
        p.assert_fail(name, &["65536-byte cap"]);
        assert!(
            latency(&p, name) < Duration::from_secs(3),
            "{name} was not read whole: {:?}",
            latency(&p, name)
        );
        assert_failed_evidence(&ws, name);
    }
    let stored: i64 = ws.query("SELECT max(length(content)) FROM evidence");
    assert!(stored < 4096, "no body was stored: {stored} bytes");
}

#[test]
fn a_redirect_loop_fails_as_a_redirect_problem() {
    let port = servers::redirect_loop();
    let ws = Ws::new(&http_source(
        "loops",
        &format!("http://127.0.0.1:{port}/"),
        "timeout = \"3s\"",
    ));
    let p = ws.poll(&[]);
    assert_eq!(p.code, Some(1));
    p.assert_fail("loops", &["redirect"]);
    assert!(p.elapsed < Duration::from_secs(5), "took {:?}", p.elapsed);
    assert_failed_evidence(&ws, "loops");
}

#[test]
fn a_certificate_nobody_trusts_fails_with_a_certificate_reason() {
    let server = servers::https(90);
    let url = format!("https://127.0.0.1:{}/", server.port);
    let ws = Ws::new(&format!(
        "{}{}",
        http_source("self-signed", &url, "timeout = \"3s\""),
        http_source("self-signed-trusted", &url, "ca_file = \"ca.pem\""),
    ));
    std::fs::write(ws.path.join("ca.pem"), &server.cert_pem).unwrap();
    let p = ws.poll(&[]);
    assert_eq!(p.code, Some(1));
    p.assert_fail("self-signed", &["certificate"]);
    p.assert_pass("self-signed-trusted");
    assert_failed_evidence(&ws, "self-signed");
}

#[test]
fn a_redirect_to_another_host_is_not_followed_and_the_token_stays_home() {
    const TOKEN: &str = "Bearer sk-fault-0123456789abcdefXYZ";
    let (echo, seen) = servers::echo();
    let elsewhere = format!("http://localhost:{echo}/collect");
    let redirect = servers::redirect_to(&elsewhere);
    let ws = Ws::new(&format!(
        "{}{}",
        http_source(
            "redirected",
            &format!("http://127.0.0.1:{redirect}/"),
            "headers_env = { Authorization = \"FAULT_TOKEN\" }\ntimeout = \"3s\"",
        ),
        http_source("echo-direct", &elsewhere, "timeout = \"3s\""),
    ));
    let p = ws.poll(&[("FAULT_TOKEN", TOKEN)]);
    assert_eq!(p.code, Some(1));
    p.assert_fail("redirected", &["redirect", "not followed", "localhost"]);
    p.assert_pass("echo-direct");
    let heads = seen.lock().unwrap().clone();
    assert!(
        !heads.is_empty(),
        "the other host is reachable as `localhost` (the direct source got there)"
    );
    for head in &heads {
        assert!(
            !head.contains("sk-fault-0123456789abcdefXYZ"),
            "the token reached the other host: {head}"
        );
        assert!(
            !head.to_ascii_lowercase().contains("authorization"),
            "an Authorization header reached the other host: {head}"
        );
    }
    assert_eq!(
        heads.len(),
        1,
        "only the direct source reached the other host: {heads:?}"
    );
    assert!(!p.stdout.contains("sk-fault-0123456789abcdefXYZ"));
    assert_failed_evidence(&ws, "redirected");
}

#[test]
fn the_checks_of_one_poll_run_at_the_same_time() {
    let config: String = (0..5)
        .map(|i| {
            let port = servers::hang();
            http_source(
                &format!("hangs-{i}"),
                &format!("http://127.0.0.1:{port}/"),
                "timeout = \"1s\"",
            )
        })
        .collect();
    let ws = Ws::new(&config);
    let p = ws.poll(&[]);
    assert_eq!(p.code, Some(1));
    assert_eq!(p.json["checked"], 5);
    assert_eq!(p.json["failed"], 5);
    for i in 0..5 {
        p.assert_fail(&format!("hangs-{i}"), &["timed out"]);
    }
    assert!(
        p.elapsed < Duration::from_millis(3500),
        "five 1 s timeouts in one poll took {:?}; run one after another they take 5 s",
        p.elapsed
    );
}

#[test]
fn a_tls_endpoint_that_never_shakes_hands_costs_its_timeout() {
    let port = servers::hang();
    let ws = Ws::new(&format!(
        "\n[[source]]\nname = \"tls-hangs\"\nkind = \"tls\"\nhost = \"127.0.0.1\"\nport = {port}\ntimeout = \"1s\"\ncontrols = [\"{CONTROL}\"]\n"
    ));
    let p = ws.poll(&[]);
    assert_eq!(p.code, Some(1));
    p.assert_fail("tls-hangs", &["timed out"]);
    assert!(p.elapsed < Duration::from_secs(5), "took {:?}", p.elapsed);
    let rows = ws.rows_of("tls-hangs");
    assert_eq!(
        (rows[0].source.as_str(), rows[0].result.as_str()),
        ("tls", "fail")
    );
}

#[cfg(unix)]
#[test]
fn a_command_that_never_ends_is_stopped_at_its_timeout() {
    let ws = Ws::new(&format!(
        "\n[[source]]\nname = \"sleeps\"\nkind = \"command\"\nprogram = \"sleep\"\nargs = [\"30\"]\ntimeout = \"1s\"\ncontrols = [\"{CONTROL}\"]\n"
    ));
    let p = ws.poll(&[]);
    assert_eq!(p.code, Some(1));
    p.assert_fail("sleeps", &["timed out"]);
    assert!(p.elapsed < Duration::from_secs(5), "took {:?}", p.elapsed);
    let rows = ws.rows_of("sleeps");
    assert_eq!(
        (rows[0].source.as_str(), rows[0].result.as_str()),
        ("command", "fail")
    );
}

#[cfg(unix)]
#[test]
fn endless_command_output_is_cut_at_max_bytes() {
    let ws = Ws::new(&format!(
        "\n[[source]]\nname = \"chatty\"\nkind = \"command\"\nprogram = \"yes\"\nmax_bytes = 4096\ntimeout = \"5s\"\ncontrols = [\"{CONTROL}\"]\n"
    ));
    let p = ws.poll(&[]);
    assert_eq!(p.code, Some(1));
    p.assert_fail("chatty", &["4096-byte cap"]);
    assert!(
        latency(&p, "chatty") < Duration::from_secs(3),
        "the output was not read to the timeout: {:?}",
        latency(&p, "chatty")
    );
    let stored: i64 = ws.query("SELECT max(length(content)) FROM evidence");
    assert!(stored <= 4096, "{stored} bytes stored");
}
