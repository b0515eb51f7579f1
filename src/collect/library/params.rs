//! Parameters: checked by kind, defaults filled in, then `{name}` placeholders replaced in the
//! preset's raw TOML.
//!
//! Invariants: every error is one line naming the parameter; an `env` parameter holds a
//! variable NAME (A-Z, 0-9, _), never a value; a URL never carries `user:pass@`; no value holds
//! a control character; a placeholder naming no parameter is an error, never left as text.

use super::{Entry, ParamKind};
use std::collections::BTreeMap;

/// Checks `value` against `kind`; the error says what is wrong with it (without the name).
pub fn check_value(kind: ParamKind, value: &str) -> Result<(), String> {
    if value.chars().any(char::is_control) {
        return Err("must not hold control characters".into());
    }
    match kind {
        ParamKind::Text | ParamKind::Path | ParamKind::Program => Ok(()),
        ParamKind::Number => value
            .parse::<u64>()
            .map(|_| ())
            .map_err(|_| format!("`{value}` is not a whole number")),
        ParamKind::Env => {
            if crate::collect::config::checks::env_name(value) {
                Ok(())
            } else {
                Err(
                    "must be the NAME of an environment variable (A-Z, 0-9, _), never the secret itself"
                        .into(),
                )
            }
        }
        ParamKind::Url => {
            let rest = value
                .strip_prefix("http://")
                .or_else(|| value.strip_prefix("https://"));
            match rest {
                None => Err("is not an http(s) URL".into()),
                Some(r) if r.split(['/', '?', '#']).next().unwrap_or("").contains('@') => Err(
                    "must not hold a user name or password; name the secret's variable in a token parameter"
                        .into(),
                ),
                Some(_) => Ok(()),
            }
        }
        ParamKind::List => {
            if value.split(',').all(|v| !v.trim().is_empty()) {
                Ok(())
            } else {
                Err("must be a comma-separated list of names".into())
            }
        }
    }
}

/// Every parameter of `entry` with its value: given ones checked, defaults filled, required
/// ones present, unknown ones refused. The error is `param NAME: what is wrong`.
pub fn resolve(
    entry: &Entry,
    given: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, String> {
    let p = &entry.preset;
    if let Some(k) = given.keys().find(|k| !p.params.contains_key(*k)) {
        let known: Vec<&str> = p.params.keys().map(String::as_str).collect();
        return Err(format!(
            "param {k}: preset {} has no such parameter (it takes: {})",
            p.name,
            known.join(", ")
        ));
    }
    let mut out = BTreeMap::new();
    for (name, spec) in &p.params {
        let value = match (given.get(name), &spec.default) {
            (Some(v), _) => v.clone(),
            (None, Some(d)) => d.clone(),
            (None, None) => {
                return Err(format!("param {name}: required ({})", spec.help));
            }
        };
        if !(value.is_empty() && spec.default.as_deref() == Some("")) {
            if value.trim().is_empty() {
                return Err(format!("param {name}: must not be empty"));
            }
            check_value(spec.kind, &value).map_err(|e| format!("param {name}: {e}"))?;
        }
        out.insert(name.clone(), value);
    }
    Ok(out)
}

/// `text` with each `{name}` replaced by its value; `{{` stays a literal brace.
pub fn fill(text: &str, values: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(stripped) = after.strip_prefix('{') {
            out.push('{');
            rest = stripped;
            continue;
        }
        let Some(end) = after.find('}') else {
            out.push('{');
            rest = after;
            continue;
        };
        let key = &after[..end];
        let plain = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if plain {
            let v = values
                .get(key)
                .ok_or_else(|| format!("placeholder {{{key}}} names no parameter"))?;
            out.push_str(v);
        } else {
            out.push('{');
            out.push_str(key);
            out.push('}');
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `v` with every string filled; keys are left alone.
pub fn fill_value(
    v: &toml::Value,
    values: &BTreeMap<String, String>,
) -> Result<toml::Value, String> {
    Ok(match v {
        toml::Value::String(s) => toml::Value::String(fill(s, values)?),
        toml::Value::Array(a) => toml::Value::Array(
            a.iter()
                .map(|x| fill_value(x, values))
                .collect::<Result<_, _>>()?,
        ),
        toml::Value::Table(t) => toml::Value::Table(
            t.iter()
                .map(|(k, x)| Ok((k.clone(), fill_value(x, values)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_fill_and_unknown_ones_fail() {
        let v: BTreeMap<String, String> = [("org".to_owned(), "acme".to_owned())].into();
        assert_eq!(fill("/orgs/{org}/x", &v).unwrap(), "/orgs/acme/x");
        assert_eq!(fill("$[?@.a == '{org}']", &v).unwrap(), "$[?@.a == 'acme']");
        assert_eq!(fill("{{literal}", &v).unwrap(), "{literal}");
        assert!(fill("{nope}", &v).unwrap_err().contains("nope"));
        assert_eq!(fill("{A b}", &v).unwrap(), "{A b}");
    }

    #[test]
    fn values_are_checked_by_kind() {
        assert!(check_value(ParamKind::Env, "GITHUB_TOKEN").is_ok());
        assert!(check_value(ParamKind::Env, "ghp_abc123").is_err());
        assert!(check_value(ParamKind::Number, "90").is_ok());
        assert!(check_value(ParamKind::Number, "ninety").is_err());
        assert!(check_value(ParamKind::Url, "https://u:p@h").is_err());
        assert!(check_value(ParamKind::Url, "http://127.0.0.1:9").is_ok());
        assert!(check_value(ParamKind::List, "a,,b").is_err());
        assert!(check_value(ParamKind::Text, "a\nb").is_err());
    }
}
