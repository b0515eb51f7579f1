//! The what-if rescored in place (analysis::whatif) gives the same projections and schedule
//! as assessing a copy of the snapshot with the changes applied, and leaves the snapshot and
//! the assessment as they were; a task moved later pushes the tasks that depend on it, listed
//! with their saved dates; the critical path reads without colour.

use certready::analysis::timeline::{WhatIf, schedule};
use certready::analysis::{assess, whatif};
use certready::domain::{AuditKind, Date};
use certready::tui::action::Action;
use certready::tui::app::{App, Msg};
use certready::tui::data::Data;
use certready::tui::snapshot;
use certready::tui::tab::Tab;
use certready::tui::theme::Theme;

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap()
}

#[test]
fn rescoring_in_place_equals_assessing_a_copy() {
    let t = tempfile::tempdir().unwrap();
    let as_of: Date = "2026-11-26".parse().unwrap();
    let store = certready::demo::build(t.path(), as_of, "2026-11-26T09:00:00Z").unwrap();
    let mut s = store.snapshot().unwrap();
    let a = assess(&s, as_of);
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
        let r = whatif::rescore(&mut s, &a, &w);
        let got: Vec<_> = r.projections.iter().map(json).collect();
        assert_eq!(got, want, "{w:?}");
        assert_eq!(
            json(&r.schedule.to_schedule()),
            json(&schedule(&copy, &full)),
            "{w:?}"
        );
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
        assert_eq!(
            json(&r.schedule.to_schedule()),
            json(&schedule(&copy, &full)),
            "{w:?}"
        );
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

fn demo_app(size: (u16, u16), theme: Theme) -> (tempfile::TempDir, App) {
    let t = tempfile::tempdir().unwrap();
    let as_of: Date = "2026-11-26".parse().unwrap();
    let store = certready::demo::build(t.path(), as_of, "2026-11-26T09:00:00Z").unwrap();
    let data = Data::load(&store, as_of, false).unwrap();
    let app = snapshot::app_with(data, Tab::Timeline, size, theme, "Lumen Health AI").unwrap();
    (t, app)
}

fn select(app: &mut App, id: &str) {
    let i = app
        .rows
        .iter()
        .position(|r| r.id == id)
        .unwrap_or_else(|| panic!("no row {id}"));
    app.lists.get_mut(&Tab::Timeline).unwrap().selected = i;
}

fn due_of(app: &App, task: &str) -> Date {
    let row = app
        .rows
        .iter()
        .find(|r| r.id == format!("task:{task}"))
        .unwrap();
    row.bar.unwrap().1
}

/// T-043 depends on T-042: moving T-042 a week later pushes T-043 to start after it ends,
/// shown with its saved date; moving T-042 back undoes the push; the cascade equals what
/// `WhatIf::apply` gives.
#[test]
fn moving_a_task_later_pushes_the_tasks_that_depend_on_it() {
    let (_t, mut app) = demo_app((160, 48), Theme::named("default").unwrap());
    let as_of: Date = "2026-11-26".parse().unwrap();
    let (d42, d43) = (due_of(&app, "T-042"), due_of(&app, "T-043"));
    select(&mut app, "task:T-042");
    app.update(Msg::Action(Action::Later), as_of);
    let (n42, n43) = (due_of(&app, "T-042"), due_of(&app, "T-043"));
    assert_eq!(n42, d42 + chrono::Duration::days(7));
    // T-043 takes one day: it may end no earlier than the day after T-042 ends.
    assert_eq!(n43, n42 + chrono::Duration::days(1), "T-043 pushed");
    assert!(n43 > d43);
    let t43 = app.rows.iter().find(|r| r.id == "task:T-043").unwrap();
    assert!(t43.cells[0].text.contains("(what-if)"), "{:?}", t43.cells);
    assert!(
        t43.cells[1]
            .text
            .contains(&format!("(was {})", d43.format("%m-%d"))),
        "{:?}",
        t43.cells
    );
    let summary = app.whatif_summary.join("\n");
    assert!(
        summary.contains(&format!("T-043 {n43} (was {d43}, pushed)")),
        "{summary}"
    );
    // The same cascade through WhatIf::apply.
    let d = app.data.as_ref().unwrap();
    let applied = app.shape.timeline.whatif.apply(&d.snapshot);
    let due = |id: &str| {
        applied
            .tasks
            .iter()
            .find(|t| t.id.as_str() == id)
            .unwrap()
            .due
    };
    assert_eq!((due("T-042"), due("T-043")), (Some(n42), Some(n43)));
    // Moving T-042 back undoes the push.
    select(&mut app, "task:T-042");
    app.update(Msg::Action(Action::Earlier), as_of);
    assert_eq!((due_of(&app, "T-042"), due_of(&app, "T-043")), (d42, d43));
    // Moving it earlier pulls nothing.
    select(&mut app, "task:T-042");
    app.update(Msg::Action(Action::Earlier), as_of);
    assert_eq!(due_of(&app, "T-043"), d43);
    // Saving stores the pushed date with the moved one.
    select(&mut app, "task:T-042");
    app.update(Msg::Action(Action::Later), as_of);
    app.update(Msg::Action(Action::Later), as_of);
    let fx = app.update(Msg::Action(Action::SaveWhatIf), as_of);
    let saved = format!("{fx:?}");
    assert!(
        saved.contains("T-042") && saved.contains("T-043"),
        "{saved}"
    );
}

/// With NO_COLOR the critical path still reads: a `!` before each critical task on the
/// Timeline with a legend, and the word crit in the Tasks tab's Crit column.
#[test]
fn the_critical_path_is_marked_in_text_without_colour() {
    let mono = Theme::load("default", None, true).unwrap();
    let (_t, mut app) = demo_app((160, 48), mono);
    let as_of: Date = "2026-11-26".parse().unwrap();
    let d = app.data.as_ref().unwrap();
    let critical: Vec<String> = d
        .assessment
        .frameworks
        .iter()
        .flat_map(|f| f.projected.critical_path.iter().map(ToString::to_string))
        .collect();
    assert!(!critical.is_empty());
    let text = snapshot::text(&snapshot::render(&app).unwrap());
    assert!(text.contains("! critical path"), "legend:\n{text}");
    let mut seen = 0;
    for line in text.lines() {
        for id in &critical {
            if line.contains(&format!(" {id} ")) && line.contains('│') {
                assert!(line.contains(&format!("! {id}")), "{line}");
                seen += 1;
            }
        }
        // A task off the critical path keeps its bullet.
        if line.contains("• T-") {
            assert!(
                !critical.iter().any(|id| line.contains(&format!("• {id} "))),
                "{line}"
            );
        }
    }
    assert!(seen > 0, "no critical task on screen:\n{text}");
    app.update(Msg::Action(Action::TabTasks), as_of);
    let text = snapshot::text(&snapshot::render(&app).unwrap());
    assert!(text.contains("Crit"), "{text}");
    for id in &critical {
        let line = text
            .lines()
            .find(|l| l.contains(&format!("│{id} ")))
            .unwrap();
        assert!(line.contains(" crit"), "{line}");
    }
    let plain = text
        .lines()
        .find(|l| l.contains("│T-") && !critical.iter().any(|id| l.contains(id.as_str())))
        .unwrap();
    assert!(!plain.contains("crit"), "{plain}");
}
