//! The tabletop facilitator's walkthrough, end to end in a real 80x24 pseudo-terminal: on the
//! demo workspace the facilitator opens the Tabletop tab, picks the scenario
//! `leaked-provider-key` by name, starts it (Enter; a start form, where there is one, is given
//! the facilitator's name), logs one entry of every kind (note `n`, decision `D`, gap `g`,
//! action `a` with owner and due date, participants `p`), pauses and resumes the clock
//! (space), skips to the next inject (→) and back (←), ends the exercise (`E`, confirmed) and
//! quits. Afterwards the after-action report must exist and mention every entry, and the
//! store must hold the ended exercise with its log, the finding the gap became and the task the
//! action became (owner and due date as typed); the terminal must be restored.

mod common;
#[path = "common/pty.rs"]
mod pty;

use certready::domain::ExerciseKind;
use pty::{Dashboard, ENTER, LEFT, RIGHT, TAB, TIMEOUT, demo_workspace, poll_until};
use std::time::{Duration, Instant};

const SCENARIO: &str = "leaked-provider-key";
const FACILITATOR: &str = "Dana";
const NOTE: &str = "Pager reached the on-call lead";
const DECISION: &str = "Revoke the leaked key now";
const GAP: &str = "No runbook for key rotation";
const ACTION: &str = "Write the key rotation runbook";
const ACTION_OWNER: &str = "Lee";
const ACTION_DUE: &str = "2026-12-14";
const PARTICIPANTS: &str = "Dana, Lee, Sam";

/// Opens a form with `key`, waits for its title, types `text` and submits; waits until the
/// form is gone and `shown` is on the screen (the facilitator's log, newest first).
fn log(d: &mut Dashboard, key: &[u8], title: &str, text: &str, shown: &str) {
    d.press(key);
    d.wait_for(title);
    d.fill(text);
    d.press(ENTER);
    d.wait_gone(title);
    d.wait_for(shown);
}

/// Answers the end-of-exercise question with `y`; where the form ignores `y` (a no/yes
/// choice), chooses "yes" with → and submits. Returns which answer ended it.
fn confirm_end(d: &mut Dashboard) -> &'static str {
    d.press(b"y");
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(3) {
        if !d.screen().contains("End exercise") {
            return "y";
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        d.screen().contains("◂ no ▸"),
        "the end question neither took `y` nor offers a no/yes choice:\n{}",
        d.screen()
    );
    d.press(RIGHT);
    d.wait_for("◂ yes ▸");
    d.press(ENTER);
    d.wait_gone("End exercise");
    "→ then Enter"
}

#[test]
fn facilitator_runs_a_whole_exercise_and_gets_the_report() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let ws = demo_workspace(tmp.path());
    let mut d = Dashboard::spawn(&ws, tmp.path(), 80, 24, FACILITATOR);
    d.wait_for("Readiness");
    d.assert_raw_mode();

    // The scenario by its name, wherever it sits in the list.
    d.press(b"0");
    d.wait_for(SCENARIO);
    d.press(b"/");
    d.press(SCENARIO.as_bytes());
    d.press(ENTER);
    d.wait_gone("gateway-outage");
    d.press(ENTER);
    if d.wait_any(&["Inject 1/", "Start exercise"]) == 1 {
        d.fill(FACILITATOR);
        d.press(ENTER);
    }
    d.wait_for("Inject 1/5");
    let id = regex::Regex::new(r"TT-\d{8}-\d+")
        .expect("regex")
        .find(&d.screen())
        .map_or_else(
            || panic!("no exercise id on the screen:\n{}", d.screen()),
            |m| m.as_str().to_owned(),
        );

    log(&mut d, b"n", "┌ Note ", NOTE, NOTE);
    log(&mut d, b"D", "Decision the room took", DECISION, DECISION);
    log(&mut d, b"g", "Gap found", GAP, GAP);
    d.press(b"a");
    d.wait_for("Action item");
    d.fill(ACTION);
    d.press(TAB);
    d.fill(ACTION_OWNER);
    d.press(TAB);
    d.fill(ACTION_DUE);
    d.press(ENTER);
    d.wait_gone("Action item");
    d.wait_for(ACTION);
    d.press(b"p");
    d.wait_for("Participants");
    d.fill(PARTICIPANTS);
    d.press(ENTER);
    d.wait_for("3 participant(s)");

    d.press(b" ");
    d.wait_for("PAUSED");
    d.press(b" ");
    d.wait_gone("PAUSED");
    d.press(RIGHT);
    d.wait_for("Inject 2/5");
    d.press(LEFT);
    d.wait_for("Inject 1/5");

    d.press(b"E");
    d.wait_for("End exercise");
    let answer = confirm_end(&mut d);
    eprintln!("end confirmed with: {answer}");
    let report = ws.join("reports").join(format!("{id}.md"));
    poll_until(
        "the after-action report",
        TIMEOUT,
        || report.is_file(),
        || d.screen(),
    );
    d.wait_gone("Inject 1/5");
    d.quit();

    let text = std::fs::read_to_string(&report).expect("read the report");
    for s in [
        NOTE,
        DECISION,
        GAP,
        ACTION,
        ACTION_OWNER,
        ACTION_DUE,
        "Lee",
        "Sam",
        FACILITATOR,
    ] {
        assert!(text.contains(s), "the report misses {s:?}:\n{text}");
    }
    let finding = format!("F-{id}-G1");
    let task = format!("T-{id}-A1");
    assert!(
        text.contains(&finding) && text.contains(&task),
        "the report names neither {finding} nor {task}:\n{text}"
    );

    let store = common::backend::workspace(&ws)
        .open()
        .expect("open the workspace");
    let row = store
        .exercises()
        .expect("exercises")
        .into_iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("{id} not stored"));
    assert_eq!(row.scenario, SCENARIO);
    assert!(row.ended.is_some(), "{id} is not marked ended");
    let ex = store.exercise(&id).expect("load").expect("stored");
    assert_eq!(ex.facilitator, FACILITATOR);
    assert_eq!(ex.participants(), ["Dana", "Lee", "Sam"]);
    for kind in [
        ExerciseKind::Start,
        ExerciseKind::Note,
        ExerciseKind::Decision,
        ExerciseKind::Gap,
        ExerciseKind::Action,
        ExerciseKind::Participants,
        ExerciseKind::Pause,
        ExerciseKind::Resume,
        ExerciseKind::Inject,
        ExerciseKind::End,
    ] {
        assert!(
            ex.events.iter().any(|e| e.kind == kind),
            "no {kind:?} in the stored log: {:?}",
            ex.events
        );
    }
    let snap = store.snapshot().expect("snapshot");
    let f = snap
        .findings
        .iter()
        .find(|f| f.id.as_str() == finding)
        .unwrap_or_else(|| panic!("{finding} not stored"));
    assert_eq!(f.title, GAP);
    let t = snap
        .tasks
        .iter()
        .find(|t| t.id.as_str() == task)
        .unwrap_or_else(|| panic!("{task} not stored"));
    assert_eq!(t.title, ACTION);
    assert_eq!(t.owner, ACTION_OWNER);
    assert_eq!(t.due.map(|x| x.to_string()).as_deref(), Some(ACTION_DUE));
    assert_eq!(
        t.finding.as_ref().map(|x| x.as_str()),
        Some(finding.as_str())
    );
}
