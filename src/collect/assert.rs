//! JSONPath (RFC 9535) assertions on a JSON document, shared by HTTP and file sources.

use super::config::Assertion;
use serde_json::Value;
use serde_json_path::JsonPath;

/// A TOML value as JSON.
pub fn to_json(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => Value::from(*f),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(to_json).collect()),
        toml::Value::Table(t) => Value::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect::<serde_json::Map<_, _>>(),
        ),
    }
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// Checks one assertion; the error says what was expected and what was found.
pub fn check(doc: &Value, a: &Assertion) -> Result<(), String> {
    let path = JsonPath::parse(&a.path).map_err(|e| format!("{}: not a JSONPath: {e}", a.path))?;
    let nodes = path.query(doc).all();
    if let Some(n) = a.count {
        if nodes.len() as u64 != n {
            return Err(format!(
                "{}: {} match(es), expected {n}",
                a.path,
                nodes.len()
            ));
        }
        return Ok(());
    }
    if nodes.is_empty() {
        return Err(format!("{}: no match", a.path));
    }
    if let Some(want) = &a.equals {
        let want = to_json(want);
        if let Some(bad) = nodes.iter().find(|v| !same(v, &want)) {
            // Redact before cutting, so a cut never leaves part of a key unmasked.
            let mut shown = super::redact::redact(&bad.to_string(), &[]);
            super::redact::clip(&mut shown, 40);
            return Err(format!("{}: found {shown}, expected {want}", a.path));
        }
    }
    Ok(())
}

/// Checks every assertion against `body`, which must be JSON when there are any.
pub fn check_all(body: &str, asserts: &[Assertion]) -> Result<(), String> {
    if asserts.is_empty() {
        return Ok(());
    }
    let doc: Value = serde_json::from_str(body).map_err(|e| format!("body is not JSON ({e})"))?;
    asserts.iter().try_for_each(|a| check(&doc, a))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(path: &str, equals: Option<toml::Value>, count: Option<u64>) -> Assertion {
        Assertion {
            path: path.into(),
            equals,
            count,
        }
    }

    #[test]
    fn equals_count_and_presence() {
        let body = r#"{"policy":{"mfa_required":true},"users":[{"admin":true,"mfa":true},{"admin":false,"mfa":false}]}"#;
        let ok = [
            a(
                "$.policy.mfa_required",
                Some(toml::Value::Boolean(true)),
                None,
            ),
            a("$.users[?@.admin == true && @.mfa == false]", None, Some(0)),
            a("$.users[0]", None, None),
        ];
        assert_eq!(check_all(body, &ok), Ok(()));
        let e = check_all(body, &[a("$.users[?@.mfa == false]", None, Some(0))]).unwrap_err();
        assert!(e.contains("1 match(es), expected 0"), "{e}");
        let e = check_all(
            body,
            &[a(
                "$.policy.mfa_required",
                Some(toml::Value::Boolean(false)),
                None,
            )],
        )
        .unwrap_err();
        assert!(e.contains("found true, expected false"), "{e}");
        assert!(check_all(body, &[a("$.nothing", None, None)]).is_err());
        assert!(check_all("not json", &ok).unwrap_err().contains("not JSON"));
        assert_eq!(check_all("not json", &[]), Ok(()));
    }
}
