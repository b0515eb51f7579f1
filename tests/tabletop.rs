//! Tabletop exercises: the shipped scenarios validate, bad scenarios and scripts name the line,
//! a scripted run produces exactly the expected findings, tasks and evidence, the after-action
//! report is snapshot-tested, and an exercise survives a crash and resumes.

use certready::tabletop::{self, exercise::Kind};
use certready::tui::app::{Effect, Msg};
use certready::tui::worker;
use std::path::PathBuf;

mod common;
use common::backend::{bin_for, bin_in, db, workspace as backend_workspace};
use common::fixture;

fn workspace() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("ws");
    bin_for(&ws).arg("init").arg(&ws).assert().success();
    (t, ws)
}

#[test]
fn every_shipped_scenario_validates_against_the_catalogs() {
    let (_t, ws) = workspace();
    let store = backend_workspace(&ws).open().unwrap();
    let all = tabletop::library(None, Some(&store.known().unwrap())).unwrap();
    assert!(all.len() >= 7);
    for id in [
        "prompt-injection-exfil",
        "leaked-provider-key",
        "gateway-outage",
        "phi-in-logs",
        "provider-breach",
        "unreviewed-model-change",
        "pan-in-prompts",
    ] {
        let s = all
            .iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("{id} missing"));
        assert!(
            !s.objectives.is_empty() && !s.roles.is_empty() && s.injects.len() >= 3,
            "{id}"
        );
        assert!(
            s.requirements.values().map(Vec::len).sum::<usize>() > 0,
            "{id}"
        );
        assert!(s.injects.iter().all(|i| !i.questions.is_empty()), "{id}");
    }
    assert!(
        all.iter()
            .any(|s| s.injects.iter().any(|i| i.signal.is_some())),
        "some inject drives the live gateway"
    );
}

#[test]
fn a_bad_scenario_or_script_names_the_line() {
    let (_t, ws) = workspace();
    let store = backend_workspace(&ws).open().unwrap();
    let known = store.known().unwrap();
    let base = tabletop::LIBRARY[0].1;
    let unknown_req = base.replacen("CC7.3", "CC77.3", 1);
    let e = tabletop::parse("s.yaml", &unknown_req, Some(&known)).unwrap_err();
    assert!(
        e.to_string().contains("unknown requirement `CC77.3`"),
        "{e}"
    );
    assert!(e.line.is_some());
    let extra = base.replacen("title:", "colour: red\ntitle:", 1);
    let e = tabletop::parse("s.yaml", &extra, None).unwrap_err();
    assert_eq!(
        e.line,
        Some(3),
        "{e}: a comment line, `id`, then the inserted field"
    );
    assert!(e.to_string().contains("unknown field `colour`"));
    let order = "id: x\ntitle: t\nsummary: s\nduration_minutes: 30\nobjectives: [o]\nroles: []\nrequirements: {}\ninjects:\n  - { at: 0, title: a, text: b }\n  - { at: 0, title: c, text: d }\n";
    let e = tabletop::parse("s.yaml", order, None).unwrap_err();
    assert_eq!(
        (e.line, e.field.as_deref()),
        (Some(10), Some("injects[1].at")),
        "{e}"
    );
    let e = tabletop::script::parse("run.script", "note: a\nshout: b\n").unwrap_err();
    assert_eq!(e.line, Some(2));
    let e = tabletop::script::parse("run.script", "action: x | y | next week\n").unwrap_err();
    assert!(
        e.to_string().contains("run.script:1") && e.to_string().contains("YYYY-MM-DD"),
        "{e}"
    );
    // A user scenario in the workspace with a bad line stops `tabletop list` with that line.
    std::fs::create_dir_all(ws.join("scenarios")).unwrap();
    std::fs::write(ws.join("scenarios/mine.yaml"), order).unwrap();
    let out = bin_in(&ws).args(["tabletop", "list"]).output().unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("mine.yaml:10: injects[1].at")
    );
}

#[test]
fn a_scripted_run_produces_exactly_the_expected_records() {
    let (_t, ws) = workspace();
    let out = bin_in(&ws)
        .args(["tabletop", "run", "prompt-injection-exfil", "--script"])
        .arg(fixture("tabletop/prompt-injection.script"))
        .args(["--as-of", "2026-11-26"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let conn = db(&ws);
    let findings: Vec<(String, String, String, String)> = conn
        .prepare("SELECT id, title, source, status FROM findings ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        findings,
        vec![
            (
                "F-TT-20261126-1-G1".into(),
                "no runbook for disabling a tool at the gateway".into(),
                "tabletop".into(),
                "open".into()
            ),
            (
                "F-TT-20261126-1-G2".into(),
                "tool-call logs lack the tenant id".into(),
                "tabletop".into(),
                "open".into()
            ),
        ]
    );
    let tasks: Vec<(String, String, String, String, Option<String>)> = conn
        .prepare("SELECT id, title, owner, due, finding_id FROM tasks ORDER BY id")
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        tasks,
        vec![
            (
                "T-TT-20261126-1-A1".into(),
                "write the tool kill-switch runbook".into(),
                "priya".into(),
                "2026-12-15".into(),
                Some("F-TT-20261126-1-G1".into())
            ),
            (
                "T-TT-20261126-1-A2".into(),
                "add tenant id to tool-call logs".into(),
                "keiko".into(),
                "2026-12-20".into(),
                Some("F-TT-20261126-1-G2".into())
            ),
            (
                "T-TT-20261126-1-A3".into(),
                "rehearse the kill switch quarterly".into(),
                "dana".into(),
                "2026-12-26".into(),
                Some("F-TT-20261126-1-G2".into())
            ),
        ]
    );
    let (control, source, effective, digest): (String, String, String, String) = conn
        .query_row("SELECT control_id, source, effective, content_digest FROM evidence WHERE source = 'tabletop'", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap();
    assert_eq!(
        (control.as_str(), source.as_str(), effective.as_str()),
        ("GW-IR-02", "tabletop", "2026-11-26")
    );
    let report = std::fs::read_to_string(ws.join("reports/TT-20261126-1.md")).unwrap();
    assert_eq!(
        digest,
        certready::store::chain::sha256_hex(report.as_bytes()),
        "the evidence is the report"
    );
    assert!(ws.join("reports/TT-20261126-1.html").is_file());
    let ended: Option<String> = conn
        .query_row(
            "SELECT ended FROM exercises WHERE id = 'TT-20261126-1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(ended.as_deref(), Some("2026-11-26T09:17:00Z"));
    // One snapshot file for both backends (`pg_matrix_tabletop` compiles this file too): the
    // report from PostgreSQL must be the same bytes as from SQLite.
    let one_file = |name: &str, text: &str| {
        insta::with_settings!({ prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("tabletop__{name}"), text);
        });
    };
    one_file("after_action_report_md", &report);
    let html = std::fs::read_to_string(ws.join("reports/TT-20261126-1.html")).unwrap();
    one_file("after_action_report_html", &html);
    let verify = bin_in(&ws).arg("verify").output().unwrap();
    assert!(verify.status.success());
}

#[test]
fn an_exercise_survives_a_crash_and_resumes() {
    let t = tempfile::tempdir().unwrap();
    let ws = backend_workspace(&t.path().join("ws"));
    let today = "2026-11-26".parse().unwrap();
    let mut store = ws.init("Org", false, "2026-11-26T09:00:00Z").unwrap();
    let msgs = worker::handle(
        &mut store,
        &ws,
        Effect::StartExercise("gateway-outage".into(), "dana".into()),
        false,
        today,
    )
    .unwrap();
    let [Msg::ExerciseStarted(r)] = &msgs[..] else {
        panic!("no exercise")
    };
    let mut ex = r.exercise.clone();
    ex.log(
        Kind::Decision,
        "fail over to the secondary provider",
        ex.started() + 30,
    );
    worker::handle(
        &mut store,
        &ws,
        Effect::SaveExercise(Box::new(ex.clone())),
        false,
        today,
    )
    .unwrap();
    drop(store); // the process dies here
    let mut store = ws.open().unwrap();
    let msgs = worker::handle(
        &mut store,
        &ws,
        Effect::StartExercise("gateway-outage".into(), "dana".into()),
        false,
        today,
    )
    .unwrap();
    let [Msg::ExerciseStarted(r)] = &msgs[..] else {
        panic!("no exercise")
    };
    assert_eq!(
        r.exercise.id, ex.id,
        "the open exercise is resumed, not restarted"
    );
    assert_eq!(r.exercise.of(Kind::Decision).len(), 1);
    let out = bin_in(ws.dir())
        .args(["tabletop", "list"])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("(open"));
}
