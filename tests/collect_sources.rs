//! Every source kind through `certready poll --once` on a fresh workspace, passing and
//! failing: HTTP (status and JSONPath), gateway (the simulated LiteLLM proxy up, down and
//! degraded), TLS (trusted, untrusted, expiring), file (newest match, missing, JSONPath,
//! regex, age) and command (exit code, regex, missing program, arguments never seen by a
//! shell). Each result is checked in the JSON output and in the evidence table. Runs on
//! SQLite here and on PostgreSQL as `pg_matrix_collect_sources`.

mod common;
#[path = "common/polling.rs"]
mod polling;
#[path = "common/servers.rs"]
mod servers;

use polling::Ws;

const CONTROL: &str = "GW-AVAIL-01";

/// Asserts the evidence collected from `name` is one row with source `kind` and `result`.
fn assert_evidence(ws: &Ws, name: &str, kind: &str, result: &str) {
    let rows = ws.rows_of(name);
    assert_eq!(rows.len(), 1, "one evidence row for `{name}`: {rows:?}");
    let r = &rows[0];
    assert_eq!(
        (r.source.as_str(), r.result.as_str(), r.control.as_str()),
        (kind, result, CONTROL),
        "evidence of `{name}`: {r:?}"
    );
    assert_eq!(r.run_count, 1);
    assert!(
        r.content.is_some(),
        "collected evidence keeps its content: {r:?}"
    );
}

#[test]
fn http_sources_pass_and_fail_on_status_and_jsonpath() {
    let port = servers::ok(
        r#"{"policy":{"mfa_required":true},"users":[{"name":"a","admin":true,"mfa":true},{"name":"b","admin":false,"mfa":true}]}"#,
    );
    let url = format!("http://127.0.0.1:{port}/admin/users");
    let closed = servers::closed_port();
    let ws = Ws::new(&format!(
        r#"
[[source]]
name = "http-pass"
kind = "http"
url = "{url}"
controls = ["{CONTROL}"]
assert = [
  {{ path = "$.policy.mfa_required", equals = true }},
  {{ path = "$.users[?@.admin == true && @.mfa == false]", count = 0 }},
  {{ path = "$.users[*]", count = 2 }},
]

[[source]]
name = "http-status"
kind = "http"
url = "{url}"
expect_status = 204
controls = ["{CONTROL}"]

[[source]]
name = "http-assert"
kind = "http"
url = "{url}"
controls = ["{CONTROL}"]
assert = [{{ path = "$.policy.mfa_required", equals = false }}]

[[source]]
name = "http-count"
kind = "http"
url = "{url}"
controls = ["{CONTROL}"]
assert = [{{ path = "$.users[?@.admin == true]", count = 0 }}]

[[source]]
name = "http-refused"
kind = "http"
url = "http://127.0.0.1:{closed}/"
retries = 0
controls = ["{CONTROL}"]
"#
    ));
    let p = ws.poll(&[]);
    assert_eq!(
        p.code,
        Some(1),
        "a failed source makes the exit 1: {}",
        p.stdout
    );
    assert_eq!(p.json["checked"], 5);
    assert_eq!(p.json["failed"], 4);
    assert_eq!(p.json["appended"], 5);
    p.assert_pass("http-pass");
    assert!(
        p.summary("http-pass").contains("3 assertion(s) hold"),
        "{}",
        p.summary("http-pass")
    );
    p.assert_fail("http-status", &["HTTP 200", "expected 204"]);
    p.assert_fail(
        "http-assert",
        &[
            "assertion failed",
            "mfa_required",
            "found true, expected false",
        ],
    );
    p.assert_fail("http-count", &["1 match(es), expected 0"]);
    p.assert_fail("http-refused", &["connect"]);
    assert_evidence(&ws, "http-pass", "http", "pass");
    for name in ["http-status", "http-assert", "http-count", "http-refused"] {
        assert_evidence(&ws, name, "http", "fail");
    }
    let (code, out, err) = ws.cmd(&["verify"], &[]);
    assert_eq!(code, Some(0), "{out}{err}");
}

#[test]
fn an_http_source_that_passes_exits_zero() {
    let port = servers::ok(r#"{"status":"ok"}"#);
    let ws = Ws::new(&format!(
        r#"
[[source]]
name = "status-page"
kind = "http"
url = "http://127.0.0.1:{port}/status"
controls = ["{CONTROL}"]
assert = [{{ path = "$.status", equals = "ok" }}]
"#
    ));
    let p = ws.poll(&[]);
    assert_eq!(p.code, Some(0), "{}{}", p.stdout, p.stderr);
    assert_eq!(p.json["failed"], 0);
    p.assert_pass("status-page");
    assert_evidence(&ws, "status-page", "http", "pass");
}

const SIM_KEY: &str = "sk-sim-master-key-0123456789abcdef";

fn gateway_ws(port: u16) -> Ws {
    Ws::new(&format!(
        r#"
[[gateway]]
name = "llm-gateway"
preset = "litellm"
url = "http://127.0.0.1:{port}"
token_env = "CERTREADY_TEST_SIM_KEY"
retries = 0
controls = ["{CONTROL}"]
"#
    ))
}

#[test]
fn a_gateway_that_is_up_passes_and_exits_zero() {
    let (port, _sim) = certready::collect::sim::start(0, "up", SIM_KEY).unwrap();
    let ws = gateway_ws(port);
    let p = ws.poll(&[("CERTREADY_TEST_SIM_KEY", SIM_KEY)]);
    assert_eq!(p.code, Some(0), "{}{}", p.stdout, p.stderr);
    p.assert_pass("llm-gateway");
    let r = p.result("llm-gateway");
    assert_eq!(r["kind"], "gateway");
    assert_eq!(r["gateway"]["state"], "up", "{r}");
    assert_eq!(r["gateway"]["version"], "1.52.0-sim", "{r}");
    assert!(
        p.summary("llm-gateway")
            .contains("2 healthy, 0 unhealthy endpoint(s)"),
        "the keyed /health was read: {}",
        p.summary("llm-gateway")
    );
    assert_evidence(&ws, "llm-gateway", "gateway", "pass");
    let (code, out, _) = ws.cmd(&["poll", "--once"], &[("CERTREADY_TEST_SIM_KEY", SIM_KEY)]);
    assert_eq!(code, Some(0));
    let line = out
        .lines()
        .find(|l| l.contains("llm-gateway"))
        .unwrap_or_else(|| panic!("no table row: {out}"));
    assert!(
        line.split_whitespace().any(|w| w == "up"),
        "the table shows the state: {line}"
    );
    assert!(!out.contains(SIM_KEY));
}

#[test]
fn a_gateway_that_is_down_fails_and_exits_one() {
    let (port, _sim) = certready::collect::sim::start(0, "down", SIM_KEY).unwrap();
    let ws = gateway_ws(port);
    let p = ws.poll(&[("CERTREADY_TEST_SIM_KEY", SIM_KEY)]);
    assert_eq!(p.code, Some(1), "{}{}", p.stdout, p.stderr);
    p.assert_fail("llm-gateway", &["down", "503"]);
    assert_eq!(p.result("llm-gateway")["gateway"]["state"], "down");
    assert_evidence(&ws, "llm-gateway", "gateway", "fail");
}

#[test]
fn a_degraded_gateway_reads_as_degraded_with_only_the_unhealthy_hosts() {
    let (port, _sim) = certready::collect::sim::start(0, "degraded", SIM_KEY).unwrap();
    let ws = gateway_ws(port);
    let p = ws.poll(&[("CERTREADY_TEST_SIM_KEY", SIM_KEY)]);
    let r = p.result("llm-gateway");
    assert_eq!(r["gateway"]["state"], "degraded", "{r}");
    let summary = p.summary("llm-gateway");
    assert!(
        summary.starts_with("degraded:")
            && summary.contains("1 healthy, 1 unhealthy endpoint(s) (b.provider.example)"),
        "{summary}"
    );
    let rows = ws.rows_of("llm-gateway");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].source, "gateway");
    let stored = format!(
        "{}\n{}",
        rows[0].summary,
        rows[0].content.as_deref().unwrap_or("")
    );
    for leak in ["Traceback", "sk-simulated-leak", "raw_request", SIM_KEY] {
        assert!(!stored.contains(leak), "`{leak}` was stored: {stored}");
        assert!(
            !p.stdout.contains(leak),
            "`{leak}` was printed: {}",
            p.stdout
        );
    }
}

/// The number after "expires in " in a TLS summary.
fn days_left(summary: &str) -> i64 {
    let rest = summary
        .split("expires in ")
        .nth(1)
        .unwrap_or_else(|| panic!("no days left in: {summary}"));
    rest.split(|c: char| !c.is_ascii_digit() && c != '-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no days left in: {summary}"))
}

#[test]
fn tls_sources_check_trust_protocol_and_days_left() {
    let server = servers::https(30);
    let port = server.port;
    let ws = Ws::new(&format!(
        r#"
[[source]]
name = "tls-trusted"
kind = "tls"
host = "127.0.0.1"
port = {port}
ca_file = "ca.pem"
min_days = 14
controls = ["{CONTROL}"]

[[source]]
name = "tls-untrusted"
kind = "tls"
host = "127.0.0.1"
port = {port}
controls = ["{CONTROL}"]

[[source]]
name = "tls-expiring"
kind = "tls"
host = "127.0.0.1"
port = {port}
ca_file = "ca.pem"
min_days = 60
controls = ["{CONTROL}"]
"#
    ));
    std::fs::write(ws.path.join("ca.pem"), &server.cert_pem).unwrap();
    let p = ws.poll(&[]);
    assert_eq!(p.code, Some(1));
    p.assert_pass("tls-trusted");
    let summary = p.summary("tls-trusted");
    assert!(
        ["TLSv1.3", "TLSv1.2"]
            .iter()
            .any(|v| summary.starts_with(v)),
        "the protocol leads the summary: {summary}"
    );
    let days = days_left(summary);
    assert!((29..=31).contains(&days), "{days} days left: {summary}");
    assert!(
        summary.contains("certready test server"),
        "issuer: {summary}"
    );
    p.assert_fail("tls-untrusted", &["not trusted"]);
    p.assert_fail("tls-expiring", &["expires within 60 days"]);
    assert_evidence(&ws, "tls-trusted", "tls", "pass");
    assert_evidence(&ws, "tls-untrusted", "tls", "fail");
    assert_evidence(&ws, "tls-expiring", "tls", "fail");
    let content = ws.rows_of("tls-untrusted")[0].content.clone().unwrap();
    assert!(content.contains("trusted false"), "{content}");
}

fn set_age(path: &std::path::Path, age: std::time::Duration) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(std::time::SystemTime::now() - age).unwrap();
}

#[test]
fn file_sources_check_the_newest_match_its_content_and_its_age() {
    let ws = Ws::new(&format!(
        r#"
[[source]]
name = "file-newest"
kind = "file"
path = "reports/scan-*.json"
controls = ["{CONTROL}"]
assert = [{{ path = "$.critical", equals = 0 }}]

[[source]]
name = "file-missing"
kind = "file"
path = "reports/nothing-*.json"
controls = ["{CONTROL}"]

[[source]]
name = "file-assert"
kind = "file"
path = "reports/scan-old.json"
controls = ["{CONTROL}"]
assert = [{{ path = "$.critical", equals = 0 }}]

[[source]]
name = "file-regex"
kind = "file"
path = "reports/scan-new.json"
regex = '"tool":\s*"scanner"'
controls = ["{CONTROL}"]

[[source]]
name = "file-regex-miss"
kind = "file"
path = "reports/scan-new.json"
regex = 'DENIED'
controls = ["{CONTROL}"]

[[source]]
name = "file-fresh"
kind = "file"
path = "reports/scan-*.json"
max_age = "1h"
controls = ["{CONTROL}"]

[[source]]
name = "file-stale"
kind = "file"
path = "reports/scan-old.json"
max_age = "1h"
controls = ["{CONTROL}"]
"#
    ));
    let reports = ws.path.join("reports");
    std::fs::create_dir_all(&reports).unwrap();
    let old = reports.join("scan-old.json");
    let new = reports.join("scan-new.json");
    std::fs::write(&old, r#"{"critical": 1, "tool": "scanner"}"#).unwrap();
    std::fs::write(&new, r#"{"critical": 0, "tool": "scanner"}"#).unwrap();
    set_age(&old, std::time::Duration::from_secs(3 * 3600));
    set_age(&new, std::time::Duration::from_secs(60));
    let p = ws.poll(&[]);
    assert_eq!(p.code, Some(1));
    p.assert_pass("file-newest");
    assert!(
        p.summary("file-newest").starts_with("scan-new.json:"),
        "the newest file is checked: {}",
        p.summary("file-newest")
    );
    p.assert_fail("file-missing", &["no file matches"]);
    p.assert_fail("file-assert", &["assertion failed", "found 1, expected 0"]);
    p.assert_pass("file-regex");
    p.assert_fail("file-regex-miss", &["no match", "DENIED"]);
    p.assert_pass("file-fresh");
    p.assert_fail("file-stale", &["older than", "scan-old.json"]);
    for name in ["file-newest", "file-regex", "file-fresh"] {
        assert_evidence(&ws, name, "file", "pass");
    }
    for name in [
        "file-missing",
        "file-assert",
        "file-regex-miss",
        "file-stale",
    ] {
        assert_evidence(&ws, name, "file", "fail");
    }
    let content = ws.rows_of("file-newest")[0].content.clone().unwrap();
    assert!(
        content.contains("file scan-new.json") && content.contains("sha256 "),
        "{content}"
    );
}

#[cfg(unix)]
#[test]
fn command_sources_check_exit_codes_and_output_without_a_shell() {
    let literal = [
        "a;b",
        "$(touch pwned)",
        "`touch pwned2`",
        "&& exit 7",
        "|",
        "$HOME",
        "*",
    ];
    let args = literal
        .iter()
        .map(|a| serde_json::to_string(a).unwrap())
        .collect::<Vec<_>>()
        .join(", ");
    let ws = Ws::new(&format!(
        r#"
[[source]]
name = "cmd-pass"
kind = "command"
program = "true"
controls = ["{CONTROL}"]

[[source]]
name = "cmd-exit"
kind = "command"
program = "false"
controls = ["{CONTROL}"]

[[source]]
name = "cmd-expected-exit"
kind = "command"
program = "sh"
args = ["-c", "exit 3"]
expect_exit = 3
controls = ["{CONTROL}"]

[[source]]
name = "cmd-regex"
kind = "command"
program = "echo"
args = ["scanner version 1.2.3"]
regex = 'version \d+\.\d+\.\d+'
controls = ["{CONTROL}"]

[[source]]
name = "cmd-regex-miss"
kind = "command"
program = "echo"
args = ["hello"]
regex = 'goodbye'
controls = ["{CONTROL}"]

[[source]]
name = "cmd-missing"
kind = "command"
program = "certready-no-such-program-here"
retries = 0
controls = ["{CONTROL}"]

[[source]]
name = "cmd-literal"
kind = "command"
program = "echo"
args = [{args}]
controls = ["{CONTROL}"]
"#
    ));
    let p = ws.poll(&[]);
    assert_eq!(p.code, Some(1));
    p.assert_pass("cmd-pass");
    assert!(p.summary("cmd-pass").starts_with("exit 0"));
    p.assert_fail("cmd-exit", &["exit 1", "expected exit 0"]);
    p.assert_pass("cmd-expected-exit");
    p.assert_pass("cmd-regex");
    p.assert_fail("cmd-regex-miss", &["does not match", "goodbye"]);
    p.assert_fail(
        "cmd-missing",
        &["cannot run", "certready-no-such-program-here"],
    );
    p.assert_pass("cmd-literal");
    let printed = p.result("cmd-literal")["content"].as_str().unwrap();
    let expected = format!("{}\n", literal.join(" "));
    assert!(
        printed.ends_with(&expected),
        "the arguments reach the program untouched: {printed:?}"
    );
    assert!(
        !ws.path.join("pwned").exists() && !ws.path.join("pwned2").exists(),
        "no shell ran the arguments"
    );
    for name in ["cmd-pass", "cmd-expected-exit", "cmd-regex", "cmd-literal"] {
        assert_evidence(&ws, name, "command", "pass");
    }
    for name in ["cmd-exit", "cmd-regex-miss", "cmd-missing"] {
        assert_evidence(&ws, name, "command", "fail");
    }
    let stored = ws.rows_of("cmd-literal")[0].content.clone().unwrap();
    assert!(stored.ends_with(&expected), "{stored:?}");
}
