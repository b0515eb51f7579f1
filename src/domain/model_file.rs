//! The model file (DESIGN, "The model file"): serde types that mirror its YAML exactly. Plain
//! data: `import` parses and validates it, `store` applies it.
//!
//! Unknown fields are rejected so that a typo is an error, not silently ignored. CSV rows are
//! converted into these same types, so both inputs share one validator and one writer.

use crate::domain::{
    AuditKind, AuditStatus, Cadence, ControlStatus, Date, EvidenceResult, EvidenceSource,
    FindingSource, FindingStatus, Relationship, RiskCategory, Severity, TaskStatus, Treatment,
    VendorKind,
};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;

pub mod maps;
mod vendors;
mod walk;
pub use maps::MapEntry;
pub use vendors::{AgreementRow, VendorAgreementRow, VendorRow};
pub use walk::{IdKind, IdSite};

/// Deserialises a map, refusing a key given twice (YAML would silently keep the last).
pub fn unique_map<'de, D, K, V>(d: D) -> Result<BTreeMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    struct M<K, V>(std::marker::PhantomData<(K, V)>);
    impl<'de, K: Deserialize<'de> + Ord + fmt::Display, V: Deserialize<'de>> Visitor<'de> for M<K, V> {
        type Value = BTreeMap<K, V>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a map")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some((k, v)) = map.next_entry::<K, V>()? {
                let key = k.to_string();
                if out.insert(k, v).is_some() {
                    return Err(de::Error::custom(format!("duplicate key `{key}`")));
                }
            }
            Ok(out)
        }
    }
    d.deserialize_map(M(std::marker::PhantomData))
}

fn unique_map_opt<'de, D, K, V>(d: D) -> Result<Option<BTreeMap<K, V>>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    unique_map(d).map(Some)
}

/// A whole model file; every list is optional.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    /// Organisation name.
    #[serde(default)]
    pub organization: Option<String>,
    /// Scope: when present it replaces the whole scope (frameworks absent are out of scope).
    #[serde(default, deserialize_with = "unique_map_opt")]
    pub scope: Option<BTreeMap<String, ScopeEntry>>,
    /// Controls (new, or patches of existing ones).
    #[serde(default)]
    pub controls: Vec<ControlRow>,
    /// Evidence items.
    #[serde(default)]
    pub evidence: Vec<EvidenceRow>,
    /// Risks.
    #[serde(default)]
    pub risks: Vec<RiskRow>,
    /// Findings.
    #[serde(default)]
    pub findings: Vec<FindingRow>,
    /// Tasks.
    #[serde(default)]
    pub tasks: Vec<TaskRow>,
    /// Audits.
    #[serde(default)]
    pub audits: Vec<AuditRow>,
    /// Vendors.
    #[serde(default)]
    pub vendors: Vec<VendorRow>,
    /// Agreements given apart from their vendor (a CSV of agreements): added unless the same
    /// agreement is already recorded.
    #[serde(default)]
    pub agreements: Vec<VendorAgreementRow>,
    /// Overrides of single mappings (downgrade, remove, add), applied after the controls and
    /// shown as overrides wherever the mapping is shown.
    #[serde(default)]
    pub mappings: Vec<MappingOverride>,
    /// The date `export json` assessed the workspace on: informational, ignored on import.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
    /// The assessment `export json` adds (derived from the rest): ignored on import, since
    /// the importing workspace computes its own.
    #[serde(default, skip_serializing)]
    pub assessment: Option<de::IgnoredAny>,
}

/// One mapping override: sets `relationship` (adding the mapping when it does not exist) or,
/// with `remove: true`, takes it away. The rationale says why the workspace differs.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MappingOverride {
    /// Control.
    pub control: String,
    /// Framework key.
    pub framework: String,
    /// Requirement id.
    pub requirement: String,
    /// The relationship to set (absent only with `remove`).
    #[serde(default)]
    pub relationship: Option<Relationship>,
    /// For `inherited`: the vendor id it is carved out to.
    #[serde(default)]
    pub vendor: Option<String>,
    /// For `inherited`: every vendor of this kind.
    #[serde(default)]
    pub vendor_kind: Option<VendorKind>,
    /// Remove the mapping.
    #[serde(default)]
    pub remove: bool,
    /// Why the workspace differs from the built-in mapping.
    pub rationale: String,
}

impl ModelFile {
    /// Whether the file holds nothing at all.
    pub fn is_empty(&self) -> bool {
        self.organization.is_none()
            && self.scope.is_none()
            && self.controls.is_empty()
            && self.evidence.is_empty()
            && self.risks.is_empty()
            && self.findings.is_empty()
            && self.tasks.is_empty()
            && self.audits.is_empty()
            && self.vendors.is_empty()
            && self.agreements.is_empty()
            && self.mappings.is_empty()
    }

    /// Appends another file's content (its organisation and scope win when given).
    pub fn merge(&mut self, other: ModelFile) {
        if other.organization.is_some() {
            self.organization = other.organization;
        }
        if other.scope.is_some() {
            self.scope = other.scope;
        }
        self.controls.extend(other.controls);
        self.evidence.extend(other.evidence);
        self.risks.extend(other.risks);
        self.findings.extend(other.findings);
        self.tasks.extend(other.tasks);
        self.audits.extend(other.audits);
        self.vendors.extend(other.vendors);
        self.agreements.extend(other.agreements);
        self.mappings.extend(other.mappings);
    }
}

/// Scope of one framework.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeEntry {
    /// SOC 2 categories.
    #[serde(default)]
    pub categories: Vec<String>,
    /// ISO 27701 role.
    #[serde(default)]
    pub role: Option<String>,
    /// Excluded requirements and why.
    #[serde(default, deserialize_with = "unique_map")]
    pub exclude: BTreeMap<String, String>,
}

/// A control: a new one, or a patch of an existing one (absent fields keep their value).
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ControlRow {
    /// ID.
    pub id: String,
    /// Title (required for a new control).
    pub title: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Domain.
    pub domain: Option<String>,
    /// Owner.
    pub owner: Option<String>,
    /// Status.
    pub status: Option<ControlStatus>,
    /// Cadence.
    pub cadence: Option<Cadence>,
    /// Evidence an auditor expects.
    pub evidence_expected: Option<Vec<String>>,
    /// Note.
    pub note: Option<String>,
    /// Mappings per framework; a framework listed here replaces that framework's mappings.
    #[serde(default, deserialize_with = "unique_map_opt")]
    pub maps: Option<BTreeMap<String, Vec<MapEntry>>>,
}

/// An evidence item.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceRow {
    /// Optional stable id (makes re-imports idempotent even when the title changes).
    #[serde(default)]
    pub id: Option<String>,
    /// Control evidenced.
    pub control: String,
    /// Title.
    pub title: String,
    /// When the control operated.
    pub effective: Date,
    /// Result.
    pub result: EvidenceResult,
    /// Source (default manual).
    #[serde(default)]
    pub source: Option<EvidenceSource>,
    /// Explicit expiry.
    #[serde(default)]
    pub expires: Option<Date>,
    /// Summary text.
    #[serde(default)]
    pub summary: Option<String>,
}

/// Residual likelihood and impact.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Residual {
    /// 1-5.
    pub likelihood: u8,
    /// 1-5.
    pub impact: u8,
}

/// A risk.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RiskRow {
    /// ID.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Category (default other).
    #[serde(default)]
    pub category: Option<RiskCategory>,
    /// 1-5.
    pub likelihood: u8,
    /// 1-5.
    pub impact: u8,
    /// Residual rating.
    #[serde(default)]
    pub residual: Option<Residual>,
    /// Treatment (default mitigate).
    #[serde(default)]
    pub treatment: Option<Treatment>,
    /// Owner.
    #[serde(default)]
    pub owner: Option<String>,
    /// Linked controls.
    #[serde(default)]
    pub controls: Vec<String>,
}

/// A finding.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FindingRow {
    /// ID.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Source.
    pub source: FindingSource,
    /// Severity.
    pub severity: Severity,
    /// Status (default open).
    #[serde(default)]
    pub status: Option<FindingStatus>,
    /// Linked control.
    #[serde(default)]
    pub control: Option<String>,
    /// Linked requirement, `framework:ref`.
    #[serde(default)]
    pub requirement: Option<String>,
    /// Opened on.
    #[serde(default)]
    pub opened: Option<Date>,
    /// Due on.
    #[serde(default)]
    pub due: Option<Date>,
    /// Closed on.
    #[serde(default)]
    pub closed: Option<Date>,
}

/// A remediation task.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TaskRow {
    /// ID.
    pub id: String,
    /// Title.
    pub title: String,
    /// Owner.
    #[serde(default)]
    pub owner: Option<String>,
    /// Status (default todo).
    #[serde(default)]
    pub status: Option<TaskStatus>,
    /// Due date.
    #[serde(default)]
    pub due: Option<Date>,
    /// Estimate in days.
    #[serde(default)]
    pub estimate_days: Option<u32>,
    /// Finding remediated.
    #[serde(default)]
    pub finding: Option<String>,
    /// Control built or fixed.
    #[serde(default)]
    pub control: Option<String>,
    /// Tasks that must finish first.
    #[serde(default)]
    pub depends_on: Vec<String>,
}

/// An audit.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AuditRow {
    /// ID (derived from framework, kind and first date when absent).
    #[serde(default)]
    pub id: Option<String>,
    /// Framework key.
    pub framework: String,
    /// Kind.
    pub kind: AuditKind,
    /// Status (default planned).
    #[serde(default)]
    pub status: Option<AuditStatus>,
    /// Point-in-time date (Type I, assessments).
    #[serde(default)]
    pub point_in_time: Option<Date>,
    /// Window start.
    #[serde(default)]
    pub window_start: Option<Date>,
    /// Window end.
    #[serde(default)]
    pub window_end: Option<Date>,
    /// Fieldwork start.
    #[serde(default)]
    pub fieldwork_start: Option<Date>,
    /// Fieldwork end.
    #[serde(default)]
    pub fieldwork_end: Option<Date>,
    /// Report date.
    #[serde(default)]
    pub report_date: Option<Date>,
    /// Auditor.
    #[serde(default)]
    pub auditor: Option<String>,
}
