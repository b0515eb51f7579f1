//! Reading the model back: the snapshot the analysis scores, and the set of known ids that
//! import validation checks references against.

use super::Store;
use crate::domain::{
    Agreement, Audit, Control, Date, Finding, Framework, FrameworkScope, Group, Mapping,
    Requirement, Risk, Snapshot, Task, Vendor,
};
use crate::store::db::Row;
use anyhow::Result;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::str::FromStr;

mod evidence;

pub use evidence::{EvidenceRecord, Note};
use evidence::{Facts, load_evidence_facts};

pub use crate::domain::Known;

/// Converts a stored enum string, failing the row read if it is not a known value.
pub(crate) fn en<T: FromStr>(s: &str) -> crate::store::db::Result<T>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    T::from_str(s).map_err(|e| crate::store::db::DbError::Conversion(format!("{s:?}: {e}")))
}

/// Converts a stored optional date.
pub(crate) fn date(v: Option<String>) -> crate::store::db::Result<Option<Date>> {
    v.map(|s| {
        Date::from_str(&s).map_err(|e| crate::store::db::DbError::Conversion(format!("{s:?}: {e}")))
    })
    .transpose()
}

fn json_list<T: serde::de::DeserializeOwned>(s: &str) -> Vec<T> {
    serde_json::from_str(s).unwrap_or_default()
}

impl Store {
    /// Ids already in the workspace.
    pub fn known(&self) -> Result<Known> {
        let mut k = Known::default();
        let mut stmt = self
            .conn
            .prepare("SELECT framework, ref_id FROM requirements")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            k.requirements
                .entry(r.get(0)?)
                .or_default()
                .insert(r.get(1)?);
        }
        let strings = |sql: &str| -> Result<HashSet<String>> {
            let mut stmt = self.conn.prepare(sql)?;
            let v = stmt
                .query_map([], |r| r.get(0))?
                .collect::<crate::store::db::Result<_>>()?;
            Ok(v)
        };
        k.soc2_categories = strings("SELECT id FROM framework_groups WHERE framework = 'soc2'")?;
        k.controls = strings("SELECT id FROM controls")?;
        k.findings = strings("SELECT id FROM findings")?;
        k.vendors = strings("SELECT id FROM vendors")?;
        for t in strings("SELECT id FROM tasks")? {
            k.task_deps.entry(t).or_default();
        }
        let mut stmt = self
            .conn
            .prepare("SELECT task_id, depends_on FROM task_deps")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            k.task_deps.entry(r.get(0)?).or_default().push(r.get(1)?);
        }
        Ok(k)
    }

    /// Loads everything the analysis needs. Evidence facts (the bulk) are read on a second,
    /// read-only connection in parallel with the rest.
    pub fn snapshot(&self) -> Result<Snapshot> {
        let opener = self.reader_opener();
        std::thread::scope(|scope| {
            let facts = scope.spawn(move || -> Result<Facts> {
                let conn = opener.open()?;
                load_evidence_facts(&conn)
            });
            let mut s = self.snapshot_records()?;
            let (evidence, rows) = facts
                .join()
                .map_err(|_| anyhow::anyhow!("evidence loader panicked"))??;
            s.evidence = evidence;
            s.evidence_rows = rows;
            Ok(s)
        })
    }

    fn snapshot_records(&self) -> Result<Snapshot> {
        let mut s = Snapshot {
            organization: self.meta("organization")?.unwrap_or_default(),
            frameworks: self.frameworks()?,
            ..Snapshot::default()
        };
        let mut stmt = self
            .conn
            .prepare("SELECT framework, categories, role FROM scope")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let fw: String = r.get(0)?;
            let cats: String = r.get(1)?;
            s.scope.insert(
                fw.into(),
                FrameworkScope {
                    categories: json_list(&cats),
                    role: r.get(2)?,
                    exclude: BTreeMap::new(),
                },
            );
        }
        let mut stmt = self
            .conn
            .prepare("SELECT framework, ref_id, justification FROM scope_exclusions")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let fw: String = r.get(0)?;
            if let Some(sc) = s.scope.get_mut(&crate::domain::FrameworkKey(fw)) {
                sc.exclude.insert(r.get::<_, String>(1)?.into(), r.get(2)?);
            }
        }
        s.controls = self.query_all(
            "SELECT id, title, description, domain, owner, status, cadence, evidence_expected, note
             FROM controls ORDER BY id",
            |r| {
                Ok(Control {
                    id: r.get::<_, String>(0)?.into(),
                    title: r.get(1)?,
                    description: r.get(2)?,
                    domain: r.get(3)?,
                    owner: r.get(4)?,
                    status: en(&r.get::<_, String>(5)?)?,
                    cadence: en(&r.get::<_, String>(6)?)?,
                    evidence_expected: json_list(&r.get::<_, String>(7)?),
                    note: r.get(8)?,
                })
            },
        )?;
        let mappings: Vec<Mapping> = self.query_all(
            "SELECT control_id, framework, ref_id, relationship, rationale, carve_out, source,
               overrides FROM mappings ORDER BY control_id, framework, ref_id",
            |r| {
                Ok(Mapping {
                    control: r.get::<_, String>(0)?.into(),
                    framework: r.get::<_, String>(1)?.into(),
                    requirement: r.get::<_, String>(2)?.into(),
                    relationship: en(&r.get::<_, String>(3)?)?,
                    rationale: r.get(4)?,
                    carve_out: r
                        .get::<_, Option<String>>(5)?
                        .and_then(|c| crate::domain::CarveOut::from_stored(&c)),
                    source: r.get(6)?,
                    overrides: r.get(7)?,
                })
            },
        )?;
        let (removed, kept): (Vec<Mapping>, Vec<Mapping>) = mappings
            .into_iter()
            .partition(|m| m.overrides.as_deref() == Some("removed"));
        s.mappings = kept;
        s.removed_mappings = removed;
        s.risks = self.risks()?;
        s.findings = self.findings()?;
        s.tasks = self.tasks()?;
        s.audits = self.audits()?;
        s.vendors = self.vendors()?;
        s.exercises = self.query_all(
            "SELECT effective, title FROM evidence WHERE source = 'tabletop' ORDER BY effective",
            |r| Ok((date(Some(r.get(0)?))?.unwrap_or_default(), r.get(1)?)),
        )?;
        Ok(s)
    }

    pub(crate) fn query_all<T>(
        &self,
        sql: &str,
        f: impl FnMut(&Row<'_>) -> crate::store::db::Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare(sql)?;
        let v = stmt
            .query_map([], f)?
            .collect::<crate::store::db::Result<Vec<T>>>()?;
        Ok(v)
    }

    fn frameworks(&self) -> Result<Vec<Framework>> {
        let mut fws = self.query_all(
            "SELECT key, name, version, source, notes FROM frameworks ORDER BY ord",
            |r| {
                Ok(Framework {
                    key: r.get::<_, String>(0)?.into(),
                    name: r.get(1)?,
                    version: r.get(2)?,
                    source: r.get(3)?,
                    notes: json_list(&r.get::<_, String>(4)?),
                    groups: Vec::new(),
                    requirements: Vec::new(),
                })
            },
        )?;
        for fw in &mut fws {
            let mut stmt = self.conn.prepare_cached(
                "SELECT id, title FROM framework_groups WHERE framework = ?1 ORDER BY ord",
            )?;
            fw.groups = stmt
                .query_map([fw.key.as_str()], |r| {
                    Ok(Group {
                        id: r.get(0)?,
                        title: r.get(1)?,
                    })
                })?
                .collect::<crate::store::db::Result<_>>()?;
            let mut stmt = self.conn.prepare_cached(
                "SELECT ref_id, title, description, group_id, parent, assessable, hipaa, note, left_to_org,
                   usually_na
                 FROM requirements WHERE framework = ?1 ORDER BY ord",
            )?;
            fw.requirements = stmt
                .query_map([fw.key.as_str()], |r| {
                    Ok(Requirement {
                        ref_id: r.get::<_, String>(0)?.into(),
                        title: r.get(1)?,
                        description: r.get(2)?,
                        group: r.get(3)?,
                        parent: r.get::<_, Option<String>>(4)?.map(Into::into),
                        assessable: r.get(5)?,
                        hipaa: r.get::<_, Option<String>>(6)?.map(|h| en(&h)).transpose()?,
                        note: r.get(7)?,
                        left_to_org: r.get(8)?,
                        usually_na: r.get(9)?,
                    })
                })?
                .collect::<crate::store::db::Result<_>>()?;
        }
        Ok(fws)
    }
}

impl Store {
    fn risks(&self) -> Result<Vec<Risk>> {
        let mut links: HashMap<String, Vec<String>> = HashMap::new();
        for (r, c) in self.query_all(
            "SELECT risk_id, control_id FROM risk_controls ORDER BY control_id",
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )? {
            links.entry(r).or_default().push(c);
        }
        self.query_all(
            "SELECT id, title, category, likelihood, impact, residual_likelihood, residual_impact,
               treatment, owner, description FROM risks ORDER BY id",
            |r| {
                let id: String = r.get(0)?;
                Ok(Risk {
                    controls: links
                        .get(&id)
                        .into_iter()
                        .flatten()
                        .map(|c| c.as_str().into())
                        .collect(),
                    id: id.into(),
                    title: r.get(1)?,
                    category: en(&r.get::<_, String>(2)?)?,
                    likelihood: r.get(3)?,
                    impact: r.get(4)?,
                    residual_likelihood: r.get(5)?,
                    residual_impact: r.get(6)?,
                    treatment: en(&r.get::<_, String>(7)?)?,
                    owner: r.get(8)?,
                    description: r.get(9)?,
                })
            },
        )
    }

    fn findings(&self) -> Result<Vec<Finding>> {
        self.query_all(
            "SELECT id, title, source, severity, status, control_id, requirement, opened, due, closed,
               description
             FROM findings ORDER BY id",
            |r| {
                Ok(Finding {
                    id: r.get::<_, String>(0)?.into(),
                    title: r.get(1)?,
                    source: en(&r.get::<_, String>(2)?)?,
                    severity: en(&r.get::<_, String>(3)?)?,
                    status: en(&r.get::<_, String>(4)?)?,
                    control: r.get::<_, Option<String>>(5)?.map(Into::into),
                    requirement: r.get(6)?,
                    opened: date(r.get(7)?)?,
                    due: date(r.get(8)?)?,
                    closed: date(r.get(9)?)?,
                    description: r.get(10)?,
                })
            },
        )
    }

    fn tasks(&self) -> Result<Vec<Task>> {
        let mut deps: HashMap<String, Vec<String>> = HashMap::new();
        for (t, d) in self.query_all(
            "SELECT task_id, depends_on FROM task_deps ORDER BY depends_on",
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )? {
            deps.entry(t).or_default().push(d);
        }
        self.query_all(
            "SELECT id, title, owner, status, due, estimate_days, finding_id, control_id
             FROM tasks ORDER BY id",
            |r| {
                let id: String = r.get(0)?;
                Ok(Task {
                    depends_on: deps
                        .get(&id)
                        .into_iter()
                        .flatten()
                        .map(|d| d.as_str().into())
                        .collect(),
                    id: id.into(),
                    title: r.get(1)?,
                    owner: r.get(2)?,
                    status: en(&r.get::<_, String>(3)?)?,
                    due: date(r.get(4)?)?,
                    estimate_days: r.get(5)?,
                    finding: r.get::<_, Option<String>>(6)?.map(Into::into),
                    control: r.get::<_, Option<String>>(7)?.map(Into::into),
                })
            },
        )
    }

    /// Every audit plan.
    pub fn audits(&self) -> Result<Vec<Audit>> {
        self.query_all(
            "SELECT id, framework, kind, status, point_in_time, window_start, window_end,
               fieldwork_start, fieldwork_end, report_date, auditor FROM audits ORDER BY id",
            |r| {
                Ok(Audit {
                    id: r.get::<_, String>(0)?.into(),
                    framework: r.get::<_, String>(1)?.into(),
                    kind: en(&r.get::<_, String>(2)?)?,
                    status: en(&r.get::<_, String>(3)?)?,
                    point_in_time: date(r.get(4)?)?,
                    window_start: date(r.get(5)?)?,
                    window_end: date(r.get(6)?)?,
                    fieldwork_start: date(r.get(7)?)?,
                    fieldwork_end: date(r.get(8)?)?,
                    report_date: date(r.get(9)?)?,
                    auditor: r.get(10)?,
                })
            },
        )
    }

    fn vendors(&self) -> Result<Vec<Vendor>> {
        let mut agreements: HashMap<String, Vec<Agreement>> = HashMap::new();
        for (v, a) in self.query_all(
            "SELECT vendor_id, kind, signed, issued, period_start, period_end, expires
             FROM agreements ORDER BY id",
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    Agreement {
                        kind: en(&r.get::<_, String>(1)?)?,
                        signed: date(r.get(2)?)?,
                        issued: date(r.get(3)?)?,
                        period_start: date(r.get(4)?)?,
                        period_end: date(r.get(5)?)?,
                        expires: date(r.get(6)?)?,
                    },
                ))
            },
        )? {
            agreements.entry(v).or_default().push(a);
        }
        self.query_all(
            "SELECT id, name, service, kind, criticality, data, region, subprocessors, owner, controls
             FROM vendors ORDER BY id",
            |r| {
                let id: String = r.get(0)?;
                let data: Vec<String> = json_list(&r.get::<_, String>(5)?);
                Ok(Vendor {
                    agreements: agreements.remove(&id).unwrap_or_default(),
                    id: id.into(),
                    name: r.get(1)?,
                    service: r.get(2)?,
                    kind: en(&r.get::<_, String>(3)?)?,
                    criticality: r.get::<_, Option<String>>(4)?.map(|c| en(&c)).transpose()?,
                    data: data.iter().map(|d| en(d)).collect::<crate::store::db::Result<_>>()?,
                    region: r.get(6)?,
                    subprocessors: json_list(&r.get::<_, String>(7)?),
                    owner: r.get(8)?,
                    controls: json_list::<String>(&r.get::<_, String>(9)?).into_iter().map(Into::into).collect(),
                })
            },
        )
    }
}
