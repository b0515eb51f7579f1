//! An inject's live signal and what it produces. The signal goes to the simulated gateway only
//! (the demo's in-process one, named in `sim-url.txt`, else a configured gateway on 127.0.0.1
//! that answers as the simulator); while it holds the simulator in a mode other than `up`, a
//! marker file names the exercise and the source that polls the simulator, and every check of
//! that source is exercise output: kind `tabletop`, its summary naming the exercise, no
//! controls (so no evidence), no gateway reading (so no uptime) and no monitoring finding.
//! Ending the exercise sets the simulator back to `up` and removes the marker.
//!
//! Invariant: a check is relabelled only while the marker names an exercise, and only for the
//! one source the marker names.

use crate::domain::{EXERCISE_KIND, Observation};
use crate::store::Store;
use crate::workspace::Workspace;
use anyhow::{Context, Result};
use std::path::PathBuf;

/// The marker: `<exercise id>\n<source name>\n<simulator url>`.
const MARKER: &str = "sim-exercise.txt";

fn marker(ws: &Workspace) -> PathBuf {
    ws.dir().join(MARKER)
}

/// The simulator's address and the source that polls it: the demo's own simulator, else the
/// first configured gateway on 127.0.0.1.
pub fn simulator(ws: &Workspace) -> Option<(String, String)> {
    if let Ok(u) = std::fs::read_to_string(ws.dir().join("sim-url.txt")) {
        return Some((
            u.trim().to_owned(),
            crate::collect::sim::DEMO_SOURCE.to_owned(),
        ));
    }
    let text = std::fs::read_to_string(ws.config_path()).ok()?;
    let cfg = crate::collect::config::parse("certready.toml", &text).ok()?;
    cfg.gateway
        .into_iter()
        .find(|g| g.url.starts_with("http://127.0.0.1") || g.url.starts_with("http://localhost"))
        .map(|g| (g.url, g.name))
}

/// Sends `mode` to the simulator for the open exercise; None without a simulator, else the
/// simulator's address (an error when it refused, or is not the simulator).
pub fn signal(ws: &Workspace, store: &Store, mode: &str) -> Option<Result<String>> {
    let (url, source) = simulator(ws)?;
    Some(send(ws, store, mode, &url, &source).map(|()| url))
}

fn send(ws: &Workspace, store: &Store, mode: &str, url: &str, source: &str) -> Result<()> {
    crate::collect::sim::send_mode(url, mode)
        .with_context(|| format!("live signal to {url} failed"))?;
    if mode == "up" {
        let _ = std::fs::remove_file(marker(ws));
        return Ok(());
    }
    let open = store
        .exercises()?
        .into_iter()
        .find(|e| e.ended.is_none())
        .map_or_else(|| "exercise".to_owned(), |e| e.id);
    crate::report::write::write_atomic(&marker(ws), format!("{open}\n{source}\n{url}\n").as_bytes())
}

/// The exercise and source a drill holds, if one does.
fn holding(ws: &Workspace) -> Option<(String, String, String)> {
    let text = std::fs::read_to_string(marker(ws)).ok()?;
    let mut l = text.lines().map(str::trim);
    let (ex, source, url) = (l.next()?, l.next()?, l.next()?);
    Some((ex.to_owned(), source.to_owned(), url.to_owned()))
}

/// Relabels the checks of the source a drill holds as exercise output (see the module doc).
pub fn mark(ws: &Workspace, batch: &mut [Observation]) {
    let Some((ex, source, _)) = holding(ws) else {
        return;
    };
    for o in batch.iter_mut().filter(|o| o.source == source) {
        o.kind = EXERCISE_KIND;
        o.controls.clear();
        o.gateway = None;
        o.summary = format!("exercise {ex} (simulated): {}", o.summary);
    }
}

/// Ends the drill of exercise `id`: the simulator back to `up`, the marker removed. Best
/// effort: a simulator that is gone leaves nothing to undo.
pub fn stand_down(ws: &Workspace, id: &str) {
    if let Some((ex, _, url)) = holding(ws)
        && (ex == id || ex == "exercise")
    {
        if let Err(e) = crate::collect::sim::send_mode(&url, "up") {
            tracing::warn!("setting the simulator back to up: {e}");
        }
        let _ = std::fs::remove_file(marker(ws));
    }
}
