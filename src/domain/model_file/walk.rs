//! Every user-given ID and every date of a model file, with the field path it sits at, so the
//! importer can trim, check and compare them in one place whatever list they come from.
//!
//! Invariant: a new ID or date field in the model must be added here, or it escapes the ID
//! rules (`domain::id_problem`) and the date range check.

use super::ModelFile;
use crate::domain::Date;

/// What an ID names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdKind {
    /// A control.
    Control,
    /// An evidence item (its optional stable id).
    Evidence,
    /// A risk.
    Risk,
    /// A finding.
    Finding,
    /// A remediation task.
    Task,
    /// An audit.
    Audit,
    /// A vendor.
    Vendor,
    /// A framework requirement (`CC6.1`, `soc2:CC6.1`): catalog IDs, checked against the
    /// catalogs rather than by the user-ID rule.
    Requirement,
}

impl IdKind {
    /// The word used in messages.
    pub fn noun(self) -> &'static str {
        match self {
            Self::Control => "control",
            Self::Evidence => "evidence",
            Self::Risk => "risk",
            Self::Finding => "finding",
            Self::Task => "task",
            Self::Audit => "audit",
            Self::Vendor => "vendor",
            Self::Requirement => "requirement",
        }
    }
}

/// Where one ID sits.
#[derive(Debug, Clone)]
pub struct IdSite {
    /// Field path (`tasks[3].depends_on[0]`).
    pub path: String,
    /// What it names.
    pub kind: IdKind,
    /// Whether this is the row's own ID (a definition) rather than a reference.
    pub defines: bool,
}

type Visit<'a, E> = &'a mut dyn FnMut(IdSite, &mut String) -> Result<(), E>;

fn one<E>(
    f: Visit<'_, E>,
    path: String,
    kind: IdKind,
    defines: bool,
    id: &mut String,
) -> Result<(), E> {
    f(
        IdSite {
            path,
            kind,
            defines,
        },
        id,
    )
}

fn each<E>(f: Visit<'_, E>, at: &str, kind: IdKind, ids: &mut [String]) -> Result<(), E> {
    for (j, id) in ids.iter_mut().enumerate() {
        one(f, format!("{at}[{j}]"), kind, false, id)?;
    }
    Ok(())
}

fn opt<E>(
    f: Visit<'_, E>,
    path: String,
    kind: IdKind,
    defines: bool,
    id: Option<&mut String>,
) -> Result<(), E> {
    match id {
        Some(id) => one(f, path, kind, defines, id),
        None => Ok(()),
    }
}

impl ModelFile {
    /// Calls `f` on every ID of the file, in file order within each list; stops at the first
    /// error. `f` may rewrite the ID (the importer trims it).
    pub fn visit_ids<E>(&mut self, f: Visit<'_, E>) -> Result<(), E> {
        use IdKind::{Audit, Control, Evidence, Finding, Requirement, Risk, Task, Vendor};
        for (i, c) in self.controls.iter_mut().enumerate() {
            one(f, format!("controls[{i}].id"), Control, true, &mut c.id)?;
            for (fw, entries) in c.maps.iter_mut().flatten() {
                for (j, e) in entries.iter_mut().enumerate() {
                    let at = format!("controls[{i}].maps.{fw}[{j}]");
                    one(f, format!("{at}.id"), Requirement, false, &mut e.id)?;
                    opt(f, format!("{at}.vendor"), Vendor, false, e.vendor.as_mut())?;
                }
            }
        }
        for (i, e) in self.evidence.iter_mut().enumerate() {
            opt(
                f,
                format!("evidence[{i}].id"),
                Evidence,
                true,
                e.id.as_mut(),
            )?;
            one(
                f,
                format!("evidence[{i}].control"),
                Control,
                false,
                &mut e.control,
            )?;
        }
        for (i, r) in self.risks.iter_mut().enumerate() {
            one(f, format!("risks[{i}].id"), Risk, true, &mut r.id)?;
            each(f, &format!("risks[{i}].controls"), Control, &mut r.controls)?;
        }
        for (i, x) in self.findings.iter_mut().enumerate() {
            one(f, format!("findings[{i}].id"), Finding, true, &mut x.id)?;
            opt(
                f,
                format!("findings[{i}].control"),
                Control,
                false,
                x.control.as_mut(),
            )?;
            opt(
                f,
                format!("findings[{i}].requirement"),
                Requirement,
                false,
                x.requirement.as_mut(),
            )?;
        }
        for (i, t) in self.tasks.iter_mut().enumerate() {
            one(f, format!("tasks[{i}].id"), Task, true, &mut t.id)?;
            opt(
                f,
                format!("tasks[{i}].finding"),
                Finding,
                false,
                t.finding.as_mut(),
            )?;
            opt(
                f,
                format!("tasks[{i}].control"),
                Control,
                false,
                t.control.as_mut(),
            )?;
            each(
                f,
                &format!("tasks[{i}].depends_on"),
                Task,
                &mut t.depends_on,
            )?;
        }
        for (i, a) in self.audits.iter_mut().enumerate() {
            opt(f, format!("audits[{i}].id"), Audit, true, a.id.as_mut())?;
        }
        for (i, v) in self.vendors.iter_mut().enumerate() {
            one(f, format!("vendors[{i}].id"), Vendor, true, &mut v.id)?;
            each(
                f,
                &format!("vendors[{i}].controls"),
                Control,
                &mut v.controls,
            )?;
        }
        for (i, a) in self.agreements.iter_mut().enumerate() {
            one(
                f,
                format!("agreements[{i}].vendor"),
                Vendor,
                false,
                &mut a.vendor,
            )?;
        }
        for (i, m) in self.mappings.iter_mut().enumerate() {
            one(
                f,
                format!("mappings[{i}].control"),
                Control,
                false,
                &mut m.control,
            )?;
            one(
                f,
                format!("mappings[{i}].requirement"),
                Requirement,
                false,
                &mut m.requirement,
            )?;
            opt(
                f,
                format!("mappings[{i}].vendor"),
                Vendor,
                false,
                m.vendor.as_mut(),
            )?;
        }
        Ok(())
    }

    /// Every date of the file with its field path.
    pub fn dates(&self) -> Vec<(String, Date)> {
        let mut out = Vec::new();
        let mut put = |path: String, d: Option<Date>| {
            if let Some(d) = d {
                out.push((path, d));
            }
        };
        for (i, e) in self.evidence.iter().enumerate() {
            put(format!("evidence[{i}].effective"), Some(e.effective));
            put(format!("evidence[{i}].expires"), e.expires);
        }
        for (i, x) in self.findings.iter().enumerate() {
            put(format!("findings[{i}].opened"), x.opened);
            put(format!("findings[{i}].due"), x.due);
            put(format!("findings[{i}].closed"), x.closed);
        }
        for (i, t) in self.tasks.iter().enumerate() {
            put(format!("tasks[{i}].due"), t.due);
        }
        for (i, a) in self.audits.iter().enumerate() {
            let p = format!("audits[{i}]");
            put(format!("{p}.point_in_time"), a.point_in_time);
            put(format!("{p}.window_start"), a.window_start);
            put(format!("{p}.window_end"), a.window_end);
            put(format!("{p}.fieldwork_start"), a.fieldwork_start);
            put(format!("{p}.fieldwork_end"), a.fieldwork_end);
            put(format!("{p}.report_date"), a.report_date);
        }
        let agreement_dates = |a: &super::AgreementRow| {
            [
                ("signed", a.signed),
                ("issued", a.issued),
                ("period_start", a.period_start),
                ("period_end", a.period_end),
                ("expires", a.expires),
            ]
        };
        for (i, v) in self.vendors.iter().enumerate() {
            for (j, a) in v.agreements.iter().flatten().enumerate() {
                for (name, d) in agreement_dates(a) {
                    put(format!("vendors[{i}].agreements[{j}].{name}"), d);
                }
            }
        }
        for (i, a) in self.agreements.iter().enumerate() {
            for (name, d) in agreement_dates(&a.agreement()) {
                put(format!("agreements[{i}].{name}"), d);
            }
        }
        out
    }
}
