//! Text redaction by pattern, for credentials nobody configured: PEM private keys, URL
//! userinfo (`scheme://user:pass@` becomes `scheme://[REDACTED]@`), credential header lines
//! (`Authorization:`, `X-Api-Key:`, `Cookie:` ...), `"key": "value"` pairs and `key=value`
//! pairs (query parameters such as `api_key=`, `access_token=`, `sig=`) under secret-looking
//! keys, bearer and basic credentials, and the key families of providers: `sk-` style API keys,
//! AWS access key IDs, GitHub, GitLab, Slack and Google tokens, and JWTs.

use super::{MASK, encoded, is_secret_key};
use regex::{Captures, Regex};
use std::sync::LazyLock;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("redaction pattern")
}

/// A PEM private key, up to its END line or, when cut off, the end of the text.
static PEM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?s)-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\z)",
    )
});

/// `scheme://userinfo@`.
static USERINFO: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?i)\b([a-z][a-z0-9+.-]*://)[^\s/?#@"'<>\\]+@"#));

/// A header or YAML line `Name: value` (also after a `\n` escape in unparsed JSON text).
static HEADER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?m)((?:^|\\n|\\r)[ \t]*)([A-Za-z0-9_.-]+)([ \t]*:[ \t]*)([^\r\n\\]+)"));

/// `"key": "value"` or `'key': 'value'` in text that was not parsed as JSON.
static QUOTED: LazyLock<Regex> = LazyLock::new(|| {
    re(r#"("([^"\\]{1,80})"\s*:\s*)"(?:[^"\\]|\\.)*"|('([^'\\]{1,80})'\s*:\s*)'(?:[^'\\]|\\.)*'"#)
});

/// `key=value` (query parameters, environment listings, connection strings).
static ASSIGN: LazyLock<Regex> =
    LazyLock::new(|| re(r#"([A-Za-z0-9_.-]+)(=)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s&;,"'<>)}\]]+)"#));

/// `Bearer x`, `Basic x`.
static SCHEME: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(bearer|basic)([ \t]+)([A-Za-z0-9._~+/-]+=*)"));

/// Provider key families, each after a character that cannot be part of a key.
static FAMILIES: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(^|[^A-Za-z0-9_-])(",
        r"sk-[A-Za-z0-9_-]{16,}",
        r"|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}",
        r"|(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[A-Z0-9]{16}",
        r"|gh[pousr]_[A-Za-z0-9]{20,}",
        r"|github_pat_[A-Za-z0-9_]{20,}",
        r"|glpat-[A-Za-z0-9_-]{20,}",
        r"|xox[abposr]-[A-Za-z0-9-]{10,}",
        r"|AIza[0-9A-Za-z_-]{35}",
        r"|eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*",
        r")"
    ))
});

/// Applies every pattern to `text`.
pub fn mask(text: &str) -> String {
    let s = PEM.replace_all(text, MASK);
    let s = USERINFO.replace_all(&s, format!("${{1}}{MASK}@"));
    let s = HEADER.replace_all(&s, |c: &Captures<'_>| {
        if is_secret_key(&c[2]) {
            format!("{}{}{}{MASK}", &c[1], &c[2], &c[3])
        } else {
            c[0].to_owned()
        }
    });
    let s = QUOTED.replace_all(&s, |c: &Captures<'_>| {
        let (head, key, q) = match (c.get(1), c.get(3)) {
            (Some(h), _) => (h.as_str(), &c[2], '"'),
            (None, Some(h)) => (h.as_str(), &c[4], '\''),
            _ => return c[0].to_owned(),
        };
        if is_secret_key(key) {
            format!("{head}{q}{MASK}{q}")
        } else {
            c[0].to_owned()
        }
    });
    let s = ASSIGN.replace_all(&s, |c: &Captures<'_>| {
        if is_secret_key(&c[1]) && !c[3].starts_with("[REDACTED") {
            format!("{}={MASK}", &c[1])
        } else {
            c[0].to_owned()
        }
    });
    let s = SCHEME.replace_all(&s, |c: &Captures<'_>| {
        let value = &c[3];
        let basic_pair = || {
            let decoded = encoded::base64_decode_lenient(value.as_bytes());
            std::str::from_utf8(&decoded).is_ok_and(|t| t.contains(':'))
        };
        if c[1].eq_ignore_ascii_case("bearer") || basic_pair() {
            format!("{}{}{MASK}", &c[1], &c[2])
        } else {
            c[0].to_owned()
        }
    });
    FAMILIES
        .replace_all(&s, |c: &Captures<'_>| format!("{}{MASK}", &c[1]))
        .into_owned()
}
