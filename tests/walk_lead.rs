//! The compliance lead's walkthrough, end to end in a real 160x48 pseudo-terminal: from a gap
//! to dated remediation tasks. On the demo workspace the lead opens the Frameworks tab, shows
//! gap and partial requirements only (`x`), filters to the gap requirement SOC 2 CC6.4, drafts
//! a task for every unplanned SOC 2 requirement (`P`: previewed, a due date typed, Enter writes
//! them), then on the Tasks tab gives the CC6.4 task an owner (`o`) and an earlier due date
//! (`d`), and quits. Afterwards the stored workspace must hold one task per drafted
//! requirement with the typed due dates and owner, `status --json` must report no unplanned
//! SOC 2 requirement any more, and the terminal must be restored.

mod common;
#[path = "common/pty.rs"]
mod pty;

use pty::{Dashboard, ENTER, demo_workspace};
use serde_json::Value;
use std::path::Path;

/// The due date typed into the planning form.
const PLAN_DUE: &str = "2027-02-15";
/// The owner and due date given to the CC6.4 task on the Tasks tab.
const OWNER: &str = "Priya Lead";
const CC64_DUE: &str = "2027-01-29";

/// SOC 2's unplanned requirements as `status --json` reports them.
fn unplanned_soc2(ws: &Path) -> Vec<String> {
    let json: Value =
        serde_json::from_str(&common::run(ws, &["status", "--json"])).expect("status --json");
    let soc2 = json["frameworks"]
        .as_array()
        .and_then(|fws| fws.iter().find(|f| f["key"] == "soc2"))
        .expect("SOC 2 in status --json");
    soc2["projected"]["unplanned_requirements"]
        .as_array()
        .expect("unplanned_requirements")
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

#[test]
fn lead_turns_a_gap_into_dated_remediation_tasks() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let ws = demo_workspace(tmp.path());
    let before = unplanned_soc2(&ws);
    assert!(
        before.iter().any(|r| r == "CC6.4"),
        "the demo's gap CC6.4 should start unplanned: {before:?}"
    );

    let mut d = Dashboard::spawn(&ws, tmp.path(), 160, 48, "priya");
    d.wait_for("Readiness");
    d.assert_raw_mode();

    // Frameworks, gaps only: met requirements such as CC3.2 leave the list.
    d.press(b"2");
    d.wait_for("CC3.2  Risk identification");
    d.wait_for("CC6.4  Physical access restriction");
    d.press(b"x");
    d.wait_gone("CC3.2  Risk identification");
    d.wait_for("CC6.4  Physical access restriction");

    // Pick the gap requirement.
    d.press(b"/");
    d.press(b"CC6.4");
    d.press(ENTER);
    d.wait_gone("CC1.4  Commitment to competence");
    d.wait_for("CC6.4  Physical access restriction");

    // Draft the unplanned requirements' tasks: the preview names each one.
    d.press(b"P");
    d.wait_for("unplanned requirements");
    let screen = d.screen();
    let drafted: usize = regex::Regex::new(r"Draft (\d+) task\(s\) for SOC 2")
        .expect("regex")
        .captures(&screen)
        .and_then(|c| c[1].parse().ok())
        .unwrap_or_else(|| panic!("no planning form title on the screen:\n{screen}"));
    assert_eq!(
        drafted,
        before.len(),
        "one draft per unplanned requirement {before:?}"
    );
    let line = regex::Regex::new(r"(T-\d+) gap CC6\.4 via (GW-[A-Z0-9-]+)")
        .expect("regex")
        .captures(&screen)
        .unwrap_or_else(|| panic!("the preview does not list CC6.4:\n{screen}"));
    let (task, control) = (line[1].to_owned(), line[2].to_owned());
    d.fill(PLAN_DUE);
    d.wait_for(PLAN_DUE);
    d.press(ENTER);
    d.wait_gone("unplanned requirements");
    d.wait_for("saved:");

    // Tasks tab: an owner and an earlier due date for the CC6.4 task.
    d.press(b"6");
    d.press(b"/");
    d.press(task.as_bytes());
    d.press(ENTER);
    d.wait_for(&format!("{task} "));
    d.wait_for(PLAN_DUE);
    d.press(b"o");
    d.wait_for(&format!("Owner of {task}"));
    d.fill(OWNER);
    d.press(ENTER);
    d.wait_gone(&format!("Owner of {task}"));
    d.wait_for(OWNER);
    d.press(b"d");
    d.wait_for(&format!("Due date of {task}"));
    d.fill(CC64_DUE);
    d.press(ENTER);
    d.wait_gone(&format!("Due date of {task}"));
    d.wait_for(CC64_DUE);
    d.quit();

    // The stored workspace, read through the library.
    let store = common::backend::workspace(&ws)
        .open()
        .expect("open the workspace");
    let snap = store.snapshot().expect("snapshot");
    let planned: Vec<_> = snap
        .tasks
        .iter()
        .filter(|t| t.title.starts_with("Close SOC 2 "))
        .collect();
    assert_eq!(planned.len(), drafted, "one stored task per draft");
    for req in &before {
        assert!(
            planned
                .iter()
                .any(|t| t.title.contains(&format!(" {req} through "))),
            "no task plans {req}: {planned:?}"
        );
    }
    let cc64 = snap
        .tasks
        .iter()
        .find(|t| t.id.as_str() == task)
        .unwrap_or_else(|| panic!("{task} not stored"));
    assert!(cc64.title.contains("CC6.4"), "{cc64:?}");
    assert_eq!(cc64.owner, OWNER);
    assert_eq!(cc64.due.map(|x| x.to_string()).as_deref(), Some(CC64_DUE));
    assert_eq!(
        cc64.control.as_ref().map(|c| c.as_str()),
        Some(control.as_str())
    );
    for t in planned.iter().filter(|t| t.id.as_str() != task) {
        assert_eq!(
            t.due.map(|x| x.to_string()).as_deref(),
            Some(PLAN_DUE),
            "{t:?}"
        );
        assert!(
            t.control.is_some(),
            "a drafted task names its control: {t:?}"
        );
    }
    let after = unplanned_soc2(&ws);
    assert!(
        after.is_empty(),
        "SOC 2 still has unplanned requirements: {after:?}"
    );
}
