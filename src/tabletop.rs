//! Tabletop exercises: LLM incident scenarios (YAML), an exercise that is stepped by the
//! facilitator (or a script) and saved event by event, and what ending it produces: findings
//! from the gaps the room found, remediation tasks from its action items, an evidence item for
//! the incident-response testing control, and an after-action report.
//!
//! Invariants: scenarios are validated before use (every error names the file, line and
//! field); the exercise state is a pure function of its event log, so a crash loses nothing
//! and a run can be resumed by replaying the log.

pub mod exercise;
pub mod report;
pub mod script;

use crate::domain::Date;
use crate::domain::Known;
use crate::import::InputError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The shipped scenarios: (file name, YAML).
pub const LIBRARY: &[(&str, &str)] = &[
    (
        "prompt-injection-exfil.yaml",
        include_str!("../assets/scenarios/prompt-injection-exfil.yaml"),
    ),
    (
        "leaked-provider-key.yaml",
        include_str!("../assets/scenarios/leaked-provider-key.yaml"),
    ),
    (
        "gateway-outage.yaml",
        include_str!("../assets/scenarios/gateway-outage.yaml"),
    ),
    (
        "phi-in-logs.yaml",
        include_str!("../assets/scenarios/phi-in-logs.yaml"),
    ),
    (
        "provider-breach.yaml",
        include_str!("../assets/scenarios/provider-breach.yaml"),
    ),
    (
        "unreviewed-model-change.yaml",
        include_str!("../assets/scenarios/unreviewed-model-change.yaml"),
    ),
    (
        "pan-in-prompts.yaml",
        include_str!("../assets/scenarios/pan-in-prompts.yaml"),
    ),
];

/// A role in the room.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// The role.
    pub role: String,
    /// Who usually takes it.
    #[serde(default)]
    pub suggested: String,
}

/// A live signal an inject sends (for example to the simulated gateway).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Signal {
    /// Gateway mode: up, degraded, down, slow, flapping.
    pub gateway: String,
}

/// One inject.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inject {
    /// Minutes from the start.
    pub at: u32,
    /// Title.
    pub title: String,
    /// What the room is told.
    pub text: String,
    /// Questions for the room.
    #[serde(default)]
    pub questions: Vec<String>,
    /// What a good response does.
    #[serde(default)]
    pub expected_actions: Vec<String>,
    /// Optional live signal.
    #[serde(default)]
    pub signal: Option<Signal>,
}

/// A scenario.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Id (the file name without `.yaml`).
    pub id: String,
    /// Title.
    pub title: String,
    /// The scene.
    pub summary: String,
    /// Planned length.
    pub duration_minutes: u32,
    /// Objectives.
    pub objectives: Vec<String>,
    /// Roles.
    pub roles: Vec<Role>,
    /// Requirements exercised, per framework (a framework given twice is refused).
    #[serde(deserialize_with = "crate::import::model::unique_map")]
    pub requirements: BTreeMap<String, Vec<String>>,
    /// Injects in time order.
    pub injects: Vec<Inject>,
}

const GATEWAY_MODES: &[&str] = &["up", "degraded", "down", "slow", "flapping"];

/// Parses and validates a scenario; `known` (when given) checks the requirement ids.
pub fn parse(file: &str, text: &str, known: Option<&Known>) -> Result<Scenario, InputError> {
    let parsed_lines = std::sync::OnceLock::new();
    let line = |path: &str| {
        parsed_lines
            .get_or_init(|| crate::import::line_index(text))
            .line_of(path)
    };
    crate::import::refuse_deep(file, text)?;
    let de = serde_norway::Deserializer::from_str(text);
    let s: Scenario = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let mut err = InputError::from_yaml(file, e.inner()).at_offset_in(text);
        if path != "." && !path.is_empty() {
            err.line = line(&path).or(err.line);
            err.field = Some(path);
        }
        err
    })?;
    let bad =
        |path: &str, msg: String| InputError::new(file, line(path), Some(path.to_owned()), msg);
    if s.id.trim().is_empty() {
        return Err(bad("id", "a scenario needs a non-empty id".into()));
    }
    if s.injects.is_empty() {
        return Err(bad(
            "injects",
            "a scenario needs at least one inject".into(),
        ));
    }
    let mut prev: Option<u32> = None;
    for (i, inj) in s.injects.iter().enumerate() {
        if prev.is_some_and(|p| inj.at <= p) {
            return Err(bad(
                &format!("injects[{i}].at"),
                format!("{} is not after the previous inject", inj.at),
            ));
        }
        if inj.at >= s.duration_minutes {
            return Err(bad(
                &format!("injects[{i}].at"),
                format!(
                    "{} is not within the {} minutes",
                    inj.at, s.duration_minutes
                ),
            ));
        }
        if let Some(sig) = &inj.signal
            && !GATEWAY_MODES.contains(&sig.gateway.as_str())
        {
            return Err(bad(
                &format!("injects[{i}].signal.gateway"),
                format!(
                    "unknown gateway mode `{}` (expected one of: {})",
                    sig.gateway,
                    GATEWAY_MODES.join(", ")
                ),
            ));
        }
        prev = Some(inj.at);
    }
    if let Some(k) = known {
        for (fw, ids) in &s.requirements {
            let Some(reqs) = k.requirements.get(fw) else {
                return Err(bad(
                    &format!("requirements.{fw}"),
                    format!("unknown framework `{fw}`"),
                ));
            };
            for (j, id) in ids.iter().enumerate() {
                if !reqs.contains(id) {
                    return Err(bad(
                        &format!("requirements.{fw}[{j}]"),
                        format!("unknown requirement `{id}` in framework {fw}"),
                    ));
                }
            }
        }
    }
    Ok(s)
}

/// Every shipped scenario plus the workspace's own (`scenarios/*.yaml`), validated.
pub fn library(
    workspace_dir: Option<&std::path::Path>,
    known: Option<&Known>,
) -> Result<Vec<Scenario>, InputError> {
    let mut out = Vec::new();
    for (name, text) in LIBRARY {
        out.push(parse(&format!("assets/scenarios/{name}"), text, known)?);
    }
    if let Some(dir) = workspace_dir
        .map(|d| d.join("scenarios"))
        .filter(|d| d.is_dir())
    {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map_err(|e| InputError::new(&dir.display().to_string(), None, None, e.to_string()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .collect();
        files.sort();
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for p in files {
            let name = p.display().to_string();
            let text = std::fs::read_to_string(&p)
                .map_err(|e| InputError::new(&name, None, None, e.to_string()))?;
            let s = parse(&name, &text, known)?;
            if let Some(first) = seen.insert(s.id.clone(), name.clone()) {
                let line = crate::import::line_index(&text).line_of("id");
                return Err(InputError::new(
                    &name,
                    line,
                    Some("id".into()),
                    format!("scenario id `{}` is also the id of {first}", s.id),
                ));
            }
            out.retain(|x: &Scenario| x.id != s.id);
            out.push(s);
        }
    }
    Ok(out)
}

/// The id of an exercise started on `date` as the `n`th of that day.
pub fn exercise_id(date: Date, n: usize) -> String {
    format!("TT-{}-{n}", date.format("%Y%m%d"))
}

/// What ending an exercise writes: findings from gaps, tasks from action items (each linked to
/// the last gap logged before it), the evidence item for the incident-response testing control
/// (when the workspace has `control`), and the report's outcome ids.
pub fn conclude(
    ex: &exercise::Exercise,
    s: &Scenario,
    control: Option<&str>,
    now: &str,
) -> (
    crate::import::ModelFile,
    report::Outcome,
    Option<crate::domain::NewEvidence>,
) {
    use crate::domain::{
        EvidenceResult, EvidenceSource, FindingSource, FindingStatus, Severity, TaskStatus,
    };
    use crate::import::model::{FindingRow, TaskRow};
    use exercise::Kind;
    let day = chrono::DateTime::from_timestamp(ex.started(), 0)
        .map_or_else(Date::default, |d| d.date_naive());
    let plus30 = day.checked_add_days(chrono::Days::new(30)).unwrap_or(day);
    let requirement = s
        .requirements
        .iter()
        .find_map(|(fw, ids)| ids.first().map(|r| format!("{fw}:{r}")));
    let mut m = crate::import::ModelFile::default();
    let mut out = report::Outcome::default();
    let mut last_gap: Option<String> = None;
    for e in &ex.events {
        match e.kind {
            Kind::Gap => {
                let id = format!("F-{}-G{}", ex.id, out.findings.len() + 1);
                m.findings.push(FindingRow {
                    id: id.clone(),
                    title: e.text.clone(),
                    description: Some(format!(
                        "Found in tabletop exercise {} ({}).",
                        ex.id, s.title
                    )),
                    source: FindingSource::Tabletop,
                    severity: Severity::Medium,
                    status: Some(FindingStatus::Open),
                    control: None,
                    requirement: requirement.clone(),
                    opened: Some(day),
                    due: Some(plus30),
                    closed: None,
                });
                out.findings.push(id.clone());
                last_gap = Some(id);
            }
            Kind::Action => {
                let id = format!("T-{}-A{}", ex.id, out.tasks.len() + 1);
                m.tasks.push(TaskRow {
                    id: id.clone(),
                    title: e.text.clone(),
                    owner: e.owner.clone(),
                    status: Some(TaskStatus::Todo),
                    due: Some(e.due.unwrap_or(plus30)),
                    estimate_days: None,
                    finding: last_gap.clone(),
                    control: None,
                    depends_on: Vec::new(),
                });
                out.tasks.push(id);
            }
            _ => {}
        }
    }
    let evidence = control.map(|c| crate::domain::NewEvidence {
        natural_key: format!("tabletop:{}", ex.id),
        control: c.into(),
        title: format!("Tabletop: {}", s.title),
        source: EvidenceSource::Tabletop,
        result: EvidenceResult::Pass,
        effective: day,
        collected: now.to_owned(),
        expires: None,
        summary: format!(
            "{} attendees, {} decisions, {} gaps, {} action items",
            ex.participants().len(),
            ex.of(Kind::Decision).len(),
            out.findings.len(),
            out.tasks.len()
        ),
        content: Some(report::markdown(ex, s, &out)),
        file: None,
    });
    (m, out, evidence)
}

#[cfg(test)]
mod tests {
    use super::{LIBRARY, library};

    #[test]
    fn two_workspace_scenarios_with_one_id_are_refused_naming_both_files() {
        let dir = tempfile::tempdir().unwrap();
        let scenarios = dir.path().join("scenarios");
        std::fs::create_dir(&scenarios).unwrap();
        let text = LIBRARY[0]
            .1
            .replace("id: prompt-injection-exfil", "id: ours");
        std::fs::write(scenarios.join("a.yaml"), &text).unwrap();
        assert!(library(Some(dir.path()), None).is_ok());
        std::fs::write(scenarios.join("b.yaml"), &text).unwrap();
        let err = library(Some(dir.path()), None).unwrap_err().to_string();
        assert!(err.contains("b.yaml:") && err.contains("a.yaml"), "{err}");
    }
}
