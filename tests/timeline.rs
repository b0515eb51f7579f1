//! The schedule and the what-if on the demo pinned to 2026-11-26: projected rhythms, the
//! critical path, and projected dates that move when a task or a window moves.

use certready::analysis::{self, timeline};
use certready::domain::{AuditId, Date, FrameworkKey, Snapshot, Task, TaskId, TaskStatus};

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn demo() -> (tempfile::TempDir, Snapshot) {
    let t = tempfile::tempdir().unwrap();
    let store = certready::demo::build(t.path(), d("2026-11-26"), "2026-11-26T09:00:00Z").unwrap();
    let s = store.snapshot().unwrap();
    (t, s)
}

#[test]
fn rhythms_are_projected_where_nothing_is_planned() {
    let (_t, s) = demo();
    let a = analysis::assess(&s, d("2026-11-26"));
    let sched = timeline::schedule(&s, &a);
    let item = |id: &str| {
        sched
            .items
            .iter()
            .find(|i| i.id == id)
            .unwrap_or_else(|| panic!("{id} missing"))
    };
    // The next SOC 2 Type II window starts the day after the current one ends and runs a year.
    let next = item("projected:soc2:window");
    assert_eq!((next.start, next.end), (d("2026-12-01"), d("2027-11-30")));
    assert_eq!(next.state, timeline::State::Projected);
    // ISO: surveillance 12 and 24 months after stage 2's report, recertification at 36.
    assert_eq!(item("projected:iso:surveillance1").start, d("2028-05-28"));
    assert_eq!(item("projected:iso:recert").start, d("2030-05-28"));
    // PCI: quarterly ASV scans after the latest planned one.
    assert_eq!(item("projected:pci:asv1").start, d("2027-03-15"));
    // The running window is an item of its own, and the tabletop on record shows up.
    assert_eq!(item("audit:AUD-SOC2-T2").state, timeline::State::Running);
    assert!(
        sched
            .items
            .iter()
            .any(|i| i.lane == timeline::Lane::Exercise)
    );
    // Tasks on the critical path are marked.
    let critical: Vec<_> = sched
        .items
        .iter()
        .filter(|i| i.state == timeline::State::Critical)
        .map(|i| i.id.as_str())
        .collect();
    assert!(critical.contains(&"task:T-082"), "{critical:?}");
    assert!(sched.items.iter().any(|i| i.state == timeline::State::Late));
}

/// Plans every unplanned SOC 2 requirement of the demo with a task due on `due` through one
/// of its controls (or excludes it when no control maps it), as the dashboard's `P` does.
fn plan_soc2(s: &mut Snapshot, as_of: Date, due: &str) {
    let a = analysis::assess(s, as_of);
    let f = a
        .frameworks
        .iter()
        .find(|f| f.key.as_str() == "soc2")
        .unwrap();
    for (i, id) in f.projected.unplanned.iter().enumerate() {
        let r = f
            .readiness
            .requirements
            .iter()
            .find(|r| r.ref_id.as_str() == id)
            .unwrap();
        match r.controls.first() {
            Some((c, _)) => s.tasks.push(Task {
                id: TaskId(format!("T-PLAN-{i}")),
                title: format!("close {id}"),
                owner: String::new(),
                status: TaskStatus::Todo,
                due: Some(d(due)),
                estimate_days: None,
                finding: None,
                control: Some(c.clone()),
                depends_on: vec![],
            }),
            None => {
                s.scope
                    .get_mut(&FrameworkKey::from("soc2"))
                    .unwrap()
                    .exclude
                    .insert(r.ref_id.clone(), "not offered".into());
            }
        }
    }
}

#[test]
fn the_demo_has_no_type1_date_until_every_requirement_is_planned() {
    let (_t, mut s) = demo();
    let as_of = d("2026-11-26");
    let soc2 = analysis::assess(&s, as_of).frameworks[0].projected.clone();
    assert_eq!(soc2.type1_ready, None);
    assert!(!soc2.unplanned.is_empty());
    assert!(soc2.why[0].starts_with(&format!(
        "no date: {} requirements have no remediation task: ",
        soc2.unplanned.len()
    )));
    plan_soc2(&mut s, as_of, "2026-12-15");
    let soc2 = analysis::assess(&s, as_of).frameworks[0].projected.clone();
    assert!(soc2.unplanned.is_empty(), "{:?}", soc2.unplanned);
    assert!(soc2.type1_ready.is_some());
}

#[test]
fn the_what_if_moves_projected_dates_and_changes_nothing_stored() {
    let (_t, mut s) = demo();
    let as_of = d("2026-11-26");
    plan_soc2(&mut s, as_of, "2026-12-15");
    let base = analysis::assess(&s, as_of);
    let soc2 = |a: &analysis::Assessment| {
        a.frameworks
            .iter()
            .find(|f| f.key.as_str() == "soc2")
            .unwrap()
            .projected
            .clone()
    };
    assert_eq!(soc2(&base).type1_ready, Some(d("2027-01-22")));
    let mut w = timeline::WhatIf::default();
    // Moving the last task of the critical chain two weeks later moves Type I readiness.
    w.due.insert(TaskId::from("T-082"), d("2027-02-05"));
    let after = analysis::assess(&w.apply(&s), as_of);
    assert_eq!(soc2(&after).type1_ready, Some(d("2027-02-05")));
    // Moving an earlier link past it makes that link critical instead (dependencies carry it).
    w.due.insert(TaskId::from("T-080"), d("2027-03-01"));
    let after = analysis::assess(&w.apply(&s), as_of);
    assert_eq!(soc2(&after).type1_ready, Some(d("2027-03-01")));
    assert!(
        soc2(&after)
            .critical_path
            .iter()
            .any(|t| t.as_str() == "T-080")
    );
    // A longer window moves the Type II report by as much.
    w.windows.insert(
        AuditId::from("AUD-SOC2-T2"),
        (d("2026-06-01"), d("2026-12-31")),
    );
    let after = analysis::assess(&w.apply(&s), as_of);
    assert_eq!(soc2(&after).type2_report, Some(d("2027-02-11")));
    // The original snapshot is untouched.
    assert_eq!(
        soc2(&analysis::assess(&s, as_of)).type1_ready,
        Some(d("2027-01-22"))
    );
}

#[test]
fn the_annual_pci_penetration_test_is_projected_from_the_last_one() {
    let (_t, s) = demo();
    let a = analysis::assess(&s, d("2026-11-26"));
    let sched = timeline::schedule(&s, &a);
    let pentest = sched
        .items
        .iter()
        .find(|i| i.id == "projected:pci:pentest")
        .expect("projected pentest");
    // The demo's last passing penetration-test evidence is the retest letter of 2026-10-02.
    assert_eq!(pentest.start, d("2027-10-02"));
}
