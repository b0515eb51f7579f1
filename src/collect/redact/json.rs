//! JSON redaction by key: the document is parsed with serde_json and walked, so escapes
//! (`"abc\"def"`) can never hide the end of a value. The values of secret-looking keys are
//! masked (strings, and numbers unless the key names a quantity; everything below such a key
//! too); every other string, and every key, is redacted as text. An unchanged document is
//! returned byte for byte; a changed one is written back compact.

use super::{MASK, Redactor, is_quantity_key, is_secret_key};
use serde_json::Value;

/// Redacts `text` when it is one JSON object or array (surrounding whitespace kept); `None`
/// when it is not JSON.
pub fn redact_document(r: &Redactor, text: &str) -> Option<String> {
    let body = text.trim();
    if !(body.starts_with('{') || body.starts_with('[')) {
        return None;
    }
    let mut v: Value = serde_json::from_str(body).ok()?;
    if !walk(r, &mut v, false) {
        return Some(text.to_owned());
    }
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len();
    Some(format!(
        "{}{}{}",
        &text[..start],
        serde_json::to_string(&v).ok()?,
        &text[end..]
    ))
}

fn mask(v: &mut Value) -> bool {
    *v = Value::String(MASK.to_owned());
    true
}

/// Redacts `v` in place; `secret` when it sits under a secret-looking key. True when changed.
fn walk(r: &Redactor, v: &mut Value, secret: bool) -> bool {
    match v {
        Value::String(s) if secret => s != MASK && mask(v),
        Value::String(s) => {
            let t = r.text(s);
            if t == *s {
                false
            } else {
                *s = t;
                true
            }
        }
        Value::Number(n) if secret || r.holds_secret(&n.to_string()) => mask(v),
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, x| walk(r, x, secret) | changed),
        Value::Object(map) => {
            let mut changed = false;
            let renamed: Vec<(String, String)> = map
                .keys()
                .filter_map(|k| {
                    let t = r.text(k);
                    (t != *k).then(|| (k.clone(), t))
                })
                .collect();
            for (old, new) in renamed {
                if let Some(x) = map.remove(&old) {
                    map.insert(new, x);
                    changed = true;
                }
            }
            for (k, x) in map.iter_mut() {
                let below = secret || is_secret_key(k);
                let keep_number = x.is_number() && is_quantity_key(k) && !secret;
                changed |= walk(r, x, below && !keep_number);
            }
            changed
        }
        _ => false,
    }
}
