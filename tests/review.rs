//! The weekly management-review pack at a pinned date: Markdown and HTML snapshots, the stored
//! snapshot that the next pack compares with, the meeting's decisions and actions, and a
//! workspace template override.

mod common;
use common::backend::{bin_for, bin_in, db, workspace};
use common::run;

/// One snapshot file for both backends (`pg_matrix_review` compiles this file too): the pack
/// from PostgreSQL must be the same bytes as from SQLite.
fn same_snapshot(name: &str, text: &str) {
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(format!("review__{name}"), text);
    });
}

#[test]
fn the_review_pack_compares_weeks_and_records_the_meeting() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("demo");
    bin_for(&ws)
        .arg("demo")
        .arg(&ws)
        .args(["--as-of", "2026-11-26"])
        .assert()
        .success();
    run(
        &ws,
        &[
            "review",
            "--as-of",
            "2026-11-19",
            "--out",
            t.path().join("last.md").to_str().unwrap(),
        ],
    );
    // A bad action is refused before anything is stored.
    let out = bin_in(&ws)
        .args([
            "review",
            "--as-of",
            "2026-11-26",
            "--action",
            "x | y | soon",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("YYYY-MM-DD")
    );
    // Written to a file, the pack names the signed checkpoint next to it; the HTML of the
    // same date below is the same recorded review (same checkpoint file name).
    let md_path = t.path().join("review.md");
    run(
        &ws,
        &[
            "review",
            "--as-of",
            "2026-11-26",
            "--decision",
            "Accept the Meridian BAA risk for two weeks",
            "--action",
            "Countersign the Meridian BAA | jonas | 2026-12-10",
            "--out",
            md_path.to_str().unwrap(),
        ],
    );
    let md = std::fs::read_to_string(&md_path).unwrap();
    assert!(md.contains("Compared with the snapshot of 2026-11-19."));
    assert!(md.contains("| ISO/IEC 27001 | 19.5% | 0.0 pp |"), "{md}");
    assert!(md.contains("- Decision: Accept the Meridian BAA risk for two weeks"));
    assert!(
        md.contains(
            "- Action: Countersign the Meridian BAA (owner jonas, due 2026-12-10, task T-REV-20261126-1)"
        ),
        "{md}"
    );
    assert!(md.contains("No risk scores changed since the last review."));
    let (md, witness) = md.split_once("\n## Evidence checkpoint").unwrap();
    assert!(
        witness.contains("Signed by ed25519:") && witness.contains("evidence log 2364 rows, root "),
        "{witness}"
    );
    same_snapshot("review_pack_md", md);
    let html_path = t.path().join("review.html");
    run(
        &ws,
        &[
            "review",
            "--as-of",
            "2026-11-26",
            "--format",
            "html",
            "--out",
            html_path.to_str().unwrap(),
        ],
    );
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(
        html.starts_with("<!doctype html>")
            && html.contains("<svg")
            && html.contains("@media print")
    );
    assert!(!html.contains("<script"), "self-contained, no scripts");
    // The signed checkpoint sits next to the pack, and the pack names it.
    let cp = t.path().join("review.checkpoint.json");
    let verified = run(&ws, &["verify", "--checkpoint", cp.to_str().unwrap()]);
    assert!(
        verified.contains("extends it (consistency proof verified)"),
        "{verified}"
    );
    let (html, witness) = html.split_once("<h2>Evidence checkpoint</h2>").unwrap();
    assert!(witness.contains("review.checkpoint.json"), "{witness}");
    same_snapshot("review_pack_html", html);
    // One snapshot per review date; re-running a date replaces it.
    let c = db(&ws);
    let n: i64 = c
        .query_row("SELECT COUNT(*) FROM review_snapshots", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
    drop(c);
    // A week later, after a risk was re-rated, the pack shows the change.
    let f = t.path().join("risk.csv");
    std::fs::write(&f, "id,title,likelihood,impact,residual_likelihood,residual_impact\nR-NO-BAA,PHI disclosed to a vendor without a business associate agreement,4,4,2,4\n").unwrap();
    run(&ws, &["import", f.to_str().unwrap()]);
    let next = run(&ws, &["review", "--as-of", "2026-12-03"]);
    assert!(
        next.contains("- R-NO-BAA (score changed): inherent 20→16, residual 16→8"),
        "{next}"
    );
    // A workspace template overrides the shipped one.
    std::fs::create_dir_all(ws.join("templates")).unwrap();
    std::fs::write(
        ws.join("templates/review.md"),
        "Review {{ current.as_of }}: {{ current.frameworks|length }} frameworks\n",
    )
    .unwrap();
    assert_eq!(
        run(&ws, &["review", "--as-of", "2026-11-26"]),
        "Review 2026-11-26: 5 frameworks\n"
    );
}

#[test]
fn the_dashboards_decision_and_action_say_what_they_saved_and_the_action_becomes_a_task() {
    use certready::tui::app::{App, Effect};
    use certready::tui::keymap::Keymap;
    use certready::tui::theme::Theme;
    let t = tempfile::tempdir().unwrap();
    let day: certready::domain::Date = "2026-11-26".parse().unwrap();
    let dir = t.path().join("demo");
    bin_for(&dir)
        .arg("demo")
        .arg(&dir)
        .args(["--as-of", "2026-11-26"])
        .assert()
        .success();
    let ws = workspace(&dir);
    let mut store = ws.open().unwrap();
    let mut app = App::new(
        Keymap::parse(certready::tui::keymap::DEFAULT).unwrap(),
        Theme::named("default").unwrap(),
        (120, 40),
        "Lumen Health AI".into(),
    );
    let mut step = |store: &mut certready::store::Store, fx: Effect| {
        for m in certready::tui::worker::handle(store, &ws, fx, true, day).unwrap() {
            app.update(m, day);
        }
        app.message.clone().map(|(m, _)| m).unwrap_or_default()
    };
    step(&mut store, Effect::Reload);
    let said = step(
        &mut store,
        Effect::ReviewDecision(day, "Fund the BAA negotiation".into()),
    );
    assert_eq!(said, "saved: decision (u to undo)");
    let said = step(
        &mut store,
        Effect::ReviewAction(
            day,
            certready::ops::review::Action {
                text: "Countersign the BAA".into(),
                owner: "jonas".into(),
                due: "2026-12-10".parse().unwrap(),
            },
        ),
    );
    assert_eq!(
        said,
        "saved: action → task T-REV-20261126-1 (owner jonas, due 2026-12-10)"
    );
    let s = store.snapshot().unwrap();
    let task = s
        .tasks
        .iter()
        .find(|t| t.id.as_str() == "T-REV-20261126-1")
        .expect("the action is a task");
    assert_eq!(task.owner, "jonas");
    assert_eq!(
        task.due.map(|d| d.to_string()).as_deref(),
        Some("2026-12-10")
    );
    let meeting = certready::ops::review::meeting(&store, "2026-11-26").unwrap();
    assert!(
        meeting
            .iter()
            .any(|m| m.kind == "action" && m.task == "T-REV-20261126-1")
    );
    assert!(
        meeting
            .iter()
            .any(|m| m.kind == "decision" && m.text == "Fund the BAA negotiation")
    );
}
