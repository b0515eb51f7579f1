//! The schedule and the what-if on the demo pinned to 2026-11-26: projected rhythms, the
//! critical path, and projected dates that move when a task or a window moves; and the
//! Timeline as drawn: a month axis that labels every month, a Type II ledger whose strips fit
//! the screen without hiding a miss, and the dates prompt of an audit.

mod common;

use certready::analysis::{self, timeline};
use certready::domain::{AuditId, Date, FrameworkKey, Snapshot, Task, TaskId, TaskStatus};
use certready::tui::action::Action;
use certready::tui::app::{App, Msg};
use certready::tui::data::Data;
use certready::tui::snapshot;
use certready::tui::tab::Tab;
use certready::tui::theme::Theme;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn demo() -> (tempfile::TempDir, Snapshot) {
    let t = tempfile::tempdir().unwrap();
    let ws = common::backend::workspace(&t.path().join("demo"));
    let store = certready::demo::build_in(&ws, d("2026-11-26"), "2026-11-26T09:00:00Z").unwrap();
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
    // Moving the last task of the critical chain two weeks later moves Type I readiness, and
    // pushes T-084, which depends on it.
    w.due.insert(TaskId::from("T-082"), d("2027-02-05"));
    // T-084 depends on T-082 and is pushed the day after it: 2027-02-06 decides.
    let after = analysis::assess(&w.apply(&s), as_of);
    assert_eq!(soc2(&after).type1_ready, Some(d("2027-02-06")));
    // Moving an earlier link past it pushes the rest of its chain after it, finish to start:
    // T-081 (5 days) to start the day after T-080 ends, T-082 (1 day) after T-081.
    w.due.insert(TaskId::from("T-080"), d("2027-03-01"));
    let moved = w.apply(&s);
    let due = |id: &str| {
        moved
            .tasks
            .iter()
            .find(|t| t.id.as_str() == id)
            .unwrap()
            .due
    };
    assert_eq!(due("T-081"), Some(d("2027-03-06")));
    assert_eq!(due("T-082"), Some(d("2027-03-07")));
    assert_eq!(due("T-084"), Some(d("2027-03-08")));
    let after = analysis::assess(&moved, as_of);
    assert_eq!(soc2(&after).type1_ready, Some(d("2027-03-08")));
    assert!(
        soc2(&after)
            .critical_path
            .iter()
            .any(|t| t.as_str() == "T-080")
    );
    // A longer window moves the Type II report by as much: the recorded report date keeps its
    // lag after the window (2027-01-15 for a window ending 2026-11-30: 46 days).
    w.windows.insert(
        AuditId::from("AUD-SOC2-T2"),
        (d("2026-06-01"), d("2026-12-31")),
    );
    let after = analysis::assess(&w.apply(&s), as_of);
    assert_eq!(soc2(&after).type2_report, Some(d("2027-02-15")));
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

fn app(size: (u16, u16)) -> (tempfile::TempDir, App) {
    let t = tempfile::tempdir().unwrap();
    let ws = common::backend::workspace(&t.path().join("demo"));
    let store = certready::demo::build_in(&ws, d("2026-11-26"), "2026-11-26T09:00:00Z").unwrap();
    let data = Data::load(&store, d("2026-11-26"), true).unwrap();
    let theme = Theme::named("default").unwrap();
    let app = snapshot::app_with(data, Tab::Timeline, size, theme, "Lumen Health AI").unwrap();
    (t, app)
}

#[test]
fn the_year_view_labels_every_month_that_starts_on_screen() {
    for size in [(80, 24), (120, 30), (160, 48)] {
        let (_t, mut a) = app(size);
        a.update(Msg::Action(Action::Zoom), d("2026-11-26"));
        let text = snapshot::text(&snapshot::render(&a).unwrap());
        let axis = text.lines().find(|l| l.contains('▼')).unwrap();
        // The year on screen runs 2026-09-27..2027-09-26: October to September start on it.
        for m in [
            "Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
        ] {
            assert!(axis.contains(m), "{m} missing at {size:?}: {axis}");
        }
    }
}

#[test]
fn the_ledger_strip_fits_the_screen_and_never_hides_a_miss() {
    for size in [(80, 24), (160, 48)] {
        let (_t, mut a) = app(size);
        a.update(Msg::Action(Action::Ledger), d("2026-11-26"));
        let ledger = a.data.as_ref().unwrap().assessment.frameworks[0]
            .type2
            .clone()
            .unwrap();
        let text = snapshot::text(&snapshot::render(&a).unwrap());
        assert!(
            text.contains("Type II ledger · SOC 2 · window 2026-06-01..2026-11-30"),
            "{text}"
        );
        assert!(
            text.contains("█ evidenced  ✗ missed  ▒ open  · upcoming"),
            "{text}"
        );
        assert!(
            text.contains("183 daily/continuous periods in ")
                && text.contains("a cell is ✗ if any period in it was missed"),
            "{text}"
        );
        for (i, r) in ledger.rows.iter().enumerate() {
            a.lists.get_mut(&Tab::Timeline).unwrap().selected = i;
            let text = snapshot::text(&snapshot::render(&a).unwrap());
            let line = text
                .lines()
                .find(|l| l.contains(&format!("│{} ", r.control)))
                .unwrap_or_else(|| panic!("{} not on screen at {size:?}:\n{text}", r.control));
            let strip: String = line.chars().skip_while(|c| !"█✗▒·".contains(*c)).collect();
            assert_eq!(
                strip.contains('✗'),
                r.missed > 0,
                "{} with {} missed at {size:?}: {line}",
                r.control,
                r.missed
            );
        }
    }
}

#[test]
fn the_dates_prompt_of_an_audit_keeps_labels_apart_from_values() {
    let (_t, mut a) = app((120, 40));
    let i = a
        .rows
        .iter()
        .position(|r| r.id == "audit:AUD-SOC2-T2")
        .unwrap();
    a.lists.get_mut(&Tab::Timeline).unwrap().selected = i;
    a.update(Msg::Action(Action::EditDue), d("2026-11-26"));
    let text = snapshot::text(&snapshot::render(&a).unwrap());
    assert!(text.contains("window from 2026-06-01"), "{text}");
    assert!(text.contains("window to   2026-11-30"), "{text}");
}

#[test]
fn audit_dates_are_used_as_given_and_future_parts_are_planned() {
    let (_t, s) = demo();
    let as_of = d("2026-11-26");
    let a = analysis::assess(&s, as_of);
    let sched = timeline::schedule(&s, &a);
    let item = |id: &str| {
        sched
            .items
            .iter()
            .find(|i| i.id == id)
            .unwrap_or_else(|| panic!("{id} missing"))
    };
    // The projected Type II report is the audit's own report date, not window end + 42 days.
    let audit = s
        .audits
        .iter()
        .find(|x| x.id.as_str() == "AUD-SOC2-T2")
        .unwrap();
    let report = audit.report_date.unwrap();
    assert_eq!(report, d("2027-01-15"));
    let soc2 = a
        .frameworks
        .iter()
        .find(|f| f.key == FrameworkKey::from("soc2"))
        .unwrap();
    assert_eq!(soc2.projected.type2_report, Some(report));
    assert_eq!(item("projected:soc2:type2").start, report);
    assert_eq!(item("audit:AUD-SOC2-T2:report").start, report);
    // The window runs (as_of is inside it); the fieldwork and the report are still ahead.
    assert_eq!(item("audit:AUD-SOC2-T2").state, timeline::State::Running);
    let fieldwork = item("audit:AUD-SOC2-T2:fieldwork");
    assert!(fieldwork.start > as_of);
    assert_eq!(fieldwork.state, timeline::State::Planned);
    assert_eq!(
        item("audit:AUD-SOC2-T2:report").state,
        timeline::State::Planned
    );
    // On a day inside the fieldwork, the fieldwork runs and the window is over.
    let during = fieldwork.start;
    let sched = timeline::schedule(&s, &analysis::assess(&s, during));
    let state = |id: &str| sched.items.iter().find(|i| i.id == id).unwrap().state;
    assert_eq!(
        state("audit:AUD-SOC2-T2:fieldwork"),
        timeline::State::Running
    );
    assert_eq!(state("audit:AUD-SOC2-T2"), timeline::State::Done);
    // Without a report date the projection derives it: window end + 42 days.
    let mut no_report = s.clone();
    for x in &mut no_report.audits {
        if x.id.as_str() == "AUD-SOC2-T2" {
            x.report_date = None;
        }
    }
    let a = analysis::assess(&no_report, as_of);
    let p = &a
        .frameworks
        .iter()
        .find(|f| f.key == FrameworkKey::from("soc2"))
        .unwrap()
        .projected;
    assert_eq!(p.type2_report, Some(d("2027-01-11")));
}

#[test]
fn the_next_pci_assessment_is_projected_a_year_after_the_last() {
    let (_t, s) = demo();
    let as_of = d("2026-11-26");
    let sched = timeline::schedule(&s, &analysis::assess(&s, as_of));
    let saq = s
        .audits
        .iter()
        .filter(|x| x.kind == certready::domain::AuditKind::PciSaq)
        .filter_map(|x| x.point_in_time.or(x.fieldwork_start))
        .max()
        .expect("the demo plans a PCI SAQ");
    let next = sched
        .items
        .iter()
        .find(|i| i.id == "projected:pci:assessment")
        .expect("the next PCI assessment is projected");
    assert_eq!(
        next.start,
        saq.checked_add_months(chrono::Months::new(12)).unwrap()
    );
    assert!(next.label.contains("PCI SAQ"), "{}", next.label);
    assert_eq!(next.state, timeline::State::Projected);
    // Seen from two years on, it is overdue.
    let later = d("2029-01-01");
    let sched = timeline::schedule(&s, &analysis::assess(&s, later));
    let next = sched
        .items
        .iter()
        .find(|i| i.id == "projected:pci:assessment")
        .unwrap();
    assert_eq!(next.state, timeline::State::Late);
}
