//! Vendor rows of the model file and the agreements CSV: vendors, their agreements and
//! attestations (BAA, DPA, SOC 2 reports...), with the same unknown-field rejection as the rest
//! of the model.

use crate::domain::{AgreementKind, Criticality, DataCategory, Date, VendorKind};
use serde::{Deserialize, Serialize};

/// A vendor agreement or attestation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementRow {
    /// Kind.
    pub kind: AgreementKind,
    /// Signed.
    #[serde(default)]
    pub signed: Option<Date>,
    /// Issued.
    #[serde(default)]
    pub issued: Option<Date>,
    /// Period start.
    #[serde(default)]
    pub period_start: Option<Date>,
    /// Period end.
    #[serde(default)]
    pub period_end: Option<Date>,
    /// Expiry.
    #[serde(default)]
    pub expires: Option<Date>,
    /// SHA-256 of the agreement file.
    #[serde(default)]
    pub file_digest: Option<String>,
}

/// A vendor.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VendorRow {
    /// ID.
    pub id: String,
    /// Name.
    pub name: String,
    /// Service.
    #[serde(default)]
    pub service: Option<String>,
    /// Kind.
    pub kind: VendorKind,
    /// Criticality.
    #[serde(default)]
    pub criticality: Option<Criticality>,
    /// Data categories.
    #[serde(default)]
    pub data: Vec<DataCategory>,
    /// Region.
    #[serde(default)]
    pub region: Option<String>,
    /// Subprocessors.
    #[serde(default)]
    pub subprocessors: Vec<String>,
    /// Owner.
    #[serde(default)]
    pub owner: Option<String>,
    /// Related controls.
    #[serde(default)]
    pub controls: Vec<String>,
    /// Agreements: when given they replace the vendor's list; absent, the list is kept.
    #[serde(default)]
    pub agreements: Option<Vec<AgreementRow>>,
}

/// An agreement that names its vendor (one row of an agreements CSV).
///
/// It repeats [`AgreementRow`]'s fields rather than flattening it: serde's `flatten` cannot be
/// combined with `deny_unknown_fields`, and a typo in a column must stay an error.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VendorAgreementRow {
    /// Vendor id.
    pub vendor: String,
    /// Kind.
    pub kind: AgreementKind,
    /// Signed.
    #[serde(default)]
    pub signed: Option<Date>,
    /// Issued.
    #[serde(default)]
    pub issued: Option<Date>,
    /// Period start.
    #[serde(default)]
    pub period_start: Option<Date>,
    /// Period end.
    #[serde(default)]
    pub period_end: Option<Date>,
    /// Expiry.
    #[serde(default)]
    pub expires: Option<Date>,
    /// SHA-256 of the agreement file.
    #[serde(default)]
    pub file_digest: Option<String>,
}

impl VendorAgreementRow {
    /// The agreement without its vendor.
    pub fn agreement(&self) -> AgreementRow {
        AgreementRow {
            kind: self.kind,
            signed: self.signed,
            issued: self.issued,
            period_start: self.period_start,
            period_end: self.period_end,
            expires: self.expires,
            file_digest: self.file_digest.clone(),
        }
    }
}
