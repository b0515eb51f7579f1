//! Redaction before storage: whatever a check brings back is masked before it is stored
//! (evidence content and summary, source state, gateway panels, findings and notes), logged or
//! shown.
//!
//! Invariants:
//! - one workspace-wide secret set: the values of every configured secret variable (every
//!   gateway's `token_env`, every source's `headers_env` and `env`) are masked in the output of
//!   every source, not only the source that uses them, together with their encodings
//!   (URL-encoded, base64 in either alphabet with or without padding, base64 of a `user:secret`
//!   pair, hex, JSON-escaped);
//! - JSON is parsed (serde_json) and walked: the values of secret-looking keys are masked
//!   whatever their escapes, and every string is redacted as text;
//! - text is masked by pattern: credential headers and `key=value` pairs, bearer and basic
//!   credentials, URL userinfo, token-ish query parameters, provider key families (`sk-`, AWS,
//!   GitHub, Slack, Google), JWTs and PEM private keys;
//! - redaction happens before cutting, so a cut never leaves part of a secret unmasked.

mod encoded;
mod json;
mod patterns;
#[cfg(test)]
mod tests;

/// The replacement text.
pub const MASK: &str = "[REDACTED]";

/// Secrets shorter than this are not masked by value (they would mask ordinary words).
pub const MIN_SECRET: usize = 4;

/// Whether a key or header name names a credential: `token`, `secret`, `password`, `passwd`,
/// `pwd`, `api_key`, `x-api-key`, `authorization`, `private_key`, `client_secret`,
/// `credential(s)`, `cookie`, `session`, ... (case, `-`, `_` and `.` do not matter).
pub fn is_secret_key(key: &str) -> bool {
    const PARTS: &[&str] = &[
        "token",
        "secret",
        "password",
        "passwd",
        "passphrase",
        "pwd",
        "apikey",
        "authorization",
        "privatekey",
        "credential",
        "cookie",
        "session",
        "masterkey",
        "accesskey",
        "signingkey",
        "authkey",
        "signature",
    ];
    const WHOLE: &[&str] = &["auth", "xauth", "sig", "key", "pass", "dsn"];
    let k: String = key
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | '.' | ' '))
        .flat_map(char::to_lowercase)
        .collect();
    PARTS.iter().any(|p| k.contains(p)) || WHOLE.contains(&k.as_str())
}

/// Whether a secret-looking key holds a quantity rather than a credential (`total_tokens`,
/// `session_count`, `token_expires_in`): its numbers are kept.
pub fn is_quantity_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "count", "tokens", "expir", "ttl", "length", "size", "limit", "max", "min",
    ]
    .iter()
    .any(|p| k.contains(p))
}

/// A workspace's redaction: its secret values with their encodings, and the patterns.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// Secret values and their literal encodings, longest first.
    needles: Vec<String>,
    /// Secret values as bytes, for decoded base64, hex and URL-encoded runs.
    raw: Vec<Vec<u8>>,
}

impl Redactor {
    /// A redactor masking `secrets` (values shorter than [`MIN_SECRET`] are ignored).
    pub fn new<S: AsRef<str>>(secrets: impl IntoIterator<Item = S>) -> Self {
        let mut raw: Vec<Vec<u8>> = secrets
            .into_iter()
            .map(|s| s.as_ref().as_bytes().to_vec())
            .filter(|s| s.len() >= MIN_SECRET)
            .collect();
        raw.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        raw.dedup();
        let mut needles: Vec<String> = raw
            .iter()
            .flat_map(|s| encoded::variants(&String::from_utf8_lossy(s)))
            .filter(|n| n.len() >= MIN_SECRET)
            .collect();
        needles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        needles.dedup();
        Self { needles, raw }
    }

    /// Whether `text` holds one of the secret values as it is.
    pub fn holds_secret(&self, text: &str) -> bool {
        self.raw
            .iter()
            .any(|s| encoded::contains(text.as_bytes(), s))
    }

    /// Redacts free text: secret values and their encodings, then every pattern family.
    pub fn text(&self, text: &str) -> String {
        let mut s = text.to_owned();
        for n in &self.needles {
            if s.contains(n.as_str()) {
                s = s.replace(n.as_str(), MASK);
            }
        }
        if !self.raw.is_empty() {
            s = encoded::mask_encoded(&s, &self.raw);
        }
        patterns::mask(&s)
    }

    /// Redacts content that may be JSON: a whole JSON document, or JSON lines, is parsed and
    /// walked (secret-looking keys masked, every string redacted as text); anything else is
    /// redacted as text.
    pub fn content(&self, text: &str) -> String {
        if let Some(out) = json::redact_document(self, text) {
            return out;
        }
        if !text.contains('\n') {
            return self.text(text);
        }
        // JSON lines are walked one by one; the lines between them are redacted together, so
        // a pattern that spans lines (a PEM key) is seen whole.
        let (mut out, mut plain) = (String::with_capacity(text.len()), String::new());
        for line in text.split_inclusive('\n') {
            match json::redact_document(self, line) {
                Some(done) => {
                    out.push_str(&self.text(&std::mem::take(&mut plain)));
                    out.push_str(&done);
                }
                None => plain.push_str(line),
            }
        }
        out.push_str(&self.text(&plain));
        out
    }
}

/// Redacts `text` (JSON-aware) with `secrets` as the configured secret values.
pub fn redact(text: &str, secrets: &[String]) -> String {
    Redactor::new(secrets).content(text)
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
