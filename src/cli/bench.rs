//! `certready bench -- ARGS...`: runs certready ARGS as whole processes and reports the
//! median and 95th-percentile wall time and the peak resident memory the child reports.

use anyhow::{Context, Result, bail};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// Options of `bench`.
#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// How many runs.
    #[arg(long, default_value_t = 10)]
    pub runs: usize,
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

/// Runs the benchmark.
pub fn run(a: &BenchArgs) -> Result<ExitCode> {
    let exe = std::env::current_exe().context("cannot find the certready executable")?;
    let mut args = if a.args.is_empty() {
        vec!["status".to_owned(), "--json".to_owned()]
    } else {
        a.args.clone()
    };
    if let Some(ws) = std::env::args().skip_while(|x| x != "--workspace").nth(1) {
        args.splice(0..0, ["--workspace".to_owned(), ws]);
    }
    args.push("--stats".to_owned());
    let mut times = Vec::with_capacity(a.runs);
    let mut peak = 0u64;
    for _ in 0..a.runs.max(1) {
        let t = Instant::now();
        let out = Command::new(&exe)
            .args(&args)
            .stdin(Stdio::null())
            .output()?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
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
            peak = peak.max(kb);
        }
    }
    times.sort_by(f64::total_cmp);
    let q = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!(
        "certready {}: runs={} median_ms={:.1} p95_ms={:.1} min_ms={:.1} peak_rss_mb={:.1}",
        args[..args.len() - 1].join(" "),
        times.len(),
        q(0.5),
        q(0.95),
        times[0],
        peak as f64 / 1024.0
    );
    Ok(ExitCode::SUCCESS)
}
