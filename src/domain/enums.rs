//! Status and kind enums. Each has one string form (`as_str`), used everywhere data leaves
//! memory (files, JSON, the database), and one label for people (`label`), used everywhere
//! data reaches a screen: `not_started` is stored, "not started" is shown. A variant without
//! its own label is shown as its key with `_` read as a space.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// The error for a string that names no variant: says what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{got}` (expected one of: {expected})")]
pub struct UnknownVariant {
    /// The kind of value (`status`, `cadence`...).
    pub what: &'static str,
    /// What was given.
    pub got: String,
    /// The allowed values, comma separated.
    pub expected: String,
}

/// A variant's label: the one given, else its key (keys without `_` read as words).
macro_rules! label {
    ($s:literal) => {
        $s
    };
    ($s:literal, $label:literal) => {
        $label
    };
}

macro_rules! str_enum {
    ($(#[$doc:meta])* $name:ident ($what:literal) { $($(#[$vdoc:meta])* $variant:ident => $s:literal $(: $label:literal)?),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The string form used in files, JSON and the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $s),+
                }
            }

            /// The words shown on screen (the string form stays in files and JSON).
            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => label!($s $(, $label)?)),+
                }
            }
        }

        impl FromStr for $name {
            type Err = UnknownVariant;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim() {
                    $($s => Ok($name::$variant),)+
                    other => Err(UnknownVariant {
                        what: $what,
                        got: other.to_owned(),
                        expected: [$($s),+].join(", "),
                    }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

str_enum!(
    /// Implementation status of a control.
    ControlStatus("control status") {
        /// Nothing done yet.
        NotStarted => "not_started": "not started",
        /// Being built.
        InProgress => "in_progress": "in progress",
        /// In operation.
        Implemented => "implemented",
        /// Does not apply; ignored by scoring.
        NotApplicable => "not_applicable": "not applicable",
    }
);

str_enum!(
    /// How often a control operates (and must be evidenced).
    Cadence("cadence") {
        /// Operates all the time; judged daily.
        Continuous => "continuous",
        /// Once a day.
        Daily => "daily",
        /// Once an ISO week.
        Weekly => "weekly",
        /// Once a calendar month.
        Monthly => "monthly",
        /// Once a calendar quarter.
        Quarterly => "quarterly",
        /// Once a half-year.
        Semiannual => "semiannual",
        /// Once a year.
        Annual => "annual",
        /// When an event happens (a change, a hire, a request).
        OnEvent => "on_event": "on event",
    }
);

str_enum!(
    /// How completely a control covers a requirement.
    Relationship("relationship") {
        /// The control by itself satisfies the requirement.
        Full => "full",
        /// The control contributes to the requirement.
        Partial => "partial",
        /// Carved out to a vendor (e.g. a cloud provider's data-centre security): counts as a
        /// designed full control only while that vendor holds an in-date attestation.
        Inherited => "inherited",
    }
);

str_enum!(
    /// Where an evidence item came from.
    EvidenceSource("evidence source") {
        /// Entered by a person.
        Manual => "manual",
        /// An HTTP check.
        Http => "http": "HTTP",
        /// A gateway health check.
        Gateway => "gateway",
        /// A TLS scan.
        Tls => "tls": "TLS",
        /// A file check.
        File => "file",
        /// A local command.
        Command => "command",
        /// A tabletop exercise record.
        Tabletop => "tabletop",
    }
);

str_enum!(
    /// The outcome an evidence item records.
    EvidenceResult("evidence result") {
        /// The control operated as designed.
        Pass => "pass",
        /// The control failed.
        Fail => "fail",
        /// Informational only.
        Info => "info",
    }
);

str_enum!(
    /// Risk categories, with the LLM-specific ones first.
    RiskCategory("risk category") {
        /// Prompt injection.
        PromptInjection => "prompt_injection": "prompt injection",
        /// Data leakage through prompts, outputs or logs.
        DataLeakage => "data_leakage": "data leakage",
        /// Model or provider compromise.
        ProviderCompromise => "provider_compromise": "provider compromise",
        /// API key leakage.
        KeyLeakage => "key_leakage": "key leakage",
        /// Abuse and runaway cost.
        AbuseCost => "abuse_cost": "abuse and cost",
        /// Availability.
        Availability => "availability",
        /// Privacy.
        Privacy => "privacy",
        /// Regulatory compliance.
        Compliance => "compliance",
        /// Anything else.
        Other => "other",
    }
);

str_enum!(
    /// Risk treatment decision.
    Treatment("treatment") {
        /// Reduce with controls.
        Mitigate => "mitigate",
        /// Accept as is.
        Accept => "accept",
        /// Transfer (insurance, contract).
        Transfer => "transfer",
        /// Stop the activity.
        Avoid => "avoid",
    }
);

str_enum!(
    /// Where a finding came from.
    FindingSource("finding source") {
        /// Internal audit.
        InternalAudit => "internal_audit": "internal audit",
        /// External audit.
        ExternalAudit => "external_audit": "external audit",
        /// A tabletop exercise.
        Tabletop => "tabletop",
        /// Automated monitoring.
        Monitoring => "monitoring",
        /// A penetration test.
        Pentest => "pentest": "pen test",
        /// Self-assessment.
        SelfAssessment => "self_assessment": "self-assessment",
    }
);

str_enum!(
    /// Severity of a finding.
    Severity("severity") {
        /// Critical.
        Critical => "critical",
        /// High.
        High => "high",
        /// Medium.
        Medium => "medium",
        /// Low.
        Low => "low",
    }
);

str_enum!(
    /// Lifecycle of a finding.
    FindingStatus("finding status") {
        /// Open.
        Open => "open",
        /// Being remediated.
        Remediating => "remediating",
        /// Risk accepted.
        RiskAccepted => "risk_accepted": "risk accepted",
        /// Closed.
        Closed => "closed",
    }
);

str_enum!(
    /// Lifecycle of a remediation task.
    TaskStatus("task status") {
        /// Not started.
        Todo => "todo",
        /// In progress.
        Doing => "doing",
        /// Waiting on something.
        Blocked => "blocked",
        /// Finished.
        Done => "done",
    }
);

str_enum!(
    /// Kinds of audit and assessment.
    AuditKind("audit kind") {
        /// SOC 2 Type I (design at a point in time).
        Soc2Type1 => "soc2_type1": "SOC 2 Type I",
        /// SOC 2 Type II (operating effectiveness over a window).
        Soc2Type2 => "soc2_type2": "SOC 2 Type II",
        /// ISO stage 1 (documentation).
        IsoStage1 => "iso_stage1": "ISO stage 1",
        /// ISO stage 2 (certification).
        IsoStage2 => "iso_stage2": "ISO stage 2",
        /// ISO surveillance audit.
        IsoSurveillance => "iso_surveillance": "ISO surveillance",
        /// ISO recertification.
        IsoRecertification => "iso_recertification": "ISO recertification",
        /// HIPAA risk analysis or evaluation.
        HipaaAssessment => "hipaa_assessment": "HIPAA assessment",
        /// PCI DSS report on compliance by a QSA.
        PciRoc => "pci_roc": "PCI DSS ROC",
        /// PCI DSS self-assessment questionnaire.
        PciSaq => "pci_saq": "PCI DSS SAQ",
        /// PCI DSS quarterly ASV scan.
        PciAsvScan => "pci_asv_scan": "PCI ASV scan",
        /// PCI DSS annual penetration test (11.4).
        PciPentest => "pci_pentest": "PCI pen test",
    }
);

str_enum!(
    /// Lifecycle of an audit.
    AuditStatus("audit status") {
        /// Planned.
        Planned => "planned",
        /// Under way.
        InProgress => "in_progress": "in progress",
        /// Finished.
        Completed => "completed",
    }
);

str_enum!(
    /// Kind of vendor.
    VendorKind("vendor kind") {
        /// A model provider.
        ModelProvider => "model_provider": "model provider",
        /// A cloud host.
        Cloud => "cloud",
        /// Logging or observability.
        Logging => "logging",
        /// A vector store.
        VectorStore => "vector_store": "vector store",
        /// Identity provider.
        Identity => "identity",
        /// Payments processor.
        Payments => "payments",
        /// Anything else.
        Other => "other",
    }
);

str_enum!(
    /// How critical a vendor is.
    Criticality("criticality") {
        /// Critical.
        Critical => "critical",
        /// High.
        High => "high",
        /// Medium.
        Medium => "medium",
        /// Low.
        Low => "low",
    }
);

str_enum!(
    /// Categories of data a vendor receives.
    DataCategory("data category") {
        /// Protected health information.
        Phi => "phi": "PHI",
        /// Cardholder data.
        CardData => "card_data": "card data",
        /// Personal data.
        PersonalData => "personal_data": "personal data",
        /// Prompts and outputs.
        Prompts => "prompts",
        /// Nothing sensitive.
        None => "none",
    }
);

str_enum!(
    /// Kinds of vendor agreement or attestation.
    AgreementKind("agreement kind") {
        /// HIPAA business associate agreement.
        Baa => "baa": "BAA",
        /// Data processing agreement.
        Dpa => "dpa": "DPA",
        /// Zero-data-retention terms.
        ZeroRetention => "zero_retention": "zero retention",
        /// No-training terms.
        NoTraining => "no_training": "no training",
        /// The vendor's SOC 2 Type II report.
        Soc2Type2 => "soc2_type2": "SOC 2 Type II",
        /// A bridge letter covering the gap after a SOC 2 period.
        BridgeLetter => "bridge_letter": "bridge letter",
        /// An ISO certificate.
        IsoCertificate => "iso_certificate": "ISO certificate",
        /// A PCI attestation of compliance.
        PciAoc => "pci_aoc": "PCI AOC",
    }
);

str_enum!(
    /// HIPAA implementation-specification kind.
    HipaaKind("HIPAA kind") {
        /// Required.
        Required => "required",
        /// Addressable.
        Addressable => "addressable",
    }
);

str_enum!(
    /// Readiness status of a requirement.
    ReqStatus("requirement status") {
        /// Every mapped control designed, one mapping full.
        Met => "met",
        /// Some progress.
        Partial => "partial",
        /// No usable control.
        Gap => "gap",
        /// Excluded from scope.
        NotApplicable => "not_applicable": "not applicable",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_words_and_keys_stay_keys() {
        assert_eq!(ControlStatus::NotStarted.label(), "not started");
        assert_eq!(ControlStatus::NotStarted.as_str(), "not_started");
        assert_eq!(AuditKind::Soc2Type2.label(), "SOC 2 Type II");
        assert_eq!(AgreementKind::Soc2Type2.to_string(), "soc2_type2");
        assert_eq!(Severity::High.label(), "high");
        // No label on screen keeps an underscore.
        macro_rules! words {
            ($($t:ty),+) => {$(
                for v in <$t>::ALL {
                    assert!(!v.label().contains('_'), "{}", v.label());
                }
            )+};
        }
        words!(
            ControlStatus,
            Cadence,
            Relationship,
            EvidenceSource,
            EvidenceResult,
            RiskCategory,
            Treatment,
            FindingSource,
            Severity,
            FindingStatus,
            TaskStatus,
            AuditKind,
            AuditStatus,
            VendorKind,
            Criticality,
            DataCategory,
            AgreementKind,
            HipaaKind,
            ReqStatus
        );
    }
}
