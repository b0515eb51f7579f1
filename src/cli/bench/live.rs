//! `certready bench --live`: one `poll` process collects N HTTP sources (a loopback server in
//! this process answers them) every few seconds while headless dashboards (`bench
//! --dashboard-probe`, each its own process) watch the workspace for changes, reload and draw.
//!
//! Invariants: everything runs on a throwaway workspace (and, with --server, a throwaway
//! database that is dropped afterwards); "no batch lost" means the checks the collector reports
//! equal the checks the database recorded per source, and every source was polled about
//! seconds / interval times. The dashboards load and draw with the dashboard's own code
//! (`Data::load`, `App::update`, the frame renderer) at 200x60, checking for changes once a
//! second as the dashboard's store thread does.

use super::pg::{create_database, drop_database};
use super::{exe, quantiles};
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// One certready process on the workspace `dir`, on `database` when given.
fn certready(dir: &std::path::Path, database: Option<&str>) -> Result<Command> {
    let mut cmd = Command::new(exe()?);
    cmd.arg("--workspace").arg(dir).stdin(Stdio::null());
    match database {
        Some(url) => cmd.env("CERTREADY_DATABASE_URL", url),
        None => cmd.env_remove("CERTREADY_DATABASE_URL"),
    };
    Ok(cmd)
}

fn finished(child: Child, what: &str) -> Result<String> {
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!(
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs the live benchmark.
pub fn run(a: &super::BenchArgs) -> Result<ExitCode> {
    let (port, _sim) = crate::collect::sim::start(0, "up", "bench-key")
        .context("cannot start the loopback HTTP server")?;
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path().join("ws");
    let db_name = format!("certready_bench_live_{}", std::process::id());
    let database = match &a.server {
        Some(server) => Some(create_database(server, &db_name)?),
        None => None,
    };
    let result = measure(a, port, &dir, database.as_deref());
    if let Some(server) = &a.server {
        drop_database(server, &db_name)?;
    }
    result
}

fn measure(
    a: &super::BenchArgs,
    port: u16,
    dir: &std::path::Path,
    database: Option<&str>,
) -> Result<ExitCode> {
    let exe = exe()?;
    let mut init = Command::new(&exe);
    init.arg("init").arg(dir).stdout(Stdio::null());
    match database {
        Some(url) => init.env("CERTREADY_DATABASE_URL", url),
        None => init.env_remove("CERTREADY_DATABASE_URL"),
    };
    finished(init.stderr(Stdio::piped()).spawn()?, "init")?;
    let mut toml = std::fs::OpenOptions::new()
        .append(true)
        .open(dir.join("certready.toml"))?;
    for i in 0..a.sources {
        write!(
            toml,
            "\n[[source]]\nname = \"http-{i}\"\nkind = \"http\"\nurl = \"http://127.0.0.1:{port}/v1/models\"\ninterval = \"{}s\"\ntimeout = \"3s\"\nassert = [{{ path = \"$.data[0].id\", equals = \"gpt-sim\" }}]\ncontrols = [\"GW-AVAIL-01\"]\n",
            a.interval
        )?;
    }
    drop(toml);
    let probe_secs = a.seconds + 4;
    let dashboards = (0..a.dashboards)
        .map(|_| {
            Ok(certready(dir, database)?
                .args(["bench", "--dashboard-probe", "--seconds"])
                .arg(probe_secs.to_string())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()?)
        })
        .collect::<Result<Vec<Child>>>()?;
    // The dashboards load first, as open dashboards would be when the collector starts.
    std::thread::sleep(Duration::from_secs(2));
    let poll = certready(dir, database)?
        .args(["poll", "--duration"])
        .arg(a.seconds.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let polled = finished(poll, "poll")?;
    let summary = polled
        .lines()
        .rev()
        .find(|l| l.starts_with("polled "))
        .context("poll printed no summary")?
        .to_owned();
    let mut frames = Vec::new();
    for (i, d) in dashboards.into_iter().enumerate() {
        frames.push(format!(
            "dashboard {}: {}",
            i + 1,
            finished(d, "dashboard")?.trim()
        ));
    }
    let sources = finished(
        certready(dir, database)?
            .args(["sources", "--json"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?,
        "sources",
    )?;
    let rows: Vec<serde_json::Value> = serde_json::from_str(&sources)?;
    let per: Vec<i64> = rows
        .iter()
        .map(|r| r["checks"].as_i64().unwrap_or(0))
        .collect();
    let recorded: i64 = per.iter().sum();
    let reported: i64 = summary
        .split(": ")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .context("poll summary has no check count")?;
    let (lo, hi) = (
        per.iter().min().copied().unwrap_or(0),
        per.iter().max().copied().unwrap_or(0),
    );
    let expected = a.seconds.div_ceil(a.interval.max(1));
    println!(
        "live on {}: {} sources every {} s for {} s, {} dashboards",
        if database.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        a.sources,
        a.interval,
        a.seconds,
        a.dashboards
    );
    println!("collector: {summary}");
    for f in &frames {
        println!("{f}");
    }
    let lost = recorded != reported || per.len() != a.sources || lo == 0;
    println!(
        "batches: collector reported {reported} checks, the database recorded {recorded} over {} sources (per source {lo}-{hi}, about {expected} expected): {}",
        per.len(),
        if lost { "LOST" } else { "none lost" }
    );
    Ok(if lost {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// One headless dashboard on `--workspace` for `seconds`: checks for changes once a second,
/// reloads when another process committed, draws the Overview at 200x60 four times a second;
/// prints the frame and reload times and its own CPU.
pub fn probe(seconds: u64) -> Result<ExitCode> {
    use crate::tui::{app::Msg, data::Data, snapshot, tab::Tab, theme::Theme};
    let dir = super::workspace_arg().unwrap_or_else(|| ".".to_owned());
    let ws = crate::workspace::Workspace::new(std::path::Path::new(&dir));
    let store = ws.open()?;
    let as_of = crate::ops::clock::today();
    let cpu0 = crate::cli::poll::cpu_seconds();
    let t = Instant::now();
    let data = Data::load(&store, as_of, false)?;
    let first_load = t.elapsed().as_secs_f64() * 1000.0;
    let mut app = snapshot::app_with(
        data,
        Tab::Overview,
        (200, 60),
        Theme::named("default")?,
        "bench",
    )?;
    let mut seen = store.data_version()?;
    let (mut frames, mut reloads) = (Vec::new(), Vec::new());
    let start = Instant::now();
    let end = start + Duration::from_secs(seconds);
    let mut next_check = start + Duration::from_secs(1);
    while Instant::now() < end {
        std::thread::sleep(Duration::from_millis(250));
        if Instant::now() >= next_check {
            next_check += Duration::from_secs(1);
            let v = store.data_version()?;
            if v != seen {
                seen = v;
                let t = Instant::now();
                let data = Data::load(&store, as_of, false)?;
                app.update(Msg::Loaded(Box::new(data)), as_of);
                reloads.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
        app.update(Msg::Tick(crate::ops::clock::now_secs()), as_of);
        let t = Instant::now();
        snapshot::render(&app)?;
        frames.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let cpu = cpu0
        .zip(crate::cli::poll::cpu_seconds())
        .map_or(f64::NAN, |(a, b)| b - a);
    let (fm, fp, _) = quantiles(&mut frames);
    let n = reloads.len();
    let (rm, rp) = if reloads.is_empty() {
        (0.0, 0.0)
    } else {
        let (m, p, _) = quantiles(&mut reloads);
        (m, p)
    };
    println!(
        "frames={} frame_p50_ms={fm:.2} frame_p95_ms={fp:.2} reloads={n} reload_p50_ms={rm:.0} reload_p95_ms={rp:.0} first_load_ms={first_load:.0} cpu_s={cpu:.2}",
        frames.len()
    );
    Ok(ExitCode::SUCCESS)
}
