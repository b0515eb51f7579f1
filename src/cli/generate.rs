//! `certready gen DIR`: a large synthetic workspace for benchmarks (deterministic per seed).

use super::{now_stamp, today};
use crate::domain::NewEvidence;
use crate::domain::{Cadence, ControlStatus, Date, EvidenceResult, EvidenceSource};
use crate::import::model::{ControlRow, FindingRow, MapEntry, RiskRow, TaskRow};
use crate::import::{ModelFile, model::AuditRow};
use crate::workspace::Workspace;
use anyhow::Result;
use chrono::Days;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// Options of `gen`.
#[derive(clap::Args, Debug)]
pub struct GenArgs {
    /// Directory to create.
    pub dir: PathBuf,
    /// Controls.
    #[arg(long, default_value_t = 1000)]
    pub controls: usize,
    /// Evidence rows.
    #[arg(long, default_value_t = 1_000_000)]
    pub evidence: usize,
    /// Risks, findings and tasks (each).
    #[arg(long, default_value_t = 10_000)]
    pub records: usize,
    /// Random seed.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Date the workspace is generated around (default today).
    #[arg(long)]
    pub as_of: Option<Date>,
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Writes the workspace.
pub fn run(a: &GenArgs) -> Result<ExitCode> {
    let as_of = a.as_of.unwrap_or_else(today);
    let now = now_stamp();
    let mut rng = Rng(a.seed);
    let mut store = Workspace::new(&a.dir).init("Generated Workspace", true, &now)?;
    let snap = store.snapshot()?;
    let reqs: Vec<(String, Vec<String>)> = snap
        .frameworks
        .iter()
        .map(|f| {
            let ids = f
                .requirements
                .iter()
                .filter(|r| r.assessable)
                .map(|r| r.ref_id.to_string())
                .collect();
            (f.key.to_string(), ids)
        })
        .collect();
    let cadences = [
        Cadence::Daily,
        Cadence::Weekly,
        Cadence::Monthly,
        Cadence::Quarterly,
        Cadence::Annual,
        Cadence::Continuous,
    ];
    let statuses = [
        ControlStatus::Implemented,
        ControlStatus::Implemented,
        ControlStatus::Implemented,
        ControlStatus::InProgress,
        ControlStatus::NotStarted,
    ];
    let mut m = ModelFile::default();
    let ctl = |i: usize| format!("C-{i:05}");
    for i in 0..a.controls {
        let mut maps = BTreeMap::new();
        for (fw, ids) in &reqs {
            let picks = (0..3).map(|_| MapEntry {
                vendor: None,
                vendor_kind: None,
                id: ids[rng.below(ids.len())].clone(),
                relationship: if rng.below(3) == 0 {
                    crate::domain::Relationship::Partial
                } else {
                    crate::domain::Relationship::Full
                },
                rationale: "generated".into(),
                overrides: None,
            });
            let mut v: Vec<MapEntry> = picks.collect();
            v.sort_by(|x, y| x.id.cmp(&y.id));
            v.dedup_by(|x, y| x.id == y.id);
            maps.insert(fw.clone(), v);
        }
        m.controls.push(ControlRow {
            id: ctl(i),
            title: Some(format!("Generated control {i}")),
            owner: Some(format!("team-{}", i % 17)),
            status: Some(statuses[rng.below(statuses.len())]),
            cadence: Some(cadences[rng.below(cadences.len())]),
            maps: Some(maps),
            ..ControlRow::default()
        });
    }
    let day = |back: usize| {
        as_of
            .checked_sub_days(Days::new(back as u64))
            .unwrap_or(as_of)
    };
    for i in 0..a.records {
        m.risks.push(RiskRow {
            id: format!("R-{i:05}"),
            title: format!("Generated risk {i}"),
            description: None,
            category: None,
            likelihood: 1 + rng.below(5) as u8,
            impact: 1 + rng.below(5) as u8,
            residual: None,
            treatment: None,
            owner: Some(format!("team-{}", i % 17)),
            controls: vec![ctl(rng.below(a.controls))],
        });
        m.findings.push(FindingRow {
            id: format!("F-{i:05}"),
            title: format!("Generated finding {i}"),
            description: None,
            source: crate::domain::FindingSource::ALL[rng.below(6)],
            severity: crate::domain::Severity::ALL[rng.below(4)],
            status: Some(crate::domain::FindingStatus::ALL[rng.below(4)]),
            control: Some(ctl(rng.below(a.controls))),
            requirement: None,
            opened: Some(day(60 + rng.below(200))),
            due: Some(day(rng.below(120))),
            closed: None,
        });
        m.tasks.push(TaskRow {
            id: format!("T-{i:05}"),
            title: format!("Generated task {i}"),
            owner: Some(format!("person-{}", i % 41)),
            status: Some(crate::domain::TaskStatus::ALL[rng.below(4)]),
            due: Some(
                day(rng.below(90))
                    .checked_add_days(Days::new(60))
                    .unwrap_or(as_of),
            ),
            estimate_days: Some(1 + rng.below(10) as u32),
            finding: Some(format!("F-{i:05}")),
            control: None,
            depends_on: if i > 0 && rng.below(4) == 0 {
                vec![format!("T-{:05}", rng.below(i))]
            } else {
                vec![]
            },
        });
    }
    m.audits.push(AuditRow {
        id: Some("GEN-SOC2-T2".into()),
        framework: "soc2".into(),
        kind: crate::domain::AuditKind::Soc2Type2,
        status: None,
        point_in_time: None,
        window_start: Some(day(180)),
        window_end: Some(day(0).checked_add_days(Days::new(14)).unwrap_or(as_of)),
        fieldwork_start: None,
        fieldwork_end: None,
        report_date: None,
        auditor: None,
    });
    let mut scope = BTreeMap::new();
    for (fw, _) in &reqs {
        scope.insert(fw.clone(), crate::import::model::ScopeEntry::default());
    }
    m.scope = Some(scope);
    store.apply(&m, "gen", &now, false)?;
    let n = a.controls.max(1);
    let mut erng = Rng(a.seed ^ 0xabcd);
    let pb = super::progress::bar(a.evidence as u64, "evidence");
    let tick = pb.clone();
    let items = (0..a.evidence).map(move |i| {
        if i.is_multiple_of(4096) {
            tick.set_position(i as u64);
        }
        let c = i % n;
        let back = erng.below(365);
        NewEvidence {
            natural_key: format!("gen:{i}"),
            control: ctl(c).into(),
            title: "Generated evidence".into(),
            source: EvidenceSource::Gateway,
            result: if erng.below(20) == 0 {
                EvidenceResult::Fail
            } else {
                EvidenceResult::Pass
            },
            effective: day(back),
            collected: now.clone(),
            expires: None,
            summary: String::new(),
            content: None,
            file: None,
        }
    });
    let added = store.append_evidence(items, &now_stamp())?;
    pb.finish_and_clear();
    println!(
        "generated {} with {} controls, {added} evidence rows, {} risks, findings and tasks each",
        a.dir.display(),
        a.controls,
        a.records
    );
    Ok(ExitCode::SUCCESS)
}
