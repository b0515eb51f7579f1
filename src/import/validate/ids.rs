//! The ID and date rules every imported file meets, whatever its format, and the
//! case-insensitive uniqueness of IDs across a file, an import and the workspace.
//!
//! - Surrounding whitespace of an ID is trimmed (a spreadsheet cell `" T-1 "` means `T-1`);
//!   what remains must pass `domain::id_problem`.
//! - Dates lie in [`YEARS`].
//! - Two IDs of one kind that differ only by case are the same ID: within a file they are a
//!   duplicate; against the workspace (or an earlier file of the same import) a definition
//!   spelled differently from the ID already there is refused, while the same spelling is an
//!   update, so re-importing a file keeps working.

use super::super::{InputError, Parsed};
use crate::domain::model_file::{IdKind, ModelFile};
use crate::domain::{id_key, id_problem};
use chrono::Datelike;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::ops::RangeInclusive;

/// The years a date may fall in.
pub const YEARS: RangeInclusive<i32> = 1900..=2200;

/// Trims every ID of `parsed` and refuses the first ID or date that breaks the rules.
pub fn normalize(parsed: &mut Parsed) -> Result<(), InputError> {
    let (file, lines) = (&parsed.file, &parsed.lines);
    let err = |path: &str, message: String| {
        InputError::new(file, lines(path), Some(path.to_owned()), message)
    };
    parsed.model.visit_ids(&mut |site, id| {
        let trimmed = id.trim();
        if trimmed.len() != id.len() {
            *id = trimmed.to_owned();
        }
        if site.kind == IdKind::Requirement {
            return Ok(());
        }
        match id_problem(id) {
            Some(problem) => Err(err(&site.path, problem)),
            None => Ok(()),
        }
    })?;
    for (path, d) in parsed.model.dates() {
        if !YEARS.contains(&d.year()) {
            return Err(err(
                &path,
                format!(
                    "date {d} is out of range (expected a year from {} to {})",
                    YEARS.start(),
                    YEARS.end()
                ),
            ));
        }
    }
    Ok(())
}

/// The IDs of one list, remembered by their case-insensitive key.
#[derive(Default)]
pub struct Seen(HashMap<String, String>);

impl Seen {
    /// Remembers `id`; returns a message when an ID with the same key came before.
    pub fn duplicate(&mut self, noun: &str, id: &str) -> Option<String> {
        match self.0.entry(id_key(id)) {
            Entry::Vacant(v) => {
                v.insert(id.to_owned());
                None
            }
            Entry::Occupied(o) if o.get() == id => Some(format!("duplicate {noun} id `{id}`")),
            Entry::Occupied(o) => Some(format!(
                "duplicate {noun} id `{id}`: it differs only by case from `{}` given earlier",
                o.get()
            )),
        }
    }
}

/// How each ID already in use is spelled, by kind and case-insensitive key.
#[derive(Default)]
pub struct Spellings(HashMap<(IdKind, String), String>);

impl Spellings {
    /// Starts from the IDs the workspace holds.
    pub fn new(existing: impl IntoIterator<Item = (IdKind, String)>) -> Self {
        let mut s = Self::default();
        for (kind, id) in existing {
            s.0.entry((kind, id_key(&id))).or_insert(id);
        }
        s
    }

    /// Refuses a definition in `parsed` whose ID is spelled differently (by case only) from an
    /// ID already in use; then records the file's IDs for the files that follow.
    pub fn check_and_absorb(&mut self, parsed: &Parsed) -> Result<(), InputError> {
        let defined = definitions(&parsed.model);
        for (path, kind, id) in &defined {
            if let Some(known) = self.0.get(&(*kind, id_key(id)))
                && known != id
            {
                return Err(InputError::new(
                    &parsed.file,
                    (parsed.lines)(path),
                    Some(path.clone()),
                    format!(
                        "{} id `{id}` differs only by case from `{known}`, which is already in use (ids are compared ignoring case; use `{known}`)",
                        kind.noun()
                    ),
                ));
            }
        }
        for (_, kind, id) in defined {
            self.0
                .entry((kind, id_key(id)))
                .or_insert_with(|| id.to_owned());
        }
        Ok(())
    }
}

/// The IDs a file defines (each row's own ID), with their paths.
fn definitions(m: &ModelFile) -> Vec<(String, IdKind, &str)> {
    fn list<'a>(
        out: &mut Vec<(String, IdKind, &'a str)>,
        name: &str,
        kind: IdKind,
        ids: impl Iterator<Item = Option<&'a str>>,
    ) {
        for (i, id) in ids.enumerate() {
            if let Some(id) = id {
                out.push((format!("{name}[{i}].id"), kind, id));
            }
        }
    }
    let mut out = Vec::new();
    let o = &mut out;
    list(
        o,
        "controls",
        IdKind::Control,
        m.controls.iter().map(|c| Some(c.id.as_str())),
    );
    list(
        o,
        "evidence",
        IdKind::Evidence,
        m.evidence.iter().map(|e| e.id.as_deref()),
    );
    list(
        o,
        "risks",
        IdKind::Risk,
        m.risks.iter().map(|r| Some(r.id.as_str())),
    );
    list(
        o,
        "findings",
        IdKind::Finding,
        m.findings.iter().map(|f| Some(f.id.as_str())),
    );
    list(
        o,
        "tasks",
        IdKind::Task,
        m.tasks.iter().map(|t| Some(t.id.as_str())),
    );
    list(
        o,
        "audits",
        IdKind::Audit,
        m.audits.iter().map(|a| a.id.as_deref()),
    );
    list(
        o,
        "vendors",
        IdKind::Vendor,
        m.vendors.iter().map(|v| Some(v.id.as_str())),
    );
    out
}
