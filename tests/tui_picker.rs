//! Adding a source from a preset in the dashboard: on the Evidence tab's Sources view `A` opens
//! a filterable list of presets, Enter opens the chosen preset's parameters prefilled with its
//! defaults, and submitting appends a validated `[[source]]` to certready.toml through the
//! store thread's handler (the same code as `certready sources add`). A bad value leaves the
//! file byte-for-byte unchanged and the error, naming the parameter, is on screen.

use certready::domain::Date;
use certready::tui::app::{App, Effect, Mode, Msg};
use certready::tui::data::Data;
use certready::tui::snapshot;
use certready::tui::tab::Tab;
use certready::tui::theme::Theme;
use certready::workspace::Workspace;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn today() -> Date {
    "2026-11-26".parse().unwrap()
}

fn demo() -> (tempfile::TempDir, certready::store::Store, App) {
    let t = tempfile::tempdir().unwrap();
    let store = certready::demo::build(t.path(), today(), "2026-11-26T09:00:00Z").unwrap();
    let data = Data::load(&store, today(), true).unwrap();
    let app = snapshot::app_with(
        data,
        Tab::Evidence,
        (160, 48),
        Theme::named("default").unwrap(),
        "Lumen Health AI",
    )
    .unwrap();
    (t, store, app)
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)), today())
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn screen(app: &App) -> String {
    snapshot::text(&snapshot::render(app).unwrap())
}

/// Runs the effects as the store thread would and hands its answers back to the app.
fn run(store: &mut certready::store::Store, ws: &Workspace, app: &mut App, fx: Vec<Effect>) {
    for e in fx {
        for m in certready::tui::worker::handle(store, ws, e, true, today()).unwrap() {
            app.update(m, today());
        }
    }
}

/// Sources view, `A`, filter to `trivy`, Enter: the trivy-report parameters form.
fn open_trivy_form(app: &mut App) {
    key(app, KeyCode::Char('S'));
    key(app, KeyCode::Char('A'));
    let s = screen(app);
    assert!(s.contains("Add a source from a preset"), "{s}");
    assert!(s.contains("db-dump-file"), "the whole list first:\n{s}");
    typed(app, "trivy");
    let s = screen(app);
    assert!(s.contains("› trivy-report"), "{s}");
    assert!(
        !s.contains("db-dump-file"),
        "the filter narrows the list:\n{s}"
    );
    key(app, KeyCode::Enter);
    let s = screen(app);
    assert!(s.contains("Source from preset trivy-report (file)"), "{s}");
    assert!(
        s.contains("reports/trivy-*.json"),
        "defaults prefilled:\n{s}"
    );
}

/// Focuses the field `label` of the open form and replaces its value with `value`.
fn set(app: &mut App, label: &str, value: &str) {
    for _ in 0..10 {
        if let Mode::Prompt(p) = &app.mode
            && p.fields.get(p.focus).is_some_and(|f| f.label == label)
        {
            break;
        }
        key(app, KeyCode::Tab);
    }
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
        today(),
    );
    typed(app, value);
}

#[test]
fn a_preset_picked_and_filled_becomes_a_source_in_certready_toml() {
    let (t, mut store, mut app) = demo();
    let ws = Workspace::new(t.path());
    let before = std::fs::read_to_string(ws.config_path()).unwrap_or_default();
    open_trivy_form(&mut app);
    set(&mut app, "max_age_days", "3");
    let fx = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::AddSource(p, _)] if p == "trivy-report"),
        "{fx:?}"
    );
    run(&mut store, &ws, &mut app, fx);
    let after = std::fs::read_to_string(ws.config_path()).unwrap();
    assert!(after.starts_with(&before), "appended, not rewritten");
    let added = &after[before.len()..];
    assert!(added.contains("[[source]]"), "{added}");
    assert!(added.contains("preset = \"trivy-report\""), "{added}");
    assert!(added.contains("max_age_days = \"3\""), "{added}");
    let cfg = certready::collect::config::parse("certready.toml", &after).unwrap();
    assert!(cfg.source.iter().any(|s| s.name == "trivy-report"));
    let s = screen(&app);
    assert!(
        s.contains("added source trivy-report from trivy-report to certready.toml"),
        "{s}"
    );
}

#[test]
fn a_bad_parameter_leaves_certready_toml_unchanged_and_says_which() {
    let (t, mut store, mut app) = demo();
    let ws = Workspace::new(t.path());
    let before = std::fs::read(ws.config_path()).ok();
    open_trivy_form(&mut app);
    set(&mut app, "max_age_days", "soon");
    let fx = key(&mut app, KeyCode::Enter);
    run(&mut store, &ws, &mut app, fx);
    assert_eq!(
        std::fs::read(ws.config_path()).ok(),
        before,
        "file untouched"
    );
    let s = screen(&app);
    assert!(
        s.contains("max_age_days"),
        "the error names the parameter:\n{s}"
    );
    assert!(s.contains("not a whole number"), "{s}");
}

#[test]
fn secrets_take_a_variable_name_and_the_key_says_where_it_works() {
    let (t, mut store, mut app) = demo();
    let ws = Workspace::new(t.path());
    let before = std::fs::read(ws.config_path()).ok();
    key(&mut app, KeyCode::Char('A'));
    assert!(screen(&app).contains("press S for the Sources view"));
    key(&mut app, KeyCode::Char('S'));
    key(&mut app, KeyCode::Char('A'));
    typed(&mut app, "github-org-2fa");
    key(&mut app, KeyCode::Enter);
    let Mode::Prompt(p) = &app.mode else {
        panic!("no form")
    };
    let env = p
        .fields
        .iter()
        .find(|f| f.label.ends_with("(env var NAME)"))
        .map(|f| f.label)
        .expect("an env parameter");
    set(&mut app, "org", "acme");
    set(&mut app, env, "ghp_not_a_variable_name");
    let fx = key(&mut app, KeyCode::Enter);
    run(&mut store, &ws, &mut app, fx);
    assert_eq!(
        std::fs::read(ws.config_path()).ok(),
        before,
        "file untouched"
    );
    let s = screen(&app);
    assert!(s.contains("token_env"), "{s}");
    assert!(s.contains("NAME of an environment variable"), "{s}");
}
