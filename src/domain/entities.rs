//! The entities of the model table in DESIGN.md, and the snapshot the analysis reads.

use super::{
    AgreementKind, AuditId, AuditKind, AuditStatus, Cadence, ControlId, ControlStatus, Criticality,
    DataCategory, Date, EvidenceResult, EvidenceSource, FindingId, FindingSource, FindingStatus,
    FrameworkKey, HipaaKind, Relationship, ReqRef, RiskCategory, RiskId, Severity, TaskId,
    TaskStatus, Treatment, VendorId, VendorKind,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// A framework and its edition.
#[derive(Debug, Clone, Serialize)]
pub struct Framework {
    /// Key (`soc2`).
    pub key: FrameworkKey,
    /// Display name.
    pub name: String,
    /// Edition.
    pub version: String,
    /// Source edition, as cited.
    pub source: String,
    /// Flagged notes (e.g. a proposed rule that is not final).
    pub notes: Vec<String>,
    /// Groups in document order.
    pub groups: Vec<Group>,
    /// Requirements in document order.
    pub requirements: Vec<Requirement>,
}

/// A group of requirements (TSC category, Annex A theme, HIPAA safeguard, PCI requirement).
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// Group id (`security`).
    pub id: String,
    /// Title.
    pub title: String,
}

/// One requirement of a framework.
#[derive(Debug, Clone, Serialize)]
pub struct Requirement {
    /// Reference ID.
    pub ref_id: ReqRef,
    /// Short title.
    pub title: String,
    /// Description in certready's own words.
    pub description: String,
    /// Group id.
    pub group: String,
    /// Parent requirement, if any.
    pub parent: Option<ReqRef>,
    /// Whether it is assessed itself (false for headings).
    pub assessable: bool,
    /// HIPAA required/addressable.
    pub hipaa: Option<HipaaKind>,
    /// Flagged note.
    pub note: Option<String>,
    /// Why no built-in control maps it, when the organisation owns it.
    pub left_to_org: Option<String>,
    /// Why it is usually not applicable to a cloud-hosted LLM API platform (still a gap until
    /// the workspace excludes it with a justification).
    pub usually_na: Option<String>,
}

/// What is in scope for one framework.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FrameworkScope {
    /// SOC 2 categories chosen (Security is always in).
    pub categories: Vec<String>,
    /// ISO 27701 role (controller, processor, both).
    pub role: Option<String>,
    /// Excluded requirements with their justification.
    pub exclude: BTreeMap<ReqRef, String>,
}

/// A control.
#[derive(Debug, Clone, Serialize)]
pub struct Control {
    /// ID.
    pub id: ControlId,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Domain (identity, crypto...).
    pub domain: String,
    /// Owner.
    pub owner: String,
    /// Status.
    pub status: ControlStatus,
    /// Cadence.
    pub cadence: Cadence,
    /// Evidence an auditor expects.
    pub evidence_expected: Vec<String>,
    /// Free note.
    pub note: String,
}

/// A control satisfies (part of) a requirement.
#[derive(Debug, Clone, Serialize)]
pub struct Mapping {
    /// Control.
    pub control: ControlId,
    /// Framework.
    pub framework: FrameworkKey,
    /// Requirement.
    pub requirement: ReqRef,
    /// Full, partial or inherited.
    pub relationship: Relationship,
    /// One-line rationale.
    pub rationale: String,
    /// For `inherited`: the vendor (or every vendor of a kind) it is carved out to.
    pub carve_out: Option<CarveOut>,
    /// Where it came from (`builtin`, a model file, a crosswalk library).
    pub source: String,
    /// When a workspace's model file overrode a built-in mapping: what the built-in said
    /// (`full`, `partial`, `inherited`), or `none` for a mapping the workspace added.
    pub overrides: Option<String>,
}

/// Whom an `inherited` mapping is carved out to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CarveOut {
    /// One vendor of the register, by id.
    Vendor(VendorId),
    /// Every vendor of a kind (the built-in control set names `cloud`): all of them must hold
    /// an in-date attestation, and there must be at least one.
    Kind(VendorKind),
}

impl CarveOut {
    /// The stored form: `vendor:ID` or `kind:KIND`.
    pub fn to_stored(&self) -> String {
        match self {
            Self::Vendor(v) => format!("vendor:{v}"),
            Self::Kind(k) => format!("kind:{k}"),
        }
    }

    /// Parses the stored form.
    pub fn from_stored(s: &str) -> Option<Self> {
        if let Some(v) = s.strip_prefix("vendor:") {
            return Some(Self::Vendor(VendorId(v.to_owned())));
        }
        s.strip_prefix("kind:")?.parse().ok().map(Self::Kind)
    }
}

impl std::fmt::Display for CarveOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Vendor(v) => write!(f, "vendor {v}"),
            Self::Kind(k) => write!(f, "every {k} vendor"),
        }
    }
}

/// The fields of an evidence item that scoring needs: small, so a million fit in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct EvidenceFact {
    /// When the control operated.
    pub effective: Date,
    /// Explicit expiry, overriding the cadence's validity.
    pub expires: Option<Date>,
    /// Result.
    pub result: EvidenceResult,
}

/// An evidence item as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// Sequence number in the chain.
    pub seq: i64,
    /// Control evidenced.
    pub control: ControlId,
    /// Title.
    pub title: String,
    /// Source kind.
    pub source: EvidenceSource,
    /// Result.
    pub result: EvidenceResult,
    /// When the control operated.
    pub effective: Date,
    /// When certready collected it (RFC 3339).
    pub collected: String,
    /// Explicit expiry.
    pub expires: Option<Date>,
    /// SHA-256 of the content, hex.
    pub content_digest: String,
    /// Chain hash, hex.
    pub chain_hash: String,
}

/// A risk in the register.
#[derive(Debug, Clone, Serialize)]
pub struct Risk {
    /// ID.
    pub id: RiskId,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Category.
    pub category: RiskCategory,
    /// Inherent likelihood 1-5.
    pub likelihood: u8,
    /// Inherent impact 1-5.
    pub impact: u8,
    /// Residual likelihood 1-5.
    pub residual_likelihood: Option<u8>,
    /// Residual impact 1-5.
    pub residual_impact: Option<u8>,
    /// Treatment.
    pub treatment: Treatment,
    /// Owner.
    pub owner: String,
    /// Linked controls.
    pub controls: Vec<ControlId>,
}

impl Risk {
    /// Inherent score, likelihood × impact.
    pub fn score(&self) -> u8 {
        self.likelihood * self.impact
    }

    /// Residual score, falling back to the inherent one.
    pub fn residual_score(&self) -> u8 {
        self.residual_likelihood.unwrap_or(self.likelihood)
            * self.residual_impact.unwrap_or(self.impact)
    }
}

/// A finding.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// ID.
    pub id: FindingId,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Source.
    pub source: FindingSource,
    /// Severity.
    pub severity: Severity,
    /// Status.
    pub status: FindingStatus,
    /// Linked control.
    pub control: Option<ControlId>,
    /// Linked requirement (`framework:ref`).
    pub requirement: Option<String>,
    /// Opened on.
    pub opened: Option<Date>,
    /// Due on.
    pub due: Option<Date>,
    /// Closed on.
    pub closed: Option<Date>,
}

/// A remediation task.
#[derive(Debug, Clone, Serialize)]
pub struct Task {
    /// ID.
    pub id: TaskId,
    /// Title.
    pub title: String,
    /// Owner.
    pub owner: String,
    /// Status.
    pub status: TaskStatus,
    /// Due date.
    pub due: Option<Date>,
    /// Estimate in days.
    pub estimate_days: Option<u32>,
    /// Finding it remediates.
    pub finding: Option<FindingId>,
    /// Control it builds or fixes.
    pub control: Option<ControlId>,
    /// Tasks that must finish first.
    pub depends_on: Vec<TaskId>,
}

/// An audit or assessment.
#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    /// ID.
    pub id: AuditId,
    /// Framework.
    pub framework: FrameworkKey,
    /// Kind.
    pub kind: AuditKind,
    /// Status.
    pub status: AuditStatus,
    /// Type I / assessment date.
    pub point_in_time: Option<Date>,
    /// Observation window start.
    pub window_start: Option<Date>,
    /// Observation window end.
    pub window_end: Option<Date>,
    /// Fieldwork start.
    pub fieldwork_start: Option<Date>,
    /// Fieldwork end.
    pub fieldwork_end: Option<Date>,
    /// Report date.
    pub report_date: Option<Date>,
    /// Auditor.
    pub auditor: String,
}

/// A vendor agreement or attestation.
#[derive(Debug, Clone, Serialize)]
pub struct Agreement {
    /// Kind.
    pub kind: AgreementKind,
    /// Signed on.
    pub signed: Option<Date>,
    /// Issued on.
    pub issued: Option<Date>,
    /// Period covered, start.
    pub period_start: Option<Date>,
    /// Period covered, end.
    pub period_end: Option<Date>,
    /// Expiry.
    pub expires: Option<Date>,
}

impl Agreement {
    /// When it starts (`signed`, else `issued`).
    pub fn start(&self) -> Option<Date> {
        self.signed.or(self.issued)
    }

    /// The last day it is in force (inclusive); `None` when it never ends. Its `expires`, or
    /// without one: a SOC 2 Type II report 12 months after `period_end`, a PCI AOC 12 months
    /// after its start; a bridge letter never reaches past 3 months from its start.
    pub fn end(&self) -> Option<Date> {
        let plus = |d: Date, m: u32| d.checked_add_months(chrono::Months::new(m));
        match self.kind {
            AgreementKind::BridgeLetter => {
                let cap = self.start().and_then(|s| plus(s, 3));
                match (self.expires, cap) {
                    (Some(e), Some(c)) => Some(e.min(c)),
                    (e, c) => e.or(c),
                }
            }
            _ if self.expires.is_some() => self.expires,
            AgreementKind::Soc2Type2 => self.period_end.and_then(|p| plus(p, 12)),
            AgreementKind::PciAoc => self.start().and_then(|s| plus(s, 12)),
            _ => None,
        }
    }
}

/// A vendor or business associate.
#[derive(Debug, Clone, Serialize)]
pub struct Vendor {
    /// ID.
    pub id: VendorId,
    /// Name.
    pub name: String,
    /// Service provided.
    pub service: String,
    /// Kind.
    pub kind: VendorKind,
    /// Criticality.
    pub criticality: Option<Criticality>,
    /// Data categories received.
    pub data: Vec<DataCategory>,
    /// Region.
    pub region: String,
    /// Subprocessors.
    pub subprocessors: Vec<String>,
    /// Owner.
    pub owner: String,
    /// Related controls.
    pub controls: Vec<ControlId>,
    /// Agreements and attestations.
    pub agreements: Vec<Agreement>,
}

/// Everything the analysis reads, loaded from the store at one moment.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Organisation name.
    pub organization: String,
    /// Frameworks with their requirements.
    pub frameworks: Vec<Framework>,
    /// Scope per framework; absent means out of scope.
    pub scope: BTreeMap<FrameworkKey, FrameworkScope>,
    /// Controls.
    pub controls: Vec<Control>,
    /// Mappings.
    pub mappings: Vec<Mapping>,
    /// Built-in mappings a workspace override removed (shown, never scored).
    pub removed_mappings: Vec<Mapping>,
    /// Evidence facts per control, sorted by effective date.
    pub evidence: BTreeMap<ControlId, Vec<EvidenceFact>>,
    /// Total evidence rows.
    pub evidence_rows: u64,
    /// Risks.
    pub risks: Vec<Risk>,
    /// Findings.
    pub findings: Vec<Finding>,
    /// Tasks.
    pub tasks: Vec<Task>,
    /// Audits.
    pub audits: Vec<Audit>,
    /// Vendors.
    pub vendors: Vec<Vendor>,
    /// Tabletop exercises on record (evidence from tabletop runs): date and title.
    pub exercises: Vec<(Date, String)>,
}
