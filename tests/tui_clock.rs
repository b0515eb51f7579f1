//! One clock: `App::update` is stepped with an explicit date across midnight. The day moving
//! asks the store thread to reload as of the new day, so a decision recorded after midnight
//! is in the pack on screen; a pinned date never moves.

use certready::domain::Date;
use certready::tui::action::Action;
use certready::tui::app::{App, Effect, Msg};
use certready::tui::data::Data;
use certready::tui::snapshot;
use certready::tui::tab::Tab;
use certready::tui::theme::Theme;
use certready::tui::worker;
use certready::workspace::Workspace;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

/// Seconds since the epoch at `hh:mm` UTC on `d`.
fn at(d: &str, hh: u32, mm: u32) -> i64 {
    day(d).and_hms_opt(hh, mm, 0).unwrap().and_utc().timestamp()
}

fn key(app: &mut App, c: KeyCode, today: Date) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)), today)
}

#[test]
fn the_dashboard_follows_midnight_and_a_late_decision_is_in_the_pack() {
    let t = tempfile::tempdir().unwrap();
    let evening = day("2026-11-26");
    let morning = day("2026-11-27");
    let mut store = certready::demo::build(t.path(), evening, "2026-11-26T09:00:00Z").unwrap();
    let ws = Workspace::new(t.path());
    let data = Data::load(&store, evening, true).unwrap();
    let mut app = snapshot::app_with(
        data,
        Tab::Review,
        (120, 40),
        Theme::named("default").unwrap(),
        "Lumen Health AI",
    )
    .unwrap();
    // Ticks on the same day ask for nothing.
    assert!(
        app.update(Msg::Tick(at("2026-11-26", 23, 59)), evening)
            .is_empty()
    );
    // The first tick after midnight reloads as of the new day.
    let fx = app.update(Msg::Tick(at("2026-11-27", 0, 0)), morning);
    assert!(
        matches!(&fx[..], [Effect::SetDate(d)] if *d == morning),
        "{fx:?}"
    );
    assert_eq!(app.today, Some(morning));
    let msgs = worker::handle(&mut store, &ws, fx[0].clone(), true, evening).unwrap();
    for m in msgs {
        assert!(app.update(m, morning).is_empty());
    }
    assert_eq!(app.data.as_ref().unwrap().as_of, morning);
    // A decision recorded now is dated today and shows in the pack for today.
    app.update(Msg::Action(Action::ReviewDecision), morning);
    for c in "Renew the pen test".chars() {
        key(&mut app, KeyCode::Char(c), morning);
    }
    let fx = key(&mut app, KeyCode::Enter, morning);
    assert_eq!(fx.len(), 1, "{fx:?}");
    let msgs = worker::handle(&mut store, &ws, fx[0].clone(), true, morning).unwrap();
    for m in msgs {
        app.update(m, morning);
    }
    let d = app.data.as_ref().unwrap();
    assert_eq!(d.as_of, morning);
    assert!(
        d.review.contains("Renew the pen test"),
        "the decision is in the pack on screen"
    );
}

#[test]
fn a_pinned_date_never_moves() {
    let t = tempfile::tempdir().unwrap();
    let pinned = day("2026-11-26");
    let store = certready::demo::build(t.path(), pinned, "2026-11-26T09:00:00Z").unwrap();
    let data = Data::load(&store, pinned, true).unwrap();
    let mut app = snapshot::app_with(
        data,
        Tab::Overview,
        (120, 40),
        Theme::named("default").unwrap(),
        "Lumen Health AI",
    )
    .unwrap();
    for (d, h) in [("2026-11-26", 23), ("2026-11-27", 0), ("2026-11-28", 12)] {
        assert!(app.update(Msg::Tick(at(d, h, 30)), pinned).is_empty());
    }
    assert_eq!(app.today, Some(pinned));
}
