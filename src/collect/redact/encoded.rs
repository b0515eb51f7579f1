//! Encoded echoes of configured secrets: the literal encodings of each value (URL-encoded,
//! base64 in both alphabets with and without padding, hex, JSON-escaped), and runs of text
//! that decode (base64 at any alignment, hex, percent-encoding) to bytes holding a secret,
//! such as the base64 of a `user:secret` Basic pair.

use super::MASK;
use regex::Regex;
use std::sync::LazyLock;

const STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Base64 of `bytes` in the standard alphabet, padded.
pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(STD[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Percent-encodes every byte but ASCII letters, digits and `-._~` (`%2F`, upper case).
pub fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The literal forms of `secret` worth replacing as they are.
pub fn variants(secret: &str) -> Vec<String> {
    let b64 = base64(secret.as_bytes());
    let url = b64.replace('+', "-").replace('/', "_");
    let pct = percent(secret);
    let json = serde_json::to_string(secret).unwrap_or_default();
    vec![
        secret.to_owned(),
        b64.trim_end_matches('=').to_owned(),
        url.trim_end_matches('=').to_owned(),
        b64,
        url,
        percent_lower(&pct),
        pct.replace("%20", "+"),
        pct,
        hex(secret.as_bytes()),
        hex(secret.as_bytes()).to_ascii_uppercase(),
        json.get(1..json.len().saturating_sub(1))
            .unwrap_or("")
            .to_owned(),
    ]
}

/// `%2F` written as `%2f`.
fn percent_lower(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut hexes = 0;
    for c in p.chars() {
        if c == '%' {
            hexes = 2;
            out.push(c);
        } else if hexes > 0 {
            hexes -= 1;
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `hay` holds `needle`.
pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && hay.len() >= needle.len()
        && hay.windows(needle.len()).any(|w| w == needle)
}

fn b64_value(c: u8) -> Option<u32> {
    Some(
        match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        }
        .into(),
    )
}

/// Decodes base64 leniently (either alphabet, padding ignored, a trailing partial dropped).
pub fn base64_decode_lenient(run: &[u8]) -> Vec<u8> {
    let (mut out, mut acc, mut bits) = (Vec::with_capacity(run.len() * 3 / 4), 0u32, 0);
    for v in run.iter().filter_map(|&c| b64_value(c)) {
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

fn hex_decode(run: &[u8]) -> Vec<u8> {
    run.chunks_exact(2)
        .filter_map(|p| u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok())
        .collect()
}

fn percent_decode(run: &str, plus_is_space: bool) -> Vec<u8> {
    let b = run.as_bytes();
    let (mut out, mut i) = (Vec::with_capacity(b.len()), 0);
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                match std::str::from_utf8(&b[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' if plus_is_space => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    out
}

static BASE64_RUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9+/_-]{6,}={0,2}").expect("base64 run"));
static HEX_RUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9A-Fa-f]{8,}").expect("hex run"));
static PERCENT_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"[^\s"'<>&?=;,]*%[0-9A-Fa-f]{2}[^\s"'<>&?=;,]*"#).expect("percent run")
});

/// Masks every run of `text` that decodes to bytes holding one of `secrets`.
pub fn mask_encoded(text: &str, secrets: &[Vec<u8>]) -> String {
    let shortest = secrets.iter().map(Vec::len).min().unwrap_or(0);
    let holds = |bytes: &[u8]| secrets.iter().any(|s| contains(bytes, s));
    let b64 = |run: &str| {
        let b = run.as_bytes();
        b.len() * 3 / 4 >= shortest
            && (0..4.min(b.len())).any(|k| holds(&base64_decode_lenient(&b[k..])))
    };
    let hexed = |run: &str| {
        let b = run.as_bytes();
        b.len() / 2 >= shortest && (0..2).any(|k| holds(&hex_decode(&b[k..])))
    };
    let pct = |run: &str| holds(&percent_decode(run, false)) || holds(&percent_decode(run, true));
    let mut s = replace_runs(text, &PERCENT_RUN, &pct);
    s = replace_runs(&s, &HEX_RUN, &hexed);
    replace_runs(&s, &BASE64_RUN, &b64)
}

fn replace_runs(text: &str, re: &Regex, hit: &dyn Fn(&str) -> bool) -> String {
    re.replace_all(text, |c: &regex::Captures<'_>| {
        let run = &c[0];
        if hit(run) {
            MASK.to_owned()
        } else {
            run.to_owned()
        }
    })
    .into_owned()
}
