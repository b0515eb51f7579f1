//! The Statement of Applicability of an ISO framework (27001 Annex A, or 27701's tables): a
//! document with its organisation, edition (the catalog's version), date, document version and
//! approver, then every Annex A control, applicable or excluded, with a justification of its
//! own: the risks whose treatment names its implementing controls, and the other frameworks'
//! requirements those controls also serve.
//!
//! Invariants: only frameworks with an SoA ([`SOA_FRAMEWORKS`]) are accepted, any other is
//! refused with one line; an excluded or not-applicable control lists no implementers; a value
//! the workspace does not hold (version, approver) is printed as "not set", never invented.
//! Every CSV cell goes through `escape::csv_cell`, Markdown cells through `escape::markdown`,
//! and the HTML page is an autoescaped template (`assets/templates/soa.html`).

use crate::analysis::Assessment;
use crate::domain::{ControlId, Date, ReqStatus, Snapshot};
use anyhow::Result;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

mod text;
pub use text::{HEADERS, soa_text};

/// The frameworks that have a Statement of Applicability.
pub const SOA_FRAMEWORKS: &[&str] = &["iso27001", "iso27701"];

/// Words printed where the workspace holds no value.
pub const NOT_SET: &str = "not set";

/// The document control the workspace config gives (`[soa]` in `certready.toml`).
#[derive(Debug, Clone, Default)]
pub struct Approval {
    /// Document version (`1.2`).
    pub version: Option<String>,
    /// Who approved it.
    pub approver: Option<String>,
    /// When it was approved.
    pub approved: Option<Date>,
}

/// Whether a control applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Applicability {
    /// Applicable.
    Applicable,
    /// Excluded (by scope, or not applicable).
    Excluded,
}

impl std::fmt::Display for Applicability {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Applicable => "applicable",
            Self::Excluded => "excluded",
        })
    }
}

/// One control of the statement.
#[derive(Debug, Clone, Serialize)]
pub struct SoaRow {
    /// Annex A reference.
    pub control: String,
    /// Its title.
    pub title: String,
    /// Applicable or excluded.
    pub applicability: Applicability,
    /// Why: the risks and requirements behind it, or the exclusion's reason.
    pub justification: String,
    /// Implementing controls (none for an exclusion).
    pub implemented_by: Vec<String>,
    /// Readiness status.
    pub status: String,
}

/// The whole statement.
#[derive(Debug, Clone, Serialize)]
pub struct Soa {
    /// Framework key.
    pub key: String,
    /// Framework name.
    pub name: String,
    /// Organisation.
    pub organization: String,
    /// Catalog edition (name, version and source as cited).
    pub edition: String,
    /// The date the statement is made for.
    pub date: Date,
    /// Document version, or [`NOT_SET`].
    pub version: String,
    /// Approver, or [`NOT_SET`].
    pub approver: String,
    /// Approval date, or [`NOT_SET`].
    pub approved: String,
    /// Rows in catalog order.
    pub rows: Vec<SoaRow>,
}

impl Soa {
    /// The document-control fields as (label, value) pairs, in print order.
    pub fn fields(&self) -> [(&'static str, String); 7] {
        [
            ("Organisation", self.organization.clone()),
            ("Standard", self.name.clone()),
            ("Edition", self.edition.clone()),
            ("Date", self.date.to_string()),
            ("Document version", self.version.clone()),
            ("Approved by", self.approver.clone()),
            ("Approved on", self.approved.clone()),
        ]
    }
}

/// At most `n` items joined with ", ", then "and N more".
fn listed(items: &[String], n: usize) -> String {
    let mut s = items.iter().take(n).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > n {
        s.push_str(&format!(" and {} more", items.len() - n));
    }
    s
}

/// Builds the statement of `key` as of the assessment's date; refuses a framework without one.
pub fn soa(s: &Snapshot, a: &Assessment, key: &str, approval: &Approval) -> Result<Soa> {
    if !SOA_FRAMEWORKS.contains(&key) {
        anyhow::bail!(
            "`{key}` has no Statement of Applicability (only {} have one)",
            SOA_FRAMEWORKS.join(" and ")
        );
    }
    let (Some(f), Some(fw)) = (
        a.frameworks.iter().find(|f| f.key.as_str() == key),
        s.frameworks.iter().find(|f| f.key.as_str() == key),
    ) else {
        anyhow::bail!("framework `{key}` is not installed in this workspace")
    };
    // Risk ids by the control their treatment names.
    let mut risks: BTreeMap<&ControlId, BTreeSet<String>> = BTreeMap::new();
    for r in &s.risks {
        for c in &r.controls {
            risks.entry(c).or_default().insert(r.id.to_string());
        }
    }
    // Other in-scope frameworks' requirements by control ("SOC 2 CC6.1").
    let names: BTreeMap<&str, &str> = s
        .frameworks
        .iter()
        .map(|f| (f.key.as_str(), f.name.as_str()))
        .collect();
    let mut reqs: BTreeMap<&ControlId, BTreeSet<(&str, String)>> = BTreeMap::new();
    for m in s
        .mappings
        .iter()
        .filter(|m| m.framework.as_str() != key && s.scope.contains_key(&m.framework))
    {
        let name = names.get(m.framework.as_str()).copied().unwrap_or("");
        reqs.entry(&m.control)
            .or_default()
            .insert((name, m.requirement.to_string()));
    }
    let scope = s.scope.get(&f.key);
    let rows = f
        .readiness
        .requirements
        .iter()
        .filter(|r| r.assessable && r.ref_id.as_str().starts_with("A."))
        .map(|r| {
            let excluded = scope.and_then(|sc| sc.exclude.get(&r.ref_id)).cloned();
            let applicable = excluded.is_none() && r.status != ReqStatus::NotApplicable;
            let (justification, implemented_by) = if applicable {
                let controls: Vec<&ControlId> = r.controls.iter().map(|(c, _)| c).collect();
                (justify(&controls, &risks, &reqs, &r.reason), {
                    controls.iter().map(ToString::to_string).collect()
                })
            } else {
                (excluded.unwrap_or_else(|| r.reason.clone()), Vec::new())
            };
            SoaRow {
                control: r.ref_id.to_string(),
                title: r.title.clone(),
                applicability: if applicable {
                    Applicability::Applicable
                } else {
                    Applicability::Excluded
                },
                justification,
                implemented_by,
                status: r.status.to_string(),
            }
        })
        .collect();
    let or_unset = |v: Option<String>| {
        v.filter(|x| !x.trim().is_empty())
            .unwrap_or_else(|| NOT_SET.to_owned())
    };
    Ok(Soa {
        key: key.to_owned(),
        name: fw.name.clone(),
        organization: or_unset(Some(s.organization.clone())),
        edition: if fw.source.is_empty() {
            format!("{} {}", fw.name, fw.version)
        } else {
            format!("{} {} ({})", fw.name, fw.version, fw.source)
        },
        date: a.as_of,
        version: or_unset(approval.version.clone()),
        approver: or_unset(approval.approver.clone()),
        approved: or_unset(approval.approved.map(|d| d.to_string())),
        rows,
    })
}

/// The justification of an applicable control: the risks whose treatment names one of its
/// implementing controls, and the other frameworks' requirements those controls serve.
fn justify(
    controls: &[&ControlId],
    risks: &BTreeMap<&ControlId, BTreeSet<String>>,
    reqs: &BTreeMap<&ControlId, BTreeSet<(&str, String)>>,
    reason: &str,
) -> String {
    let rs: Vec<String> = controls
        .iter()
        .filter_map(|c| risks.get(c))
        .flatten()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .cloned()
        .collect();
    // Other frameworks' requirements, grouped by framework: "SOC 2 CC6.1, CC6.2 and 3 more".
    let mut by_fw: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (fw, r) in controls
        .iter()
        .filter_map(|c| reqs.get(c))
        .flatten()
        .collect::<BTreeSet<_>>()
    {
        by_fw.entry(fw).or_default().push(r.clone());
    }
    let qs: Vec<String> = by_fw
        .iter()
        .map(|(fw, refs)| format!("{fw} {}", listed(refs, 3)))
        .collect();
    let through = controls
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let mut parts = Vec::new();
    if !rs.is_empty() {
        parts.push(format!("treats {} (through {through})", listed(&rs, 6)));
    }
    if !qs.is_empty() {
        parts.push(format!("also required by {}", qs.join("; ")));
    }
    if parts.is_empty() {
        if controls.is_empty() {
            return format!("Applicable; no risk treatment or control names it yet ({reason})");
        }
        return format!(
            "Applicable through {through}; no risk in the register names it yet ({reason})"
        );
    }
    let mut s = parts.join("; ");
    if let Some(first) = s.get(..1) {
        s = first.to_uppercase() + &s[1..];
    }
    s
}
