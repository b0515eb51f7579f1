//! One test per redaction family: configured values and their encodings, JSON by key
//! (escaped quotes included), header lines and pairs, URL userinfo, query parameters,
//! provider key families, JWTs and PEM keys; and what must stay as it is.

use super::encoded::{base64, hex, percent};
use super::*;

const SECRET: &str = "s3cr3t/Value+with=odd&chars";

fn r() -> Redactor {
    Redactor::new([SECRET, "gw-master-KEY-0042"])
}

#[test]
fn configured_values_and_their_literal_encodings_are_masked() {
    let b = base64(SECRET.as_bytes());
    let url_safe = b.replace('+', "-").replace('/', "_");
    for echo in [
        SECRET.to_owned(),
        percent(SECRET),
        percent(SECRET)
            .replace("%2F", "%2f")
            .replace("%2B", "%2b")
            .replace("%3D", "%3d"),
        b.clone(),
        b.trim_end_matches('=').to_owned(),
        url_safe.clone(),
        url_safe.trim_end_matches('=').to_owned(),
        hex(SECRET.as_bytes()),
        hex(SECRET.as_bytes()).to_ascii_uppercase(),
    ] {
        let out = r().text(&format!("echo: <{echo}> done"));
        assert!(!out.contains(&echo), "{echo} kept: {out}");
        assert!(out.contains(MASK) && out.ends_with("> done"), "{out}");
    }
}

#[test]
fn base64_of_a_basic_pair_holding_a_secret_is_masked_at_any_alignment() {
    for user in ["u", "us", "use", "apiuser"] {
        let pair = base64(format!("{user}:gw-master-KEY-0042").as_bytes());
        let out = r().text(&format!("seen {pair} and x{pair}"));
        assert!(!out.contains(&pair[4..]), "{user}: {out}");
    }
    // Partly URL-encoded echoes decode to the secret too.
    let out = r().text("q=s3cr3t%2FValue%2bwith%3Dodd%26chars&x=1");
    assert!(!out.contains("s3cr3t"), "{out}");
}

#[test]
fn json_is_masked_by_key_whatever_the_escapes() {
    let out = r().content(r#"{"token": "abc\"def-tail", "user": "u"}"#);
    assert!(!out.contains("def-tail") && !out.contains("abc"), "{out}");
    assert!(out.contains(r#""user":"u""#), "{out}");
    let doc = r#"{"passwd":"p1xx","x-api-key":"k2xx","private_key":"k3xx","client_secret":"c4xx",
        "Credentials":{"user":"u5xx","pass":"p5xx"},"Cookie":"c6xx","session_id":"s7xx",
        "nested":[{"Api_Key":"a8xx","pwd":9999}],"usage":{"total_tokens":123},"name":"kept"}"#;
    let out = r().content(doc);
    for gone in [
        "p1xx", "k2xx", "k3xx", "c4xx", "u5xx", "p5xx", "c6xx", "s7xx", "a8xx", "9999",
    ] {
        assert!(!out.contains(gone), "{gone} kept: {out}");
    }
    assert!(out.contains("123") && out.contains("kept"), "{out}");
    // The same pairs in text that is not JSON as a whole.
    let out = r().content("log: {\"token\": \"abc\\\"def-tail\"} and 'password': 'hunter2'");
    assert!(
        !out.contains("def-tail") && !out.contains("hunter2"),
        "{out}"
    );
}

#[test]
fn json_lines_and_unchanged_json_keep_their_shape() {
    let clean = "{ \"status\" : \"ok\",\n  \"n\": 1 }";
    assert_eq!(r().content(clean), clean);
    let lines = "{\"a\":1}\n{\"secret\":\"zz9zz\"}\nplain line\n";
    let out = r().content(lines);
    assert_eq!(out, "{\"a\":1}\n{\"secret\":\"[REDACTED]\"}\nplain line\n");
}

#[test]
fn header_lines_bearer_and_basic_credentials_are_masked() {
    let head = "GET / HTTP/1.1\r\nAuthorization: Basic dXNlcjpwYXNz\r\nX-Api-Key: k-123\r\nCookie: sid=abc\r\nHost: x\r\n";
    let out = r().text(head);
    assert!(
        !out.contains("dXNlcjpwYXNz") && !out.contains("k-123") && !out.contains("sid=abc"),
        "{out}"
    );
    assert!(out.contains("Host: x"), "{out}");
    let out = r().text("error: got Bearer tok.en-9 and basic dXNlcjpwYXNz; basic checks pass");
    assert!(
        !out.contains("tok.en-9") && !out.contains("dXNlcjpwYXNz"),
        "{out}"
    );
    assert!(out.contains("basic checks pass"), "{out}");
    // Header lines inside unparsed escaped JSON text.
    let out = r().text(r"GET / HTTP/1.1\r\nx-api-key: k-456\r\nHost: y");
    assert!(!out.contains("k-456") && out.contains("Host: y"), "{out}");
}

#[test]
fn url_userinfo_and_token_query_parameters_are_masked() {
    let out = r().text(
        "db postgres://app:pa55word@db.internal:5432/x and https://apiuser:PASS@api.provider.example/v1",
    );
    assert!(!out.contains("pa55word") && !out.contains("PASS@"), "{out}");
    assert!(
        out.contains("postgres://[REDACTED]@db.internal:5432/x"),
        "{out}"
    );
    let out = r().text(
        "GET /x?api_key=q1&access_token=q2&sig=q3&token=q4&X-Amz-Signature=q5&page=2 HTTP/1.1",
    );
    for gone in ["q1", "q2", "q3", "q4", "q5"] {
        assert!(!out.contains(gone), "{gone}: {out}");
    }
    assert!(out.contains("page=2"), "{out}");
    let out = r().text("GITHUB_TOKEN=abc\nDB_PASSWORD=\"x y\"\nHOME=/root\n");
    assert!(!out.contains("abc") && !out.contains("x y") && out.contains("HOME=/root"));
}

#[test]
fn provider_key_families_and_jwts_are_masked() {
    let keys = [
        "sk-live-ABCDEFGHIJKLMNOPqrst",
        "sk-proj-abcdefghijklmnop1234",
        "AKIAIOSFODNN7EXAMPLE",
        "ghp_0123456789abcdefghijABCDEFGHIJ012345",
        "gho_0123456789abcdefghijABCDEFGHIJ012345",
        "ghs_0123456789abcdefghijABCDEFGHIJ012345",
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
        "glpat-abcdefghij0123456789",
        "xoxb-1234567890-abcdefghij",
        "AIzaSyA0123456789abcdefghijklmnopqrstuv",
        "sk_live_0123456789abcdef",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk",
    ];
    for k in keys {
        let out = r().text(&format!("value ({k}), again:{k}"));
        assert!(!out.contains(k), "{k} kept: {out}");
    }
    let out = r().text("sk-short task-abcdefghijklmnopqrst AKIA-not");
    assert_eq!(out, "sk-short task-abcdefghijklmnopqrst AKIA-not");
}

#[test]
fn pem_private_keys_are_masked_whole_or_cut_off() {
    let pem = "x\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nabcdef\n-----END RSA PRIVATE KEY-----\ny";
    assert_eq!(r().text(pem), "x\n[REDACTED]\ny");
    let mixed = format!("{{\"a\":1}}\n{pem}\n{{\"b\":2}}\n");
    assert!(
        !r().content(&mixed).contains("MIIEpAIBAAKCAQEA"),
        "lines are redacted together"
    );
    let cut = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq";
    assert!(!r().text(cut).contains("MIIEvQ"));
    let out = r().content(&serde_json::json!({ "pem": pem }).to_string());
    assert!(!out.contains("MIIEpAIBAAKCAQEA"), "{out}");
}

#[test]
fn ordinary_text_is_kept_and_cuts_come_after_masking() {
    let text =
        "HTTP 200, 3 assertion(s) hold, 120 bytes; file report.json: 10 bytes, sha256 0123456789ab";
    assert_eq!(r().text(text), text);
    assert_eq!(
        redact(
            "master key is hunter22 and again hunter22",
            &["hunter22".into()]
        ),
        "master key is [REDACTED] and again [REDACTED]"
    );
    let mut s = "ab…cd".to_owned();
    clip(&mut s, 3);
    assert_eq!(s, "ab…");
    assert!(is_secret_key("X-Api-Key") && is_secret_key("CLIENT_SECRET") && !is_secret_key("name"));
}
