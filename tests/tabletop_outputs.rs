//! What a tabletop exercise leaves behind, end to end through the store thread: in the demo,
//! the gateway-outage inject's signal takes the simulated gateway down, and the collector's
//! checks of it during the drill are exercise output (no monitoring finding, no evidence, not
//! in the review pack); ending it brings the simulator back up, after which real failures open
//! a monitoring finding as before. The facilitator named at the start, the action's due date,
//! the injects played and the exercises held reach the log, the report and the Tabletop tab.

use certready::collect::{check, sim};
use certready::domain::{Date, FindingSource};
use certready::tabletop::exercise::Kind;
use certready::tui::app::{Effect, Msg};
use certready::tui::data::Data;
use certready::tui::tabs::tabletop::Running;
use certready::tui::worker;
use certready::workspace::Workspace;

mod common;
use common::bin;

fn today() -> Date {
    "2026-11-26".parse().unwrap()
}

fn start(store: &mut certready::store::Store, ws: &Workspace, who: &str) -> Box<Running> {
    let msgs = worker::handle(
        store,
        ws,
        Effect::StartExercise("gateway-outage".into(), who.into()),
        true,
        today(),
    )
    .unwrap();
    let [Msg::ExerciseStarted(r)] = &msgs[..] else {
        panic!("no exercise: {msgs:?}")
    };
    r.clone()
}

/// Polls the demo gateway (the simulator at `url`) once with the real collector and hands the
/// check to the store thread.
fn poll(store: &mut certready::store::Store, ws: &Workspace, url: &str) -> bool {
    let spec = certready::demo::gateway_spec(ws.dir(), url);
    let clients = check::Clients::for_specs(std::slice::from_ref(&spec));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let o = rt.block_on(check::run(&spec, &clients));
    let ok = o.ok;
    worker::handle(store, ws, Effect::Ingest(vec![o]), true, today()).unwrap();
    ok
}

#[test]
fn a_demo_exercise_signal_opens_no_monitoring_finding_and_stays_out_of_the_review_pack() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("demo");
    let mut store = certready::demo::build(&dir, today(), "2026-11-26T09:00:00Z").unwrap();
    let ws = Workspace::new(&dir);
    let (port, state) = sim::start(0, "up", certready::demo::SIM_KEY).unwrap();
    let url = format!("http://127.0.0.1:{port}");
    std::fs::write(dir.join("sim-url.txt"), &url).unwrap();
    let monitoring = |store: &certready::store::Store| {
        store
            .snapshot()
            .unwrap()
            .findings
            .into_iter()
            .filter(|f| f.source == FindingSource::Monitoring)
            .map(|f| f.id.to_string())
            .collect::<Vec<_>>()
    };
    let before = monitoring(&store);
    let r = start(&mut store, &ws, "Dana Reyes");
    let msgs = worker::handle(
        &mut store,
        &ws,
        Effect::Signal("down".into()),
        true,
        today(),
    )
    .unwrap();
    assert!(
        matches!(&msgs[..], [Msg::Info(m)] if m.contains("switched to down") && m.contains("exercise output")),
        "{msgs:?}"
    );
    assert_eq!(state.mode(), "down");
    for _ in 0..4 {
        assert!(
            !poll(&mut store, &ws, &url),
            "the drill takes the gateway down"
        );
    }
    assert_eq!(
        monitoring(&store),
        before,
        "four failed drill checks open no finding"
    );
    let src = store
        .sources()
        .unwrap()
        .into_iter()
        .find(|s| s.name == certready::demo::GATEWAY)
        .unwrap();
    assert_eq!(src.kind, "tabletop");
    assert!(
        src.last_summary
            .starts_with(&format!("exercise {} (simulated): ", r.exercise.id)),
        "{}",
        src.last_summary
    );
    assert_eq!(src.consecutive_failures, 0);
    // Ending the exercise brings the simulator back up.
    let mut done = r.clone();
    done.exercise.end(done.exercise.started() + 600);
    worker::handle(&mut store, &ws, Effect::FinishExercise(done), true, today()).unwrap();
    assert_eq!(state.mode(), "up");
    assert!(poll(&mut store, &ws, &url));
    drop(store);
    let md = common::run(&dir, &["review", "--as-of", "2026-11-26"]);
    assert!(!md.contains("MON-LLM-GATEWAY"), "{md}");
    assert!(!md.contains("`llm-gateway` failing"), "{md}");
    // After the drill a real outage is monitoring again.
    let mut store = ws.open().unwrap();
    state.set_mode("down");
    for _ in 0..3 {
        poll(&mut store, &ws, &url);
    }
    let after = monitoring(&store);
    assert_eq!(
        after.len(),
        before.len() + 1,
        "real failures still open a finding"
    );
    assert!(
        after.iter().any(|f| f.starts_with("MON-LLM-GATEWAY")),
        "{after:?}"
    );
}

#[test]
fn the_facilitator_the_due_date_the_injects_played_and_the_exercises_held_are_shown() {
    let t = tempfile::tempdir().unwrap();
    let ws = Workspace::new(&t.path().join("ws"));
    let mut store = ws.init("Org", false, "2026-11-26T09:00:00Z").unwrap();
    let mut r = start(&mut store, &ws, "Dana Reyes");
    assert_eq!(r.exercise.facilitator, "Dana Reyes");
    let t0 = r.exercise.started();
    r.exercise.log(Kind::Gap, "no status page runbook", t0 + 60);
    r.exercise.action(
        "write the status page runbook",
        "sam",
        "2027-01-15".parse().ok(),
        t0 + 90,
    );
    r.exercise.end(t0 + 120);
    let msgs = worker::handle(
        &mut store,
        &ws,
        Effect::FinishExercise(r.clone()),
        false,
        today(),
    )
    .unwrap();
    assert!(matches!(&msgs[0], Msg::ExerciseEnded(m) if m.contains("1 finding(s), 1 task(s)")));
    let id = r.exercise.id.clone();
    let report = std::fs::read_to_string(certready::ops::tabletop::report_path(&ws, &id)).unwrap();
    let n = r.scenario.injects.len();
    assert!(report.contains("- Facilitator: Dana Reyes"), "{report}");
    assert!(
        report.contains(&format!("- Injects played: 1 of {n}")),
        "{report}"
    );
    assert!(report.contains("## Injects not played"), "{report}");
    assert!(
        report.contains(&format!("- 2. {}", r.scenario.injects[1].title)),
        "{report}"
    );
    assert!(
        report.contains("Action: write the status page runbook (sam, due 2027-01-15)"),
        "{report}"
    );
    let html = std::fs::read_to_string(ws.dir().join(format!("reports/{id}.html"))).unwrap();
    assert!(html.contains(&format!("Injects played: 1 of {n}")));
    // The Tabletop tab lists it, and the next start form proposes the same facilitator.
    let data = Data::load(&store, today(), false).unwrap();
    assert_eq!(data.facilitator, "Dana Reyes");
    let rows = certready::tui::tabs::tabletop::rows(&data, &certready::tui::tabs::Shape::default());
    let row = rows
        .iter()
        .find(|x| x.id == id)
        .expect("the exercise is listed");
    let text = &row.cells[3].text;
    assert!(
        text.contains("gateway-outage · Dana Reyes · 1 finding(s) · 1 task(s)"),
        "{text}"
    );
    assert!(
        rows.iter()
            .any(|x| x.heading && x.cells[0].text == "Exercises held (1)")
    );
    let theme = certready::tui::theme::Theme::named("default").unwrap();
    let detail: Vec<String> = certready::tui::tabs::tabletop::detail(&data, &id, &theme)
        .iter()
        .map(ToString::to_string)
        .collect();
    let path = ws
        .dir()
        .join(format!("reports/{id}.md"))
        .display()
        .to_string();
    assert!(detail.iter().any(|l| l.trim() == path), "{detail:?}");
    assert!(
        detail.iter().any(|l| l.contains(&format!("F-{id}-G1"))),
        "{detail:?}"
    );
    // The list sees the exercise end in the workspace, not only in memory.
    let out = bin()
        .arg("--workspace")
        .arg(ws.dir())
        .args(["tabletop", "list"])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains(&id));
}
