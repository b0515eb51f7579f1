//! The CSV lists of `export csv` that `import` reads back as they are: evidence items (one
//! row per item, with its title and source), mappings (with carve-out and override), vendors
//! and their agreements. Each header names the list for the importer (`import::csv_rows`).
//!
//! Invariant: every column is one the importer knows for that list; derived columns (such as
//! a control's `designed`) are documented as read-only and skipped on import.

use super::export::csv_of;
use crate::domain::model_file::EvidenceRow;
use crate::domain::{CarveOut, Snapshot};
use anyhow::Result;

fn o<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(String::new, |x| x.to_string())
}

fn joined<T: ToString>(v: &[T]) -> String {
    v.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(";")
}

/// Every evidence item the model-file export lists (`export_json`), one row each.
pub fn evidence(rows: &[EvidenceRow]) -> Result<String> {
    csv_of(
        &[
            "id",
            "control",
            "title",
            "source",
            "effective",
            "expires",
            "result",
            "summary",
        ],
        rows.iter()
            .map(|e| {
                vec![
                    o(e.id.as_ref()),
                    e.control.clone(),
                    e.title.clone(),
                    o(e.source),
                    e.effective.to_string(),
                    o(e.expires),
                    e.result.to_string(),
                    e.summary.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    )
}

/// Every mapping, removed ones included (marked `removed` in `overrides`).
pub fn mappings(s: &Snapshot) -> Result<String> {
    let mut all: Vec<_> = s.mappings.iter().chain(&s.removed_mappings).collect();
    all.sort_by(|a, b| {
        (&a.control, &a.framework, &a.requirement).cmp(&(&b.control, &b.framework, &b.requirement))
    });
    csv_of(
        &[
            "control",
            "framework",
            "requirement",
            "relationship",
            "rationale",
            "vendor",
            "vendor_kind",
            "overrides",
        ],
        all.into_iter()
            .map(|m| {
                let (vendor, kind) = match &m.carve_out {
                    Some(CarveOut::Vendor(v)) => (v.to_string(), String::new()),
                    Some(CarveOut::Kind(k)) => (String::new(), k.to_string()),
                    None => (String::new(), String::new()),
                };
                vec![
                    m.control.to_string(),
                    m.framework.to_string(),
                    m.requirement.to_string(),
                    m.relationship.to_string(),
                    m.rationale.clone(),
                    vendor,
                    kind,
                    m.overrides.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    )
}

/// The vendor register (its agreements are `agreements.csv`).
pub fn vendors(s: &Snapshot) -> Result<String> {
    csv_of(
        &[
            "id",
            "name",
            "service",
            "kind",
            "criticality",
            "data",
            "region",
            "subprocessors",
            "owner",
            "controls",
        ],
        s.vendors
            .iter()
            .map(|v| {
                vec![
                    v.id.to_string(),
                    v.name.clone(),
                    v.service.clone(),
                    v.kind.to_string(),
                    o(v.criticality),
                    joined(&v.data),
                    v.region.clone(),
                    joined(&v.subprocessors),
                    v.owner.clone(),
                    joined(&v.controls),
                ]
            })
            .collect(),
    )
}

/// Every vendor agreement and attestation, one row each.
pub fn agreements(s: &Snapshot) -> Result<String> {
    csv_of(
        &[
            "vendor",
            "kind",
            "signed",
            "issued",
            "period_start",
            "period_end",
            "expires",
        ],
        s.vendors
            .iter()
            .flat_map(|v| {
                v.agreements.iter().map(move |a| {
                    vec![
                        v.id.to_string(),
                        a.kind.to_string(),
                        o(a.signed),
                        o(a.issued),
                        o(a.period_start),
                        o(a.period_end),
                        o(a.expires),
                    ]
                })
            })
            .collect(),
    )
}
