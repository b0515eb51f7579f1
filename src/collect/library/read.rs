//! Reading values out of answers: timestamps in the forms APIs and CLIs print, and the base64
//! CSV of the IAM credential report as rows.

use serde_json::Value;

/// Seconds since the epoch of a timestamp: RFC 3339, `YYYY-MM-DD HH:MM:SS`, a date, or a number.
pub fn timestamp(v: &Value) -> Option<i64> {
    if let Some(n) = v.as_i64() {
        return Some(if n > 100_000_000_000 { n / 1000 } else { n });
    }
    let s = v.as_str()?.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp());
    }
    let iso = s.replacen(' ', "T", 1);
    for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f%#z"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(&iso, f) {
            return Some(t.and_utc().timestamp());
        }
        if let Ok(t) = chrono::DateTime::parse_from_str(&iso, f) {
            return Some(t.timestamp());
        }
    }
    chrono::NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp())
}

/// A base64 CSV report (header row first) as an array of objects of strings.
pub fn csv_rows(b64: &str) -> Result<Value, String> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|e| format!("the report is not base64 ({e})"))?;
    let mut rd = csv::Reader::from_reader(bytes.as_slice());
    let headers = rd
        .headers()
        .map_err(|e| format!("the report is not CSV ({e})"))?
        .clone();
    let mut rows = Vec::new();
    for rec in rd.records() {
        let rec = rec.map_err(|e| format!("the report is not CSV ({e})"))?;
        let obj: serde_json::Map<String, Value> = headers
            .iter()
            .zip(rec.iter())
            .map(|(h, v)| (h.to_owned(), Value::String(v.to_owned())))
            .collect();
        rows.push(Value::Object(obj));
    }
    Ok(Value::Array(rows))
}
