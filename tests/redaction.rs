//! Secrets never reach storage or the screen, through the real binary: a hostile loopback
//! server echoes the workspace's configured secrets (as they are, URL-encoded, base64 in both
//! alphabets with and without padding, base64 of `user:secret` pairs, hex) and credentials of
//! every family nobody configured (AWS key IDs, GitHub tokens, JWTs without "Bearer",
//! database URLs with passwords, PEM private keys, JSON keys such as `passwd`, `x-api-key`,
//! `private_key`, `client_secret`, a token value with an escaped quote, token query
//! parameters), a LiteLLM unhealthy endpoint whose `api_base` carries `user:pass@`, and an
//! unparseable redirect `Location`. After `poll --once`, none of those strings may appear in
//! any byte of the workspace folder (database, WAL, logs), in `certready sources` or in the
//! poll's own output. Command sources run with a clean environment, and one source's secret
//! is masked in every other source's output. A URL with userinfo is refused at config load.

mod common;
#[path = "common/polling.rs"]
mod polling;

use polling::Ws;
use std::io::{Read, Write};
use std::net::TcpListener;

const CONTROL: &str = "GW-AVAIL-01";
const GW_KEY: &str = "sk-gw/master+Key=Qx7Lm2Np9";
const HDR_KEY: &str = "hdr/Api+Secret=5Jk8Pq3";
const CMD_KEY: &str = "cmd/Listed+Secret=4Hg7";
const UNLISTED: &str = "unlisted-Env-Value-9Zp";

/// Credentials of every family nobody configured, each unique enough to search for.
const FAMILIES: &[&str] = &[
    "AKIAQWERTYUIOPASDF12",
    "ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
    "gho_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
    "github_pat_11AAAAAAA0abcdefghijklmn_opqrstuvwxyz",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhdHRhY2tlciJ9.c2lnbmF0dXJlLXZhbHVlLTEyMw",
    "DbPa55-word",
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
    "pw-Passwd-1x",
    "xk-Header-2x",
    "pk-Private-3x",
    "cs-Client-4x",
    "def-tail-5x",
    "qp-ApiKey-6x",
    "qp-Access-7x",
    "qp-Sig-8x",
    "bearer-Tok-9x",
    "sk-proj-Unconfigured0123456789",
    "PASSWD-api-9",
    "LOCPASS-7",
    "LOCTOK-8",
];

fn b64(bytes: &[u8], url_safe: bool, pad: bool) -> String {
    const STD: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..=c.len() {
            out.push(STD[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
        if pad {
            out.push_str(&"=".repeat(3 - c.len()));
        }
    }
    if url_safe {
        out = out.replace('+', "-").replace('/', "_");
    }
    out
}

fn pct(s: &str, lower: bool) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ if lower => format!("%{b:02x}"),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Every form of `secret` that must never be stored or shown.
fn encodings(secret: &str) -> Vec<String> {
    let mut v = vec![
        secret.to_owned(),
        pct(secret, false),
        pct(secret, true),
        hex(secret),
    ];
    for (url, pad) in [(false, false), (false, true), (true, false), (true, true)] {
        v.push(b64(secret.as_bytes(), url, pad));
        for user in ["u", "ab", "apiuser"] {
            v.push(b64(format!("{user}:{secret}").as_bytes(), url, pad));
        }
    }
    v.push(hex(secret).to_uppercase());
    v
}

/// Text echoing every secret and every family, as the hostile server sends it.
fn hostile_text(head: &str) -> String {
    let mut t = format!("request head:\n{head}\n");
    for s in [GW_KEY, HDR_KEY, CMD_KEY] {
        for e in encodings(s) {
            t.push_str(&format!("echo [{e}] again:{e}\n"));
        }
        t.push_str(&format!(
            "Authorization: Basic {}\n",
            b64(format!("apiuser:{s}").as_bytes(), false, true)
        ));
    }
    t.push_str("aws AKIAQWERTYUIOPASDF12 gh ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789\n");
    t.push_str("gh2 gho_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 github_pat_11AAAAAAA0abcdefghijklmn_opqrstuvwxyz\n");
    t.push_str("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhdHRhY2tlciJ9.c2lnbmF0dXJlLXZhbHVlLTEyMw\n");
    t.push_str("db postgres://dbuser:DbPa55-word@db.internal:5432/app\n");
    t.push_str("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n");
    t.push_str(
        "cb https://h.example/cb?api_key=qp-ApiKey-6x&access_token=qp-Access-7x&sig=qp-Sig-8x\n",
    );
    t.push_str("auth Bearer bearer-Tok-9x key sk-proj-Unconfigured0123456789\n");
    t.push_str(r#"log {"token": "abc\"def-tail-5x", "passwd": "pw-Passwd-1x"}"#);
    t.push('\n');
    t
}

fn hostile_json(head: &str) -> String {
    serde_json::json!({
        "echo": hostile_text(head),
        "passwd": "pw-Passwd-1x",
        "x-api-key": "xk-Header-2x",
        "config": { "private_key": "pk-Private-3x", "Client_Secret": "cs-Client-4x" },
        "token": "abc\"def-tail-5x",
        "dsn": "postgres://dbuser:DbPa55-word@db.internal:5432/app",
        "status": "ok",
    })
    .to_string()
}

/// The hostile server: a LiteLLM gateway, JSON and text echoes, a failing echo and an
/// unparseable redirect, on 127.0.0.1.
fn hostile_server() -> u16 {
    let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut conn = conn;
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && conn.read(&mut byte).unwrap_or(0) == 1 {
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                let (status, extra, body) = match path.as_str() {
                    "/health/readiness" => ("200 OK", String::new(), format!(r#"{{"status":"healthy","db":"connected","litellm_version":"{GW_KEY}"}}"#)),
                    "/health" => ("200 OK", String::new(), r#"{"healthy_count":1,"unhealthy_count":1,"unhealthy_endpoints":[{"api_base":"https://apiuser:PASSWD-api-9@api.provider.example/v1","error":"boom"}]}"#.to_owned()),
                    "/json" => ("200 OK", String::new(), hostile_json(&head)),
                    "/text" => ("200 OK", String::new(), hostile_text(&head)),
                    "/fail" => ("500 Internal Server Error", String::new(), hostile_text(&head)),
                    _ => ("302 Found", "location: http://apiuser:LOCPASS-7@[::1:bad/x?token=LOCTOK-8\r\n".to_owned(), "{}".to_owned()),
                };
                let _ = write!(
                    conn,
                    "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n{extra}\r\n{body}",
                    body.len()
                );
            });
        }
    });
    port
}

fn config(port: u16) -> String {
    let http = |name: &str, path: &str| {
        format!(
            "[[source]]\nname = \"{name}\"\nkind = \"http\"\nurl = \"http://127.0.0.1:{port}{path}\"\nheaders_env = {{ X-Api-Key = \"HDR_API_KEY\" }}\nretries = 0\ncontrols = [\"{CONTROL}\"]\n\n"
        )
    };
    format!(
        "[[gateway]]\nname = \"hostile-gw\"\npreset = \"litellm\"\nurl = \"http://127.0.0.1:{port}\"\ntoken_env = \"GW_MASTER_KEY\"\nretries = 0\ncontrols = [\"{CONTROL}\"]\n\n{}{}{}{}[[source]]\nname = \"env-dump\"\nkind = \"command\"\nprogram = \"env\"\nenv = [\"CMD_LISTED\"]\ncontrols = [\"{CONTROL}\"]\n\n[[source]]\nname = \"leak-file\"\nkind = \"command\"\nprogram = \"cat\"\nargs = [\"leak.txt\"]\ncontrols = [\"{CONTROL}\"]\n",
        http("echo-json", "/json"),
        http("echo-text", "/text"),
        http("echo-fail", "/fail"),
        http("odd-redirect", "/redirect"),
    )
}

const ENV: &[(&str, &str)] = &[
    ("GW_MASTER_KEY", GW_KEY),
    ("HDR_API_KEY", HDR_KEY),
    ("CMD_LISTED", CMD_KEY),
    ("OTHER_UNLISTED", UNLISTED),
];

/// Every file under `dir`, as bytes.
fn all_bytes(dir: &std::path::Path, out: &mut Vec<(String, Vec<u8>)>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            all_bytes(&p, out);
        } else {
            out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
        }
    }
}

fn assert_absent(what: &str, hay: &[u8], needles: &[String]) {
    for n in needles {
        let found = hay.windows(n.len()).any(|w| w == n.as_bytes());
        assert!(!found, "`{n}` found in {what}");
    }
}

#[test]
fn no_secret_or_encoding_of_one_reaches_the_database_sources_output_or_logs() {
    let port = hostile_server();
    let ws = Ws::new(&config(port));
    std::fs::write(
        ws.path.join("leak.txt"),
        format!("gw {GW_KEY}\nhdr {HDR_KEY}\n"),
    )
    .unwrap();
    std::fs::create_dir_all(ws.path.join("logs")).unwrap();
    let p = ws.poll(ENV);
    assert_eq!(p.json["checked"], 7, "{}{}", p.stdout, p.stderr);
    let mut needles: Vec<String> = FAMILIES.iter().map(|s| (*s).to_owned()).collect();
    for s in [GW_KEY, HDR_KEY, CMD_KEY] {
        needles.extend(encodings(s));
    }
    needles.push(UNLISTED.to_owned());
    needles.sort();
    needles.dedup();
    // The checks did see the hostile answers: the echoes were stored, masked.
    let rows = ws.rows_of("echo-json");
    let content = rows[0].content.clone().unwrap_or_default();
    assert!(
        content.contains("[REDACTED]") && content.contains("\"status\":\"ok\""),
        "{content}"
    );
    assert!(
        ws.rows_of("echo-fail")[0]
            .content
            .as_deref()
            .unwrap_or("")
            .contains("request head")
    );
    p.assert_fail("odd-redirect", &["redirect", "unparseable location"]);
    let gw = p.summary("hostile-gw");
    assert!(
        gw.contains("api.provider.example") && !gw.contains("apiuser"),
        "{gw}"
    );
    let leak = ws.rows_of("leak-file")[0]
        .content
        .clone()
        .unwrap_or_default();
    assert!(
        leak.contains("gw [REDACTED]") && leak.contains("hdr [REDACTED]"),
        "{leak}"
    );
    // Everything stored, shown or logged.
    assert_absent(
        "poll output",
        format!("{}{}", p.stdout, p.stderr).as_bytes(),
        &needles,
    );
    let (code, out, err) = ws.cmd(&["sources"], ENV);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("echo-json") && out.contains("hostile-gw"),
        "{out}"
    );
    assert_absent(
        "`certready sources`",
        format!("{out}{err}").as_bytes(),
        &needles,
    );
    let (_, json_out, _) = ws.cmd(&["sources", "--json"], ENV);
    assert_absent("`certready sources --json`", json_out.as_bytes(), &needles);
    let mut files = Vec::new();
    all_bytes(&ws.path, &mut files);
    assert!(files.iter().any(|(n, _)| n.ends_with("certready.db")));
    for (name, bytes) in files.iter().filter(|(n, _)| !n.ends_with("leak.txt")) {
        assert_absent(name, bytes, &needles);
    }
}

#[test]
fn a_command_source_runs_with_only_path_home_lang_and_its_listed_variables() {
    let ws = Ws::new(&format!(
        "[[source]]\nname = \"env-dump\"\nkind = \"command\"\nprogram = \"env\"\nenv = [\"CMD_LISTED\"]\ncontrols = [\"{CONTROL}\"]\n\n[[gateway]]\nname = \"gw\"\npreset = \"generic\"\nurl = \"http://127.0.0.1:{}\"\ntoken_env = \"GW_MASTER_KEY\"\nretries = 0\ncontrols = [\"{CONTROL}\"]\n",
        common_closed_port()
    ));
    let p = ws.poll(ENV);
    p.assert_pass("env-dump");
    let out = ws.rows_of("env-dump")[0]
        .content
        .clone()
        .unwrap_or_default();
    let names: Vec<&str> = out
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once('=').map(|(k, _)| k))
        .collect();
    assert!(
        names.contains(&"PATH") && names.contains(&"CMD_LISTED"),
        "{out}"
    );
    for n in &names {
        assert!(
            ["PATH", "HOME", "LANG", "CMD_LISTED", "PWD", "SHLVL", "_"].contains(n),
            "`{n}` leaked into the command: {out}"
        );
    }
    assert!(out.contains("CMD_LISTED=[REDACTED]"), "{out}");
    assert!(
        !out.contains("GW_MASTER_KEY") && !out.contains(UNLISTED),
        "{out}"
    );
}

fn common_closed_port() -> u16 {
    let l = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    l.local_addr().unwrap().port()
}

#[test]
fn userinfo_in_a_configured_url_is_refused_in_one_line_without_echoing_it() {
    for (table, expect) in [
        (
            "[[gateway]]\nname = \"gw\"\npreset = \"generic\"\nurl = \"http://admin:hunter22@127.0.0.1:9/\"\n",
            "token_env",
        ),
        (
            "[[source]]\nname = \"s\"\nkind = \"http\"\nurl = \"https://svc:hunter22@127.0.0.1:9/x\"\n",
            "headers_env",
        ),
    ] {
        let ws = Ws::new(table);
        let before = std::fs::read(ws.db()).unwrap();
        let (code, out, err) = ws.cmd(&["poll", "--once"], &[]);
        assert_eq!(code, Some(1), "{out}{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(
            err.contains("certready.toml:") && err.contains(".url") && err.contains(expect),
            "{err}"
        );
        assert!(
            !err.contains("hunter22") && !out.contains("hunter22"),
            "{err}"
        );
        assert_eq!(
            std::fs::read(ws.db()).unwrap(),
            before,
            "the database is unchanged"
        );
    }
}
