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
