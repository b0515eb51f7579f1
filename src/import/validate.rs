//! Checks a parsed model file against itself and against what the workspace already holds.
//! Runs before any write: the first problem found is returned with its line and field.

use super::{InputError, Parsed};
use crate::domain::Known;
use std::collections::{HashMap, HashSet};

mod ids;
mod mappings;

pub use ids::{Seen, Spellings, YEARS, normalize};

impl Known {
    /// Adds the ids a validated file defines, so a later file of the same import may use them.
    pub fn absorb(&mut self, m: &super::ModelFile) {
        self.controls
            .extend(m.controls.iter().map(|c| c.id.clone()));
        self.findings
            .extend(m.findings.iter().map(|f| f.id.clone()));
        for t in &m.tasks {
            self.task_deps.insert(t.id.clone(), t.depends_on.clone());
        }
        self.vendors.extend(m.vendors.iter().map(|v| v.id.clone()));
    }
}

/// Returns the first problem in `parsed`, or `Ok` when the whole file can be applied.
pub fn validate(parsed: &Parsed, known: &Known) -> Result<(), InputError> {
    let v = V { parsed, known };
    v.run()
}

struct V<'a> {
    parsed: &'a Parsed,
    known: &'a Known,
}

impl V<'_> {
    fn err(&self, path: &str, message: impl Into<String>) -> InputError {
        InputError::new(
            &self.parsed.file,
            (self.parsed.lines)(path),
            Some(path.to_owned()),
            message,
        )
    }

    fn requirement_exists(&self, path: &str, fw: &str, id: &str) -> Result<(), InputError> {
        let Some(reqs) = self.known.requirements.get(fw) else {
            return Err(self.err(
                path,
                format!(
                    "unknown framework `{fw}` (expected one of: {})",
                    self.known.framework_list()
                ),
            ));
        };
        if reqs.contains(id) {
            Ok(())
        } else {
            // Another spelling of an id or label (`ac-2.1` for `AC-2(1)`) is named, not guessed.
            let hint = crate::domain::find_ref(reqs.iter().map(String::as_str), id)
                .map(|x| format!(" (did you mean `{x}`?)"))
                .unwrap_or_default();
            Err(self.err(
                path,
                format!("unknown requirement `{id}` in framework {fw}{hint}"),
            ))
        }
    }

    fn run(&self) -> Result<(), InputError> {
        let m = &self.parsed.model;
        let file_controls: HashSet<&str> = m.controls.iter().map(|c| c.id.as_str()).collect();
        let control_exists =
            |id: &str| file_controls.contains(id) || self.known.controls.contains(id);
        self.check_scope()?;
        let mut seen = Seen::default();
        for (i, c) in m.controls.iter().enumerate() {
            let p = format!("controls[{i}]");
            if c.id.trim().is_empty() {
                return Err(self.err(&format!("{p}.id"), "id must not be empty"));
            }
            if let Some(dup) = seen.duplicate("control", &c.id) {
                return Err(self.err(&format!("{p}.id"), dup));
            }
            if !self.known.controls.contains(&c.id) && c.title.is_none() {
                return Err(self.err(&p, format!("new control `{}` needs a title", c.id)));
            }
            for (fw, entries) in c.maps.iter().flatten() {
                for (j, e) in entries.iter().enumerate() {
                    let at = format!("{p}.maps.{fw}[{j}]");
                    self.requirement_exists(&at, fw, &e.id)?;
                    self.carve_out(&at, e.relationship, e.vendor.as_deref(), e.vendor_kind)?;
                    self.overrides_value(&at, e.overrides.as_deref())?;
                }
            }
        }
        self.mapping_overrides(&control_exists)?;
        let mut seen = Seen::default();
        for (i, e) in m.evidence.iter().enumerate() {
            if !control_exists(&e.control) {
                return Err(self.err(
                    &format!("evidence[{i}].control"),
                    format!("evidence for unknown control `{}`", e.control),
                ));
            }
            if e.expires.is_some_and(|x| x < e.effective) {
                return Err(self.err(
                    &format!("evidence[{i}].expires"),
                    "expires before it is effective",
                ));
            }
            if let Some(id) = &e.id
                && let Some(dup) = seen.duplicate("evidence", id)
            {
                return Err(self.err(&format!("evidence[{i}].id"), dup));
            }
        }
        let mut seen = Seen::default();
        for (i, r) in m.risks.iter().enumerate() {
            let p = format!("risks[{i}]");
            if let Some(dup) = seen.duplicate("risk", &r.id) {
                return Err(self.err(&format!("{p}.id"), dup));
            }
            let mut ratings = vec![("likelihood", r.likelihood), ("impact", r.impact)];
            if let Some(res) = r.residual {
                ratings.push(("residual.likelihood", res.likelihood));
                ratings.push(("residual.impact", res.impact));
            }
            for (f, v) in ratings {
                if !(1..=5).contains(&v) {
                    return Err(self.err(
                        &format!("{p}.{f}"),
                        format!("{v} is out of range (expected 1-5)"),
                    ));
                }
            }
            for (j, c) in r.controls.iter().enumerate() {
                if !control_exists(c) {
                    return Err(self.err(
                        &format!("{p}.controls[{j}]"),
                        format!("unknown control `{c}`"),
                    ));
                }
            }
        }
        let file_findings: HashSet<&str> = m.findings.iter().map(|f| f.id.as_str()).collect();
        let mut seen = Seen::default();
        for (i, f) in m.findings.iter().enumerate() {
            let p = format!("findings[{i}]");
            if let Some(dup) = seen.duplicate("finding", &f.id) {
                return Err(self.err(&format!("{p}.id"), dup));
            }
            if let Some(c) = &f.control
                && !control_exists(c)
            {
                return Err(self.err(&format!("{p}.control"), format!("unknown control `{c}`")));
            }
            if let Some(req) = &f.requirement {
                let Some((fw, id)) = req.split_once(':') else {
                    return Err(self.err(
                        &format!("{p}.requirement"),
                        "expected `framework:requirement`, e.g. soc2:CC6.1",
                    ));
                };
                self.requirement_exists(&format!("{p}.requirement"), fw, id)?;
            }
            if let (Some(o), Some(d)) = (f.opened, f.due)
                && d < o
            {
                return Err(self.err(&format!("{p}.due"), "due date is before the opened date"));
            }
            if let (Some(o), Some(c)) = (f.opened, f.closed)
                && c < o
            {
                return Err(self.err(&format!("{p}.closed"), "closed before it was opened"));
            }
        }
        self.check_tasks(&control_exists, &file_findings)?;
        self.check_audits_and_vendors(&control_exists)
    }

    fn check_scope(&self) -> Result<(), InputError> {
        let Some(scope) = &self.parsed.model.scope else {
            return Ok(());
        };
        for (fw, entry) in scope {
            let p = format!("scope.{fw}");
            if !self.known.requirements.contains_key(fw) {
                return Err(self.err(
                    &p,
                    format!(
                        "unknown framework `{fw}` (expected one of: {})",
                        self.known.framework_list()
                    ),
                ));
            }
            for (j, cat) in entry.categories.iter().enumerate() {
                if !self.known.soc2_categories.contains(cat) {
                    return Err(self.err(
                        &format!("{p}.categories[{j}]"),
                        format!("unknown SOC 2 category `{cat}`"),
                    ));
                }
            }
            for id in entry.exclude.keys() {
                self.requirement_exists(&format!("{p}.exclude.{id}"), fw, id)?;
            }
        }
        Ok(())
    }

    fn check_tasks(
        &self,
        control_exists: &dyn Fn(&str) -> bool,
        file_findings: &HashSet<&str>,
    ) -> Result<(), InputError> {
        let tasks = &self.parsed.model.tasks;
        let mut deps: HashMap<&str, Vec<&str>> = self
            .known
            .task_deps
            .iter()
            .map(|(k, v)| (k.as_str(), v.iter().map(String::as_str).collect()))
            .collect();
        let mut seen = Seen::default();
        for (i, t) in tasks.iter().enumerate() {
            let p = format!("tasks[{i}]");
            if let Some(dup) = seen.duplicate("task", &t.id) {
                return Err(self.err(&format!("{p}.id"), dup));
            }
            if let Some(f) = &t.finding
                && !file_findings.contains(f.as_str())
                && !self.known.findings.contains(f)
            {
                return Err(self.err(&format!("{p}.finding"), format!("unknown finding `{f}`")));
            }
            if let Some(c) = &t.control
                && !control_exists(c)
            {
                return Err(self.err(&format!("{p}.control"), format!("unknown control `{c}`")));
            }
            deps.insert(&t.id, t.depends_on.iter().map(String::as_str).collect());
        }
        for (i, t) in tasks.iter().enumerate() {
            for (j, d) in t.depends_on.iter().enumerate() {
                if !deps.contains_key(d.as_str()) {
                    return Err(self.err(
                        &format!("tasks[{i}].depends_on[{j}]"),
                        format!("unknown task `{d}`"),
                    ));
                }
            }
            if reaches(&deps, &t.id, &t.id) {
                return Err(self.err(
                    &format!("tasks[{i}].depends_on"),
                    format!("task `{}` depends on itself through a cycle", t.id),
                ));
            }
        }
        Ok(())
    }

    fn check_audits_and_vendors(
        &self,
        control_exists: &dyn Fn(&str) -> bool,
    ) -> Result<(), InputError> {
        let m = &self.parsed.model;
        let mut seen_audits = Seen::default();
        for (i, a) in m.audits.iter().enumerate() {
            let p = format!("audits[{i}]");
            if let Some(id) = &a.id
                && let Some(dup) = seen_audits.duplicate("audit", id)
            {
                return Err(self.err(&format!("{p}.id"), dup));
            }
            if !self.known.requirements.contains_key(&a.framework) {
                return Err(self.err(
                    &format!("{p}.framework"),
                    format!("unknown framework `{}`", a.framework),
                ));
            }
            if let (Some(s), Some(e)) = (a.window_start, a.window_end)
                && e < s
            {
                return Err(self.err(&format!("{p}.window_end"), "window ends before it starts"));
            }
            if let (Some(s), Some(e)) = (a.fieldwork_start, a.fieldwork_end)
                && e < s
            {
                return Err(self.err(
                    &format!("{p}.fieldwork_end"),
                    "fieldwork ends before it starts",
                ));
            }
            if a.kind == crate::domain::AuditKind::Soc2Type2
                && (a.window_start.is_none() || a.window_end.is_none())
            {
                return Err(self.err(&p, "a soc2_type2 audit needs window_start and window_end"));
            }
        }
        let mut seen = HashSet::new();
        let mut dups = Seen::default();
        for (i, v) in m.vendors.iter().enumerate() {
            let p = format!("vendors[{i}]");
            if let Some(dup) = dups.duplicate("vendor", &v.id) {
                return Err(self.err(&format!("{p}.id"), dup));
            }
            seen.insert(v.id.as_str());
            for (j, c) in v.controls.iter().enumerate() {
                if !control_exists(c) {
                    return Err(self.err(
                        &format!("{p}.controls[{j}]"),
                        format!("unknown control `{c}`"),
                    ));
                }
            }
            if v.agreements.is_none()
                && !self.known.vendors.contains(&v.id)
                && v.name.trim().is_empty()
            {
                return Err(self.err(&format!("{p}.name"), "a new vendor needs a name"));
            }
            for (j, a) in v.agreements.iter().flatten().enumerate() {
                if let (Some(s), Some(e)) = (a.period_start, a.period_end)
                    && e < s
                {
                    return Err(self.err(
                        &format!("{p}.agreements[{j}].period_end"),
                        "period ends before it starts",
                    ));
                }
            }
        }
        for (i, a) in m.agreements.iter().enumerate() {
            let p = format!("agreements[{i}]");
            if !seen.contains(a.vendor.as_str()) && !self.known.vendors.contains(&a.vendor) {
                return Err(self.err(
                    &format!("{p}.vendor"),
                    format!("agreement for unknown vendor `{}`", a.vendor),
                ));
            }
            if let (Some(s), Some(e)) = (a.period_start, a.period_end)
                && e < s
            {
                return Err(self.err(&format!("{p}.period_end"), "period ends before it starts"));
            }
        }
        Ok(())
    }
}

/// Whether `target` is reachable from `from` by following at least one dependency edge.
fn reaches(deps: &HashMap<&str, Vec<&str>>, from: &str, target: &str) -> bool {
    let mut stack: Vec<&str> = deps.get(from).cloned().unwrap_or_default();
    let mut seen = HashSet::new();
    while let Some(n) = stack.pop() {
        if n == target {
            return true;
        }
        if seen.insert(n)
            && let Some(next) = deps.get(n)
        {
            stack.extend(next.iter().copied());
        }
    }
    false
}
