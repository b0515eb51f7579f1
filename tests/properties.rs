//! Properties of the scoring rules over generated workspaces: counts always add up, readiness
//! stays in 0-100, the ledger accounts for every period, nothing depends on input order, and
//! more passing evidence never lowers a status.

use certready::analysis::{self, PeriodStatus, ledger};
use certready::domain::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

fn d0() -> Date {
    "2026-01-01".parse().unwrap()
}

fn day(n: u16) -> Date {
    d0().checked_add_days(chrono::Days::new(u64::from(n)))
        .unwrap()
}

const CADENCES: [Cadence; 8] = [
    Cadence::Continuous,
    Cadence::Daily,
    Cadence::Weekly,
    Cadence::Monthly,
    Cadence::Quarterly,
    Cadence::Semiannual,
    Cadence::Annual,
    Cadence::OnEvent,
];
const STATUSES: [ControlStatus; 4] = [
    ControlStatus::NotStarted,
    ControlStatus::InProgress,
    ControlStatus::Implemented,
    ControlStatus::NotApplicable,
];

#[derive(Debug, Clone)]
struct World {
    controls: Vec<(usize, usize)>,     // (status, cadence)
    maps: Vec<(usize, usize, bool)>,   // (control, requirement, full)
    evidence: Vec<(usize, u16, bool)>, // (control, day, pass)
    excluded: Vec<usize>,
    as_of: u16,
}

fn world() -> impl Strategy<Value = World> {
    (1usize..6, 1usize..8).prop_flat_map(|(nc, nr)| {
        (
            prop::collection::vec((0usize..4, 0usize..8), nc),
            prop::collection::vec((0..nc, 0..nr, any::<bool>()), 0..12),
            prop::collection::vec((0..nc, 0u16..400, any::<bool>()), 0..40),
            prop::collection::vec(0..nr, 0..2),
            0u16..420,
        )
            .prop_map(|(controls, maps, evidence, excluded, as_of)| World {
                controls,
                maps,
                evidence,
                excluded,
                as_of,
            })
    })
}

fn snapshot(w: &World, nr: usize) -> Snapshot {
    let reqs = (0..nr)
        .map(|i| Requirement {
            ref_id: format!("R{i}").into(),
            title: format!("R{i}"),
            description: String::new(),
            group: "security".into(),
            parent: None,
            assessable: true,
            hipaa: None,
            note: None,
            left_to_org: None,
            usually_na: None,
        })
        .collect();
    let fw = Framework {
        key: "soc2".into(),
        name: "SOC 2".into(),
        version: "t".into(),
        source: String::new(),
        notes: vec![],
        groups: vec![],
        requirements: reqs,
    };
    let mut scope = BTreeMap::new();
    let mut fs = FrameworkScope {
        categories: vec!["security".into()],
        ..Default::default()
    };
    for e in &w.excluded {
        fs.exclude.insert(format!("R{e}").into(), "why".into());
    }
    scope.insert(FrameworkKey::from("soc2"), fs);
    let controls = w
        .controls
        .iter()
        .enumerate()
        .map(|(i, (s, c))| Control {
            id: format!("C{i}").into(),
            title: String::new(),
            description: String::new(),
            domain: String::new(),
            owner: String::new(),
            status: STATUSES[*s],
            cadence: CADENCES[*c],
            evidence_expected: vec![],
            note: String::new(),
        })
        .collect();
    let mut mappings: Vec<Mapping> = w
        .maps
        .iter()
        .map(|(c, r, full)| Mapping {
            control: format!("C{c}").into(),
            framework: "soc2".into(),
            requirement: format!("R{r}").into(),
            relationship: if *full {
                Relationship::Full
            } else {
                Relationship::Partial
            },
            rationale: String::new(),
            carve_out: None,
            source: String::new(),
            overrides: None,
        })
        .collect();
    mappings.sort_by(|a, b| (&a.control, &a.requirement).cmp(&(&b.control, &b.requirement)));
    mappings.dedup_by(|a, b| a.control == b.control && a.requirement == b.requirement);
    let mut evidence: BTreeMap<ControlId, Vec<EvidenceFact>> = BTreeMap::new();
    for (c, dd, pass) in &w.evidence {
        evidence
            .entry(format!("C{c}").into())
            .or_default()
            .push(EvidenceFact {
                effective: day(*dd),
                expires: None,
                result: if *pass {
                    EvidenceResult::Pass
                } else {
                    EvidenceResult::Fail
                },
            });
    }
    for v in evidence.values_mut() {
        v.sort();
    }
    let audits = vec![Audit {
        id: "T2".into(),
        framework: "soc2".into(),
        kind: AuditKind::Soc2Type2,
        status: AuditStatus::InProgress,
        point_in_time: None,
        window_start: Some(day(30)),
        window_end: Some(day(300)),
        fieldwork_start: None,
        fieldwork_end: None,
        report_date: None,
        auditor: String::new(),
    }];
    Snapshot {
        frameworks: vec![fw],
        scope,
        controls,
        mappings,
        evidence,
        audits,
        ..Snapshot::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn counts_add_up_and_readiness_is_a_percentage(w in world(), nr in 1usize..8) {
        let w = World { maps: w.maps.iter().map(|(c, r, f)| (*c, r % nr, *f)).collect(), excluded: w.excluded.iter().map(|r| r % nr).collect(), ..w };
        let s = snapshot(&w, nr);
        let a = analysis::assess(&s, day(w.as_of));
        let r = &a.frameworks[0].readiness;
        prop_assert_eq!(r.met + r.partial + r.gap, r.requirements_in_scope);
        prop_assert_eq!(r.requirements_in_scope + r.not_applicable, nr);
        prop_assert!((0.0..=100.0).contains(&r.type1_readiness_pct));
        if let Some(l) = &a.frameworks[0].type2 {
            for row in &l.rows {
                let n = row.periods.len();
                prop_assert_eq!(row.evidenced + row.missed + row.open + row.upcoming, n);
                prop_assert!(row.periods.windows(2).all(|p| p[0].end < p[1].start));
                prop_assert!(row.periods.iter().filter(|p| p.status == PeriodStatus::Open).count() <= 1);
            }
            if let Some(c) = l.coverage_pct { prop_assert!((0.0..=100.0).contains(&c)); }
        }
    }

    #[test]
    fn more_passing_evidence_never_lowers_a_requirement(w in world(), extra in 0u16..420) {
        let nr = 4;
        let w = World { maps: w.maps.iter().map(|(c, r, f)| (*c, r % nr, *f)).collect(), excluded: vec![], ..w };
        let rank = |st: ReqStatus| match st { ReqStatus::Gap => 0, ReqStatus::Partial => 1, ReqStatus::Met => 2, ReqStatus::NotApplicable => 3 };
        let before = analysis::assess(&snapshot(&w, nr), day(w.as_of));
        let mut more = w.clone();
        for c in 0..w.controls.len() { more.evidence.push((c, extra.min(w.as_of), true)); }
        let after = analysis::assess(&snapshot(&more, nr), day(w.as_of));
        for (b, a) in before.frameworks[0].readiness.requirements.iter().zip(&after.frameworks[0].readiness.requirements) {
            prop_assert!(rank(a.status) >= rank(b.status), "{} went from {} to {}", b.ref_id, b.status, a.status);
        }
    }

    #[test]
    fn ledger_periods_tile_the_window(c in 0usize..7, start in 0u16..300, len in 0u16..400, as_of in 0u16..800) {
        let s = day(start);
        let e = day(start + len);
        let row = ledger::row("C".into(), CADENCES[c], &[], s, e, day(as_of));
        prop_assert_eq!(row.periods.first().map(|p| p.start), Some(s));
        prop_assert_eq!(row.periods.last().map(|p| p.end), Some(e));
        for p in row.periods.windows(2) {
            prop_assert_eq!(p[0].end.succ_opt(), Some(p[1].start));
        }
    }
}
