//! `App::update` stepped action by action on the demo workspace (pinned to 2026-11-26): every
//! action, the forms behind edits, the mouse, and edits through the real store with undo.

use certready::domain::{ControlStatus, Date, EvidenceResult};
use certready::store::Edit;
use certready::tui::action::Action;
use certready::tui::app::{App, Effect, Mode, Msg};
use certready::tui::data::Data;
use certready::tui::snapshot;
use certready::tui::tab::Tab;
use certready::tui::theme::Theme;
use certready::tui::worker;
use certready::workspace::Workspace;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

fn today() -> Date {
    "2026-11-26".parse().unwrap()
}

fn demo(size: (u16, u16)) -> (tempfile::TempDir, App) {
    let t = tempfile::tempdir().unwrap();
    let store = certready::demo::build(t.path(), today(), "2026-11-26T09:00:00Z").unwrap();
    let mut data = Data::load(&store, today(), true).unwrap();
    data.chain = Some(store.verify().unwrap());
    let app = snapshot::app_with(
        data,
        Tab::Overview,
        size,
        Theme::named("default").unwrap(),
        "Lumen Health AI",
    )
    .unwrap();
    (t, app)
}

/// Runs an effect through the real store thread's handler; returns the stored edit's inverse
/// and the data reloaded after it.
fn through_store(
    store: &mut certready::store::Store,
    ws: &Workspace,
    fx: Effect,
) -> (Edit, Box<Data>) {
    let msgs = worker::handle(store, ws, fx, true, today()).unwrap();
    match &msgs[..] {
        [Msg::Edited { inverse, .. }, Msg::Loaded(data)] => (inverse.clone(), data.clone()),
        _ => panic!("unexpected replies"),
    }
}

/// Undoes a stored edit through the real store; returns the data reloaded after it.
fn undo_through_store(
    store: &mut certready::store::Store,
    ws: &Workspace,
    inverse: Edit,
) -> Box<Data> {
    through_store(
        store,
        ws,
        Effect::Edit {
            edit: inverse,
            undo: true,
        },
    )
    .1
}

fn act(app: &mut App, a: Action) -> Vec<Effect> {
    app.update(Msg::Action(a), today())
}

fn key(app: &mut App, c: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)), today())
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn select(app: &mut App, id: &str) {
    let i = app
        .rows
        .iter()
        .position(|r| r.id == id)
        .unwrap_or_else(|| panic!("{id} not listed"));
    act(app, Action::Top);
    for _ in 0..i {
        act(app, Action::Down);
    }
    assert_eq!(app.selected_row().unwrap().id, id);
}

#[test]
fn tabs_switch_by_number_and_cycle_both_ways() {
    let (_t, mut app) = demo((120, 40));
    for (a, tab) in [
        (Action::TabFrameworks, Tab::Frameworks),
        (Action::TabControls, Tab::Controls),
        (Action::TabRisks, Tab::Risks),
        (Action::TabFindings, Tab::Findings),
        (Action::TabTasks, Tab::Tasks),
        (Action::TabEvidence, Tab::Evidence),
        (Action::TabOverview, Tab::Overview),
    ] {
        act(&mut app, a);
        assert_eq!(app.tab, tab);
    }
    act(&mut app, Action::PrevTab);
    assert_eq!(app.tab, Tab::Review, "wraps backwards");
    act(&mut app, Action::NextTab);
    assert_eq!(app.tab, Tab::Overview, "wraps forwards");
    act(&mut app, Action::TabControls);
    assert_eq!(app.rows.len(), 83);
}

#[test]
fn moving_pages_and_jumps_keep_the_selection_visible() {
    let (_t, mut app) = demo((100, 24));
    act(&mut app, Action::TabControls);
    let page = app.page();
    assert!(page > 3 && page < 83);
    act(&mut app, Action::Down);
    act(&mut app, Action::Down);
    assert_eq!(app.list().selected, 2);
    act(&mut app, Action::Up);
    assert_eq!(app.list().selected, 1);
    act(&mut app, Action::PageDown);
    assert_eq!(app.list().selected, 1 + page);
    assert!(
        app.list().offset <= app.list().selected && app.list().selected < app.list().offset + page
    );
    act(&mut app, Action::Bottom);
    assert_eq!(app.list().selected, 82);
    assert_eq!(app.list().offset, 83 - page);
    act(&mut app, Action::Down);
    assert_eq!(app.list().selected, 82, "stops at the end");
    act(&mut app, Action::PageUp);
    assert_eq!(app.list().selected, 82 - page);
    act(&mut app, Action::Top);
    assert_eq!((app.list().selected, app.list().offset), (0, 0));
    act(&mut app, Action::Up);
    assert_eq!(app.list().selected, 0, "stops at the start");
    // A smaller terminal shows fewer rows per page.
    app.update(Msg::Resize(100, 16), today());
    assert!(app.page() < page);
}

#[test]
fn filter_narrows_any_list_and_esc_clears_it() {
    let (_t, mut app) = demo((120, 40));
    act(&mut app, Action::TabControls);
    act(&mut app, Action::Filter);
    assert_eq!(app.mode, Mode::Filter);
    typed(&mut app, "VEN-0");
    assert_eq!(app.rows.len(), 4);
    assert!(app.rows.iter().all(|r| r.id.starts_with("GW-VEN-0")));
    key(&mut app, KeyCode::Backspace);
    typed(&mut app, "02");
    assert_eq!(app.rows.len(), 1);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.list().filter, "VEN-02");
    act(&mut app, Action::Back);
    assert_eq!(app.rows.len(), 83, "Esc in normal mode clears the filter");
    act(&mut app, Action::Filter);
    typed(&mut app, "zzz");
    assert!(app.rows.is_empty());
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.rows.len(), 83);
}

#[test]
fn sort_cycles_and_reorders() {
    let (_t, mut app) = demo((120, 40));
    act(&mut app, Action::TabTasks);
    let by_due: Vec<String> = app.rows.iter().map(|r| r.id.clone()).collect();
    act(&mut app, Action::Sort);
    assert_eq!(app.list().sort, 1);
    let by_status: Vec<String> = app.rows.iter().map(|r| r.id.clone()).collect();
    assert_ne!(by_due, by_status);
    assert!(
        app.rows[0].heading && app.rows[0].cells[2].text.starts_with("todo ("),
        "grouped by status under headings"
    );
    assert_eq!(app.rows[1].cells[1].text, "todo");
    // Enter on a heading folds its group.
    let all = app.rows.len();
    act(&mut app, Action::Top);
    act(&mut app, Action::Open);
    assert!(app.rows.len() < all);
    act(&mut app, Action::Open);
    assert_eq!(app.rows.len(), all);
    act(&mut app, Action::EditStatus);
    assert!(app.message.as_ref().unwrap().1, "a heading has no status");
    act(&mut app, Action::Sort);
    act(&mut app, Action::Sort);
    act(&mut app, Action::Sort);
    assert_eq!(app.list().sort, 0, "wraps to the first order");
    assert!(app.message.as_ref().unwrap().0.contains("sorted by due"));
    act(&mut app, Action::TabRisks);
    let scores: Vec<u32> = app
        .rows
        .iter()
        .map(|r| r.cells[4].text.parse().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "the register is sorted by score"
    );
}

#[test]
fn open_folds_headings_opens_detail_and_back_closes_it() {
    let (_t, mut app) = demo((120, 40));
    act(&mut app, Action::TabFrameworks);
    let all = app.rows.len();
    assert_eq!(app.selected_row().unwrap().id, "soc2");
    act(&mut app, Action::Open);
    assert!(app.rows.len() < all, "folding SOC 2 hides its requirements");
    act(&mut app, Action::Open);
    assert_eq!(app.rows.len(), all);
    act(&mut app, Action::GapsOnly);
    assert!(app.shape.gaps_only);
    let reqs: Vec<_> = app.rows.iter().filter(|r| !r.heading).collect();
    assert!(!reqs.is_empty());
    assert!(
        reqs.iter()
            .all(|r| r.cells[1].text == "gap" || r.cells[1].text == "partial")
    );
    act(&mut app, Action::GapsOnly);
    act(&mut app, Action::TabControls);
    act(&mut app, Action::Open);
    assert!(app.list().detail);
    act(&mut app, Action::Back);
    assert!(!app.list().detail);
}

#[test]
fn help_and_palette_are_generated_from_the_keymap() {
    let (_t, mut app) = demo((120, 40));
    act(&mut app, Action::Help);
    assert_eq!(app.mode, Mode::Help);
    key(&mut app, KeyCode::Char('x'));
    assert_eq!(app.mode, Mode::Help, "an unbound key leaves help open");
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Normal, "Esc closes help");
    act(&mut app, Action::Palette);
    typed(&mut app, "evidence tab");
    assert!(matches!(&app.mode, Mode::Palette(q, 0) if q == "evidence tab"));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, Tab::Evidence);
    act(&mut app, Action::Quit);
    assert!(app.quit);
}

#[test]
fn edit_forms_produce_store_edits() {
    let (_t, mut app) = demo((120, 40));
    act(&mut app, Action::TabControls);
    select(&mut app, "GW-AUD-01");
    act(&mut app, Action::EditStatus);
    assert!(matches!(app.mode, Mode::Prompt(_)));
    key(&mut app, KeyCode::Right);
    let fx = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::Edit { edit: Edit::ControlStatus(id, ControlStatus::NotApplicable), undo: false }] if id.as_str() == "GW-AUD-01")
    );
    act(&mut app, Action::EditOwner);
    for _ in 0..3 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "audit-team");
    let fx = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::Edit { edit: Edit::ControlOwner(_, o), .. }] if o == "audit-team")
    );
    act(&mut app, Action::AddEvidence);
    let fx = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::AddEvidence { result: EvidenceResult::Pass, file: None, effective, .. }] if *effective == today())
    );
    act(&mut app, Action::EditDue);
    assert!(app.message.as_ref().unwrap().1, "no due date on a control");
    act(&mut app, Action::TabTasks);
    act(&mut app, Action::EditDue);
    typed(&mut app, "x");
    assert!(key(&mut app, KeyCode::Enter).is_empty());
    let Mode::Prompt(p) = &app.mode else {
        panic!("form closed on a bad date")
    };
    assert!(p.error.as_ref().unwrap().contains("not a date"));
    for _ in 0..20 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "2027-02-01");
    let fx = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::Edit { edit: Edit::TaskDue(_, Some(d)), .. }] if d.to_string() == "2027-02-01")
    );
    act(&mut app, Action::EditStatus);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Normal, "Esc cancels a form");
    act(&mut app, Action::TabRisks);
    act(&mut app, Action::AddNote);
    typed(&mut app, "reviewed with the CISO");
    let fx = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::Edit { edit: Edit::AddNote { entity, text, .. }, .. }] if entity == "risk" && text == "reviewed with the CISO")
    );
}

#[test]
fn undo_reload_and_store_messages() {
    let (_t, mut app) = demo((120, 40));
    assert!(act(&mut app, Action::Undo).is_empty());
    assert!(app.message.as_ref().unwrap().0.contains("nothing to undo"));
    let inverse = Edit::ControlStatus("GW-AUD-01".into(), ControlStatus::Implemented);
    app.update(
        Msg::Edited {
            inverse,
            description: "GW-AUD-01 status → not_applicable".into(),
            was_undo: false,
        },
        today(),
    );
    let fx = act(&mut app, Action::Undo);
    assert!(matches!(
        &fx[..],
        [Effect::Edit {
            edit: Edit::ControlStatus(_, ControlStatus::Implemented),
            undo: true
        }]
    ));
    assert!(app.undo.is_empty());
    let fx = act(&mut app, Action::Reload);
    assert!(matches!(&fx[..], [Effect::Reload, Effect::Verify]));
    app.update(Msg::Failed("database is busy".into()), today());
    assert_eq!(app.message, Some(("database is busy".into(), true)));
}

#[test]
fn the_mouse_switches_tabs_selects_rows_and_scrolls() {
    let (_t, mut app) = demo((120, 40));
    let click = |app: &mut App, column, row| {
        app.update(
            Msg::Mouse(MouseEvent {
                kind: MouseEventKind::Down(MouseButton::Left),
                column,
                row,
                modifiers: KeyModifiers::NONE,
            }),
            today(),
        )
    };
    click(&mut app, 29, 0);
    assert_eq!(app.tab, Tab::Controls, "` 3 Controls ` starts at column 28");
    click(&mut app, 5, 6);
    assert_eq!(
        app.list().selected,
        3,
        "row 6 is the fourth data row (tab bar, border, header above)"
    );
    click(&mut app, 5, 6);
    assert!(app.list().detail, "clicking the selected row opens it");
    app.update(
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::ScrollDown,
            column: 5,
            row: 6,
            modifiers: KeyModifiers::NONE,
        }),
        today(),
    );
    assert_eq!(app.list().selected, 6);
}

#[test]
fn edits_go_through_the_store_and_undo_restores_them() {
    let t = tempfile::tempdir().unwrap();
    let mut store = certready::demo::build(t.path(), today(), "2026-11-26T09:00:00Z").unwrap();
    let ws = Workspace::new(t.path());
    let edit = Effect::Edit {
        edit: Edit::ControlStatus("GW-AUD-01".into(), ControlStatus::NotStarted),
        undo: false,
    };
    let (inverse, data) = through_store(&mut store, &ws, edit);
    let status = |d: &Data| {
        d.snapshot
            .controls
            .iter()
            .find(|c| c.id.as_str() == "GW-AUD-01")
            .unwrap()
            .status
    };
    assert_eq!(status(&data), ControlStatus::NotStarted);
    let data = undo_through_store(&mut store, &ws, inverse);
    assert_eq!(status(&data), ControlStatus::Implemented);
    // Manual evidence with a file: copied into the workspace, digest recorded, undo removes it.
    let f = t.path().join("mfa-export.csv");
    std::fs::write(&f, "user,mfa\nalice,true\n").unwrap();
    let add = Effect::AddEvidence {
        control: "GW-MFA-01".into(),
        title: "Q4 MFA export".into(),
        effective: today(),
        result: EvidenceResult::Pass,
        file: Some(f),
    };
    let msgs = worker::handle(&mut store, &ws, add, true, today()).unwrap();
    let [Msg::Edited { inverse, .. }, Msg::Loaded(data)] = &msgs[..] else {
        panic!("unexpected replies")
    };
    let newest = &data.recent_evidence[0];
    assert_eq!(newest.title, "Q4 MFA export");
    assert_eq!(
        newest.content_digest,
        certready::store::chain::sha256_hex(b"user,mfa\nalice,true\n")
    );
    assert!(
        std::fs::read_dir(t.path().join("evidence"))
            .unwrap()
            .count()
            >= 1
    );
    assert!(store.verify().unwrap().ok());
    worker::handle(
        &mut store,
        &ws,
        Effect::Edit {
            edit: inverse.clone(),
            undo: true,
        },
        true,
        today(),
    )
    .unwrap();
    assert!(
        store.verify().unwrap().ok(),
        "removing the chain head keeps the chain valid"
    );
    let log = store.change_log(10).unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "undo" && e.entity == "controls")
    );
}

#[test]
fn timeline_zoom_pan_ledger_and_what_if() {
    let (_t, mut app) = demo((160, 48));
    act(&mut app, Action::TabTimeline);
    assert_eq!(app.tab, Tab::Timeline);
    let quarter = app.rows.len();
    act(&mut app, Action::Zoom);
    assert!(app.shape.timeline.year);
    assert!(
        app.rows.len() > quarter,
        "a year shows more of the schedule"
    );
    act(&mut app, Action::Zoom);
    let first = app.shape.timeline.first_day(today());
    act(&mut app, Action::PanRight);
    assert!(app.shape.timeline.first_day(today()) > first);
    act(&mut app, Action::PanLeft);
    assert_eq!(app.shape.timeline.first_day(today()), first);
    // What-if on the last task of the critical chain: a week later, then save.
    select(&mut app, "task:T-082");
    act(&mut app, Action::Later);
    assert_eq!(
        app.shape
            .timeline
            .whatif
            .due
            .get(&"T-082".into())
            .map(ToString::to_string)
            .as_deref(),
        Some("2027-01-29")
    );
    assert!(
        app.whatif_summary
            .iter()
            // The demo has unplanned requirements, so moving a task cannot give a date: the
            // summary says so instead of inventing one (the what-if on dates is in timeline.rs).
            // T-084 depends on T-082 and is pushed a day past it, so it becomes critical.
            .any(|l| l.contains("SOC 2: Type I ready no date (10 unplanned) · Type II report 2027-01-15 · critical T-084")),
        "{:?}",
        app.whatif_summary
    );
    assert!(
        app.rows
            .iter()
            .any(|r| r.cells[0].text.contains("(what-if)"))
    );
    act(&mut app, Action::Earlier);
    act(&mut app, Action::Earlier);
    assert_eq!(
        app.shape
            .timeline
            .whatif
            .due
            .get(&"T-082".into())
            .map(ToString::to_string)
            .as_deref(),
        Some("2027-01-15")
    );
    // Esc discards; nothing was sent to the store.
    act(&mut app, Action::Back);
    assert!(app.shape.timeline.whatif.is_empty());
    assert!(app.whatif_summary.is_empty());
    // The Type II window: longer, then saved as one audit edit.
    select(&mut app, "audit:AUD-SOC2-T2");
    act(&mut app, Action::Longer);
    act(&mut app, Action::Shorter);
    act(&mut app, Action::Longer);
    assert!(
        app.whatif_summary
            .iter()
            .any(|l| l.contains("Type II report 2027-02-14 (was 2027-01-15)")),
        "{:?}",
        app.whatif_summary
    );
    select(&mut app, "task:T-082");
    act(&mut app, Action::Later);
    let fx = act(&mut app, Action::SaveWhatIf);
    // T-084 depends on T-082: the week pushes it too, and its date is saved with the rest.
    assert_eq!(fx.len(), 3);
    assert!(fx.iter().any(|e| matches!(e, Effect::Edit { edit: Edit::TaskDue(id, Some(_)), .. } if id.as_str() == "T-084")));
    assert!(fx.iter().any(|e| matches!(e, Effect::Edit { edit: Edit::TaskDue(id, Some(_)), .. } if id.as_str() == "T-082")));
    assert!(fx.iter().any(|e| matches!(e, Effect::Edit { edit: Edit::AuditDates(id, _, Some(end), _), .. } if id.as_str() == "AUD-SOC2-T2" && end.to_string() == "2026-12-30")));
    assert!(app.shape.timeline.whatif.is_empty());
    // The ledger lists controls riskiest first and explains the missed periods.
    act(&mut app, Action::Ledger);
    assert!(app.shape.timeline.ledger);
    assert!(!app.rows.is_empty());
    act(&mut app, Action::Open);
    assert!(app.list().detail);
    act(&mut app, Action::Later);
    assert!(app.message.as_ref().unwrap().1, "no what-if in the ledger");
    // Audits can be edited from the schedule.
    act(&mut app, Action::Back);
    act(&mut app, Action::Ledger);
    select(&mut app, "audit:AUD-SOC2-T2");
    act(&mut app, Action::EditStatus);
    key(&mut app, KeyCode::Right);
    let fx = key(&mut app, KeyCode::Enter);
    assert!(matches!(
        &fx[..],
        [Effect::Edit {
            edit: Edit::AuditStatus(_, certready::domain::AuditStatus::Completed),
            ..
        }]
    ));
}

#[test]
fn tabletop_facilitation_logs_every_entry_and_saves_it() {
    use certready::tabletop::exercise::{Exercise, Kind};
    use certready::tui::tabs::tabletop::Running;
    let (_t, mut app) = demo((160, 48));
    act(&mut app, Action::TabTabletop);
    assert_eq!(app.tab, Tab::Tabletop);
    assert_eq!(app.rows.len(), 7, "the scenario picker lists the library");
    select(&mut app, "gateway-outage");
    // Enter asks who facilitates (prefilled, editable), then starts it.
    assert!(act(&mut app, Action::Open).is_empty());
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
        today(),
    );
    typed(&mut app, "dana");
    let fx = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::StartExercise(id, who)] if id == "gateway-outage" && who == "dana")
    );
    // The store thread answers with the exercise; from then on the tabletop keys apply.
    let scenario = app
        .data
        .as_ref()
        .unwrap()
        .scenarios
        .iter()
        .find(|s| s.id == "gateway-outage")
        .unwrap()
        .clone();
    let start = 1_800_000_000;
    let exercise = Exercise::start("TT-20270115-1", "gateway-outage", "dana", start);
    let signal_at: Vec<usize> = scenario
        .injects
        .iter()
        .enumerate()
        .filter(|(_, i)| i.signal.is_some())
        .map(|(n, _)| n)
        .collect();
    let fx = app.update(
        Msg::ExerciseStarted(Box::new(Running { exercise, scenario })),
        today(),
    );
    assert!(
        matches!(&fx[..], [Effect::Signal(m)] if m == "down"),
        "the first inject takes the gateway down"
    );
    assert!(signal_at.len() >= 2);
    app.update(Msg::Tick(start + 30), today());
    let press = |app: &mut App, c: KeyCode| {
        app.update(Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)), today())
    };
    press(&mut app, KeyCode::Char('D'));
    typed(&mut app, "fail over to the secondary provider");
    let fx = press(&mut app, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::SaveExercise(ex)] if ex.of(Kind::Decision)[0].text == "fail over to the secondary provider")
    );
    press(&mut app, KeyCode::Char('g'));
    typed(&mut app, "no status page runbook");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('a'));
    typed(&mut app, "write the status page runbook");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "sam");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "2027-02-01");
    let fx = press(&mut app, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::SaveExercise(ex)] if ex.of(Kind::Action)[0].owner.as_deref() == Some("sam"))
    );
    press(&mut app, KeyCode::Char('n'));
    typed(&mut app, "status page updated at 02:40");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('p'));
    typed(&mut app, "dana, sam, priya");
    press(&mut app, KeyCode::Enter);
    let r = app.running.as_ref().unwrap();
    assert_eq!(r.exercise.participants(), vec!["dana", "sam", "priya"]);
    assert_eq!(r.exercise.of(Kind::Note).len(), 1);
    // Pause stops the clock; next and back move between injects.
    press(&mut app, KeyCode::Char(' '));
    assert!(app.running.as_ref().unwrap().exercise.paused());
    app.update(Msg::Tick(start + 3_000), today());
    assert_eq!(
        app.running.as_ref().unwrap().exercise.current(),
        0,
        "a paused clock brings no inject"
    );
    press(&mut app, KeyCode::Char(' '));
    let fx = press(&mut app, KeyCode::Right);
    assert_eq!(app.running.as_ref().unwrap().exercise.current(), 1);
    assert_eq!(
        fx.iter().any(|e| matches!(e, Effect::Signal(_))),
        signal_at.contains(&1),
        "a signal goes with the inject that has one"
    );
    press(&mut app, KeyCode::Left);
    assert_eq!(app.running.as_ref().unwrap().exercise.current(), 0);
    // Time brings the next inject on its own.
    let fx = app.update(Msg::Tick(start + 3_000 + 11 * 60), today());
    assert!(matches!(&fx[..], [Effect::SaveExercise(_)]));
    assert_eq!(app.running.as_ref().unwrap().exercise.current(), 1);
    // Ending asks first (n keeps it going), then hands the exercise to the store thread.
    press(&mut app, KeyCode::Char('E'));
    assert!(press(&mut app, KeyCode::Char('n')).is_empty());
    assert!(app.running.is_some());
    press(&mut app, KeyCode::Char('E'));
    let fx = press(&mut app, KeyCode::Char('y'));
    assert!(
        matches!(&fx[..], [Effect::FinishExercise(r)] if r.exercise.ended() && r.exercise.of(Kind::Gap).len() == 1)
    );
    assert!(app.running.is_none());
}

#[test]
fn the_review_tab_shows_the_pack_and_records_the_meeting() {
    let (_t, mut app) = demo((120, 40));
    act(&mut app, Action::TabReview);
    assert_eq!(app.tab, Tab::Review);
    // The pack's Markdown as blocks: the heading without its `#`, a table row by its cells.
    assert_eq!(
        app.rows[0].cells[0].text,
        "Management review: Lumen Health AI, week ending 2026-11-26"
    );
    assert!(app.rows.iter().any(|r| r.id.starts_with('t')
        && r.cells.len() == 7
        && r.cells[0].text == "SOC 2"
        && r.cells[1].text == "21.1%"));
    act(&mut app, Action::ReviewDecision);
    typed(&mut app, "Fund the BAA negotiation");
    let fx = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::ReviewDecision(day, text)] if day.to_string() == "2026-11-26" && text == "Fund the BAA negotiation")
    );
    act(&mut app, Action::ReviewAction);
    typed(&mut app, "Countersign the BAA");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "jonas");
    let fx = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::ReviewAction(_, a)] if a.text == "Countersign the BAA" && a.owner == "jonas" && a.due.to_string() == "2026-12-10"),
        "an action is due two weeks after the meeting unless the form says otherwise: {fx:?}"
    );
}

#[test]
fn p_drafts_a_task_per_unplanned_requirement_previewed_then_written_and_undone_at_once() {
    let t = tempfile::tempdir().unwrap();
    let mut store = certready::demo::build(t.path(), today(), "2026-11-26T09:00:00Z").unwrap();
    let ws = Workspace::new(t.path());
    let data = Data::load(&store, today(), true).unwrap();
    let unplanned = |d: &Data| d.assessment.frameworks[0].projected.unplanned.clone();
    let before = unplanned(&data);
    assert!(
        !before.is_empty(),
        "the demo's SOC 2 has unplanned requirements"
    );
    let tasks_before = data.snapshot.tasks.len();
    let mut app = snapshot::app_with(
        data,
        Tab::Frameworks,
        (160, 48),
        Theme::named("default").unwrap(),
        "Lumen Health AI",
    )
    .unwrap();
    // On another tab the key says where it works and writes nothing.
    act(&mut app, Action::TabOverview);
    assert!(act(&mut app, Action::PlanUnplanned).is_empty());
    assert!(app.message.as_ref().unwrap().0.contains("Frameworks tab"));
    act(&mut app, Action::TabFrameworks);
    select(&mut app, "soc2");
    // The form previews the drafts before anything is written.
    assert!(act(&mut app, Action::PlanUnplanned).is_empty());
    let Mode::Prompt(p) = &app.mode else {
        panic!("no form")
    };
    assert!(p.title.contains("SOC 2"), "{}", p.title);
    assert!(
        p.preview.iter().any(|l| l.contains(" via GW-")),
        "{:?}",
        p.preview
    );
    assert_eq!(p.fields[0].value, "2026-12-26");
    // Esc cancels with nothing written.
    assert!(key(&mut app, KeyCode::Esc).is_empty());
    act(&mut app, Action::PlanUnplanned);
    for _ in 0..10 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "2027-01-15");
    let fx = key(&mut app, KeyCode::Enter);
    let [
        Effect::Edit {
            edit: Edit::AddTasks(drafts),
            undo: false,
        },
    ] = &fx[..]
    else {
        panic!("expected one AddTasks edit, got {fx:?}")
    };
    assert!(drafts.iter().all(|d| d.due.to_string() == "2027-01-15"));
    assert!(drafts.iter().all(|d| d.title.starts_with("Close SOC 2")));
    let n = drafts.len();
    let (inverse, data) = through_store(&mut store, &ws, fx[0].clone());
    assert_eq!(data.snapshot.tasks.len(), tasks_before + n);
    // Every requirement a task could plan is planned now; only unmapped ones may remain.
    let left = unplanned(&data);
    assert!(left.len() < before.len(), "{left:?}");
    for id in &left {
        let r = data.assessment.frameworks[0]
            .readiness
            .requirements
            .iter()
            .find(|r| r.ref_id.as_str() == id)
            .unwrap();
        assert!(r.controls.is_empty(), "{id} is mapped but still unplanned");
    }
    // One undo takes every draft back.
    let data = undo_through_store(&mut store, &ws, inverse);
    assert_eq!(data.snapshot.tasks.len(), tasks_before);
    assert_eq!(unplanned(&data), before);
}
