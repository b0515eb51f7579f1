//! Behaviour the tabs own, stepped through `App::update` on the demo workspace (pinned to
//! 2026-11-26): Enter on a requirement jumps to its mapped controls and Esc shows every
//! control again; notes are about the entity of the tab they are taken on; forms that make
//! no sense on a row say why instead of opening.

use certready::domain::Date;
use certready::tui::action::Action;
use certready::tui::app::{App, Mode, Msg};
use certready::tui::data::Data;
use certready::tui::prompt::Target;
use certready::tui::snapshot;
use certready::tui::tab::Tab;
use certready::tui::theme::Theme;

fn today() -> Date {
    "2026-11-26".parse().unwrap()
}

fn demo() -> (tempfile::TempDir, App) {
    let t = tempfile::tempdir().unwrap();
    let store = certready::demo::build(t.path(), today(), "2026-11-26T09:00:00Z").unwrap();
    let data = Data::load(&store, today(), true).unwrap();
    let app = snapshot::app_with(
        data,
        Tab::Overview,
        (160, 48),
        Theme::named("default").unwrap(),
        "demo",
    )
    .unwrap();
    (t, app)
}

fn act(app: &mut App, a: Action) {
    app.update(Msg::Action(a), today());
}

fn select_first(app: &mut App, pred: impl Fn(&certready::tui::rows::Row) -> bool) -> String {
    let i = app.rows.iter().position(pred).expect("a matching row");
    act(app, Action::Top);
    for _ in 0..i {
        act(app, Action::Down);
    }
    app.selected_row().unwrap().id.clone()
}

#[test]
fn enter_on_a_requirement_shows_only_its_mapped_controls_and_esc_shows_all() {
    let (_t, mut app) = demo();
    act(&mut app, Action::TabControls);
    let every = app.rows.len();
    act(&mut app, Action::TabFrameworks);
    // A requirement with two or more mapped controls.
    let id = select_first(&mut app, |r| {
        !r.heading
            && r.cells
                .last()
                .is_some_and(|c| c.text.parse::<usize>().unwrap_or(0) >= 2)
    });
    let (fw, req) = {
        let mut p = id.splitn(3, '/');
        (p.next().unwrap().to_owned(), p.nth(1).unwrap().to_owned())
    };
    let d = app.data.as_ref().unwrap();
    let mut mapped: Vec<String> = d
        .assessment
        .framework(&fw)
        .unwrap()
        .readiness
        .requirements
        .iter()
        .find(|q| q.ref_id.as_str() == req)
        .unwrap()
        .controls
        .iter()
        .map(|(c, _)| c.to_string())
        .collect();
    act(&mut app, Action::Open);
    assert_eq!(app.tab, Tab::Controls);
    let mut shown: Vec<String> = app.rows.iter().map(|r| r.id.clone()).collect();
    shown.sort();
    mapped.sort();
    assert_eq!(shown, mapped);
    assert!(shown.len() < every, "narrowed: {} of {every}", shown.len());
    let msg = &app.message.as_ref().unwrap().0;
    assert!(msg.contains(&format!("mapped to {fw} {req}")), "{msg}");
    act(&mut app, Action::Back);
    assert_eq!(app.rows.len(), every, "Esc shows every control again");
}

#[test]
fn a_single_mapped_control_opens_with_its_detail_and_leaving_the_tab_ends_the_jump() {
    let (_t, mut app) = demo();
    act(&mut app, Action::TabControls);
    let every = app.rows.len();
    act(&mut app, Action::TabFrameworks);
    let found = app
        .rows
        .iter()
        .position(|r| !r.heading && r.cells.last().is_some_and(|c| c.text == "1"));
    let Some(i) = found else {
        panic!("the demo has a requirement with one mapped control");
    };
    act(&mut app, Action::Top);
    for _ in 0..i {
        act(&mut app, Action::Down);
    }
    act(&mut app, Action::Open);
    assert_eq!(app.tab, Tab::Controls);
    assert_eq!(app.rows.len(), 1);
    assert!(app.list().detail, "one control: its detail opens");
    act(&mut app, Action::TabRisks);
    act(&mut app, Action::TabControls);
    assert_eq!(app.rows.len(), every, "the narrowing ended with the tab");
}

#[test]
fn notes_are_about_the_entity_of_the_tab() {
    let (_t, mut app) = demo();
    for (tab, entity) in [
        (Action::TabControls, "control"),
        (Action::TabRisks, "risk"),
        (Action::TabFindings, "finding"),
        (Action::TabTasks, "task"),
        (Action::TabEvidence, "evidence"),
        (Action::TabVendors, "vendor"),
        (Action::TabFrameworks, "requirement"),
    ] {
        act(&mut app, tab);
        let id = select_first(&mut app, |r| !r.heading);
        act(&mut app, Action::AddNote);
        let Mode::Prompt(p) = &app.mode else {
            panic!("no note form on {tab:?}: {:?}", app.message);
        };
        let Target::Note(e, key) = &p.target else {
            panic!("not a note: {:?}", p.target);
        };
        assert_eq!(e, entity, "{tab:?}");
        assert!(
            id.ends_with(key.rsplit(':').next().unwrap()),
            "{tab:?}: note key {key} for row {id}"
        );
        act(&mut app, Action::Back);
        assert_eq!(app.mode, Mode::Normal);
    }
}

#[test]
fn forms_that_do_not_apply_say_why() {
    let (_t, mut app) = demo();
    act(&mut app, Action::TabRisks);
    select_first(&mut app, |r| !r.heading);
    act(&mut app, Action::EditDue);
    assert_eq!(app.mode, Mode::Normal);
    let (m, err) = app.message.clone().unwrap();
    assert!(err && m.starts_with("not available here"), "{m}");
    // Some tab groups its rows under headings (whichever it is in this demo).
    let grouped = [
        Action::TabTasks,
        Action::TabFindings,
        Action::TabRisks,
        Action::TabControls,
    ]
    .into_iter()
    .find(|t| {
        act(&mut app, *t);
        app.rows.iter().any(|r| r.heading)
    })
    .expect("a tab with group headings");
    act(&mut app, grouped);
    select_first(&mut app, |r| r.heading);
    act(&mut app, Action::EditStatus);
    let (m, _) = app.message.clone().unwrap();
    assert_eq!(m, "select an item, not a group heading");
    act(&mut app, Action::TabEvidence);
    act(&mut app, Action::Sources);
    select_first(&mut app, |_| true);
    act(&mut app, Action::AddNote);
    assert_eq!(app.mode, Mode::Normal, "no notes on a collector source");
}
