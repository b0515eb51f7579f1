//! The what-if rescored in place (analysis::whatif) gives the same projections and schedule
//! as assessing a copy of the snapshot with the changes applied, and leaves the snapshot and
//! the assessment as they were.

use certready::analysis::timeline::{WhatIf, schedule};
use certready::analysis::{assess, whatif};
use certready::domain::{AuditKind, Date};

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap()
}

#[test]
fn rescoring_in_place_equals_assessing_a_copy() {
    let t = tempfile::tempdir().unwrap();
    let as_of: Date = "2026-11-26".parse().unwrap();
    let store = certready::demo::build(t.path(), as_of, "2026-11-26T09:00:00Z").unwrap();
    let mut s = store.snapshot().unwrap();
    let mut a = assess(&s, as_of);
    let (s0, a0) = (format!("{s:?}"), json(&a));
    let task = s.tasks.iter().find(|x| x.due.is_some()).unwrap();
    let audit = s
        .audits
        .iter()
        .find(|x| x.kind == AuditKind::Soc2Type2 && x.window_start.is_some())
        .unwrap();
    let (due, ws, we) = (
        task.due.unwrap(),
        audit.window_start.unwrap(),
        audit.window_end.unwrap(),
    );
    let mut cases = Vec::new();
    for days in [-70i64, 7, 400] {
        let mut w = WhatIf::default();
        w.due
            .insert(task.id.clone(), due + chrono::Duration::days(days));
        cases.push(w);
    }
    for (ds, de) in [(7, 7), (0, 31), (-200, -200), (400, 500)] {
        let mut w = WhatIf::default();
        w.windows.insert(
            audit.id.clone(),
            (
                ws + chrono::Duration::days(ds),
                we + chrono::Duration::days(de),
            ),
        );
        cases.push(w);
    }
    for w in cases {
        let copy = w.apply(&s);
        let full = assess(&copy, as_of);
        let want: Vec<_> = full.frameworks.iter().map(|f| json(&f.projected)).collect();
        let r = whatif::rescore(&mut s, &mut a, &w);
        let got: Vec<_> = r.projections.iter().map(json).collect();
        assert_eq!(got, want, "{w:?}");
        assert_eq!(json(&r.schedule), json(&schedule(&copy, &full)), "{w:?}");
        assert_eq!(format!("{s:?}"), s0, "the snapshot is put back");
        assert_eq!(json(&a), a0, "the assessment is put back");
    }
}

/// One cache kept over a sequence of key presses (a task moved, moved back, a second task
/// moved, a Type II window moved), then dropped on reload, gives what a full rescore of a
/// changed copy gives at every step.
#[test]
fn a_kept_cache_equals_assessing_a_copy_at_every_step() {
    let t = tempfile::tempdir().unwrap();
    let as_of: Date = "2026-11-26".parse().unwrap();
    let store = certready::demo::build(t.path(), as_of, "2026-11-26T09:00:00Z").unwrap();
    let mut s = store.snapshot().unwrap();
    let mut a = assess(&s, as_of);
    let (s0, a0) = (format!("{s:?}"), json(&a));
    // Prefer a task others depend on, so the move reaches its dependents.
    let depended: Vec<_> = s.tasks.iter().flat_map(|x| x.depends_on.clone()).collect();
    let first = s
        .tasks
        .iter()
        .filter(|x| x.due.is_some())
        .max_by_key(|x| depended.contains(&x.id))
        .unwrap()
        .clone();
    let second = s
        .tasks
        .iter()
        .find(|x| x.due.is_some() && x.id != first.id)
        .unwrap()
        .clone();
    let audit = s
        .audits
        .iter()
        .find(|x| x.kind == AuditKind::Soc2Type2 && x.window_start.is_some())
        .unwrap()
        .clone();
    let week = chrono::Duration::days(7);
    let mut steps = Vec::new();
    let mut w = WhatIf::default();
    w.due.insert(first.id.clone(), first.due.unwrap() + week);
    steps.push(w.clone());
    w.due.insert(first.id.clone(), first.due.unwrap());
    steps.push(w.clone());
    w.due.insert(
        second.id.clone(),
        second.due.unwrap() + chrono::Duration::days(300),
    );
    steps.push(w.clone());
    w.windows.insert(
        audit.id.clone(),
        (
            audit.window_start.unwrap() + week,
            audit.window_end.unwrap() + chrono::Duration::days(60),
        ),
    );
    steps.push(w.clone());
    let mut cache = whatif::Cache::new(&s, &a);
    let check = |s: &mut certready::domain::Snapshot,
                 a: &mut certready::analysis::Assessment,
                 cache: &whatif::Cache,
                 w: &WhatIf| {
        let copy = w.apply(s);
        let full = assess(&copy, as_of);
        let want: Vec<_> = full.frameworks.iter().map(|f| json(&f.projected)).collect();
        let r = cache.rescore(s, a, w);
        let got: Vec<_> = r.projections.iter().map(json).collect();
        assert_eq!(got, want, "{w:?}");
        assert_eq!(json(&r.schedule), json(&schedule(&copy, &full)), "{w:?}");
    };
    for w in &steps {
        check(&mut s, &mut a, &cache, w);
        assert_eq!(format!("{s:?}"), s0, "the snapshot is put back");
        assert_eq!(json(&a), a0, "the assessment is put back");
    }
    // A reload: the second task's move is saved, the data assessed again, the cache rebuilt.
    let mut saved = WhatIf::default();
    saved.due.insert(
        second.id.clone(),
        second.due.unwrap() + chrono::Duration::days(300),
    );
    let mut s = saved.apply(&s);
    let mut a = assess(&s, as_of);
    assert!(cache.fits(&s, &a), "a cheap check cannot see a moved date");
    cache = whatif::Cache::new(&s, &a);
    for w in &steps {
        check(&mut s, &mut a, &cache, w);
    }
}
