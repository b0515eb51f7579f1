//! `certready tabletop list | run SCENARIO [--script FILE] | report ID`.

use super::output::table;
use super::{now_stamp, today};
use crate::domain::Date;
use crate::store::Store;
use crate::tabletop::{self, Scenario, exercise::Exercise, report, script};
use crate::workspace::Workspace;
use anyhow::{Context, Result, bail};
use std::path::Path;

pub use crate::ops::tabletop::{IR_TEST_CONTROL, finish, write_reports};

/// Scenarios available in this workspace.
pub fn scenarios(ws: &Workspace, store: &Store) -> Result<Vec<Scenario>> {
    Ok(tabletop::library(Some(ws.dir()), Some(&store.known()?))?)
}

/// Prints the scenario library and past exercises.
pub fn list(ws: &Workspace) -> Result<()> {
    let store = ws.open()?;
    let mut rows = vec![
        ["SCENARIO", "MINUTES", "INJECTS", "EXERCISES", "TITLE"]
            .map(str::to_owned)
            .to_vec(),
    ];
    for s in scenarios(ws, &store)? {
        let reqs: usize = s.requirements.values().map(Vec::len).sum();
        rows.push(vec![
            s.id.clone(),
            s.duration_minutes.to_string(),
            s.injects.len().to_string(),
            reqs.to_string(),
            s.title.clone(),
        ]);
    }
    rows[0][3] = "REQUIREMENTS".into();
    print!("{}", table(&rows));
    let past = store.exercises()?;
    if !past.is_empty() {
        println!();
        let mut rows = vec![
            ["EXERCISE", "SCENARIO", "STARTED", "ENDED"]
                .map(str::to_owned)
                .to_vec(),
        ];
        rows.extend(past.into_iter().map(|e| {
            vec![
                e.id,
                e.scenario,
                e.started,
                e.ended
                    .unwrap_or_else(|| "(open: resume in the dashboard)".into()),
            ]
        }));
        print!("{}", table(&rows));
    }
    Ok(())
}

/// Runs a scenario from a script.
pub fn run(
    ws: &Workspace,
    scenario: &str,
    script_file: Option<&Path>,
    facilitator: Option<String>,
    as_of: Option<Date>,
) -> Result<()> {
    let mut store = ws.open()?;
    let all = scenarios(ws, &store)?;
    let Some(s) = all.iter().find(|x| x.id == scenario) else {
        let ids: Vec<&str> = all.iter().map(|x| x.id.as_str()).collect();
        bail!(
            "unknown scenario `{scenario}` (expected one of: {})",
            ids.join(", ")
        );
    };
    let Some(file) = script_file else {
        use std::io::IsTerminal;
        if !(std::io::stdout().is_terminal() && std::io::stdin().is_terminal()) {
            bail!("an interactive run needs a terminal; in a pipe give --script FILE");
        }
        let label = store.meta("organization")?.unwrap_or_default();
        drop(store);
        return crate::tui::run(crate::tui::Options {
            workspace: ws.clone(),
            demo: false,
            as_of,
            label,
            exercise: Some((
                s.id.clone(),
                facilitator.unwrap_or_else(crate::store::current_user),
            )),
        });
    };
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let steps = script::parse(&file.display().to_string(), &text)?;
    let day = as_of.unwrap_or_else(today);
    let start = day
        .and_hms_opt(9, 0, 0)
        .map_or(0, |d| d.and_utc().timestamp());
    let who = facilitator.unwrap_or_else(crate::store::current_user);
    let past = store.exercises()?;
    let mine = past.iter().filter(|e| e.scenario == s.id);
    let ex = if let Some(open) = mine.clone().find(|e| e.ended.is_none()) {
        // Resume the open exercise of this scenario: only what the script adds is logged.
        let stored = store
            .exercise(&open.id)?
            .with_context(|| format!("exercise {} vanished", open.id))?;
        let (ex, added) = script::resume(&stored, s, &steps);
        if added > 0 || ex.facilitator != stored.facilitator {
            store.save_exercise(&ex, &now_stamp())?;
        }
        println!("resumed exercise {}: {added} new event(s)", ex.id);
        ex
    } else if let Some(done) = mine.filter(|e| e.ended.is_some()).find_map(|e| {
        let stored = store.exercise(&e.id).ok().flatten()?;
        (script::resume(&stored, s, &steps).1 == 0).then_some(stored)
    }) {
        println!(
            "exercise {} (ended) already holds every step of this script: nothing to do",
            done.id
        );
        return Ok(());
    } else {
        let prefix = tabletop::exercise_id(day, 0);
        let n = store.count_exercises(prefix.trim_end_matches('0'))? + 1;
        let mut ex = Exercise::start(&tabletop::exercise_id(day, n), &s.id, &who, start);
        store.save_exercise(&ex, &now_stamp())?;
        let mut t = start;
        for step in &steps {
            t = script::play(&mut ex, s, std::slice::from_ref(step), t);
            store.save_exercise(&ex, &now_stamp())?;
        }
        ex
    };
    if !ex.ended() {
        println!(
            "exercise {} saved, not ended (resume it in the dashboard or add `end` to the script)",
            ex.id
        );
        return Ok(());
    }
    let out = finish(ws, &mut store, &ex, s)?;
    println!(
        "exercise {} ended: {} finding(s) {}, {} task(s) {}, evidence for {IR_TEST_CONTROL}, report reports/{}.md and .html",
        ex.id,
        out.findings.len(),
        out.findings.join(" "),
        out.tasks.len(),
        out.tasks.join(" "),
        ex.id
    );
    Ok(())
}

/// Prints an exercise's after-action report.
pub fn report_cmd(ws: &Workspace, id: &str, html: bool) -> Result<()> {
    let store = ws.open()?;
    let ex = store
        .exercise(id)?
        .with_context(|| format!("no exercise `{id}` (see `certready tabletop list`)"))?;
    let all = scenarios(ws, &store)?;
    let s = all.iter().find(|x| x.id == ex.scenario).with_context(|| {
        format!(
            "exercise {id}: scenario `{}` is not in the library",
            ex.scenario
        )
    })?;
    let snap = store.snapshot()?;
    let out = report::Outcome {
        findings: snap
            .findings
            .iter()
            .filter(|f| f.id.as_str().starts_with(&format!("F-{id}-G")))
            .map(|f| f.id.to_string())
            .collect(),
        tasks: snap
            .tasks
            .iter()
            .filter(|t| t.id.as_str().starts_with(&format!("T-{id}-A")))
            .map(|t| t.id.to_string())
            .collect(),
    };
    let text = if html {
        report::html(&ex, s, &out)?
    } else {
        report::markdown(&ex, s, &out)
    };
    print!("{}", super::output::document(&text));
    Ok(())
}
