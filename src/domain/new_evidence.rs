//! An evidence item on its way into the store: what an import, a poller, a tabletop exercise or
//! a manual add hands over to be appended to the evidence hash chain.
//!
//! Invariant: summary and content are already redacted; `content_digest` names exactly the
//! bytes the item stands for (the attached file, else the content, else title and summary).

use super::{ControlId, Date, EvidenceResult, EvidenceSource};

/// An evidence item to append.
#[derive(Debug, Clone)]
pub struct NewEvidence {
    /// Stable identity: a re-import of the same key is skipped.
    pub natural_key: String,
    /// Control evidenced.
    pub control: ControlId,
    /// Title.
    pub title: String,
    /// Source.
    pub source: EvidenceSource,
    /// Result.
    pub result: EvidenceResult,
    /// When the control operated.
    pub effective: Date,
    /// When it was collected (RFC 3339).
    pub collected: String,
    /// Explicit expiry.
    pub expires: Option<Date>,
    /// Short summary (already redacted).
    pub summary: String,
    /// Full content (already redacted), if any.
    pub content: Option<String>,
    /// An attached file: (path inside the workspace, SHA-256 of its bytes).
    pub file: Option<(String, String)>,
}

impl NewEvidence {
    /// The SHA-256 of the content this item stands for.
    pub fn content_digest(&self) -> String {
        if let Some((_, digest)) = &self.file {
            return digest.clone();
        }
        match &self.content {
            Some(c) => super::sha256_hex(c.as_bytes()),
            None => super::sha256_hex(format!("{}\n{}", self.title, self.summary).as_bytes()),
        }
    }
}
