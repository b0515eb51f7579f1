//! The scoring rules of DESIGN.md, each at its boundaries, on hand-built snapshots.

use certready::analysis::{self, PeriodStatus, ledger, validity};
use certready::domain::*;
use std::collections::BTreeMap;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn control(id: &str, status: ControlStatus, cadence: Cadence) -> Control {
    Control {
        id: id.into(),
        title: id.into(),
        description: String::new(),
        domain: String::new(),
        owner: "o".into(),
        status,
        cadence,
        evidence_expected: vec![],
        note: String::new(),
    }
}

fn req(id: &str, group: &str) -> Requirement {
    Requirement {
        ref_id: id.into(),
        title: id.into(),
        description: String::new(),
        group: group.into(),
        parent: None,
        assessable: true,
        hipaa: None,
        note: None,
        left_to_org: None,
        usually_na: None,
    }
}

fn pass(eff: &str) -> EvidenceFact {
    EvidenceFact {
        effective: d(eff),
        expires: None,
        result: EvidenceResult::Pass,
    }
}

fn map(c: &str, r: &str, rel: Relationship) -> Mapping {
    Mapping {
        control: c.into(),
        framework: "soc2".into(),
        requirement: r.into(),
        relationship: rel,
        rationale: String::new(),
        carve_out: None,
        source: String::new(),
        overrides: None,
    }
}

/// A SOC 2-like framework with security R1-R4 and availability A1.
fn snapshot() -> Snapshot {
    let fw = Framework {
        key: "soc2".into(),
        name: "SOC 2".into(),
        version: "t".into(),
        source: String::new(),
        notes: vec![],
        groups: vec![],
        requirements: vec![
            req("R1", "security"),
            req("R2", "security"),
            req("R3", "security"),
            req("R4", "security"),
            req("A1", "availability"),
        ],
    };
    let mut scope = BTreeMap::new();
    scope.insert(
        FrameworkKey::from("soc2"),
        FrameworkScope {
            categories: vec!["security".into()],
            ..Default::default()
        },
    );
    Snapshot {
        organization: "t".into(),
        frameworks: vec![fw],
        scope,
        ..Snapshot::default()
    }
}

fn status_of(s: &Snapshot, as_of: &str, r: &str) -> ReqStatus {
    let a = analysis::assess(s, d(as_of));
    a.frameworks[0]
        .readiness
        .requirements
        .iter()
        .find(|x| x.ref_id.as_str() == r)
        .unwrap()
        .status
}

#[test]
fn evidence_is_valid_through_the_last_day_and_not_after() {
    let c = control("C", ControlStatus::Implemented, Cadence::Monthly);
    let f = [pass("2026-01-01")];
    // monthly: 35 days; valid up to and including 2026-02-05.
    assert!(validity::control_state(&c, &f, d("2026-02-05")).designed);
    assert!(!validity::control_state(&c, &f, d("2026-02-06")).designed);
    // Not before it is effective.
    assert!(!validity::control_state(&c, &f, d("2025-12-31")).designed);
    // An explicit expiry overrides the cadence.
    let e = [EvidenceFact {
        expires: Some(d("2026-01-10")),
        ..pass("2026-01-01")
    }];
    assert!(validity::control_state(&c, &e, d("2026-01-10")).designed);
    assert!(!validity::control_state(&c, &e, d("2026-01-11")).designed);
}

#[test]
fn validity_days_follow_design_for_every_cadence() {
    let want = [
        (Cadence::Continuous, 1),
        (Cadence::Daily, 2),
        (Cadence::Weekly, 10),
        (Cadence::Monthly, 35),
        (Cadence::Quarterly, 100),
        (Cadence::Semiannual, 190),
        (Cadence::Annual, 380),
        (Cadence::OnEvent, 380),
    ];
    for (c, days) in want {
        assert_eq!(validity::validity_days(c), days, "{c}");
    }
}

#[test]
fn only_implemented_controls_with_passing_evidence_are_designed() {
    let f = [pass("2026-01-01")];
    let on = d("2026-01-02");
    assert!(
        !validity::control_state(
            &control("C", ControlStatus::InProgress, Cadence::Monthly),
            &f,
            on
        )
        .designed
    );
    let fail = [EvidenceFact {
        result: EvidenceResult::Fail,
        ..pass("2026-01-01")
    }];
    assert!(
        !validity::control_state(
            &control("C", ControlStatus::Implemented, Cadence::Monthly),
            &fail,
            on
        )
        .designed
    );
    let info = [EvidenceFact {
        result: EvidenceResult::Info,
        ..pass("2026-01-01")
    }];
    assert!(
        !validity::control_state(
            &control("C", ControlStatus::Implemented, Cadence::Monthly),
            &info,
            on
        )
        .designed
    );
}

#[test]
fn requirement_status_met_partial_gap_and_not_applicable() {
    let mut s = snapshot();
    s.controls = vec![
        control("A", ControlStatus::Implemented, Cadence::Monthly),
        control("B", ControlStatus::Implemented, Cadence::Monthly),
        control("N", ControlStatus::NotStarted, Cadence::Monthly),
        control("X", ControlStatus::NotApplicable, Cadence::Monthly),
    ];
    s.evidence.insert("A".into(), vec![pass("2026-03-01")]);
    s.evidence.insert("B".into(), vec![pass("2026-03-01")]);
    s.mappings = vec![
        map("A", "R1", Relationship::Full),
        map("B", "R1", Relationship::Partial),
        map("B", "R2", Relationship::Partial),
        map("N", "R3", Relationship::Full),
        map("X", "R3", Relationship::Full),
        map("X", "R4", Relationship::Full),
        map("A", "A1", Relationship::Full),
    ];
    let on = "2026-03-10";
    assert_eq!(status_of(&s, on, "R1"), ReqStatus::Met);
    // Designed, but only partial mappings: partial.
    assert_eq!(status_of(&s, on, "R2"), ReqStatus::Partial);
    // Every remaining control not_started (the N/A one is ignored): gap.
    assert_eq!(status_of(&s, on, "R3"), ReqStatus::Gap);
    // Only a not_applicable control left: gap.
    assert_eq!(status_of(&s, on, "R4"), ReqStatus::Gap);
    // Category not chosen: not applicable, out of every denominator.
    assert_eq!(status_of(&s, on, "A1"), ReqStatus::NotApplicable);
    let a = analysis::assess(&s, d(on));
    let r = &a.frameworks[0].readiness;
    assert_eq!(
        (
            r.requirements_in_scope,
            r.met,
            r.partial,
            r.gap,
            r.not_applicable
        ),
        (4, 1, 1, 2, 1)
    );
    assert!((r.type1_readiness_pct - 25.0).abs() < 1e-9);
    // Once A's evidence lapses (after 2026-04-05) R1 drops to partial.
    assert_eq!(status_of(&s, "2026-04-05", "R1"), ReqStatus::Met);
    assert_eq!(status_of(&s, "2026-04-06", "R1"), ReqStatus::Partial);
}

#[test]
fn exclusions_leave_the_denominator_and_readiness_has_one_decimal() {
    let mut s = snapshot();
    s.controls = vec![control("A", ControlStatus::Implemented, Cadence::Annual)];
    s.evidence.insert("A".into(), vec![pass("2026-01-01")]);
    s.mappings = vec![map("A", "R1", Relationship::Full)];
    s.scope
        .get_mut(&FrameworkKey::from("soc2"))
        .unwrap()
        .exclude
        .insert("R4".into(), "why".into());
    let a = analysis::assess(&s, d("2026-02-01"));
    let r = &a.frameworks[0].readiness;
    assert_eq!(r.requirements_in_scope, 3);
    assert_eq!(r.not_applicable, 2);
    assert!((r.type1_readiness_pct - 33.3).abs() < 1e-9);
    // A framework absent from scope is out of scope entirely.
    s.scope.clear();
    let a = analysis::assess(&s, d("2026-02-01"));
    assert_eq!(a.frameworks[0].readiness.requirements_in_scope, 0);
    assert!(!a.frameworks[0].in_scope);
}

fn statuses(
    cadence: Cadence,
    facts: &[EvidenceFact],
    start: &str,
    end: &str,
    as_of: &str,
) -> Vec<PeriodStatus> {
    ledger::row("C".into(), cadence, facts, d(start), d(end), d(as_of))
        .periods
        .iter()
        .map(|p| p.status)
        .collect()
}

#[test]
fn ledger_periods_are_evidenced_missed_open_or_upcoming() {
    use PeriodStatus::*;
    // Monthly over Jan-Apr, as of 2026-03-15: Jan evidenced, Feb missed, Mar open, Apr upcoming.
    let f = [pass("2026-01-20")];
    assert_eq!(
        statuses(
            Cadence::Monthly,
            &f,
            "2026-01-01",
            "2026-04-30",
            "2026-03-15"
        ),
        vec![Evidenced, Missed, Open, Upcoming]
    );
    // A period ending today is open, not missed.
    assert_eq!(
        statuses(
            Cadence::Monthly,
            &f,
            "2026-01-01",
            "2026-02-28",
            "2026-02-28"
        ),
        vec![Evidenced, Open]
    );
    // ... and missed the day after.
    assert_eq!(
        statuses(
            Cadence::Monthly,
            &f,
            "2026-01-01",
            "2026-02-28",
            "2026-03-01"
        ),
        vec![Evidenced, Missed]
    );
    // Evidence effective on a period boundary belongs to the period that starts that day.
    let b = [pass("2026-02-01")];
    assert_eq!(
        statuses(
            Cadence::Monthly,
            &b,
            "2026-01-01",
            "2026-02-28",
            "2026-03-01"
        ),
        vec![Missed, Evidenced]
    );
    // Evidence effective after as_of does not count yet.
    assert_eq!(
        statuses(
            Cadence::Monthly,
            &b,
            "2026-01-01",
            "2026-02-28",
            "2026-01-31"
        ),
        vec![Open, Upcoming]
    );
}

#[test]
fn ledger_handles_short_windows_quarters_events_and_leap_years() {
    use PeriodStatus::*;
    // A window shorter than one period is one clipped period.
    let f = [pass("2026-06-10")];
    assert_eq!(
        statuses(
            Cadence::Annual,
            &f,
            "2026-06-01",
            "2026-08-31",
            "2026-09-01"
        ),
        vec![Evidenced]
    );
    // A quarterly control in a 3-month window that straddles two quarters has two periods.
    assert_eq!(
        statuses(
            Cadence::Quarterly,
            &f,
            "2026-05-01",
            "2026-07-31",
            "2026-08-01"
        ),
        vec![Evidenced, Missed]
    );
    // on_event controls have no periods; their evidence population is counted.
    let r = ledger::row(
        "C".into(),
        Cadence::OnEvent,
        &[pass("2026-06-02"), pass("2026-07-02"), pass("2026-12-01")],
        d("2026-06-01"),
        d("2026-08-31"),
        d("2026-09-01"),
    );
    assert!(r.periods.is_empty());
    assert_eq!(r.events, 2);
    // Leap day: continuous counts as daily, and 2028-02-29 is its own period.
    let l = [pass("2028-02-28"), pass("2028-03-01")];
    assert_eq!(
        statuses(
            Cadence::Continuous,
            &l,
            "2028-02-28",
            "2028-03-01",
            "2028-03-02"
        ),
        vec![Evidenced, Missed, Evidenced]
    );
}

#[test]
fn ledger_coverage_counts_only_what_is_due_and_sorts_riskiest_first() {
    let mut s = snapshot();
    s.controls = vec![
        control("A", ControlStatus::Implemented, Cadence::Monthly),
        control("B", ControlStatus::Implemented, Cadence::Monthly),
        control("Z", ControlStatus::NotApplicable, Cadence::Monthly),
    ];
    s.evidence
        .insert("A".into(), vec![pass("2026-01-05"), pass("2026-02-05")]);
    s.mappings = vec![
        map("A", "R1", Relationship::Full),
        map("B", "R2", Relationship::Full),
        map("Z", "R3", Relationship::Full),
    ];
    s.audits = vec![Audit {
        id: "T2".into(),
        framework: "soc2".into(),
        kind: AuditKind::Soc2Type2,
        status: AuditStatus::InProgress,
        point_in_time: None,
        window_start: Some(d("2026-01-01")),
        window_end: Some(d("2026-06-30")),
        fieldwork_start: None,
        fieldwork_end: None,
        report_date: None,
        auditor: String::new(),
    }];
    let a = analysis::assess(&s, d("2026-03-15"));
    let l = a.frameworks[0].type2.as_ref().unwrap();
    // A: Jan, Feb evidenced; B: Jan, Feb missed; March open for both; Apr-Jun upcoming.
    assert_eq!((l.evidenced, l.missed, l.open, l.upcoming), (2, 2, 2, 6));
    assert_eq!(l.coverage_pct, Some(50.0));
    assert_eq!(l.rows.len(), 2, "not_applicable controls are excluded");
    assert_eq!(
        l.rows[0].control.as_str(),
        "B",
        "no evidence yet comes first"
    );
    // Projection: window end + 42 days.
    assert_eq!(
        a.frameworks[0].projected.type2_report,
        Some(d("2026-08-11"))
    );
    // Before the window starts nothing is due: coverage is undefined.
    let early = analysis::assess(&s, d("2025-12-01"));
    assert_eq!(
        early.frameworks[0].type2.as_ref().unwrap().coverage_pct,
        None
    );
}

fn task(
    id: &str,
    status: TaskStatus,
    due: Option<&str>,
    control: Option<&str>,
    deps: &[&str],
) -> Task {
    Task {
        id: id.into(),
        title: id.into(),
        owner: "o".into(),
        status,
        due: due.map(d),
        estimate_days: None,
        finding: None,
        control: control.map(Into::into),
        depends_on: deps.iter().map(|x| (*x).into()).collect(),
    }
}

#[test]
fn projections_follow_blocking_tasks_through_dependency_chains() {
    let mut s = snapshot();
    s.controls = vec![
        control("A", ControlStatus::InProgress, Cadence::Monthly),
        control("M", ControlStatus::Implemented, Cadence::Monthly),
        control("X", ControlStatus::NotApplicable, Cadence::Monthly),
    ];
    s.evidence.insert("M".into(), vec![pass("2026-03-01")]);
    s.mappings = vec![
        map("A", "R1", Relationship::Full),
        map("M", "R2", Relationship::Full),
        map("X", "R3", Relationship::Full),
    ];
    let as_of = d("2026-03-10");
    // No task: R1 (partial), R3 and R4 (gaps) are unplanned, so there is no Type I date, and
    // with no window planned no Type II date either.
    let a = analysis::assess(&s, as_of);
    let p = &a.frameworks[0].projected;
    assert_eq!(p.type1_ready, None);
    assert_eq!(p.unplanned, vec!["R1", "R3", "R4"]);
    assert_eq!(p.type2_report, None);
    assert!(
        p.why[0].starts_with("no date: 3 requirements have no remediation task: R1, R3, R4"),
        "{:?}",
        p.why
    );
    assert_eq!(
        p.type1_text(),
        "no date: 3 requirements have no remediation task"
    );
    // With R3 and R4 out of scope and R1 met, nothing blocks: ready today, and the Type II
    // report is today + 6 months + 42 days.
    for r in ["R3", "R4"] {
        s.scope
            .get_mut(&FrameworkKey::from("soc2"))
            .unwrap()
            .exclude
            .insert(r.into(), "not offered".into());
    }
    s.controls[0].status = ControlStatus::Implemented;
    s.evidence.insert("A".into(), vec![pass("2026-03-01")]);
    let p = analysis::assess(&s, as_of).frameworks[0].projected.clone();
    assert_eq!(p.type1_ready, Some(as_of));
    assert_eq!(p.type2_report, Some(d("2026-10-22")));
    s.controls[0].status = ControlStatus::InProgress;
    // A task on the blocking control, depending on a later one: the dependency decides.
    s.tasks = vec![
        task(
            "T1",
            TaskStatus::Todo,
            Some("2026-04-01"),
            Some("A"),
            &["T0"],
        ),
        task("T0", TaskStatus::Blocked, Some("2026-05-01"), None, &[]),
        // Tasks on met requirements or not_applicable controls block nothing.
        task("T2", TaskStatus::Todo, Some("2026-12-01"), Some("M"), &[]),
        task("T3", TaskStatus::Todo, Some("2026-12-01"), Some("X"), &[]),
        // Done tasks block nothing.
        task("T4", TaskStatus::Done, Some("2026-11-01"), Some("A"), &[]),
    ];
    let a = analysis::assess(&s, as_of);
    let p = &a.frameworks[0].projected;
    assert_eq!(p.type1_ready, Some(d("2026-05-01")));
    assert_eq!(p.critical_task.as_ref().map(|t| t.as_str()), Some("T1"));
    assert_eq!(
        p.critical_path
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>(),
        vec!["T0", "T1"]
    );
    // A late task cannot finish before today.
    s.tasks = vec![task(
        "T1",
        TaskStatus::Doing,
        Some("2026-01-01"),
        Some("A"),
        &[],
    )];
    assert_eq!(
        analysis::assess(&s, as_of).frameworks[0]
            .projected
            .type1_ready,
        Some(as_of)
    );
    // A task blocks through the control of the finding it names.
    s.findings = vec![Finding {
        id: "F1".into(),
        title: "f".into(),
        description: String::new(),
        source: FindingSource::InternalAudit,
        severity: Severity::High,
        status: FindingStatus::Open,
        control: Some("A".into()),
        requirement: None,
        opened: None,
        due: None,
        closed: None,
    }];
    let mut t = task("T9", TaskStatus::Todo, Some("2026-07-07"), None, &[]);
    t.finding = Some("F1".into());
    s.tasks = vec![t];
    assert_eq!(
        analysis::assess(&s, as_of).frameworks[0]
            .projected
            .type1_ready,
        Some(d("2026-07-07"))
    );
    // A blocking task without a due date leaves no date either.
    s.tasks = vec![task("T8", TaskStatus::Todo, None, Some("A"), &[])];
    let p = analysis::assess(&s, as_of).frameworks[0].projected.clone();
    assert_eq!(p.type1_ready, None);
    assert_eq!(p.type1_short(), "no date (1 undated)");
}

#[test]
fn a_vendor_without_a_baa_keeps_its_requirement_from_being_met() {
    let mut fw = snapshot().frameworks.remove(0);
    fw.key = "hipaa".into();
    fw.requirements = vec![
        req("164.308(b)(3)", "administrative"),
        req("164.312(b)", "administrative"),
    ];
    let mut scope = BTreeMap::new();
    scope.insert(FrameworkKey::from("hipaa"), FrameworkScope::default());
    let mut s = Snapshot {
        frameworks: vec![fw],
        scope,
        ..Snapshot::default()
    };
    s.controls = vec![control("V", ControlStatus::Implemented, Cadence::Annual)];
    s.evidence.insert("V".into(), vec![pass("2026-06-01")]);
    let m = |r: &str| Mapping {
        control: "V".into(),
        framework: "hipaa".into(),
        requirement: r.into(),
        relationship: Relationship::Full,
        rationale: String::new(),
        carve_out: None,
        source: String::new(),
        overrides: None,
    };
    s.mappings = vec![m("164.308(b)(3)"), m("164.312(b)")];
    let vendor = |agreements: Vec<Agreement>| Vendor {
        id: "V-1".into(),
        name: "ModelCo".into(),
        service: String::new(),
        kind: VendorKind::ModelProvider,
        criticality: None,
        data: vec![DataCategory::Phi],
        region: String::new(),
        subprocessors: vec![],
        owner: String::new(),
        controls: vec![],
        agreements,
    };
    s.vendors = vec![vendor(vec![])];
    let status = |s: &Snapshot, r: &str| {
        let a = analysis::assess(s, d("2026-07-01"));
        let q = a.frameworks[0]
            .readiness
            .requirements
            .iter()
            .find(|q| q.ref_id.as_str() == r)
            .unwrap()
            .clone();
        (q.status, q.reason)
    };
    let (st, why) = status(&s, "164.308(b)(3)");
    assert_eq!(st, ReqStatus::Partial);
    assert!(
        why.contains("ModelCo receives PHI without a business associate agreement"),
        "{why}"
    );
    assert_eq!(
        status(&s, "164.312(b)").0,
        ReqStatus::Met,
        "other requirements are untouched"
    );
    assert_eq!(
        analysis::assess(&s, d("2026-07-01"))
            .totals
            .vendors
            .missing_baa,
        1
    );
    // A BAA in force (signed before, expiring after) lifts the block.
    let baa = Agreement {
        kind: AgreementKind::Baa,
        signed: Some(d("2026-01-01")),
        issued: None,
        period_start: None,
        period_end: None,
        expires: Some(d("2027-01-01")),
    };
    s.vendors = vec![vendor(vec![baa])];
    assert_eq!(status(&s, "164.308(b)(3)").0, ReqStatus::Met);
}

#[test]
fn an_inherited_mapping_holds_only_while_every_vendor_of_its_kind_is_attested() {
    let mut s = snapshot();
    s.controls = vec![control("P", ControlStatus::Implemented, Cadence::Annual)];
    let mut m = map("P", "R1", Relationship::Inherited);
    m.carve_out = Some(CarveOut::Kind(VendorKind::Cloud));
    s.mappings = vec![m];
    let reason = |s: &Snapshot, as_of: &str| {
        let a = analysis::assess(s, d(as_of));
        let r = &a.frameworks[0].readiness.requirements[0];
        (r.status, r.reason.clone())
    };
    // No cloud vendor at all: nothing to inherit from, a gap (even with no evidence for P).
    let (st, why) = reason(&s, "2026-06-01");
    assert_eq!(st, ReqStatus::Gap);
    assert!(why.contains("no cloud vendor in the register"), "{why}");
    let cloud = |id: &str, period_end: &str| Vendor {
        id: id.into(),
        name: format!("{id} Cloud"),
        service: String::new(),
        kind: VendorKind::Cloud,
        criticality: None,
        data: vec![],
        region: String::new(),
        subprocessors: vec![],
        owner: String::new(),
        controls: vec![],
        agreements: vec![Agreement {
            kind: AgreementKind::Soc2Type2,
            signed: None,
            issued: Some(d("2026-02-01")),
            period_start: None,
            period_end: Some(d(period_end)),
            expires: None,
        }],
    };
    s.vendors = vec![cloud("A", "2025-12-31")];
    // A report whose period ended within 12 months: met, though P itself has no evidence.
    let (st, why) = reason(&s, "2026-06-01");
    assert_eq!(st, ReqStatus::Met, "{why}");
    assert!(
        why.contains("A Cloud: SOC 2 Type II report, period ended 2025-12-31"),
        "{why}"
    );
    // The last day of the 12 months still holds; the day after it lapses into a gap.
    assert_eq!(reason(&s, "2026-12-31").0, ReqStatus::Met);
    let (st, why) = reason(&s, "2027-01-01");
    assert_eq!(st, ReqStatus::Gap, "{why}");
    assert!(why.contains("not held"), "{why}");
    // A second cloud vendor whose report lapsed takes the carve-out down for both.
    s.vendors.push(cloud("B", "2025-01-31"));
    let (st, why) = reason(&s, "2026-06-01");
    assert_eq!(st, ReqStatus::Gap, "{why}");
    assert!(why.contains("from B Cloud"), "{why}");
    // A bridge letter after B's report that covers the date restores it.
    s.vendors[1].agreements.push(Agreement {
        kind: AgreementKind::BridgeLetter,
        signed: None,
        issued: Some(d("2026-05-15")),
        period_start: None,
        period_end: None,
        expires: Some(d("2026-08-15")),
    });
    assert_eq!(reason(&s, "2026-06-01").0, ReqStatus::Met);
    // Named by id instead of kind: only that vendor counts.
    let mut m = map("P", "R1", Relationship::Inherited);
    m.carve_out = Some(CarveOut::Vendor("A".into()));
    s.mappings = vec![m];
    s.vendors[1].agreements.clear();
    assert_eq!(reason(&s, "2026-06-01").0, ReqStatus::Met);
}

#[test]
fn a_partial_mapping_alone_never_meets_and_an_inherited_one_counts_as_full() {
    let mut s = snapshot();
    s.controls = vec![control("C", ControlStatus::Implemented, Cadence::Annual)];
    s.evidence.insert("C".into(), vec![pass("2026-01-01")]);
    s.mappings = vec![map("C", "R1", Relationship::Partial)];
    assert_eq!(status_of(&s, "2026-02-01", "R1"), ReqStatus::Partial);
    s.mappings[0].relationship = Relationship::Full;
    assert_eq!(status_of(&s, "2026-02-01", "R1"), ReqStatus::Met);
}
