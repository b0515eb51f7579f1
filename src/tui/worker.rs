//! The store thread: the only place the dashboard touches SQLite. It takes [`Effect`]s and
//! answers with [`Msg`]s on the event channel; the UI thread never waits on it. Between
//! effects it watches the database: when another process (an import, a cron `poll`) commits,
//! it reloads and tells the user, so the dashboard never shows stale data for long.

use super::app::{Effect, Msg};
use super::data::Data;
use super::event::Event;
use crate::domain::Date;
use crate::store::Store;
use crate::workspace::Workspace;
use anyhow::{Context, Result};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How often the store thread looks for commits by other processes while idle (SQLite's
/// `data_version`, PostgreSQL's change notifications): a change shows within a second.
const WATCH: Duration = Duration::from_millis(400);

/// Collected rows that change scores (a new result, a new day) trigger a full reload at most
/// this often; between them the live panels update after every batch.
const FULL_RELOAD: Duration = Duration::from_secs(10);

/// Writes a batch from the pollers and reads back the live panels; true when new chained rows
/// (or findings) mean scores may have changed.
fn ingest(
    store: &mut Store,
    ws: &Workspace,
    batch: &[crate::domain::Observation],
) -> Result<(super::live::LiveUpdate, bool)> {
    let mut batch = batch.to_vec();
    crate::ops::tabletop::drill::mark(ws, &mut batch);
    let batch = &batch[..];
    let ing = store.ingest(batch)?;
    let gateways = if batch.iter().any(|o| o.gateway.is_some()) {
        Some(super::live::gateway_panels(store, &store.audits()?)?)
    } else {
        None
    };
    let mut parts = Vec::new();
    if !ing.opened.is_empty() {
        parts.push(format!(
            "monitoring finding opened: {}",
            ing.opened.join(", ")
        ));
    }
    if !ing.recovered.is_empty() {
        parts.push(format!(
            "source recovered (noted on {})",
            ing.recovered.join(", ")
        ));
    }
    let update = super::live::LiveUpdate {
        sources: store.sources()?,
        gateways,
        recent: if ing.appended > 0 {
            Some(store.recent_evidence(super::data::RECENT_EVIDENCE)?)
        } else {
            None
        },
        message: (!parts.is_empty()).then(|| parts.join("; ")),
    };
    Ok((update, ing.appended > 0 || !ing.opened.is_empty()))
}

/// Spawns the store thread.
pub fn spawn(
    ws: Workspace,
    demo: bool,
    as_of: Date,
    rx: Receiver<Effect>,
    tx: Sender<Event>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let send = |m: Msg| tx.send(Event::Store(Box::new(m))).is_ok();
        let mut store = match ws.open() {
            Ok(s) => s,
            Err(e) => {
                send(Msg::Failed(format!("{e:#}")));
                return;
            }
        };
        let mut as_of = as_of;
        let mut seen = store.data_version().unwrap_or(0);
        let mut stale_since: Option<Instant> = None;
        loop {
            let (effect, outside) = match rx.recv_timeout(WATCH) {
                Ok(Effect::Ingest(batch)) => {
                    match ingest(&mut store, &ws, &batch) {
                        Ok((update, changed)) => {
                            if changed {
                                stale_since.get_or_insert_with(Instant::now);
                            }
                            if !send(Msg::Live(Box::new(update))) {
                                break;
                            }
                        }
                        Err(e) => {
                            tracing::warn!("collect: {e:#}");
                            send(Msg::Failed(format!("writing collected evidence: {e:#}")));
                        }
                    }
                    if stale_since.is_none_or(|t| t.elapsed() < FULL_RELOAD) {
                        continue;
                    }
                    stale_since = None;
                    (Effect::Reload, false)
                }
                Ok(effect) => (effect, false),
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => match store.data_version() {
                    Ok(v) if v != seen => {
                        seen = v;
                        tracing::info!("database changed by another process: reloading");
                        (Effect::Reload, true)
                    }
                    _ if stale_since.is_some_and(|t| t.elapsed() >= FULL_RELOAD) => {
                        stale_since = None;
                        (Effect::Reload, false)
                    }
                    _ => continue,
                },
            };
            if let Effect::SetDate(day) = effect {
                as_of = day;
            }
            let result = handle(&mut store, &ws, effect, demo, as_of);
            let result = result.map(|mut msgs| {
                if outside {
                    msgs.push(Msg::Info(
                        "workspace changed outside this dashboard: reloaded".into(),
                    ));
                }
                msgs
            });
            let alive = match result {
                Ok(msgs) => msgs.into_iter().all(&send),
                Err(e) => {
                    tracing::warn!("store: {e:#}");
                    send(Msg::Failed(format!("{e:#}")))
                }
            };
            if !alive {
                break;
            }
        }
    })
}

fn now() -> String {
    crate::ops::clock::now_stamp()
}

/// Does one piece of work.
pub fn handle(
    store: &mut Store,
    ws: &Workspace,
    effect: Effect,
    demo: bool,
    as_of: Date,
) -> Result<Vec<Msg>> {
    let reload = |store: &Store| -> Result<Msg> {
        Ok(Msg::Loaded(Box::new(Data::load(store, as_of, demo)?)))
    };
    Ok(match effect {
        Effect::Reload => vec![reload(store)?],
        Effect::SetDate(day) => vec![Msg::Loaded(Box::new(Data::load(store, day, demo)?))],
        Effect::Verify => vec![Msg::Verified(store.verify()?)],
        Effect::Edit { edit, undo } => {
            let description = edit.describe();
            let inverse = store.edit(&edit, if undo { "undo" } else { "edit" }, &now())?;
            tracing::info!(undo, "{description}");
            vec![
                Msg::Edited {
                    inverse,
                    description,
                    was_undo: undo,
                },
                reload(store)?,
            ]
        }
        Effect::StartExercise(id, facilitator) => {
            vec![start_exercise(store, ws, &id, &facilitator)?]
        }
        Effect::Signal(mode) => match crate::ops::tabletop::drill::signal(ws, store, &mode) {
            Some(Ok(url)) => vec![Msg::Info(format!(
                "live signal: simulated gateway at {url} switched to {mode} (exercise output, not monitoring)"
            ))],
            Some(Err(e)) => vec![Msg::Failed(format!("{e:#}"))],
            None => Vec::new(),
        },
        Effect::ReviewDecision(day, text) => {
            let inverse =
                crate::ops::review::record_decision(store, &day.to_string(), &text, &now())?;
            vec![
                Msg::Edited {
                    inverse,
                    description: "decision".into(),
                    was_undo: false,
                },
                reload(store)?,
            ]
        }
        Effect::ReviewAction(day, action) => {
            let task = crate::ops::review::record_action(store, &day.to_string(), &action, &now())?;
            vec![
                Msg::Info(format!(
                    "saved: action → task {task} (owner {}, due {})",
                    action.owner, action.due
                )),
                reload(store)?,
            ]
        }
        Effect::ReviewInputs(day, inputs) => {
            let n = crate::ops::review::record_inputs(store, &day.to_string(), &inputs, &now())?;
            vec![
                Msg::Info(format!(
                    "saved: {n} clause 9.3 input(s) of the review of {day}"
                )),
                reload(store)?,
            ]
        }
        Effect::AddSource(preset, params) => {
            match super::tabs::evidence::picker::append(ws, &preset, &params) {
                Ok(said) => vec![Msg::Info(said), reload(store)?],
                Err(e) => vec![Msg::Failed(e)],
            }
        }
        Effect::Ingest(batch) => {
            let (update, _) = ingest(store, ws, &batch)?;
            vec![Msg::Live(Box::new(update))]
        }
        Effect::SaveExercise(ex) => {
            store.save_exercise(&ex, &now())?;
            Vec::new()
        }
        Effect::FinishExercise(r) => {
            let out = crate::ops::tabletop::finish(ws, store, &r.exercise, &r.scenario)?;
            let text = format!(
                "exercise {} ended: {} finding(s), {} task(s), evidence recorded, report in {}{}",
                r.exercise.id,
                out.findings.len(),
                out.tasks.len(),
                crate::ops::tabletop::report_path(ws, r.exercise.id.as_str()).display(),
                if demo {
                    " (DEMO: a temporary folder, deleted on quit)"
                } else {
                    ""
                }
            );
            vec![Msg::ExerciseEnded(text), reload(store)?]
        }
        Effect::AddEvidence {
            control,
            title,
            effective,
            result,
            file,
        } => {
            let manual = crate::ops::evidence::Manual {
                control,
                title,
                effective,
                result,
                file,
            };
            let (inverse, description) =
                crate::ops::evidence::add(store, ws.dir(), &manual, &now())?;
            vec![
                Msg::Edited {
                    inverse,
                    description,
                    was_undo: false,
                },
                reload(store)?,
            ]
        }
    })
}

/// Starts an exercise of `scenario`, or resumes the one left open.
fn start_exercise(
    store: &mut Store,
    ws: &Workspace,
    scenario: &str,
    facilitator: &str,
) -> Result<Msg> {
    let all = crate::tabletop::library(Some(ws.dir()), Some(&store.known()?))?;
    let s = all
        .into_iter()
        .find(|x| x.id == scenario)
        .with_context(|| format!("unknown scenario `{scenario}`"))?;
    let open = store
        .exercises()?
        .into_iter()
        .find(|e| e.scenario == scenario && e.ended.is_none());
    let exercise = match open.map(|e| store.exercise(&e.id)).transpose()?.flatten() {
        Some(ex) => ex,
        None => {
            let t = chrono::Utc::now();
            let day = t.date_naive();
            let prefix = crate::tabletop::exercise_id(day, 0);
            let n = store.count_exercises(prefix.trim_end_matches('0'))? + 1;
            let ex = crate::tabletop::exercise::Exercise::start(
                &crate::tabletop::exercise_id(day, n),
                scenario,
                facilitator,
                t.timestamp(),
            );
            store.save_exercise(&ex, &now())?;
            ex
        }
    };
    Ok(Msg::ExerciseStarted(Box::new(
        crate::tui::tabs::tabletop::Running {
            exercise,
            scenario: s,
        },
    )))
}
