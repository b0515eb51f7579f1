//! Opening the dashboard (on the workspace, or on the cached demo) and drawing one tab
//! headlessly (`snapshot`).

use super::{now_stamp, status, today};
use crate::domain::Date;
use crate::workspace::Workspace;
use anyhow::{Context, Result};
use std::process::ExitCode;

/// A workspace to show: the one given, or a fresh demo in a temporary directory (kept alive
/// by the returned guard). A workspace named with `--workspace` (`explicit`) must exist: the
/// demo stands in only for the current directory.
pub fn open_or_demo(
    ws: &Workspace,
    explicit: bool,
    as_of: Date,
) -> Result<(Workspace, bool, Option<tempfile::TempDir>)> {
    if ws.exists() {
        return Ok((ws.clone(), false, None));
    }
    if explicit {
        // The same one-line refusal `status` gives.
        ws.open()?;
    }
    let tmp = tempfile::tempdir().context("cannot create a temporary directory for the demo")?;
    let ws = crate::demo::build_cached(tmp.path(), as_of, &now_stamp())?;
    Ok((ws, true, Some(tmp)))
}

/// With no subcommand: the dashboard on the workspace here, or on the built-in demo. Without
/// a terminal (a pipe), the status is printed instead.
pub fn default_view(ws: &Workspace, explicit: bool) -> Result<ExitCode> {
    use std::io::IsTerminal;
    let as_of = today();
    let (shown, demo, _guard) = open_or_demo(ws, explicit, as_of)?;
    let label = shown.open()?.meta("organization")?.unwrap_or_default();
    if demo {
        // The demo's gateway is simulated in-process, so tabletop signals have something to switch.
        if let Ok((port, _)) = crate::collect::sim::start(0, "up", crate::demo::SIM_KEY) {
            std::fs::write(
                shown.dir().join("sim-url.txt"),
                format!("http://127.0.0.1:{port}"),
            )?;
        }
    }
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        crate::tui::run(crate::tui::Options {
            workspace: shown.clone(),
            demo,
            as_of: None,
            label,
            exercise: None,
        })?;
    } else {
        let store = shown.open()?;
        let snap = store.snapshot()?;
        let live = crate::tui::live::Live::load(&store, &snap.audits)?;
        let states =
            crate::ops::gateways::shown(&shown, &live.gateways, crate::ops::clock::now_secs());
        status::print(&snap, &live.gateways, &states, as_of, false, demo)?;
    }
    if demo {
        println!("This was the DEMO workspace. Start your own with `certready init my-org`.");
        let reports = shown.dir().join("reports");
        if std::fs::read_dir(&reports).is_ok_and(|mut d| d.next().is_some()) {
            println!(
                "The reports written during the demo were in {} and are deleted with it.",
                reports.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The tab names `snapshot --tab` accepts, from the dashboard's own list
/// (their titles; case does not matter).
pub fn tab_names() -> Vec<&'static str> {
    crate::tui::tab::Tab::ALL
        .iter()
        .map(|t| t.title())
        .collect()
}

#[allow(clippy::too_many_arguments)]
pub fn snapshot(
    ws: &Workspace,
    explicit: bool,
    tab: &str,
    size: &str,
    as_of: Option<Date>,
    repeat: u32,
    verify: bool,
) -> Result<ExitCode> {
    use crate::tui::{snapshot, tab::Tab};
    let t = Tab::parse(tab).with_context(|| {
        format!(
            "unknown tab `{tab}` (expected one of: {})",
            tab_names().join(", ")
        )
    })?;
    let (w, h) = size
        .split_once('x')
        .and_then(|(w, h)| Some((w.parse::<u16>().ok()?, h.parse::<u16>().ok()?)))
        .filter(|(w, h)| *w >= 20 && *h >= 5)
        .with_context(|| format!("bad size `{size}` (expected WIDTHxHEIGHT, at least 20x5)"))?;
    let as_of = as_of.unwrap_or_else(today);
    let (shown, demo, _guard) = open_or_demo(ws, explicit, as_of)?;
    let store = shown.open()?;
    let mut data = crate::tui::data::Data::load(&store, as_of, demo)?;
    if verify {
        data.chain = Some(store.verify()?);
    }
    let label = data.snapshot.organization.clone();
    let (_, theme) = crate::tui::load_style()?;
    let mut app = snapshot::app_with(data, t, (w, h), theme, &label)?;
    // The one clock, as the dashboard's first tick gives it (a gateway's state is judged by it).
    app.update(
        crate::tui::app::Msg::Tick(crate::ops::clock::now_secs()),
        as_of,
    );
    let started = std::time::Instant::now();
    let mut buf = snapshot::render(&app)?;
    for _ in 1..repeat {
        buf = snapshot::render(&app)?;
    }
    if repeat > 1 {
        eprintln!(
            "frame: mean_ms={:.3} over {repeat} renders at {w}x{h}",
            started.elapsed().as_secs_f64() * 1000.0 / f64::from(repeat)
        );
    }
    print!("{}", snapshot::text(&buf));
    Ok(ExitCode::SUCCESS)
}
