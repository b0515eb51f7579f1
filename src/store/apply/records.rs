//! Upserts of scope, risks, findings, tasks, audits and vendors (whole-row replacement by id;
//! child lists such as a risk's controls or a task's dependencies are replaced with the row).

use super::Ctx;
use crate::domain::AuditStatus;
use crate::domain::model_file::ModelFile;
use crate::store::db::params;
use anyhow::Result;

fn d(v: Option<crate::domain::Date>) -> Option<String> {
    v.map(|x| x.to_string())
}

const SCOPE_JSON: &str = "SELECT json_group_object(framework, json_object('categories', json(categories),
  'role', role, 'exclude', (SELECT json_group_object(ref_id, justification) FROM scope_exclusions e
   WHERE e.framework = s.framework))) FROM (SELECT * FROM scope ORDER BY framework) s WHERE CAST(?1 AS TEXT) IS NOT NULL";

/// Replaces the whole scope when the file has one.
pub(super) fn scope(cx: &mut Ctx<'_>, m: &ModelFile) -> Result<()> {
    let Some(scope) = &m.scope else { return Ok(()) };
    cx.track("scope", "scope", SCOPE_JSON, |tx| {
        tx.execute("DELETE FROM scope_exclusions", [])?;
        tx.execute("DELETE FROM scope", [])?;
        for (fw, e) in scope {
            let mut cats = e.categories.clone();
            if fw == "soc2" && !cats.iter().any(|c| c == "security") {
                cats.insert(0, "security".to_owned());
            }
            tx.execute(
                "INSERT INTO scope (framework, categories, role) VALUES (?1, ?2, ?3)",
                params![fw, serde_json::to_string(&cats)?, e.role],
            )?;
            for (id, why) in &e.exclude {
                tx.execute(
                    "INSERT INTO scope_exclusions (framework, ref_id, justification) VALUES (?1, ?2, ?3)",
                    params![fw, id, why],
                )?;
            }
        }
        Ok(())
    })
}

const RISK_JSON: &str = "SELECT json_object('id', id, 'title', title, 'description', description,
  'category', category, 'likelihood', likelihood, 'impact', impact,
  'residual_likelihood', residual_likelihood, 'residual_impact', residual_impact,
  'treatment', treatment, 'owner', owner,
  'controls', (SELECT json_group_array(control_id) FROM (SELECT control_id FROM risk_controls rc
               WHERE rc.risk_id = r.id ORDER BY control_id) sub))
  FROM risks r WHERE id = ?1";

pub(super) fn risks(cx: &mut Ctx<'_>, m: &ModelFile) -> Result<()> {
    for r in &m.risks {
        cx.track("risks", &r.id, RISK_JSON, |tx| {
            tx.execute(
                "INSERT INTO risks (id, title, description, category, likelihood, impact,
                   residual_likelihood, residual_impact, treatment, owner)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT(id) DO UPDATE SET title = ?2, description = ?3, category = ?4,
                   likelihood = ?5, impact = ?6, residual_likelihood = ?7, residual_impact = ?8,
                   treatment = ?9, owner = ?10",
                params![
                    r.id,
                    r.title,
                    r.description.clone().unwrap_or_default(),
                    r.category
                        .unwrap_or(crate::domain::RiskCategory::Other)
                        .as_str(),
                    r.likelihood,
                    r.impact,
                    r.residual.map(|x| x.likelihood),
                    r.residual.map(|x| x.impact),
                    r.treatment
                        .unwrap_or(crate::domain::Treatment::Mitigate)
                        .as_str(),
                    r.owner.clone().unwrap_or_default()
                ],
            )?;
            tx.execute("DELETE FROM risk_controls WHERE risk_id = ?1", [&r.id])?;
            for c in &r.controls {
                tx.execute(
                    "INSERT OR IGNORE INTO risk_controls (risk_id, control_id) VALUES (?1, ?2)",
                    params![r.id, c],
                )?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

const FINDING_JSON: &str =
    "SELECT json_object('id', id, 'title', title, 'description', description,
  'source', source, 'severity', severity, 'status', status, 'control', control_id,
  'requirement', requirement, 'opened', opened, 'due', due, 'closed', closed)
  FROM findings WHERE id = ?1";

pub(super) fn findings(cx: &mut Ctx<'_>, m: &ModelFile) -> Result<()> {
    for f in &m.findings {
        cx.track("findings", &f.id, FINDING_JSON, |tx| {
            tx.execute(
                "INSERT INTO findings (id, title, description, source, severity, status, control_id,
                   requirement, opened, due, closed)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT(id) DO UPDATE SET title = ?2, description = ?3, source = ?4,
                   severity = ?5, status = ?6, control_id = ?7, requirement = ?8, opened = ?9,
                   due = ?10, closed = ?11",
                params![
                    f.id,
                    f.title,
                    f.description.clone().unwrap_or_default(),
                    f.source.as_str(),
                    f.severity.as_str(),
                    f.status.unwrap_or(crate::domain::FindingStatus::Open).as_str(),
                    f.control,
                    f.requirement,
                    d(f.opened),
                    d(f.due),
                    d(f.closed)
                ],
            )?;
            Ok(())
        })?;
    }
    Ok(())
}

const TASK_JSON: &str =
    "SELECT json_object('id', id, 'title', title, 'owner', owner, 'status', status,
  'due', due, 'estimate_days', estimate_days, 'finding', finding_id, 'control', control_id,
  'depends_on', (SELECT json_group_array(depends_on) FROM (SELECT depends_on FROM task_deps td
                 WHERE td.task_id = t.id ORDER BY depends_on) sub))
  FROM tasks t WHERE id = ?1";

pub(super) fn tasks(cx: &mut Ctx<'_>, m: &ModelFile) -> Result<()> {
    for t in &m.tasks {
        cx.track("tasks", &t.id, TASK_JSON, |tx| {
            tx.execute(
                "INSERT INTO tasks (id, title, owner, status, due, estimate_days, finding_id, control_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT(id) DO UPDATE SET title = ?2, owner = ?3, status = ?4, due = ?5,
                   estimate_days = ?6, finding_id = ?7, control_id = ?8",
                params![
                    t.id,
                    t.title,
                    t.owner.clone().unwrap_or_default(),
                    t.status.unwrap_or(crate::domain::TaskStatus::Todo).as_str(),
                    d(t.due),
                    t.estimate_days,
                    t.finding,
                    t.control
                ],
            )?;
            tx.execute("DELETE FROM task_deps WHERE task_id = ?1", [&t.id])?;
            for dep in &t.depends_on {
                tx.execute(
                    "INSERT OR IGNORE INTO task_deps (task_id, depends_on) VALUES (?1, ?2)",
                    params![t.id, dep],
                )?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

const AUDIT_JSON: &str = "SELECT json_object('id', id, 'framework', framework, 'kind', kind,
  'status', status, 'point_in_time', point_in_time, 'window_start', window_start,
  'window_end', window_end, 'fieldwork_start', fieldwork_start, 'fieldwork_end', fieldwork_end,
  'report_date', report_date, 'auditor', auditor) FROM audits WHERE id = ?1";

pub(super) fn audits(cx: &mut Ctx<'_>, m: &ModelFile) -> Result<()> {
    for a in &m.audits {
        let id = a.id.clone().unwrap_or_else(|| {
            let first = a
                .window_start
                .or(a.point_in_time)
                .or(a.fieldwork_start)
                .or(a.report_date)
                .map(|x| x.to_string())
                .unwrap_or_default();
            format!("{}-{}-{first}", a.framework, a.kind)
        });
        cx.track("audits", &id, AUDIT_JSON, |tx| {
            tx.execute(
                "INSERT INTO audits (id, framework, kind, status, point_in_time, window_start,
                   window_end, fieldwork_start, fieldwork_end, report_date, auditor)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT(id) DO UPDATE SET framework = ?2, kind = ?3, status = ?4,
                   point_in_time = ?5, window_start = ?6, window_end = ?7, fieldwork_start = ?8,
                   fieldwork_end = ?9, report_date = ?10, auditor = ?11",
                params![
                    id,
                    a.framework,
                    a.kind.as_str(),
                    a.status.unwrap_or(AuditStatus::Planned).as_str(),
                    d(a.point_in_time),
                    d(a.window_start),
                    d(a.window_end),
                    d(a.fieldwork_start),
                    d(a.fieldwork_end),
                    d(a.report_date),
                    a.auditor.clone().unwrap_or_default()
                ],
            )?;
            Ok(())
        })?;
    }
    Ok(())
}

const VENDOR_JSON: &str =
    "SELECT json_object('id', id, 'name', name, 'service', service, 'kind', kind,
  'criticality', criticality, 'data', json(data), 'region', region,
  'subprocessors', json(subprocessors), 'owner', owner, 'controls', json(controls),
  'agreements', (SELECT json_group_array(json_object('kind', kind, 'signed', signed,
     'issued', issued, 'period_start', period_start, 'period_end', period_end,
     'expires', expires, 'file_digest', file_digest))
     FROM (SELECT * FROM agreements a WHERE a.vendor_id = v.id ORDER BY id) sub))
  FROM vendors v WHERE id = ?1";

pub(super) fn vendors(cx: &mut Ctx<'_>, m: &ModelFile) -> Result<()> {
    for v in &m.vendors {
        cx.track("vendors", &v.id, VENDOR_JSON, |tx| {
            let data: Vec<&str> = v.data.iter().map(|x| x.as_str()).collect();
            tx.execute(
                "INSERT INTO vendors (id, name, service, kind, criticality, data, region,
                   subprocessors, owner, controls)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT(id) DO UPDATE SET name = ?2, service = ?3, kind = ?4,
                   criticality = ?5, data = ?6, region = ?7, subprocessors = ?8, owner = ?9,
                   controls = ?10",
                params![
                    v.id,
                    v.name,
                    v.service.clone().unwrap_or_default(),
                    v.kind.as_str(),
                    v.criticality.map(|c| c.as_str()),
                    serde_json::to_string(&data)?,
                    v.region.clone().unwrap_or_default(),
                    serde_json::to_string(&v.subprocessors)?,
                    v.owner.clone().unwrap_or_default(),
                    serde_json::to_string(&v.controls)?
                ],
            )?;
            let Some(agreements) = &v.agreements else {
                return Ok(());
            };
            tx.execute("DELETE FROM agreements WHERE vendor_id = ?1", [&v.id])?;
            for a in agreements {
                insert_agreement(tx, &v.id, a)?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

fn insert_agreement(
    tx: &crate::store::db::Transaction<'_>,
    vendor: &str,
    a: &crate::domain::model_file::AgreementRow,
) -> Result<()> {
    tx.execute(
        "INSERT INTO agreements (vendor_id, kind, signed, issued, period_start, period_end, expires, file_digest)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![vendor, a.kind.as_str(), d(a.signed), d(a.issued), d(a.period_start), d(a.period_end), d(a.expires), a.file_digest],
    )?;
    Ok(())
}

/// Agreements given apart from their vendor: added unless the same one is recorded.
pub(super) fn agreements(cx: &mut Ctx<'_>, m: &ModelFile) -> Result<()> {
    for row in &m.agreements {
        let a = row.agreement();
        let vendor = row.vendor.clone();
        cx.track("vendors", &vendor, VENDOR_JSON, |tx| {
            let exists: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM agreements WHERE vendor_id = ?1 AND kind = ?2
                   AND signed IS ?3 AND issued IS ?4 AND period_start IS ?5 AND period_end IS ?6
                   AND expires IS ?7)",
                params![
                    vendor,
                    a.kind.as_str(),
                    d(a.signed),
                    d(a.issued),
                    d(a.period_start),
                    d(a.period_end),
                    d(a.expires)
                ],
                |r| r.get(0),
            )?;
            if !exists {
                insert_agreement(tx, &vendor, &a)?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// The control an agreement kind evidences.
fn agreement_control(kind: crate::domain::AgreementKind) -> &'static str {
    use crate::domain::AgreementKind as K;
    match kind {
        K::Baa => "GW-VEN-02",
        K::ZeroRetention | K::NoTraining => "GW-VEN-03",
        _ => "GW-VEN-01",
    }
}

/// Every agreement is evidence for the vendor control its kind serves (when the workspace has
/// it), valid until the agreement ends; natural keys keep this idempotent.
pub(super) fn agreement_evidence(cx: &mut Ctx<'_>, m: &ModelFile) -> Result<()> {
    use crate::domain::{Agreement, AgreementKind, EvidenceResult, EvidenceSource};
    if m.vendors.is_empty() && m.agreements.is_empty() {
        return Ok(());
    }
    let rows: Vec<(String, String, Agreement)> = {
        let mut stmt = cx.tx.prepare(
            "SELECT a.vendor_id, v.name, a.kind, a.signed, a.issued, a.period_start, a.period_end, a.expires
             FROM agreements a JOIN vendors v ON v.id = a.vendor_id ORDER BY a.id",
        )?;
        let date = |s: Option<String>| s.and_then(|x| x.parse().ok());
        stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                Agreement {
                    kind: r
                        .get::<_, String>(2)?
                        .parse::<AgreementKind>()
                        .unwrap_or(AgreementKind::Dpa),
                    signed: date(r.get(3)?),
                    issued: date(r.get(4)?),
                    period_start: date(r.get(5)?),
                    period_end: date(r.get(6)?),
                    expires: date(r.get(7)?),
                },
            ))
        })?
        .collect::<crate::store::db::Result<_>>()?
    };
    let mut w = super::EvidenceWriter::start(cx.tx)?;
    let mut added = 0;
    for (vendor, name, a) in rows {
        let control = agreement_control(a.kind);
        let exists: bool = cx.tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM controls WHERE id = ?1)",
            [control],
            |r| r.get(0),
        )?;
        let Some(effective) = a.start().or(a.period_end) else {
            continue;
        };
        if !exists {
            continue;
        }
        let expires = a.end();
        let item = super::NewEvidence {
            natural_key: format!(
                "agreement:{vendor}:{}:{effective}:{}",
                a.kind,
                expires.map(|x| x.to_string()).unwrap_or_default()
            ),
            control: control.into(),
            title: format!("{} with {name}", a.kind.as_str().replace('_', " ")),
            source: EvidenceSource::Manual,
            result: EvidenceResult::Pass,
            effective,
            collected: cx.now.clone(),
            expires,
            summary: format!("vendor agreement on record for {vendor}"),
            content: None,
            file: None,
        };
        added += usize::from(w.append(cx.tx, &item)?);
    }
    if added > 0 {
        let after = format!(
            "{{\"appended\":{added},\"chain_head\":\"{}\",\"from\":\"vendor agreements\"}}",
            w.head()
        );
        cx.log.record(
            cx.tx,
            "append",
            "evidence",
            "agreements",
            None,
            Some(&after),
        )?;
        cx.report.counts.entry("evidence").or_default().added += added;
    }
    Ok(())
}
