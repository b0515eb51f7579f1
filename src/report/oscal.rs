//! OSCAL 1.1.2 exports: assessment results ([`ar`]) and a plan of action and milestones
//! ([`poam`]), with the helpers both share.
//!
//! Invariants: every document validates against NIST's OSCAL 1.1.2 JSON schemas (checked by
//! `tests/oscal_schema.rs` against the copies under `fixtures/oscal-schema/`), for every
//! framework and for an empty workspace: arrays OSCAL requires to be non-empty are left out
//! when there is nothing to put in them, ids OSCAL types as tokens are derived with [`token`]
//! (the label people know is kept in a `label` prop and the title), and one-line fields never
//! hold a line break. Every `#` reference names a back-matter resource of the same document.
//! UUIDs are derived from ids (v5), so re-exports are stable.

mod ar;
mod poam;

pub use ar::assessment_results;
pub use poam::poam;

use super::export::uuid_for;
use serde_json::{Value, json};

/// The OSCAL version written.
pub const OSCAL_VERSION: &str = "1.1.2";

/// The namespace of certready's own props (a URN: it names, it does not link).
pub const NS: &str = "urn:certready:oscal";

fn metadata(title: &str, now: &str) -> Value {
    json!({ "title": line(title, "certready export"), "last-modified": now, "version": env!("CARGO_PKG_VERSION"), "oscal-version": OSCAL_VERSION })
}

fn day_time(d: crate::domain::Date) -> String {
    format!("{d}T00:00:00Z")
}

/// `raw` as an OSCAL token (an XML NCName: a letter or `_` first, then letters, digits, `.`,
/// `-` and `_`), prefixed with `prefix` and `-` (`iso27001` and `4.1` give `iso27001-4.1`;
/// `hipaa` and `164.308(a)(4)(ii)(A)` give `hipaa-164.308_a_4_ii_A`). Characters a token may
/// not hold become `_`, runs of them one `_`, and a trailing one is dropped. `prefix` must
/// start with a letter. Deterministic, so a re-export names the same target.
pub fn token(prefix: &str, raw: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + raw.len() + 1);
    for c in prefix
        .chars()
        .chain(std::iter::once('-'))
        .chain(raw.chars())
    {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// `s` on one line (whitespace runs, line breaks included, become one space; trimmed), or
/// `fallback` when nothing is left: OSCAL titles and prop values are one non-empty line.
fn line(s: &str, fallback: &str) -> String {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.is_empty() {
        fallback.to_owned()
    } else {
        joined
    }
}

/// A prop in certready's namespace.
fn prop(name: &str, value: &str) -> Value {
    json!({ "name": name, "ns": NS, "value": line(value, "-") })
}

/// The back-matter of one document: resources cited by `#uuid` hrefs, each once.
#[derive(Default)]
struct BackMatter {
    resources: Vec<Value>,
}

impl BackMatter {
    /// Adds (once) the resource named `name` and returns the href that cites it.
    fn cite(&mut self, name: &str, title: &str, description: &str) -> String {
        let uuid = uuid_for(&format!("resource:{name}"));
        if !self.resources.iter().any(|r| r["uuid"] == uuid.as_str()) {
            self.resources.push(json!({
                "uuid": uuid,
                "title": line(title, "certready resource"),
                "description": description.trim(),
            }));
        }
        format!("#{uuid}")
    }

    /// The `back-matter` value, or `None` when nothing was cited (OSCAL wants at least one
    /// resource in a back-matter).
    fn into_value(self) -> Option<Value> {
        (!self.resources.is_empty()).then(|| json!({ "resources": self.resources }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_start_with_a_letter_and_hold_only_token_characters() {
        assert_eq!(token("iso27001", "4.1"), "iso27001-4.1");
        assert_eq!(token("pci-dss", "1.2.6"), "pci-dss-1.2.6");
        assert_eq!(
            token("hipaa", "164.308(a)(4)(ii)(A)"),
            "hipaa-164.308_a_4_ii_A"
        );
        assert_eq!(token("soc2", "CC6.1"), "soc2-CC6.1");
        assert_eq!(token("control", "GW MFA/01"), "control-GW_MFA_01");
    }

    #[test]
    fn lines_hold_no_break_and_are_never_empty() {
        assert_eq!(line(" a\n b\t c ", "x"), "a b c");
        assert_eq!(line(" \n ", "x"), "x");
    }

    #[test]
    fn a_resource_cited_twice_is_kept_once() {
        let mut b = BackMatter::default();
        let h1 = b.cite("e:1", "E", "d");
        let h2 = b.cite("e:1", "E", "d");
        assert_eq!(h1, h2);
        assert!(h1.starts_with('#'));
        let v = b.into_value().unwrap();
        assert_eq!(v["resources"].as_array().unwrap().len(), 1);
        assert!(BackMatter::default().into_value().is_none());
    }
}
