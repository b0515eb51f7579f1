//! `certready bench -- ARGS...`: runs certready ARGS as whole processes and reports the
//! median and 95th-percentile wall time and the peak resident memory the child reports.
//! `certready bench --whatif`: loads the workspace once and times what-if key presses on the
//! Timeline in process (the update, the frame drawn after it, and the two together as one
//! key press). The PostgreSQL modes live in `bench/`: `--compare-with URL` (the same command
//! on SQLite and on PostgreSQL, interleaved in one run), `--push SERVER` (`db push` into fresh
//! databases) and `--live` (N sources polled by one collector while dashboards read).
//!
//! Invariant: every figure comes from whole certready processes or from the dashboard's own
//! load and draw code; nothing here changes the measured workspace except `--live`, which works
//! on a throwaway workspace (and a throwaway database) of its own.

mod live;
mod pg;

use anyhow::{Context, Result, bail};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// Options of `bench`.
#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// How many runs.
    #[arg(long, default_value_t = 10)]
    pub runs: usize,
    /// Time one what-if key press (a task moved a week) in process instead of a command.
    #[arg(long)]
    pub whatif: bool,
    /// The date the what-if scores as of (default today).
    #[arg(long, requires = "whatif")]
    pub as_of: Option<crate::domain::Date>,
    /// A PostgreSQL database holding this same workspace (e.g. filled by `db push`): each run
    /// times the command on the SQLite file and then on this database, and the ratio is reported.
    #[arg(long, value_name = "URL")]
    pub compare_with: Option<String>,
    /// Time `db push` of this workspace into a fresh database on this PostgreSQL server (one per
    /// run; the last one is kept and its URL printed, the others dropped).
    #[arg(long, value_name = "SERVER_URL")]
    pub push: Option<String>,
    /// Poll --sources HTTP sources (a loopback server started here) every --interval with one
    /// `poll` process for --seconds while --dashboards headless dashboards reload and draw;
    /// on PostgreSQL when --server is given (a fresh database), else on SQLite.
    #[arg(long)]
    pub live: bool,
    /// `--live`: the number of sources.
    #[arg(long, default_value_t = 500)]
    pub sources: usize,
    /// `--live`: the number of dashboards reading.
    #[arg(long, default_value_t = 3)]
    pub dashboards: usize,
    /// `--live`: how long the collector polls.
    #[arg(long, default_value_t = 60)]
    pub seconds: u64,
    /// `--live`: each source's poll interval in seconds.
    #[arg(long, default_value_t = 5)]
    pub interval: u64,
    /// `--live`: the PostgreSQL server to make the throwaway database on.
    #[arg(long, value_name = "SERVER_URL")]
    pub server: Option<String>,
    /// Internal (`--live` starts it): one headless dashboard on --workspace for --seconds.
    #[arg(long, hide = true)]
    pub dashboard_probe: bool,
    /// The certready arguments to measure (default: status --json).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub args: Vec<String>,
}

/// Peak resident set size of this process in KiB (Linux), from `/proc/self/status`.
pub fn peak_rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The median, 95th percentile and minimum of `times` (sorted here).
pub(super) fn quantiles(times: &mut [f64]) -> (f64, f64, f64) {
    times.sort_by(f64::total_cmp);
    let q = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    (q(0.5), q(0.95), times[0])
}

/// Loads the workspace once and times `runs` what-if key presses (a task moved a week later,
/// then back) on the Timeline: `App::update`, then the frame drawn after it.
fn whatif(a: &BenchArgs) -> Result<ExitCode> {
    use crate::tui::{action::Action, app::Msg, data::Data, snapshot, tab::Tab, theme::Theme};
    let dir = workspace_arg().unwrap_or_else(|| ".".to_owned());
    let store = crate::workspace::Workspace::new(std::path::Path::new(&dir)).open()?;
    let as_of = a.as_of.unwrap_or_else(crate::ops::clock::today);
    let started = Instant::now();
    let data = Data::load(&store, as_of, false)?;
    let load_ms = started.elapsed().as_secs_f64() * 1000.0;
    let rows = data.snapshot.evidence_rows;
    let mut app = snapshot::app_with(
        data,
        Tab::Timeline,
        (160, 48),
        Theme::named("default")?,
        "bench",
    )?;
    let Some(i) = app.rows.iter().position(|r| r.id.starts_with("task:")) else {
        bail!("no dated task on the Timeline to move");
    };
    if let Some(l) = app.lists.get_mut(&Tab::Timeline) {
        l.selected = i;
    }
    let (mut update, mut frame, mut press) = (Vec::new(), Vec::new(), Vec::new());
    for n in 0..a.runs.max(1) {
        let key = if n % 2 == 0 {
            Action::Later
        } else {
            Action::Earlier
        };
        let t = Instant::now();
        app.update(Msg::Action(key), as_of);
        update.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        snapshot::render(&app)?;
        frame.push(t.elapsed().as_secs_f64() * 1000.0);
        press.push(update[n] + frame[n]);
    }
    // The first press also builds the what-if cache; it is reported apart and kept in the
    // quantiles.
    let first = press.first().copied().unwrap_or_default();
    if app.whatif_summary.is_empty() {
        bail!("the what-if did not move anything");
    }
    let (um, up, _) = quantiles(&mut update);
    let (fm, fp, _) = quantiles(&mut frame);
    let (pm, pp, _) = quantiles(&mut press);
    println!(
        "what-if key press on {rows} evidence rows: runs={} press_median_ms={pm:.2} press_p95_ms={pp:.2} update_median_ms={um:.2} update_p95_ms={up:.2} frame_median_ms={fm:.2} frame_p95_ms={fp:.2} first_press_ms={first:.2} (load_ms={load_ms:.0})",
        update.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// The `--workspace` this process was started with, if any.
pub(super) fn workspace_arg() -> Option<String> {
    std::env::args().skip_while(|x| x != "--workspace").nth(1)
}

/// This certready executable.
pub(super) fn exe() -> Result<std::path::PathBuf> {
    std::env::current_exe().context("cannot find the certready executable")
}

/// Runs the benchmark.
pub fn run(a: &BenchArgs) -> Result<ExitCode> {
    if a.whatif {
        return whatif(a);
    }
    if a.dashboard_probe {
        return live::probe(a.seconds);
    }
    if a.live {
        return live::run(a);
    }
    if let Some(server) = &a.push {
        return pg::push(server, a.runs);
    }
    let mut args = if a.args.is_empty() {
        vec!["status".to_owned(), "--json".to_owned()]
    } else {
        a.args.clone()
    };
    if let Some(ws) = workspace_arg() {
        args.splice(0..0, ["--workspace".to_owned(), ws]);
    }
    args.push("--stats".to_owned());
    if let Some(url) = &a.compare_with {
        return pg::compare(&args, url, a.runs);
    }
    let mut m = Measured::default();
    for _ in 0..a.runs.max(1) {
        m.once(&args, None)?;
    }
    m.print(&args, "");
    Ok(ExitCode::SUCCESS)
}

/// Wall times and the peak memory of whole-process runs of one command.
#[derive(Default)]
pub(super) struct Measured {
    pub(super) times: Vec<f64>,
    peak: u64,
}

impl Measured {
    /// Runs certready `args` once; with `database`, on that PostgreSQL database, else with any
    /// `CERTREADY_DATABASE_URL` removed (the SQLite file).
    pub(super) fn once(&mut self, args: &[String], database: Option<&str>) -> Result<()> {
        let mut cmd = Command::new(exe()?);
        cmd.args(args).stdin(Stdio::null());
        match database {
            Some(url) => cmd.env("CERTREADY_DATABASE_URL", url),
            None => cmd.env_remove("CERTREADY_DATABASE_URL"),
        };
        let t = Instant::now();
        let out = cmd.output()?;
        self.times.push(t.elapsed().as_secs_f64() * 1000.0);
        if !out.status.success() {
            bail!(
                "certready {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        let err = String::from_utf8_lossy(&out.stderr);
        if let Some(kb) = err
            .lines()
            .find_map(|l| l.strip_prefix("stats: "))
            .and_then(|l| {
                l.split_whitespace()
                    .find_map(|kv| kv.strip_prefix("peak_rss_kb="))
            })
            .and_then(|v| v.parse::<u64>().ok())
        {
            self.peak = self.peak.max(kb);
        }
        Ok(())
    }

    /// Prints one line (`label` before the colon); returns the median.
    pub(super) fn print(&mut self, args: &[String], label: &str) -> f64 {
        let (median, p95, min) = quantiles(&mut self.times);
        println!(
            "certready {}{label}: runs={} median_ms={median:.1} p95_ms={p95:.1} min_ms={min:.1} peak_rss_mb={:.1}",
            args[..args.len() - 1].join(" "),
            self.times.len(),
            self.peak as f64 / 1024.0
        );
        median
    }
}
