//! Newtype identifiers. Each wraps the ID as the user wrote it (`GW-MFA-01`, `CC6.1`).

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The ID as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }
    )*};
}

id_type!(
    /// A framework key: `soc2`, `iso27001`, `iso27701`, `hipaa`, `pci-dss`.
    FrameworkKey,
    /// A requirement's reference ID within its framework (`CC6.1`, `A.8.24`, `164.312(d)`).
    ReqRef,
    /// A control ID (`GW-MFA-01`).
    ControlId,
    /// A risk ID (`R-PROMPT-INJ`).
    RiskId,
    /// A finding ID (`F-2026-014`).
    FindingId,
    /// A remediation task ID (`T-031`).
    TaskId,
    /// An audit ID (`AUD-SOC2-T2`).
    AuditId,
    /// A vendor ID (`V-MODELCO`).
    VendorId,
);

/// The characters an ID may not hold although they print as nothing: zero-width spaces and
/// joiners, bidirectional marks, embeddings, overrides and isolates, invisible operators and
/// the byte-order mark. Two IDs that look the same must be the same ID.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}')
}

/// Why `id` (already trimmed of surrounding whitespace) cannot be a user-given ID, or `None`.
///
/// The rule, for every ID a user writes (controls, evidence, risks, findings, tasks, audits,
/// vendors): not empty; no control characters (NUL included) and no invisible formatting
/// characters; not `.`, `..` or `~`; no `/` or `\` (IDs end up in file names of exports and
/// bundles). Surrounding whitespace is not an error: importers trim it before asking.
pub fn id_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("id must not be empty".to_owned());
    }
    if let Some(c) = id.chars().find(|c| c.is_control()) {
        return Some(format!(
            "id holds the control character U+{:04X}",
            u32::from(c)
        ));
    }
    if let Some(c) = id.chars().find(|c| is_invisible(*c)) {
        return Some(format!(
            "id holds the invisible formatting character U+{:04X}",
            u32::from(c)
        ));
    }
    if matches!(id, "." | ".." | "~") {
        return Some(format!("`{id}` is not allowed as an id"));
    }
    if id.contains(['/', '\\']) {
        return Some(format!("id `{id}` must not contain `/` or `\\`"));
    }
    None
}

/// The form under which IDs are compared for uniqueness: IDs that differ only by case
/// (`GW-MFA-01`, `gw-mfa-01`) are the same key, so they cannot name two different things.
pub fn id_key(id: &str) -> String {
    id.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::{id_key, id_problem};

    #[test]
    fn ids_are_refused_for_invisible_control_and_path_characters() {
        assert_eq!(id_problem("GW-MFA-01"), None);
        assert_eq!(id_problem("CC6.1 (a)"), None);
        for bad in [
            "",
            ".",
            "..",
            "~",
            "a/b",
            "a\\b",
            "A\u{0}",
            "A\u{7}",
            "A\u{200B}",
            "\u{FEFF}A",
            "A\u{202E}",
            "A\u{2066}",
            "A\u{2063}",
        ] {
            assert!(id_problem(bad).is_some(), "{bad:?} accepted");
        }
        assert_eq!(id_key("Gw-Mfa-01"), id_key("GW-MFA-01"));
    }
}
