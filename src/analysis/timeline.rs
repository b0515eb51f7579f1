//! The schedule the Timeline tab draws and `certready timeline` prints: audits with their
//! windows, fieldwork and report dates; the rhythms each framework implies but nobody has
//! planned yet (the next SOC 2 Type II window back to back, ISO surveillance and
//! recertification, quarterly PCI ASV scans, the annual HIPAA evaluation), marked projected;
//! the projected Type I and Type II dates; the remediation plan with its critical path; and
//! tabletop exercises. Also the what-if: task due dates and Type II windows moved in memory.

use super::Assessment;
use crate::domain::{AuditId, AuditKind, AuditStatus, Date, Snapshot, TaskId, TaskStatus};
use chrono::{Days, Months};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// Which band of the chart an item belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lane {
    /// Projected report dates.
    Projection,
    /// Audits and assessments (planned, running, done, projected).
    Audit,
    /// Tabletop exercises.
    Exercise,
    /// Remediation tasks.
    Task,
}

/// How an item should be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Finished.
    Done,
    /// Under way now.
    Running,
    /// Planned.
    Planned,
    /// Implied by the framework's rhythm; nobody has planned it yet.
    Projected,
    /// Past due and not done.
    Late,
    /// On the critical path to Type I readiness.
    Critical,
}

/// One bar or milestone.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// Stable id (`audit:ID`, `task:ID`, `projected:...`).
    pub id: String,
    /// Lane.
    pub lane: Lane,
    /// Label.
    pub label: String,
    /// First day.
    pub start: Date,
    /// Last day (equal to start for a milestone).
    pub end: Date,
    /// Reading.
    pub state: State,
    /// Extra words (dependencies, what it unblocks).
    pub note: String,
}

impl Item {
    /// Whether this is a single-day milestone.
    pub fn is_point(&self) -> bool {
        self.start == self.end
    }
}

fn add_months(d: Date, m: u32) -> Date {
    d.checked_add_months(Months::new(m)).unwrap_or(d)
}

fn day_after(d: Date) -> Date {
    d.checked_add_days(Days::new(1)).unwrap_or(d)
}

/// Human name of an audit kind.
pub fn kind_label(k: AuditKind) -> &'static str {
    match k {
        AuditKind::Soc2Type1 => "SOC 2 Type I",
        AuditKind::Soc2Type2 => "SOC 2 Type II",
        AuditKind::IsoStage1 => "ISO stage 1",
        AuditKind::IsoStage2 => "ISO stage 2",
        AuditKind::IsoSurveillance => "ISO surveillance",
        AuditKind::IsoRecertification => "ISO recertification",
        AuditKind::HipaaAssessment => "HIPAA assessment",
        AuditKind::PciRoc => "PCI ROC",
        AuditKind::PciSaq => "PCI SAQ",
        AuditKind::PciAsvScan => "PCI ASV scan",
        AuditKind::PciPentest => "PCI penetration test",
    }
}

/// Builds the schedule.
pub fn schedule(s: &Snapshot, a: &Assessment) -> Schedule {
    let as_of = a.as_of;
    let mut items = Vec::new();
    for f in a.frameworks.iter().filter(|f| f.in_scope) {
        let why = &f.projected.why;
        // With unplanned requirements there is no Type I date to draw: the why line says so.
        let milestones = [
            (
                "type1",
                "ready (Type I)",
                f.projected.type1_ready,
                why.first(),
            ),
            (
                "type2",
                "Type II report",
                f.projected.type2_report,
                why.last(),
            ),
        ];
        for (kind, label, date, note) in milestones {
            let Some(d) = date else { continue };
            items.push(Item {
                id: format!("projected:{}:{kind}", f.key),
                lane: Lane::Projection,
                label: format!("{} {label}", f.name),
                start: d,
                end: d,
                state: State::Projected,
                note: note.cloned().unwrap_or_default(),
            });
        }
    }
    for au in &s.audits {
        let state = match au.status {
            AuditStatus::Completed => State::Done,
            AuditStatus::InProgress => State::Running,
            AuditStatus::Planned => State::Planned,
        };
        let name = kind_label(au.kind);
        let mut push = |suffix: &str, label: String, start: Date, end: Date| {
            items.push(Item {
                id: format!("audit:{}{suffix}", au.id),
                lane: Lane::Audit,
                label,
                start,
                end,
                state,
                note: au.auditor.clone(),
            });
        };
        if let (Some(ws), Some(we)) = (au.window_start, au.window_end) {
            push("", format!("{name} window"), ws, we);
        }
        match (au.fieldwork_start, au.fieldwork_end) {
            (Some(fs), Some(fe)) => push(":fieldwork", format!("{name} fieldwork"), fs, fe),
            (Some(fs), None) if au.window_start.is_some() => {
                push(":fieldwork", format!("{name} fieldwork"), fs, fs);
            }
            (Some(fs), None) => push("", name.to_owned(), fs, fs),
            _ => {}
        }
        if let Some(p) = au.point_in_time {
            push(
                if au.window_start.is_some() || au.fieldwork_start.is_some() {
                    ":date"
                } else {
                    ""
                },
                name.to_owned(),
                p,
                p,
            );
        }
        if let Some(r) = au.report_date {
            push(":report", format!("{name} report"), r, r);
        }
    }
    items.extend(rhythms(s, as_of));
    for (d, title) in &s.exercises {
        items.push(Item {
            id: format!("exercise:{d}"),
            lane: Lane::Exercise,
            label: if title.to_lowercase().starts_with("tabletop") {
                title.clone()
            } else {
                format!("Tabletop: {title}")
            },
            start: *d,
            end: *d,
            state: State::Done,
            note: String::new(),
        });
    }
    let critical: HashSet<&TaskId> = a
        .frameworks
        .iter()
        .flat_map(|f| f.projected.critical_path.iter())
        .collect();
    for t in s.tasks.iter().filter(|t| t.due.is_some()) {
        let due = t.due.unwrap_or(as_of);
        let start = t.estimate_days.map_or(due, |e| {
            due.checked_sub_days(Days::new(u64::from(e.saturating_sub(1))))
                .unwrap_or(due)
        });
        let state = if t.status == TaskStatus::Done {
            State::Done
        } else if critical.contains(&t.id) {
            State::Critical
        } else if due < as_of {
            State::Late
        } else if t.status == TaskStatus::Doing {
            State::Running
        } else {
            State::Planned
        };
        let deps: Vec<&str> = t.depends_on.iter().map(|d| d.as_str()).collect();
        items.push(Item {
            id: format!("task:{}", t.id),
            lane: Lane::Task,
            label: format!("{} {}", t.id, t.title),
            start,
            end: due,
            state,
            note: if deps.is_empty() {
                t.owner.clone()
            } else {
                format!("{} · after {}", t.owner, deps.join(", "))
            },
        });
    }
    items.sort_by(|x, y| {
        x.lane
            .cmp(&y.lane)
            .then(x.start.cmp(&y.start))
            .then(x.id.cmp(&y.id))
    });
    Schedule { as_of, items }
}

/// What each framework's rhythm implies and nobody has planned yet.
fn rhythms(s: &Snapshot, as_of: Date) -> Vec<Item> {
    let mut out = Vec::new();
    let projected = |id: String, label: String, start: Date, end: Date| Item {
        id,
        lane: Lane::Audit,
        label,
        start,
        end,
        state: State::Projected,
        note: "projected from the framework's rhythm".into(),
    };
    let last_date = |k: AuditKind| {
        s.audits
            .iter()
            .filter(|a| a.kind == k)
            .filter_map(|a| {
                a.window_end
                    .or(a.report_date)
                    .or(a.point_in_time)
                    .or(a.fieldwork_start)
            })
            .max()
    };
    // SOC 2: the next Type II window back to back with the latest, 12 months long.
    if let Some(last) = s
        .audits
        .iter()
        .filter(|a| a.kind == AuditKind::Soc2Type2)
        .filter_map(|a| a.window_end)
        .max()
    {
        let start = day_after(last);
        let end = add_months(start, 12).pred_opt().unwrap_or(start);
        out.push(projected(
            "projected:soc2:window".into(),
            "SOC 2 Type II window (next, back to back)".into(),
            start,
            end,
        ));
    }
    // ISO: surveillance in years 2 and 3 after certification, recertification in year 4.
    if last_date(AuditKind::IsoSurveillance).is_none()
        && let Some(cert) = last_date(AuditKind::IsoStage2)
    {
        out.push(projected(
            "projected:iso:surveillance1".into(),
            "ISO surveillance audit 1".into(),
            add_months(cert, 12),
            add_months(cert, 12),
        ));
        out.push(projected(
            "projected:iso:surveillance2".into(),
            "ISO surveillance audit 2".into(),
            add_months(cert, 24),
            add_months(cert, 24),
        ));
        out.push(projected(
            "projected:iso:recert".into(),
            "ISO recertification".into(),
            add_months(cert, 36),
            add_months(cert, 36),
        ));
    }
    // PCI: quarterly ASV scans after the latest, for the next year.
    if let Some(last) = last_date(AuditKind::PciAsvScan) {
        for q in 1..=4u32 {
            let d = add_months(last, 3 * q);
            if d >= as_of {
                out.push(projected(
                    format!("projected:pci:asv{q}"),
                    "PCI ASV scan (quarterly)".into(),
                    d,
                    d,
                ));
            }
        }
    }
    // PCI: an annual penetration test a year after the latest one (planned as an audit, or
    // evidenced by the penetration-test control), when PCI DSS is in scope.
    if s.scope
        .contains_key(&crate::domain::FrameworkKey::from("pci-dss"))
    {
        let evidenced = s
            .evidence
            .get(&crate::domain::ControlId::from("GW-VUL-02"))
            .and_then(|f| {
                f.iter()
                    .filter(|x| x.result == crate::domain::EvidenceResult::Pass)
                    .map(|x| x.effective)
                    .max()
            });
        if let Some(last) = last_date(AuditKind::PciPentest)
            .into_iter()
            .chain(evidenced)
            .max()
        {
            let next = add_months(last, 12);
            if next >= as_of {
                out.push(projected(
                    "projected:pci:pentest".into(),
                    "PCI penetration test (annual)".into(),
                    next,
                    next,
                ));
            }
        }
    }
    // HIPAA: an evaluation a year after the latest assessment, when none is planned later.
    if let Some(last) = last_date(AuditKind::HipaaAssessment) {
        let next = add_months(last, 12);
        if next >= as_of {
            out.push(projected(
                "projected:hipaa:evaluation".into(),
                "HIPAA evaluation (annual)".into(),
                next,
                next,
            ));
        }
    }
    out
}

/// The schedule, in lane order.
#[derive(Debug, Clone, Serialize)]
pub struct Schedule {
    /// The date it was computed for.
    pub as_of: Date,
    /// Items.
    pub items: Vec<Item>,
}

/// Changes tried in memory before anything is saved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WhatIf {
    /// New due dates of tasks.
    pub due: BTreeMap<TaskId, Date>,
    /// New Type II windows (start, end) of audits.
    pub windows: BTreeMap<AuditId, (Date, Date)>,
}

impl WhatIf {
    /// Whether nothing is changed.
    pub fn is_empty(&self) -> bool {
        self.due.is_empty() && self.windows.is_empty()
    }

    /// The snapshot with the changes applied.
    pub fn apply(&self, s: &Snapshot) -> Snapshot {
        let mut out = s.clone();
        for t in &mut out.tasks {
            if let Some(d) = self.due.get(&t.id) {
                t.due = Some(*d);
            }
        }
        for a in &mut out.audits {
            if let Some((ws, we)) = self.windows.get(&a.id) {
                a.window_start = Some(*ws);
                a.window_end = Some(*we);
            }
        }
        out
    }
}
