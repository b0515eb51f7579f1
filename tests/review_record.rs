//! The management review as ISO/IEC 27001 clause 9.3 asks for it: the 9.3 sections and the
//! flags on the empty ones, the follow-up of the last review's actions (done, late, open) and
//! decisions, the `--action` refusal, a recorded week re-rendered byte for byte, the stored
//! review as evidence of the management-review controls, re-running a date storing nothing,
//! and a 9.3 input typed in the Review tab reaching the store and the pack.

mod common;
use common::{bin, run};
use std::path::{Path, PathBuf};

fn demo() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("demo");
    bin()
        .arg("demo")
        .arg(&ws)
        .args(["--as-of", "2026-11-26"])
        .assert()
        .success();
    (t, ws)
}

fn db(ws: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(ws.join("certready.db")).unwrap()
}

/// Row counts of the tables a review writes, and the change log's head.
fn state(ws: &Path) -> Vec<String> {
    let c = db(ws);
    [
        "SELECT COUNT(*) || '' FROM change_log",
        "SELECT COALESCE(MAX(chain_hash), '') FROM change_log",
        "SELECT COUNT(*) || '' FROM evidence",
        "SELECT COUNT(*) || '' FROM notes",
        "SELECT COUNT(*) || '' FROM tasks",
        "SELECT COUNT(*) || '' FROM review_records",
        "SELECT COUNT(*) || '' FROM review_inputs",
        "SELECT COUNT(*) || '' FROM review_snapshots",
    ]
    .iter()
    .map(|q| c.query_row(q, [], |r| r.get::<_, String>(0)).unwrap())
    .collect()
}

#[test]
fn the_93_sections_are_all_there_and_the_empty_ones_are_flagged() {
    let (_t, ws) = demo();
    let md = run(&ws, &["review", "--as-of", "2026-11-19"]);
    for clause in [
        "### 9.3.2 a:",
        "### 9.3.2 b:",
        "### 9.3.2 c:",
        "### 9.3.2 d:",
        "### 9.3.2 e:",
        "### 9.3.2 f:",
        "### 9.3.2 g:",
        "### 9.3.3 decisions:",
        "### 9.3.3 changes:",
    ] {
        assert!(md.contains(clause), "{clause} missing:\n{md}");
    }
    assert!(md.contains("2 of 9 covered. Empty: 9.3.2 a, 9.3.2 b, 9.3.2 c, 9.3.2 e, 9.3.2 g, 9.3.3 decisions, 9.3.3 changes."), "{md}");
    assert!(md.contains("| 9.3.2 b | Changes in external and internal issues | meeting | EMPTY |"));
    assert!(
        md.contains("| 9.3.2 d | Feedback on information security performance | model | yes |")
    );
    assert!(md.contains("pass `--input external-issues=TEXT`"));
    // Typed inputs cover their sections; the HTML says the same.
    let md = run(
        &ws,
        &[
            "review",
            "--as-of",
            "2026-11-26",
            "--input",
            "external-issues=A new EU AI Act duty from 2027",
            "--input",
            "feedback=Two customers asked for the SOC 2 bridge letter",
            "--decision",
            "Fund the BAA negotiation",
        ],
    );
    assert!(
        md.contains("| 9.3.2 b | Changes in external and internal issues | meeting | yes |"),
        "{md}"
    );
    assert!(md.contains("\nA new EU AI Act duty from 2027\n"), "{md}");
    assert!(
        md.contains("Empty: 9.3.2 c, 9.3.2 g, 9.3.3 changes."),
        "{md}"
    );
    let html = run(&ws, &["review", "--week", "2026-11-26", "--format", "html"]);
    assert!(
        html.contains("<h3>9.3.2 c: Changes in needs and expectations of interested parties</h3>")
    );
    assert!(
        html.contains("<strong class=\"down\">EMPTY</strong>: nothing recorded"),
        "{html}"
    );
    assert!(html.contains("<p>Two customers asked for the SOC 2 bridge letter</p>"));
    // An unknown input is refused before anything is stored.
    let before = state(&ws);
    let out = bin()
        .arg("--workspace")
        .arg(&ws)
        .args([
            "review",
            "--as-of",
            "2026-12-03",
            "--input",
            "weather=sunny",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown review input `weather`"));
    assert_eq!(state(&ws), before);
}

#[test]
fn the_last_reviews_actions_are_followed_up_done_late_or_open_with_its_decisions() {
    let (t, ws) = demo();
    run(
        &ws,
        &[
            "review",
            "--as-of",
            "2026-11-12",
            "--decision",
            "Adopt quarterly access reviews",
            "--action",
            "Countersign the Meridian BAA | jonas | 2026-11-16",
            "--action",
            "Rotate gateway keys | maria | 2026-12-30",
            "--action",
            "Publish the ISMS scope | sam | 2026-11-14",
        ],
    );
    // One action's task is done by the next review.
    let f = t.path().join("tasks.csv");
    std::fs::write(
        &f,
        "id,title,owner,status,due\nT-REV-20261112-3,Publish the ISMS scope,sam,done,2026-11-14\n",
    )
    .unwrap();
    run(&ws, &["import", f.to_str().unwrap()]);
    let md = run(&ws, &["review", "--as-of", "2026-11-19"]);
    let follow = md.split_once("## Follow-up of the last review").unwrap().1;
    assert!(
        follow.contains("Actions of the review of 2026-11-12, as of 2026-11-19:"),
        "{follow}"
    );
    assert!(follow.contains("- Late: Countersign the Meridian BAA (owner jonas, due 2026-11-16, task T-REV-20261112-1)"), "{follow}");
    assert!(
        follow.contains(
            "- Open: Rotate gateway keys (owner maria, due 2026-12-30, task T-REV-20261112-2)"
        ),
        "{follow}"
    );
    assert!(
        follow.contains(
            "- Done: Publish the ISMS scope (owner sam, due 2026-11-14, task T-REV-20261112-3)"
        ),
        "{follow}"
    );
    assert!(
        follow.contains("Decisions of the last review:\n\n- Adopt quarterly access reviews\n"),
        "{follow}"
    );
    assert!(
        md.contains("- 3 action(s) of the review of 2026-11-12: 1 done, 1 late, 1 open"),
        "{md}"
    );
}

#[test]
fn a_malformed_action_is_refused_in_one_line_and_nothing_is_stored() {
    let (_t, ws) = demo();
    run(&ws, &["review", "--as-of", "2026-11-19"]);
    let before = state(&ws);
    for bad in [
        "Countersign the BAA",
        "Countersign the BAA | jonas",
        "Countersign the BAA | jonas | next week",
        "Countersign the BAA | | 2026-12-10",
        "Countersign | jonas | 2026-12-10 | extra",
        "Countersign\nthe BAA | jonas | 2026-12-10",
    ] {
        let out = bin()
            .arg("--workspace")
            .arg(&ws)
            .args([
                "review",
                "--as-of",
                "2026-11-26",
                "--decision",
                "Keep going",
                "--action",
                bad,
            ])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{bad:?} accepted");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{bad:?}: {err}");
        assert!(
            err.contains("expected `TEXT | OWNER | YYYY-MM-DD`"),
            "{err}"
        );
        assert_eq!(state(&ws), before, "{bad:?} changed the database");
    }
}

#[test]
fn a_past_week_re_renders_byte_for_byte_and_says_when_it_cannot() {
    let (t, ws) = demo();
    let w1 = t.path().join("week1.md");
    let w1h = t.path().join("week1.html");
    run(
        &ws,
        &[
            "review",
            "--as-of",
            "2026-11-19",
            "--decision",
            "Hire a privacy lead",
            "--action",
            "Draft the DPIA | maria | 2026-12-01",
            "--out",
            w1.to_str().unwrap(),
        ],
    );
    run(
        &ws,
        &[
            "review",
            "--as-of",
            "2026-11-19",
            "--format",
            "html",
            "--out",
            w1h.to_str().unwrap(),
        ],
    );
    // More data, a second week.
    let f = t.path().join("risk.csv");
    std::fs::write(&f, "id,title,likelihood,impact,residual_likelihood,residual_impact\nR-NO-BAA,PHI disclosed to a vendor without a business associate agreement,4,4,2,4\n").unwrap();
    run(&ws, &["import", f.to_str().unwrap()]);
    let w2 = run(
        &ws,
        &[
            "review",
            "--as-of",
            "2026-11-26",
            "--decision",
            "Close the BAA gap",
        ],
    );
    assert!(w2.contains("inherent 20→16"), "{w2}");
    let again = run(&ws, &["review", "--week", "2026-11-19"]);
    assert_eq!(again.as_bytes(), std::fs::read(&w1).unwrap().as_slice());
    let again = run(&ws, &["review", "--week", "2026-11-19", "--format", "html"]);
    assert_eq!(again.as_bytes(), std::fs::read(&w1h).unwrap().as_slice());
    // A week with no record, and a template changed since, are said on one line.
    let out = bin()
        .arg("--workspace")
        .arg(&ws)
        .args(["review", "--week", "2026-11-05"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("the pack of 2026-11-05 cannot be reproduced"),
        "{err}"
    );
    std::fs::create_dir_all(ws.join("templates")).unwrap();
    std::fs::write(ws.join("templates/review_93.md"), "changed\n").unwrap();
    let out = bin()
        .arg("--workspace")
        .arg(&ws)
        .args(["review", "--week", "2026-11-19"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cannot be reproduced byte for byte"), "{err}");
}

#[test]
fn the_stored_review_is_evidence_of_the_management_review_controls_and_a_rerun_stores_nothing() {
    let (_t, ws) = demo();
    let args = [
        "review",
        "--as-of",
        "2026-11-26",
        "--decision",
        "Fund the BAA negotiation",
        "--action",
        "Countersign the BAA | jonas | 2026-12-10",
        "--input",
        "improvement=Automate the access review",
    ];
    let first = run(&ws, &args);
    let after_first = state(&ws);
    // The controls are found through the mappings: those mapped to ISO/IEC 27001 9.3.x.
    let c = db(&ws);
    let mut st = c.prepare("SELECT DISTINCT control_id FROM mappings WHERE framework = 'iso27001' AND ref_id LIKE '9.3%' AND relationship != 'inherited' ORDER BY 1").unwrap();
    let mapped: Vec<String> = st
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(!mapped.is_empty());
    let mut st = c.prepare("SELECT control_id, summary, content FROM evidence WHERE natural_key LIKE 'review:2026-11-26:%' ORDER BY 1").unwrap();
    let items: Vec<(String, String, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let controls: Vec<&str> = items.iter().map(|i| i.0.as_str()).collect();
    for m in &mapped {
        assert!(
            controls.contains(&m.as_str()),
            "{m} has no review evidence: {controls:?}"
        );
    }
    let (md_digest,): (String,) = c
        .query_row(
            "SELECT md_sha256 FROM review_records WHERE as_of = '2026-11-26'",
            [],
            |r| Ok((r.get(0)?,)),
        )
        .unwrap();
    let (_, summary, content) = &items[0];
    assert!(summary.contains(&md_digest), "{summary}");
    assert!(summary.contains("1 decision(s), 1 action(s)"), "{summary}");
    assert!(
        content.contains("Fund the BAA negotiation")
            && content.contains("Automate the access review")
            && content.contains("\"checkpoint\":{"),
        "{content}"
    );
    assert_eq!(md_digest, certready::domain::sha256_hex(first.as_bytes()));
    // The same review again changes nothing and prints the same pack.
    let second = run(&ws, &args);
    assert_eq!(state(&ws), after_first);
    assert_eq!(second, first);
}

#[test]
fn a_93_input_typed_in_the_review_tab_is_stored_and_in_the_pack() {
    use certready::tui::action::Action;
    use certready::tui::app::{App, Effect, Mode, Msg};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let t = tempfile::tempdir().unwrap();
    let day: certready::domain::Date = "2026-11-26".parse().unwrap();
    let mut store = certready::demo::build(t.path(), day, "2026-11-26T09:00:00Z").unwrap();
    let ws = certready::workspace::Workspace::new(t.path());
    let mut app = App::new(
        certready::tui::keymap::Keymap::parse(certready::tui::keymap::DEFAULT).unwrap(),
        certready::tui::theme::Theme::named("default").unwrap(),
        (80, 24),
        "Lumen Health AI".into(),
    );
    let apply = |store: &mut certready::store::Store, app: &mut App, fx: Vec<Effect>| {
        for f in fx {
            for m in certready::tui::worker::handle(store, &ws, f, true, day).unwrap() {
                app.update(m, day);
            }
        }
    };
    apply(&mut store, &mut app, vec![Effect::Reload]);
    app.update(Msg::Action(Action::TabReview), day);
    assert!(!app.data.as_ref().unwrap().review.contains("Board approved"));
    let fx = app.update(Msg::Action(Action::ReviewInput), day);
    assert!(fx.is_empty());
    assert!(matches!(&app.mode, Mode::Prompt(_)), "{:?}", app.mode);
    for c in "Board approved the US launch".chars() {
        app.update(
            Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
            day,
        );
    }
    let fx = app.update(
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        day,
    );
    assert!(matches!(&fx[..], [Effect::ReviewInputs(..)]), "{fx:?}");
    apply(&mut store, &mut app, fx);
    assert_eq!(
        store.review_inputs("2026-11-26").unwrap(),
        vec![(
            "external-issues".to_owned(),
            "Board approved the US launch".to_owned()
        )]
    );
    let pack = &app.data.as_ref().unwrap().review;
    assert!(
        pack.contains("| 9.3.2 b | Changes in external and internal issues | meeting | yes |"),
        "{pack}"
    );
    assert!(pack.contains("\nBoard approved the US launch\n"), "{pack}");
    // The form opens again holding what is stored.
    app.update(Msg::Action(Action::ReviewInput), day);
    let Mode::Prompt(p) = &app.mode else {
        panic!("no form")
    };
    assert_eq!(p.value("external-issues"), "Board approved the US launch");
}
