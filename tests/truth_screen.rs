//! What the dashboard says is true (issue 16): a gateway reads UP on the Overview only from a
//! recent check of a configured gateway, judged at the dashboard's clock; the latency
//! sparkline keeps the stored history when live checks arrive; cut text ends in `…` and IDs
//! are never cut; raw keys and bare markers stay off the screen; a status-line message
//! belongs to the tab and action that made it; a demo's exercise report names its real place.

use certready::domain::Date;
use certready::tui::action::Action;
use certready::tui::app::{App, Effect, Msg};
use certready::tui::data::Data;
use certready::tui::snapshot;
use certready::tui::tab::Tab;
use certready::tui::theme::Theme;
use certready::tui::worker;
use certready::workspace::Workspace;

fn today() -> Date {
    "2026-11-26".parse().unwrap()
}

/// The demo's last stored gateway check: 2026-11-25 23:59:45 UTC.
const LAST: i64 = 1_795_651_185;

fn demo() -> (tempfile::TempDir, certready::store::Store) {
    let t = tempfile::tempdir().unwrap();
    let store = certready::demo::build(t.path(), today(), "2026-11-26T09:00:00Z").unwrap();
    (t, store)
}

fn app(store: &certready::store::Store, tab: Tab, size: (u16, u16)) -> App {
    let data = Data::load(store, today(), true).unwrap();
    snapshot::app_with(
        data,
        tab,
        size,
        Theme::named("default").unwrap(),
        "Lumen Health AI",
    )
    .unwrap()
}

fn screen(app: &App) -> String {
    snapshot::text(&snapshot::render(app).unwrap())
}

fn configure_gateway(dir: &std::path::Path) {
    let cfg = dir.join("certready.toml");
    std::fs::write(
        &cfg,
        "organization = \"Lumen Health AI\"\n[[gateway]]\nname = \"llm-gateway\"\npreset = \"litellm\"\nurl = \"http://127.0.0.1:9\"\ninterval = \"15s\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&cfg, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

#[test]
fn the_overview_says_up_only_from_a_recent_check_of_a_configured_gateway() {
    let (t, store) = demo();
    // Not configured: never UP, whatever the clock.
    let mut a = app(&store, Tab::Overview, (160, 48));
    for now in [0, LAST + 5, LAST + 86_400] {
        a.update(Msg::Tick(now), today());
        let text = screen(&a);
        assert!(!text.contains(" UP"), "{now}: {text}");
        assert!(text.contains("llm-gateway not configured"), "{text}");
        assert!(text.contains("until 11-25 23:59"), "{text}");
    }
    // Configured: UP just after its last check, stale a day later, by the clock passed in.
    configure_gateway(t.path());
    let mut a = app(&store, Tab::Overview, (160, 48));
    a.update(Msg::Tick(LAST + 10), today());
    let text = screen(&a);
    assert!(text.contains("● llm-gateway UP"), "{text}");
    a.update(Msg::Tick(LAST + 86_400), today());
    assert!(a.dirty, "going stale redraws the Overview");
    let text = screen(&a);
    assert!(!text.contains(" UP"), "{text}");
    assert!(
        text.contains("llm-gateway stale since 2026-11-25 23:59 UTC"),
        "{text}"
    );
}

#[test]
fn live_checks_after_a_pause_keep_the_stored_latency_history() {
    let (t, mut store) = demo();
    let ws = Workspace::new(t.path());
    let before = Data::load(&store, today(), true).unwrap().live.gateways[0]
        .latency
        .clone();
    assert_eq!(before.iter().flatten().count(), 24, "{before:?}");
    // A live check fourteen hours after the stored history ends.
    let at = LAST + 14 * 3600;
    let obs = certready::domain::Observation {
        source: "llm-gateway".into(),
        kind: "gateway",
        controls: vec!["GW-AVAIL-01".into()],
        at,
        ok: true,
        summary: "up".into(),
        content: "up\n".into(),
        latency_ms: 40,
        attempts: 1,
        gateway: Some(certready::domain::GatewayReading {
            state: certready::domain::GatewayState::Up,
            version: Some("1.52.0-sim".into()),
        }),
        fail_after: 3,
        interval_s: 15,
    };
    let msgs = worker::handle(&mut store, &ws, Effect::Ingest(vec![obs]), true, today()).unwrap();
    let Some(Msg::Live(u)) = msgs.into_iter().next() else {
        panic!("no live update")
    };
    let after = &u.gateways.as_ref().unwrap()[0].latency;
    // 23 stored hours, the pause, then the live hour.
    assert_eq!(after.len(), 25, "{after:?}");
    assert_eq!(&after[..23], &before[1..], "the stored hours stay");
    assert_eq!(after[23], None, "the pause is marked");
    assert_eq!(after[24], Some(40));
    let mut a = app(&store, Tab::Overview, (160, 48));
    a.update(Msg::Live(u), today());
    let text = screen(&a);
    assert!(text.contains("checks paused"), "{text}");
}

#[test]
fn cut_text_ends_in_an_ellipsis_and_ids_are_whole() {
    let (_t, store) = demo();
    for size in [(80, 24), (160, 48)] {
        for tab in [Tab::Controls, Tab::Risks, Tab::Findings, Tab::Vendors] {
            let a = app(&store, tab, size);
            let text = screen(&a);
            if text.lines().nth(2).is_some_and(|l| l.starts_with("│ID ")) {
                let page = usize::from(size.1) - 5;
                for r in a.rows.iter().take(page).filter(|r| !r.heading) {
                    let id = &r.cells[0].text;
                    assert!(
                        text.contains(id.as_str()),
                        "{tab:?} {size:?}: {id} cut\n{text}"
                    );
                }
            }
            for raw in [
                "not_started",
                "on_event",
                "self_assessment",
                "risk_accepted",
                "model_provider",
                "implemented!",
            ] {
                assert!(!text.contains(raw), "{tab:?} {size:?}: {raw}\n{text}");
            }
        }
    }
    let text = screen(&app(&store, Tab::Vendors, (160, 48)));
    assert!(text.contains("Lanternfish Observability"), "{text}");
    assert!(!text.contains("Lanternfish Observab "), "{text}");
    let text = screen(&app(&store, Tab::Risks, (160, 48)));
    assert!(text.contains("→ impact"), "{text}");
    assert!(text.contains("! control not designed"), "{text}");
    let text = screen(&app(&store, Tab::Overview, (160, 48)));
    assert!(text.contains("SOC 2 Type II"), "{text}");
    assert!(!text.contains("soc2_type2"), "{text}");
    assert!(
        text.contains("Subprocessor inventory with change…"),
        "{text}"
    );
}

#[test]
fn a_message_belongs_to_its_tab_and_action() {
    let (_t, store) = demo();
    let mut a = app(&store, Tab::Frameworks, (160, 48));
    a.update(Msg::Action(Action::GapsOnly), today());
    assert!(a.message.as_ref().unwrap().0.contains("gap and partial"));
    a.update(Msg::Action(Action::Down), today());
    assert!(a.message.is_some(), "moving in the list keeps it");
    a.update(Msg::Action(Action::TabControls), today());
    assert_eq!(a.message, None, "another tab clears it");
    let text = screen(&a);
    assert!(!text.contains("gap and partial"), "{text}");
    // A discarded what-if says so until the next what-if starts.
    a.update(Msg::Action(Action::TabTimeline), today());
    let task = a
        .rows
        .iter()
        .position(|r| r.id.starts_with("task:"))
        .unwrap();
    a.update(Msg::Action(Action::Top), today());
    for _ in 0..task {
        a.update(Msg::Action(Action::Down), today());
    }
    a.update(Msg::Action(Action::Later), today());
    a.update(Msg::Action(Action::Back), today());
    assert_eq!(a.message.as_ref().unwrap().0, "what-if discarded");
    a.update(Msg::Action(Action::Later), today());
    assert_ne!(
        a.message.as_ref().map(|m| m.0.as_str()),
        Some("what-if discarded")
    );
}

#[test]
fn a_demo_exercise_report_names_its_real_place() {
    let (t, mut store) = demo();
    let ws = Workspace::new(t.path());
    let msgs = worker::handle(
        &mut store,
        &ws,
        Effect::StartExercise("gateway-outage".into(), "Dana".into()),
        true,
        today(),
    )
    .unwrap();
    let Some(Msg::ExerciseStarted(mut r)) = msgs.into_iter().next() else {
        panic!("no exercise")
    };
    let t0 = r.exercise.started();
    r.exercise.log(
        certready::tabletop::exercise::Kind::Gap,
        "no status page runbook",
        t0 + 60,
    );
    r.exercise.end(t0 + 120);
    let msgs = worker::handle(&mut store, &ws, Effect::FinishExercise(r), true, today()).unwrap();
    let text = msgs
        .iter()
        .find_map(|m| match m {
            Msg::ExerciseEnded(s) => Some(s.clone()),
            _ => None,
        })
        .unwrap();
    let path = text
        .split("report in ")
        .nth(1)
        .and_then(|s| s.split(" (DEMO").next())
        .unwrap();
    assert!(std::path::Path::new(path).is_absolute(), "{text}");
    assert!(std::path::Path::new(path).is_file(), "{text}");
    assert!(path.starts_with(&*t.path().to_string_lossy()), "{text}");
    assert!(text.contains("deleted on quit"), "{text}");
}
