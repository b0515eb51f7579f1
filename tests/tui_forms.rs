//! Forms and yes/no questions as the user meets them: a text field edits like a terminal line
//! with the cursor drawn where it is, `y`/Enter confirm and `n`/Esc cancel "End exercise?",
//! `q` asks before quitting a running exercise or an unsaved what-if, and snapshots of an open
//! form and both questions at 80x24 and 160x48 on the demo pinned to 2026-11-26.

use certready::domain::Date;
use certready::tabletop::exercise::{Exercise, Kind};
use certready::tui::action::Action;
use certready::tui::app::{App, Effect, Mode, Msg};
use certready::tui::data::Data;
use certready::tui::prompt::confirm::Question;
use certready::tui::snapshot;
use certready::tui::tab::Tab;
use certready::tui::tabs::tabletop::Running;
use certready::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const START: i64 = 1_795_683_600; // 2026-11-26 09:00 UTC

fn today() -> Date {
    "2026-11-26".parse().unwrap()
}

fn demo(size: (u16, u16)) -> (tempfile::TempDir, App) {
    let t = tempfile::tempdir().unwrap();
    let store = certready::demo::build(t.path(), today(), "2026-11-26T09:00:00Z").unwrap();
    let mut data = Data::load(&store, today(), true).unwrap();
    data.chain = Some(store.verify().unwrap());
    data.facilitator = "Dana Reyes".into();
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

fn press(app: &mut App, code: KeyCode, m: KeyModifiers) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, m)), today())
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    press(app, code, KeyModifiers::NONE)
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn screen(app: &App) -> String {
    snapshot::text(&snapshot::render(app).unwrap())
}

/// The demo with the gateway-outage exercise under way, a decision logged, at +05:00.
fn running(size: (u16, u16)) -> (tempfile::TempDir, App) {
    let (t, mut app) = demo(size);
    let scenario = app
        .data
        .as_ref()
        .unwrap()
        .scenarios
        .iter()
        .find(|s| s.id == "gateway-outage")
        .unwrap()
        .clone();
    let mut exercise = Exercise::start("TT-20261126-1", "gateway-outage", "Dana Reyes", START);
    exercise.log(
        Kind::Decision,
        "fail over to the secondary provider",
        START + 60,
    );
    app.update(
        Msg::ExerciseStarted(Box::new(Running { exercise, scenario })),
        today(),
    );
    app.update(Msg::Tick(START + 300), today());
    (t, app)
}

#[test]
fn y_confirms_end_exercise_and_n_or_esc_keep_it_going() {
    let (_t, mut app) = running((160, 48));
    for no in [KeyCode::Char('n'), KeyCode::Esc] {
        key(&mut app, KeyCode::Char('E'));
        assert!(
            matches!(&app.mode, Mode::Confirm(c) if c.question == Question::EndExercise),
            "E asks first"
        );
        key(&mut app, KeyCode::Char('x'));
        assert!(
            matches!(app.mode, Mode::Confirm(_)),
            "another key is no answer"
        );
        assert!(key(&mut app, no).is_empty());
        assert!(app.running.is_some() && app.mode == Mode::Normal);
    }
    key(&mut app, KeyCode::Char('E'));
    let fx = key(&mut app, KeyCode::Char('y'));
    assert!(
        matches!(&fx[..], [Effect::FinishExercise(r)] if r.exercise.ended() && r.exercise.of(Kind::Decision).len() == 1),
        "{fx:?}"
    );
    assert!(app.running.is_none());
}

#[test]
fn enter_also_confirms_end_exercise() {
    let (_t, mut app) = running((80, 24));
    key(&mut app, KeyCode::Char('E'));
    let fx = key(&mut app, KeyCode::Enter);
    assert!(matches!(&fx[..], [Effect::FinishExercise(_)]));
}

#[test]
fn q_mid_exercise_asks_before_quitting() {
    let (_t, mut app) = running((160, 48));
    key(&mut app, KeyCode::Char('q'));
    assert!(!app.quit, "q alone does not quit a running exercise");
    let Mode::Confirm(c) = &app.mode else {
        panic!("no question: {:?}", app.mode)
    };
    assert_eq!(c.title, "Quit? the exercise is running (y/n)");
    key(&mut app, KeyCode::Char('n'));
    assert!(!app.quit && app.running.is_some());
    key(&mut app, KeyCode::Char('q'));
    key(&mut app, KeyCode::Char('q'));
    assert!(!app.quit, "q answers no to its own question");
    press(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
    key(&mut app, KeyCode::Char('y'));
    assert!(app.quit);
}

#[test]
fn q_quits_at_once_without_an_exercise_and_asks_with_an_unsaved_what_if() {
    let (_t, mut app) = demo((160, 48));
    key(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
    let (_t, mut app) = demo((160, 48));
    app.update(Msg::Action(Action::TabTimeline), today());
    let task = app
        .rows
        .iter()
        .position(|r| r.id == "task:T-082")
        .expect("a task row on the Timeline");
    for _ in 0..task {
        app.update(Msg::Action(Action::Down), today());
    }
    app.update(Msg::Action(Action::Later), today());
    assert!(!app.shape.timeline.whatif.is_empty(), "a what-if change");
    key(&mut app, KeyCode::Char('q'));
    assert!(
        matches!(&app.mode, Mode::Confirm(c) if c.question == Question::QuitWhatIf),
        "{:?}",
        app.mode
    );
    key(&mut app, KeyCode::Esc);
    assert!(!app.quit);
}

#[test]
fn the_start_form_names_the_facilitator_who_can_be_changed() {
    let (_t, mut app) = demo((160, 48));
    app.update(Msg::Action(Action::TabTabletop), today());
    let i = app
        .rows
        .iter()
        .position(|r| r.id == "gateway-outage")
        .unwrap();
    for _ in 0..i {
        app.update(Msg::Action(Action::Down), today());
    }
    key(&mut app, KeyCode::Enter);
    let Mode::Prompt(p) = &app.mode else {
        panic!("no start form")
    };
    assert_eq!(p.value("run by"), "Dana Reyes");
    press(&mut app, KeyCode::Char('w'), KeyModifiers::CONTROL);
    typed(&mut app, "Okafor");
    let fx = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::StartExercise(s, who)] if s == "gateway-outage" && who == "Dana Okafor"),
        "{fx:?}"
    );
}

#[test]
fn an_open_form_and_both_questions_at_two_sizes() {
    for size in [(80, 24), (160, 48)] {
        let (_t, mut app) = demo(size);
        app.update(Msg::Action(Action::TabReview), today());
        app.update(Msg::Action(Action::ReviewAction), today());
        typed(&mut app, "Countersign BAA");
        for _ in 0..3 {
            key(&mut app, KeyCode::Left);
        }
        typed(&mut app, "the ");
        let text = screen(&app);
        assert!(text.contains("Countersign the ▏BAA"), "{text}");
        insta::assert_snapshot!(format!("review_action_form_{}x{}", size.0, size.1), text);

        let (_t, mut app) = running(size);
        key(&mut app, KeyCode::Char('E'));
        let text = screen(&app);
        assert!(text.contains("End exercise TT-20261126-1? (y/n)"), "{text}");
        assert!(text.contains("Injects played: 1 of"), "{text}");
        insta::assert_snapshot!(format!("end_exercise_{}x{}", size.0, size.1), text);
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char('q'));
        let text = screen(&app);
        assert!(
            text.contains("Quit? the exercise is running (y/n)"),
            "{text}"
        );
        insta::assert_snapshot!(format!("quit_running_{}x{}", size.0, size.1), text);
    }
}
