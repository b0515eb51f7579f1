//! `export json`: the whole workspace as a model file (docs/model-file.md) that `import`
//! reads back, followed by the assessment it was computed with (`as_of`, `assessment`:
//! informational, ignored on import).
//!
//! Invariants: importing the document into an empty (`init --bare`) workspace gives the same
//! `status --json` as the workspace it came from, except for what a model file does not carry
//! (gateway readings and sources, exercises, review snapshots, the change log); importing it
//! twice changes nothing the second time. Evidence derived from vendor agreements is left out
//! (the importer derives it again from the agreements); every other evidence item is listed.

use crate::analysis::Assessment;
use crate::domain::model_file::{
    AgreementRow, AuditRow, ControlRow, EvidenceRow, FindingRow, MapEntry, ModelFile, Residual,
    RiskRow, ScopeEntry, TaskRow, VendorRow,
};
use crate::domain::{CarveOut, Mapping, Snapshot};
use anyhow::Result;
use serde_json::{Value, json};
use std::collections::BTreeMap;

fn ids<T: ToString>(v: &[T]) -> Vec<String> {
    v.iter().map(ToString::to_string).collect()
}

fn map_entry(m: &Mapping) -> MapEntry {
    let (vendor, vendor_kind) = match &m.carve_out {
        Some(CarveOut::Vendor(v)) => (Some(v.to_string()), None),
        Some(CarveOut::Kind(k)) => (None, Some(*k)),
        None => (None, None),
    };
    MapEntry {
        id: m.requirement.to_string(),
        relationship: m.relationship,
        rationale: m.rationale.clone(),
        vendor,
        vendor_kind,
        overrides: m.overrides.clone(),
    }
}

/// Every control with all of its mappings (removed ones too, marked), one list per framework
/// the workspace has, so that a re-import replaces exactly what is there.
fn controls(s: &Snapshot) -> Vec<ControlRow> {
    let mut maps: BTreeMap<&str, BTreeMap<String, Vec<MapEntry>>> = BTreeMap::new();
    for c in &s.controls {
        let per = maps.entry(c.id.as_str()).or_default();
        for f in &s.frameworks {
            per.insert(f.key.to_string(), Vec::new());
        }
    }
    for m in s.mappings.iter().chain(&s.removed_mappings) {
        if let Some(per) = maps.get_mut(m.control.as_str()) {
            per.entry(m.framework.to_string())
                .or_default()
                .push(map_entry(m));
        }
    }
    s.controls
        .iter()
        .map(|c| {
            let mut m = maps.remove(c.id.as_str()).unwrap_or_default();
            for v in m.values_mut() {
                v.sort_by(|a, b| a.id.cmp(&b.id));
            }
            ControlRow {
                id: c.id.to_string(),
                title: Some(c.title.clone()),
                description: Some(c.description.clone()),
                domain: Some(c.domain.clone()),
                owner: Some(c.owner.clone()),
                status: Some(c.status),
                cadence: Some(c.cadence),
                evidence_expected: Some(c.evidence_expected.clone()),
                note: Some(c.note.clone()),
                maps: Some(m),
            }
        })
        .collect()
}

/// The workspace as a model file; `evidence` is every stored evidence item the importer does
/// not derive itself (see the module doc).
pub fn model_file(s: &Snapshot, evidence: Vec<EvidenceRow>) -> ModelFile {
    let o = |x: &str| Some(x.to_owned());
    ModelFile {
        organization: Some(s.organization.clone()),
        scope: Some(
            s.scope
                .iter()
                .map(|(k, v)| {
                    (
                        k.to_string(),
                        ScopeEntry {
                            categories: v.categories.clone(),
                            role: v.role.clone(),
                            exclude: v
                                .exclude
                                .iter()
                                .map(|(r, why)| (r.to_string(), why.clone()))
                                .collect(),
                        },
                    )
                })
                .collect(),
        ),
        controls: controls(s),
        evidence,
        risks: s
            .risks
            .iter()
            .map(|r| RiskRow {
                id: r.id.to_string(),
                title: r.title.clone(),
                description: o(&r.description),
                category: Some(r.category),
                likelihood: r.likelihood,
                impact: r.impact,
                residual: r
                    .residual_likelihood
                    .zip(r.residual_impact)
                    .map(|(likelihood, impact)| Residual { likelihood, impact }),
                treatment: Some(r.treatment),
                owner: o(&r.owner),
                controls: ids(&r.controls),
            })
            .collect(),
        findings: s
            .findings
            .iter()
            .map(|f| FindingRow {
                id: f.id.to_string(),
                title: f.title.clone(),
                description: o(&f.description),
                source: f.source,
                severity: f.severity,
                status: Some(f.status),
                control: f.control.as_ref().map(ToString::to_string),
                requirement: f.requirement.clone(),
                opened: f.opened,
                due: f.due,
                closed: f.closed,
            })
            .collect(),
        tasks: s
            .tasks
            .iter()
            .map(|t| TaskRow {
                id: t.id.to_string(),
                title: t.title.clone(),
                owner: o(&t.owner),
                status: Some(t.status),
                due: t.due,
                estimate_days: t.estimate_days,
                finding: t.finding.as_ref().map(ToString::to_string),
                control: t.control.as_ref().map(ToString::to_string),
                depends_on: ids(&t.depends_on),
            })
            .collect(),
        audits: s
            .audits
            .iter()
            .map(|a| AuditRow {
                id: Some(a.id.to_string()),
                framework: a.framework.to_string(),
                kind: a.kind,
                status: Some(a.status),
                point_in_time: a.point_in_time,
                window_start: a.window_start,
                window_end: a.window_end,
                fieldwork_start: a.fieldwork_start,
                fieldwork_end: a.fieldwork_end,
                report_date: a.report_date,
                auditor: o(&a.auditor),
            })
            .collect(),
        vendors: s
            .vendors
            .iter()
            .map(|v| VendorRow {
                id: v.id.to_string(),
                name: v.name.clone(),
                service: o(&v.service),
                kind: v.kind,
                criticality: v.criticality,
                data: v.data.clone(),
                region: o(&v.region),
                subprocessors: v.subprocessors.clone(),
                owner: o(&v.owner),
                controls: ids(&v.controls),
                agreements: Some(
                    v.agreements
                        .iter()
                        .map(|a| AgreementRow {
                            kind: a.kind,
                            signed: a.signed,
                            issued: a.issued,
                            period_start: a.period_start,
                            period_end: a.period_end,
                            expires: a.expires,
                            file_digest: None,
                        })
                        .collect(),
                ),
            })
            .collect(),
        ..ModelFile::default()
    }
}

/// Drops `null` members of objects, so the document lists only what is set.
fn prune(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(prune);
        }
        Value::Array(a) => a.iter_mut().for_each(prune),
        _ => {}
    }
}

/// The model file as JSON, with the assessment it was computed with appended.
pub fn model_json(s: &Snapshot, a: &Assessment, evidence: Vec<EvidenceRow>) -> Result<Value> {
    let mut v = serde_json::to_value(model_file(s, evidence))?;
    prune(&mut v);
    if let Value::Object(m) = &mut v {
        if m.get("mappings")
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty)
        {
            m.remove("mappings");
        }
        if m.get("agreements")
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty)
        {
            m.remove("agreements");
        }
        m.insert("as_of".into(), json!(a.as_of));
        m.insert(
            "assessment".into(),
            json!({
                "frameworks": a.frameworks.iter().map(|f| json!({"key": f.key, "readiness": f.readiness, "type2": f.type2, "projected": f.projected})).collect::<Vec<_>>(),
                "controls": a.controls,
                "totals": a.totals,
            }),
        );
    }
    Ok(v)
}
