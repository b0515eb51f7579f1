//! CSV spreadsheets (one list per file, header row first) converted into model-file rows.
//!
//! The kind is detected from the header; list cells are `;`-separated; empty cells are absent.
//! Controls map to frameworks through columns named after framework keys (`soc2`, `hipaa`...).
//!
//! Every list `export csv` writes reads back: a mappings CSV (one mapping a row) becomes
//! control patches whose `maps` replace the listed frameworks' mappings; a control's derived
//! columns (`designed`, `last_pass`, `valid_until`) are skipped; a requirements CSV (derived
//! from the catalogs) is recognised and changes nothing. Audits are told apart from controls
//! by their `framework` and `kind` columns.

use super::model::{
    AuditRow, ControlRow, EvidenceRow, FindingRow, MapEntry, ModelFile, RiskRow, TaskRow,
    VendorAgreementRow, VendorRow,
};
use super::{InputError, Parsed};
use crate::domain::{Relationship, VendorKind};
use serde_json::{Map, Value};

const FRAMEWORK_COLUMNS: &[&str] = &["soc2", "iso27001", "iso27701", "hipaa", "pci-dss"];
const NUMBER_COLUMNS: &[&str] = &[
    "likelihood",
    "impact",
    "residual_likelihood",
    "residual_impact",
    "estimate_days",
];
const LIST_COLUMNS: &[&str] = &[
    "controls",
    "depends_on",
    "evidence_expected",
    "data",
    "subprocessors",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Evidence,
    Risks,
    Findings,
    Tasks,
    Controls,
    Vendors,
    Agreements,
    Audits,
    Mappings,
    Requirements,
}

/// Columns `export csv` writes for controls that are computed, not stored: skipped on import.
const DERIVED_CONTROL_COLUMNS: &[&str] = &["designed", "last_pass", "valid_until"];

/// One row of a mappings CSV.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingRow {
    control: String,
    framework: String,
    requirement: String,
    #[serde(default)]
    relationship: Option<Relationship>,
    #[serde(default)]
    rationale: Option<String>,
    #[serde(default)]
    vendor: Option<String>,
    #[serde(default)]
    vendor_kind: Option<VendorKind>,
    #[serde(default)]
    overrides: Option<String>,
}

/// Adds a mapping row to the patch of its control (made on first use).
fn add_mapping(model: &mut ModelFile, r: MappingRow) {
    let at = match model.controls.iter().position(|c| c.id == r.control) {
        Some(i) => i,
        None => {
            model.controls.push(ControlRow {
                id: r.control.clone(),
                ..ControlRow::default()
            });
            model.controls.len() - 1
        }
    };
    model.controls[at]
        .maps
        .get_or_insert_with(Default::default)
        .entry(r.framework)
        .or_default()
        .push(MapEntry {
            id: r.requirement,
            relationship: r.relationship.unwrap_or(Relationship::Full),
            rationale: r.rationale.unwrap_or_default(),
            vendor: r.vendor,
            vendor_kind: r.vendor_kind,
            overrides: r.overrides,
        });
}

fn detect(headers: &[String]) -> Option<Kind> {
    let has = |h: &str| headers.iter().any(|x| x == h);
    if has("framework") && has("ref_id") {
        Some(Kind::Requirements)
    } else if has("control") && has("framework") && has("requirement") {
        Some(Kind::Mappings)
    } else if has("framework") && has("kind") && !has("vendor") {
        Some(Kind::Audits)
    } else if has("vendor") && has("kind") {
        Some(Kind::Agreements)
    } else if has("id") && has("name") && has("kind") {
        Some(Kind::Vendors)
    } else if has("control") && has("effective") && has("result") {
        Some(Kind::Evidence)
    } else if has("likelihood") && has("impact") {
        Some(Kind::Risks)
    } else if has("severity") && has("source") {
        Some(Kind::Findings)
    } else if has("id") && has("title") && (has("depends_on") || has("due") || has("finding")) {
        Some(Kind::Tasks)
    } else if has("id") && (has("title") || has("status") || has("cadence")) {
        Some(Kind::Controls)
    } else {
        None
    }
}

/// Parses a CSV file of controls, evidence, risks, findings or tasks.
pub fn parse(file: &str, text: &str) -> Result<Parsed, InputError> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| InputError::new(file, Some(1), None, format!("bad header row: {e}")))?
        .iter()
        .map(str::to_owned)
        .collect();
    for (i, h) in headers.iter().enumerate() {
        if headers[..i].contains(h) {
            return Err(InputError::new(
                file,
                Some(1),
                Some(h.clone()),
                format!("column `{h}` appears twice in the header"),
            ));
        }
    }
    let kind = detect(&headers).ok_or_else(|| {
        InputError::new(
            file,
            Some(1),
            None,
            "cannot tell what this CSV holds: expected a header row of controls (id,title,...), \
             evidence (control,title,effective,result), risks (id,title,likelihood,impact), \
             findings (id,title,source,severity), tasks (id,title,due,...), vendors \
             (id,name,kind,...), agreements (vendor,kind,signed,...), audits \
             (framework,kind,...), mappings (control,framework,requirement,...) or requirements \
             (framework,ref_id,...)",
        )
    })?;
    let mut model = ModelFile::default();
    let mut row_lines = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line() as usize);
            InputError::new(file, line, None, format!("CSV syntax: {}", csv_kind(&e)))
        })?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let value = row_value(kind, &headers, &rec);
        let at = |e: InputErrorParts| InputError::new(file, Some(line), e.0, e.1);
        match kind {
            Kind::Evidence => model
                .evidence
                .push(from_value::<EvidenceRow>(value).map_err(at)?),
            Kind::Risks => model.risks.push(from_value::<RiskRow>(value).map_err(at)?),
            Kind::Findings => model
                .findings
                .push(from_value::<FindingRow>(value).map_err(at)?),
            Kind::Tasks => model.tasks.push(from_value::<TaskRow>(value).map_err(at)?),
            Kind::Controls => model
                .controls
                .push(from_value::<ControlRow>(value).map_err(at)?),
            Kind::Vendors => model
                .vendors
                .push(from_value::<VendorRow>(value).map_err(at)?),
            Kind::Agreements => model
                .agreements
                .push(from_value::<VendorAgreementRow>(value).map_err(at)?),
            Kind::Audits => model
                .audits
                .push(from_value::<AuditRow>(value).map_err(at)?),
            Kind::Mappings => add_mapping(&mut model, from_value::<MappingRow>(value).map_err(at)?),
            Kind::Requirements => {}
        }
        row_lines.push(line);
    }
    let list = match kind {
        Kind::Evidence => "evidence",
        Kind::Risks => "risks",
        Kind::Findings => "findings",
        Kind::Tasks => "tasks",
        Kind::Controls | Kind::Mappings | Kind::Requirements => "controls",
        Kind::Vendors => "vendors",
        Kind::Agreements => "agreements",
        Kind::Audits => "audits",
    };
    Ok(Parsed {
        file: file.to_owned(),
        model,
        lines: Box::new(move |path: &str| {
            let rest = path.strip_prefix(list)?.strip_prefix('[')?;
            let idx: usize = rest.split(']').next()?.parse().ok()?;
            row_lines.get(idx).copied()
        }),
    })
}

type InputErrorParts = (Option<String>, String);

/// Deserialises one row, naming the column that failed.
fn from_value<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, InputErrorParts> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        let field = (path != ".").then(|| path.replace("residual.", "residual_"));
        (field, e.into_inner().to_string())
    })
}

fn csv_kind(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("row has {len} fields, the header has {expected_len}")
        }
        _ => e.to_string(),
    }
}

fn row_value(kind: Kind, headers: &[String], rec: &csv::StringRecord) -> Value {
    let mut obj = Map::new();
    let mut maps = Map::new();
    let mut residual = Map::new();
    for (h, cell) in headers.iter().zip(rec.iter()) {
        if cell.is_empty()
            || (kind == Kind::Controls && DERIVED_CONTROL_COLUMNS.contains(&h.as_str()))
        {
            continue;
        }
        let list = || {
            Value::Array(
                split_list(cell)
                    .map(|s| Value::String(s.to_owned()))
                    .collect(),
            )
        };
        if kind == Kind::Controls && FRAMEWORK_COLUMNS.contains(&h.as_str()) {
            maps.insert(h.clone(), list());
        } else if let Some(r) = h.strip_prefix("residual_") {
            residual.insert(r.to_owned(), number(cell));
        } else if NUMBER_COLUMNS.contains(&h.as_str()) {
            obj.insert(h.clone(), number(cell));
        } else if LIST_COLUMNS.contains(&h.as_str()) {
            obj.insert(h.clone(), list());
        } else {
            obj.insert(h.clone(), Value::String(cell.to_owned()));
        }
    }
    if !maps.is_empty() {
        obj.insert("maps".into(), Value::Object(maps));
    }
    if !residual.is_empty() {
        obj.insert("residual".into(), Value::Object(residual));
    }
    Value::Object(obj)
}

fn split_list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(';').map(str::trim).filter(|s| !s.is_empty())
}

/// A number cell stays text when it is not a number, so the error names the field.
fn number(cell: &str) -> Value {
    cell.parse::<u64>()
        .map_or_else(|_| Value::String(cell.to_owned()), Value::from)
}
