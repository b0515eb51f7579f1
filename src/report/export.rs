//! Exports for auditors and other tools: CSV of every list and JSON of the whole model (the
//! Statement of Applicability is `soa`, OSCAL is `oscal`). Every export is computed from the
//! same snapshot and assessment the dashboard shows. Every CSV cell goes through
//! `escape::csv_cell` (formula injection, as OWASP recommends).

use crate::analysis::Assessment;
use crate::domain::Snapshot;
use anyhow::Result;

/// certready's namespace for name-based UUIDs: the version-5 UUID of the URL `urn:certready`
/// in RFC 9562's URL namespace (a unit test derives it again).
const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(NAMESPACE_U128);

/// [`NAMESPACE`] as a number, so it can be a constant.
const NAMESPACE_U128: u128 = 0x2f6b_8e8a_dfa3_5bf7_b60e_0b02_aca0_65b4;

/// A stable UUID (RFC 9562 version 5: SHA-1 of [`NAMESPACE`] and `name`), so re-exports of the
/// same item keep their UUID.
pub fn uuid_for(name: &str) -> String {
    uuid::Uuid::new_v5(&NAMESPACE, name.as_bytes()).to_string()
}

/// The list names `export csv` writes.
pub const LISTS: &[&str] = &[
    "requirements",
    "controls",
    "mappings",
    "evidence",
    "risks",
    "findings",
    "tasks",
    "audits",
    "vendors",
    "agreements",
];

/// Every CSV certready writes: the header, then each row with every cell neutralised against
/// formula injection ([`super::escape::csv_cell`]); the csv writer quotes where needed.
pub(crate) fn csv_of(headers: &[&str], rows: Vec<Vec<String>>) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(headers)?;
    for r in rows {
        w.write_record(r.into_iter().map(super::escape::csv_cell))?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// One list as CSV (evidence, which needs the stored items, is `export_csv::evidence`).
pub fn csv_list(s: &Snapshot, a: &Assessment, list: &str) -> Result<String> {
    let o = |d: Option<crate::domain::Date>| d.map_or_else(String::new, |x| x.to_string());
    match list {
        "requirements" => csv_of(
            &[
                "framework",
                "ref_id",
                "title",
                "group",
                "assessable",
                "status",
                "controls",
                "reason",
            ],
            a.frameworks
                .iter()
                .flat_map(|f| {
                    f.readiness.requirements.iter().map(move |r| {
                        vec![
                            f.key.to_string(),
                            r.ref_id.to_string(),
                            r.title.clone(),
                            r.group.clone(),
                            r.assessable.to_string(),
                            r.status.to_string(),
                            r.controls
                                .iter()
                                .map(|(c, _)| c.to_string())
                                .collect::<Vec<_>>()
                                .join(";"),
                            r.reason.clone(),
                        ]
                    })
                })
                .collect(),
        ),
        "controls" => csv_of(
            &[
                "id",
                "title",
                "owner",
                "status",
                "cadence",
                "designed",
                "last_pass",
                "valid_until",
            ],
            s.controls
                .iter()
                .zip(&a.controls)
                .map(|(c, st)| {
                    vec![
                        c.id.to_string(),
                        c.title.clone(),
                        c.owner.clone(),
                        c.status.to_string(),
                        c.cadence.to_string(),
                        st.designed.to_string(),
                        o(st.last_pass),
                        o(st.valid_until),
                    ]
                })
                .collect(),
        ),
        "mappings" => super::export_csv::mappings(s),
        "risks" => csv_of(
            &[
                "id",
                "title",
                "category",
                "likelihood",
                "impact",
                "residual_likelihood",
                "residual_impact",
                "treatment",
                "owner",
                "controls",
                "description",
            ],
            s.risks
                .iter()
                .map(|r| {
                    vec![
                        r.id.to_string(),
                        r.title.clone(),
                        r.category.to_string(),
                        r.likelihood.to_string(),
                        r.impact.to_string(),
                        r.residual_likelihood
                            .map_or_else(String::new, |x| x.to_string()),
                        r.residual_impact
                            .map_or_else(String::new, |x| x.to_string()),
                        r.treatment.to_string(),
                        r.owner.clone(),
                        r.controls
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(";"),
                        r.description.clone(),
                    ]
                })
                .collect(),
        ),
        "findings" => csv_of(
            &[
                "id",
                "title",
                "source",
                "severity",
                "status",
                "control",
                "requirement",
                "opened",
                "due",
                "closed",
                "description",
            ],
            s.findings
                .iter()
                .map(|f| {
                    vec![
                        f.id.to_string(),
                        f.title.clone(),
                        f.source.to_string(),
                        f.severity.to_string(),
                        f.status.to_string(),
                        f.control
                            .as_ref()
                            .map_or_else(String::new, ToString::to_string),
                        f.requirement.clone().unwrap_or_default(),
                        o(f.opened),
                        o(f.due),
                        o(f.closed),
                        f.description.clone(),
                    ]
                })
                .collect(),
        ),
        "tasks" => csv_of(
            &[
                "id",
                "title",
                "owner",
                "status",
                "due",
                "estimate_days",
                "finding",
                "control",
                "depends_on",
            ],
            s.tasks
                .iter()
                .map(|t| {
                    vec![
                        t.id.to_string(),
                        t.title.clone(),
                        t.owner.clone(),
                        t.status.to_string(),
                        o(t.due),
                        t.estimate_days.map_or_else(String::new, |x| x.to_string()),
                        t.finding
                            .as_ref()
                            .map_or_else(String::new, ToString::to_string),
                        t.control
                            .as_ref()
                            .map_or_else(String::new, ToString::to_string),
                        t.depends_on
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(";"),
                    ]
                })
                .collect(),
        ),
        "audits" => csv_of(
            &[
                "id",
                "framework",
                "kind",
                "status",
                "point_in_time",
                "window_start",
                "window_end",
                "fieldwork_start",
                "fieldwork_end",
                "report_date",
                "auditor",
            ],
            s.audits
                .iter()
                .map(|x| {
                    vec![
                        x.id.to_string(),
                        x.framework.to_string(),
                        x.kind.to_string(),
                        x.status.to_string(),
                        o(x.point_in_time),
                        o(x.window_start),
                        o(x.window_end),
                        o(x.fieldwork_start),
                        o(x.fieldwork_end),
                        o(x.report_date),
                        x.auditor.clone(),
                    ]
                })
                .collect(),
        ),
        "vendors" => super::export_csv::vendors(s),
        "agreements" => super::export_csv::agreements(s),
        other => anyhow::bail!(
            "unknown list `{other}` (expected one of: {})",
            LISTS.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::{NAMESPACE, uuid_for};

    #[test]
    fn uuids_are_version_5_stable_and_in_certready_s_namespace() {
        let derived = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, b"urn:certready");
        assert_eq!(NAMESPACE, derived);
        let u = uuid_for("finding:F-1");
        assert_eq!(u, uuid_for("finding:F-1"));
        assert_ne!(u, uuid_for("finding:F-2"));
        let parsed = uuid::Uuid::parse_str(&u).unwrap();
        assert_eq!(parsed.get_version_num(), 5);
        assert_eq!(parsed.get_variant(), uuid::Variant::RFC4122);
    }
}
