//! The weekly reviewer's walkthrough, end to end in a real 120x40 pseudo-terminal: on the demo
//! workspace the reviewer opens the Review tab (`R`), records a decision of the meeting (`D`)
//! and an action with an owner and a due date (`a`), sees both in the pack on screen, and
//! quits. Afterwards the store must hold the decision as a note on the review of the
//! dashboard's day, the action must have become a remediation task `T-REV-<day>-1` with that
//! owner and due date, `certready review` for that day must list both in the pack, and the
//! terminal must be restored.
//!
//! The dashboard follows the clock (it has no `--as-of`), so the review's day is the local
//! date when the test runs; the test accepts the day before or after a midnight it straddles.

mod common;
#[path = "common/pty.rs"]
mod pty;

use pty::{Dashboard, ENTER, TAB, demo_workspace};

const DECISION: &str = "Keep the Type II window as planned";
const ACTION: &str = "Renew the Meridian BAA";
const OWNER: &str = "jonas";
const DUE: &str = "2026-12-18";

fn today() -> String {
    chrono::Local::now().date_naive().to_string()
}

#[test]
fn reviewer_records_a_decision_and_an_action_that_becomes_a_task() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let ws = demo_workspace(tmp.path());
    let first_day = today();
    let mut d = Dashboard::spawn(&ws, tmp.path(), 120, 40, "keiko");
    d.wait_for("Readiness");
    d.assert_raw_mode();

    d.press(b"R");
    d.wait_for("management review pack");
    d.press(b"D");
    d.wait_for("Decision of this review");
    d.fill(DECISION);
    d.press(ENTER);
    d.wait_gone("Decision of this review");
    d.wait_for("saved: decision");
    // The meeting's section is near the end of the pack.
    d.press(b"G");
    d.wait_for(&format!("Decision: {DECISION}"));

    d.press(b"a");
    d.wait_for("Action of this review");
    d.fill(ACTION);
    d.press(TAB);
    d.fill(OWNER);
    d.press(TAB);
    d.fill(DUE);
    d.press(ENTER);
    d.wait_gone("Action of this review");
    d.wait_for("saved: action");
    d.press(b"G");
    d.wait_for(&format!("Action: {ACTION}"));
    d.quit();
    let last_day = today();

    let store = common::backend::workspace(&ws)
        .open()
        .expect("open the workspace");
    let notes: Vec<_> = store
        .notes()
        .expect("notes")
        .into_iter()
        .filter(|n| n.entity == "review")
        .collect();
    let decision = format!("decision: {DECISION}");
    let day = notes.iter().find(|n| n.text == decision).map_or_else(
        || panic!("the decision is not stored: {notes:?}"),
        |n| n.entity_id.clone(),
    );
    assert!(
        day == first_day || day == last_day,
        "the decision is on the review of {day}, not of the dashboard's day {first_day}"
    );

    let task_id = format!("T-REV-{}-1", day.replace('-', ""));
    let snap = store.snapshot().expect("snapshot");
    let task = snap
        .tasks
        .iter()
        .find(|t| t.id.as_str() == task_id)
        .unwrap_or_else(|| {
            panic!(
                "the action did not become task {task_id}; review notes: {notes:?}; \
                 tasks from reviews: {:?}",
                snap.tasks
                    .iter()
                    .filter(|t| t.id.as_str().starts_with("T-REV-"))
                    .collect::<Vec<_>>()
            )
        });
    assert_eq!(task.title, ACTION);
    assert_eq!(task.owner, OWNER);
    assert_eq!(task.due.map(|x| x.to_string()).as_deref(), Some(DUE));

    let pack = common::run(&ws, &["review", "--as-of", &day]);
    assert!(
        pack.contains(&format!("- Decision: {DECISION}")),
        "the pack misses the decision:\n{pack}"
    );
    assert!(
        pack.contains(&format!(
            "- Action: {ACTION} (owner {OWNER}, due {DUE}, task {task_id})"
        )),
        "the pack misses the action and its task:\n{pack}"
    );
}
