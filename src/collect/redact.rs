//! Redaction before storage: Authorization headers, bearer tokens, `sk-` style API keys and
//! the values of configured secret variables are replaced by `[REDACTED]` in any text that
//! might be stored, logged, shown or reported.

/// The replacement text.
pub const MASK: &str = "[REDACTED]";

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Replaces `sk-...` keys (at least 16 key characters after the prefix).
fn mask_sk_keys(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i] == 's'
            && chars.get(i + 1) == Some(&'k')
            && chars.get(i + 2) == Some(&'-')
            && (i == 0 || !is_key_char(chars[i - 1]));
        if starts {
            let mut j = i + 3;
            while j < chars.len() && is_key_char(chars[j]) {
                j += 1;
            }
            if j - (i + 3) >= 16 {
                out.push_str(MASK);
                i = j;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Replaces the token after `Bearer ` (any case) and whole `Authorization:` header values.
fn mask_auth(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let _ = n;
        let lower = line.to_ascii_lowercase();
        if let Some(pos) = lower
            .find("authorization:")
            .filter(|p| lower[..*p].trim().is_empty())
        {
            out.push_str(&line[..pos + "authorization:".len()]);
            out.push(' ');
            out.push_str(MASK);
            if line.ends_with('\n') {
                out.push('\n');
            }
            continue;
        }
        let mut rest = line;
        loop {
            let l = rest.to_ascii_lowercase();
            let Some(p) = l.find("bearer ") else {
                out.push_str(rest);
                break;
            };
            out.push_str(&rest[..p + 7]);
            let after = &rest[p + 7..];
            let end = after
                .find(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == ',')
                .unwrap_or(after.len());
            if end > 0 {
                out.push_str(MASK);
            }
            rest = &after[end..];
        }
    }
    out
}

/// Replaces JSON string values of keys that name credentials (`"authorization": "..."`,
/// `"api_key"`, `"token"`, `"password"`, `"secret"`).
fn mask_json_secrets(text: &str) -> String {
    const KEYS: &[&str] = &[
        "authorization",
        "api_key",
        "apikey",
        "token",
        "password",
        "secret",
        "master_key",
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(q) = rest.find('"') {
        out.push_str(&rest[..=q]);
        rest = &rest[q + 1..];
        let Some(end) = rest.find('"') else { break };
        let key = &rest[..end];
        out.push_str(key);
        out.push('"');
        rest = &rest[end + 1..];
        let lk = key.to_ascii_lowercase();
        let trimmed = rest.trim_start();
        if KEYS.iter().any(|k| lk.contains(k)) && trimmed.starts_with(':') {
            let after_colon = trimmed[1..].trim_start();
            if let Some(v) = after_colon.strip_prefix('"') {
                let Some(vend) = v.find('"') else { break };
                let skipped = rest.len() - after_colon.len();
                out.push_str(&rest[..skipped]);
                out.push('"');
                out.push_str(MASK);
                out.push('"');
                rest = &v[vend + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Redacts `text`: credentials in headers and JSON, bearer tokens, `sk-` keys, and every value
/// in `secrets` (the configured secret variables' values, at least 4 characters).
pub fn redact(text: &str, secrets: &[String]) -> String {
    let mut s = text.to_owned();
    for v in secrets.iter().filter(|v| v.len() >= 4) {
        s = s.replace(v.as_str(), MASK);
    }
    mask_json_secrets(&mask_auth(&mask_sk_keys(&s)))
}

/// Cuts `s` to at most `max` bytes at a character boundary, adding `…` when it cut.
pub fn clip(s: &mut String, max: usize) {
    if s.len() > max {
        let mut at = max;
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        s.truncate(at);
        s.push('…');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_tokens_headers_and_configured_values_are_masked() {
        let body = "{\"error\":\"bad key sk-live-ABCDEFGHIJKLMNOPqrst used\",\"headers\":{\"Authorization\":\"Bearer abc.def\"},\"note\":\"sk-short\"}";
        let r = redact(body, &[]);
        assert!(
            !r.contains("ABCDEFGHIJKLMNOP") && !r.contains("abc.def"),
            "{r}"
        );
        assert!(r.contains("sk-short"), "short look-alikes stay: {r}");
        let h = "GET /health HTTP/1.1\nAuthorization: Bearer s3cr3t-token\nHost: x\n";
        let r = redact(h, &[]);
        assert!(!r.contains("s3cr3t") && r.contains("Host: x"), "{r}");
        let r = redact(
            "master key is hunter22 and again hunter22",
            &["hunter22".into()],
        );
        assert_eq!(r, "master key is [REDACTED] and again [REDACTED]");
        assert_eq!(
            redact("{\"password\": \"pw\", \"user\": \"u\"}", &[]),
            "{\"password\": \"[REDACTED]\", \"user\": \"u\"}"
        );
    }
}
