//! The overlays not covered elsewhere, as the user meets them on the demo pinned to
//! 2026-11-26: the `:` command palette with a query (its matches come from the keymap's
//! descriptions) and the `/` filter being typed, at 80x24 and 160x48.

use certready::domain::Date;
use certready::tui::action::Action;
use certready::tui::app::{App, Mode, Msg};
use certready::tui::data::Data;
use certready::tui::snapshot;
use certready::tui::tab::Tab;
use certready::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn today() -> Date {
    "2026-11-26".parse().unwrap()
}

fn demo(tab: Tab, size: (u16, u16)) -> (tempfile::TempDir, App) {
    let t = tempfile::tempdir().unwrap();
    let store = certready::demo::build(t.path(), today(), "2026-11-26T09:00:00Z").unwrap();
    let data = Data::load(&store, today(), true).unwrap();
    let app = snapshot::app_with(
        data,
        tab,
        size,
        Theme::named("default").unwrap(),
        "Lumen Health AI",
    )
    .unwrap();
    (t, app)
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        app.update(
            Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
            today(),
        );
    }
}

fn screen(app: &App) -> String {
    snapshot::text(&snapshot::render(app).unwrap())
}

#[test]
fn the_command_palette_lists_what_matches_at_two_sizes() {
    for (w, h) in [(80, 24), (160, 48)] {
        let (_t, mut app) = demo(Tab::Controls, (w, h));
        app.update(Msg::Action(Action::Palette), today());
        typed(&mut app, "status");
        assert!(matches!(app.mode, Mode::Palette(ref q, _) if q == "status"));
        let s = screen(&app);
        assert!(s.contains("status"), "{s}");
        insta::assert_snapshot!(format!("palette_{w}x{h}"), s);
    }
}

#[test]
fn the_filter_being_typed_narrows_the_list_at_two_sizes() {
    for (w, h) in [(80, 24), (160, 48)] {
        let (_t, mut app) = demo(Tab::Controls, (w, h));
        let every = app.rows.len();
        app.update(Msg::Action(Action::Filter), today());
        typed(&mut app, "GW-AUD");
        assert_eq!(app.mode, Mode::Filter);
        assert!(app.rows.len() < every && !app.rows.is_empty());
        assert!(app.rows.iter().all(|r| r.matches("gw-aud")));
        insta::assert_snapshot!(format!("filter_{w}x{h}"), screen(&app));
    }
}
