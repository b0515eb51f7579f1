//! `certready poll` as a long-running service, through the real binary and loopback HTTP
//! sources: SIGTERM lets the check in flight finish, writes every observation received and
//! prints a summary whose numbers match the database; a restart resumes the stored schedule (an hourly source polled a moment
//! ago is not polled again) and duplicates nothing; a check that hangs is cancelled within the
//! grace period; a second signal during the stop exits at once, non-zero, and says so. The
//! systemd unit in assets/ is checked too.

mod common;
#[path = "common/polling.rs"]
mod polling;
#[path = "common/servers.rs"]
mod servers;

use polling::Ws;
use rustix::process::{Pid, Signal, kill_process};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

const CONTROL: &str = "GW-AVAIL-01";

/// A running `certready poll` whose standard error is collected as it comes.
struct Running {
    child: Child,
    stderr: Arc<Mutex<String>>,
}

impl Running {
    fn start(ws: &Ws) -> Self {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_certready"))
            .env("CERTREADY_KEY_DIR", common::key_dir())
            .arg("--workspace")
            .arg(&ws.path)
            .arg("poll")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start certready poll");
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let pipe = child.stderr.take().expect("stderr pipe");
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let mut s = sink.lock().expect("stderr lock");
                s.push_str(&line);
                s.push('\n');
            }
        });
        Self { child, stderr }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().expect("stderr lock").clone()
    }

    /// Waits until standard error contains `needle`.
    fn expect(&self, needle: &str, within: Duration) {
        let t = Instant::now();
        while !self.stderr().contains(needle) {
            assert!(
                t.elapsed() < within,
                "no `{needle}` on stderr within {within:?}: {}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn signal(&self, sig: Signal) {
        kill_process(Pid::from_child(&self.child), sig).expect("send a signal to poll");
    }

    /// Waits for the exit (killing it after `within`): the code, all of stderr, how long it
    /// took from `from`.
    fn exit(mut self, from: Instant, within: Duration) -> (Option<i32>, String, Duration) {
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for poll") {
                let took = from.elapsed();
                // The reader thread ends with the pipe; give it a moment to take the last lines.
                std::thread::sleep(Duration::from_millis(100));
                return (status.code(), self.stderr(), took);
            }
            if from.elapsed() > within {
                let _ = self.child.kill();
                panic!("poll did not exit within {within:?}: {}", self.stderr());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The numbers of the summary paragraph: polls, sources, ok, failed, batches, unwritten.
fn summary(stderr: &str) -> [usize; 6] {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("poll: stopped by SIGTERM after "))
        .unwrap_or_else(|| panic!("no summary: {stderr}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    let before = |w: &str| -> usize {
        let i = words
            .iter()
            .position(|x| x.trim_end_matches(',') == w)
            .unwrap_or_else(|| panic!("no `{w}` in {line}"));
        words[i - 1].parse().unwrap_or_else(|_| panic!("{line}"))
    };
    [
        before("polls"),
        before("sources"),
        before("ok"),
        before("failed"),
        before("batches"),
        before("observations"),
    ]
}

/// Evidence rows, through the library (it opens and checks the database as the binary does).
fn evidence_rows(ws: &Ws) -> u64 {
    let store = certready::store::Store::open(&ws.db()).expect("open the store");
    store.snapshot().expect("snapshot").evidence_rows
}

/// Checks recorded in the source rows, through the library.
fn stored_checks(ws: &Ws) -> i64 {
    let store = certready::store::Store::open(&ws.db()).expect("open the store");
    store
        .sources()
        .expect("source rows")
        .iter()
        .map(|r| r.checks)
        .sum()
}

fn source(name: &str, port: u16, interval: &str, timeout: &str) -> String {
    format!(
        "[[source]]\nname = \"{name}\"\nkind = \"http\"\nurl = \"http://127.0.0.1:{port}/\"\ninterval = \"{interval}\"\ntimeout = \"{timeout}\"\nretries = 0\ncontrols = [\"{CONTROL}\"]\n"
    )
}

/// Waits until the source rows record at least `n` checks.
fn until_checks(ws: &Ws, n: i64, within: Duration) {
    let t = Instant::now();
    while stored_checks(ws) < n {
        assert!(
            t.elapsed() < within,
            "fewer than {n} checks stored within {within:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Rows collected from `name`, and the distinct days among them.
fn rows_and_days(ws: &Ws, name: &str) -> (usize, usize, i64) {
    let rows = ws.rows_of(name);
    let mut days: Vec<&str> = rows.iter().map(|r| r.effective.as_str()).collect();
    days.dedup();
    let runs = rows.iter().map(|r| r.run_count).sum();
    (rows.len(), days.len(), runs)
}

fn checks_of(ws: &Ws, name: &str) -> i64 {
    ws.query(&format!(
        "SELECT checks FROM source_state WHERE name = '{name}'"
    ))
}

/// One SIGTERM'd run: the summary matches what the database gained; returns the summary.
fn run_and_stop(ws: &Ws, warm: i64, restarted: bool) -> [usize; 6] {
    let checks0 = stored_checks(ws);
    let runs0: i64 = ws.query("SELECT COALESCE(SUM(run_count), 0) FROM evidence");
    let poll = Running::start(ws);
    poll.expect("polling 3 source(s)", Duration::from_secs(10));
    if restarted {
        poll.expect("poll: resumed from stored state", Duration::from_secs(1));
        let err = poll.stderr();
        let waiting: usize = err
            .split("3 of 3 source(s) known; ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no resume counts: {err}"));
        assert!(
            waiting >= 1,
            "the hourly source waits for its next check: {err}"
        );
    }
    until_checks(ws, checks0 + warm, Duration::from_secs(30));
    // Part of a batch is usually still on its way: the stop must write it.
    std::thread::sleep(Duration::from_millis(600));
    let sent = Instant::now();
    poll.signal(Signal::TERM);
    let (code, stderr, took) = poll.exit(sent, Duration::from_secs(15));
    assert_eq!(code, Some(0), "SIGTERM is a clean stop: {stderr}");
    assert!(
        took < Duration::from_secs(7),
        "stopped in {took:?}: {stderr}"
    );
    let [polls, sources, ok, failed, batches, left] = summary(&stderr);
    let gained = usize::try_from(stored_checks(ws) - checks0).expect("checks only grow");
    assert_eq!(polls, gained, "every poll reported was stored: {stderr}");
    let runs: i64 = ws.query("SELECT COALESCE(SUM(run_count), 0) FROM evidence");
    assert_eq!(
        usize::try_from(runs - runs0).expect("runs only grow"),
        polls,
        "each poll stands in exactly one evidence run (one control per source)"
    );
    assert_eq!((sources, ok, failed, left), (3, polls, 0, 0), "{stderr}");
    assert!(batches >= 1 && batches <= polls, "{stderr}");
    assert_eq!(
        evidence_rows(ws),
        ws.rows().len() as u64,
        "the library and SQL agree"
    );
    for name in ["fast", "slow"] {
        let (rows, days, runs) = rows_and_days(ws, name);
        assert_eq!(
            rows, days,
            "{name}: an unchanged result is one row per day, never a duplicate"
        );
        assert_eq!(
            runs,
            checks_of(ws, name),
            "{name}: no check lost or counted twice"
        );
    }
    summary(&stderr)
}

#[test]
fn sigterm_writes_everything_and_a_restart_resumes_without_duplicates() {
    let fast = servers::ok(r#"{"healthy":true}"#);
    // Always in flight: its answer arrives during the stop and must be in the final write.
    let slow = servers::slow(Duration::from_millis(1500), r#"{"healthy":true}"#);
    let (hourly, seen) = servers::echo();
    let ws = Ws::new(&format!(
        "{}\n{}\n{}",
        source("fast", fast, "1s", "2s"),
        source("slow", slow, "1s", "5s"),
        source("hourly", hourly, "1h", "2s")
    ));
    // A cron run first: both sources have a stored last check.
    let once = ws.poll(&[]);
    once.assert_pass("fast");
    once.assert_pass("hourly");
    once.assert_pass("slow");
    assert_eq!(seen.lock().expect("seen").len(), 1);
    let rows0 = evidence_rows(&ws);

    let first = run_and_stop(&ws, 3, true);
    let rows1 = evidence_rows(&ws);
    let second = run_and_stop(&ws, 2, true);
    assert!(first[0] >= 3 && second[0] >= 2, "{first:?} {second:?}");
    assert_eq!(
        seen.lock().expect("seen").len(),
        1,
        "the hourly source, checked a moment before, was not polled again by either start"
    );
    assert_eq!(
        evidence_rows(&ws),
        rows1,
        "the restart extended the open runs instead of appending rows ({rows0} before)"
    );
    assert_eq!(checks_of(&ws, "hourly"), 1);
}

/// A server that accepts, reports each connection, and never answers.
fn hanging() -> (u16, mpsc::Receiver<()>) {
    let l = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("bind");
    let port = l.local_addr().expect("address").port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for mut c in l.incoming().flatten() {
            let _ = tx.send(());
            std::thread::spawn(move || {
                let mut buf = [0u8; 1024];
                while matches!(c.read(&mut buf), Ok(n) if n > 0) {}
                let _ = c.flush();
            });
        }
    });
    (port, rx)
}

/// A workspace whose one source hangs, and a poll with that check in flight.
fn hung_poll() -> (Ws, Running) {
    let (port, connected) = hanging();
    let ws = Ws::new(&source("stuck", port, "1s", "60s"));
    let poll = Running::start(&ws);
    connected
        .recv_timeout(Duration::from_secs(10))
        .unwrap_or_else(|_| panic!("no check started: {}", poll.stderr()));
    // Leak the receiver's end: later connections must not fail the server thread.
    std::mem::forget(connected);
    (ws, poll)
}

#[test]
fn a_hung_check_is_cancelled_after_the_grace_period_and_the_stop_is_clean() {
    let (ws, poll) = hung_poll();
    let sent = Instant::now();
    poll.signal(Signal::TERM);
    let (code, stderr, took) = poll.exit(sent, Duration::from_secs(15));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        took >= Duration::from_millis(4500) && took < Duration::from_secs(8),
        "the check in flight had 5 s, then was cancelled: stopped in {took:?}"
    );
    assert!(stderr.contains("1 in flight get up to 5s"), "{stderr}");
    assert!(
        stderr.contains("1 check(s) in flight cancelled after 5s"),
        "{stderr}"
    );
    assert_eq!(summary(&stderr), [0, 1, 0, 0, 0, 0], "{stderr}");
    assert_eq!(stored_checks(&ws), 0);
}

#[test]
fn a_second_signal_during_the_stop_exits_at_once_and_says_so() {
    let (ws, poll) = hung_poll();
    poll.signal(Signal::TERM);
    poll.expect("SIGTERM received, stopping", Duration::from_secs(5));
    let sent = Instant::now();
    poll.signal(Signal::INT);
    let (code, stderr, took) = poll.exit(sent, Duration::from_secs(10));
    assert_eq!(code, Some(130), "128 + SIGINT: {stderr}");
    assert!(
        took < Duration::from_secs(2),
        "exited in {took:?}: {stderr}"
    );
    assert!(
        stderr.contains("second signal (SIGINT) while stopping: exiting at once"),
        "{stderr}"
    );
    assert!(!stderr.contains("poll: stopped by"), "no summary: {stderr}");
    assert_eq!(
        stored_checks(&ws),
        0,
        "the hung check never produced anything"
    );
}

/// The unit file as sections of `key=value` lines (comments and blanks skipped).
fn unit() -> Vec<(String, String, String)> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/certready-poll.service");
    let text = std::fs::read_to_string(&path).expect("read the unit");
    let mut section = String::new();
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            name.clone_into(&mut section);
            continue;
        }
        let (k, v) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("line {}: not key=value: {line}", i + 1));
        assert!(!section.is_empty(), "line {}: outside a section", i + 1);
        out.push((section.clone(), k.trim().to_owned(), v.trim().to_owned()));
    }
    out
}

#[test]
fn the_systemd_unit_runs_the_real_poll_subcommand_hardened() {
    let unit = unit();
    let get = |sec: &str, key: &str| -> &str {
        unit.iter()
            .find(|(s, k, _)| s == sec && k == key)
            .map_or_else(|| panic!("[{sec}] {key} missing"), |(_, _, v)| v.as_str())
    };
    let sections: Vec<&str> = unit.iter().map(|(s, _, _)| s.as_str()).collect();
    for s in &sections {
        assert!(
            ["Unit", "Service", "Install"].contains(s),
            "unknown section {s}"
        );
    }
    assert!(["simple", "exec"].contains(&get("Service", "Type")));
    assert_eq!(get("Service", "User"), "certready");
    assert_eq!(
        get("Service", "EnvironmentFile"),
        "-/etc/certready/poll.env"
    );
    assert_eq!(get("Service", "Restart"), "on-failure");
    assert_eq!(get("Service", "KillSignal"), "SIGTERM");
    assert!(get("Service", "RestartSec").ends_with('s'));
    let stop: u64 = get("Service", "TimeoutStopSec").parse().expect("seconds");
    assert!(
        stop > 5 + 10,
        "room for the 5 s grace and the final write: {stop}"
    );
    for (key, value) in [
        ("NoNewPrivileges", "yes"),
        ("ProtectSystem", "strict"),
        ("ProtectHome", "yes"),
        ("PrivateTmp", "yes"),
        ("ReadWritePaths", "/var/lib/certready"),
    ] {
        assert_eq!(get("Service", key), value, "{key}");
    }
    assert_eq!(get("Install", "WantedBy"), "multi-user.target");
    let exec: Vec<&str> = get("Service", "ExecStart").split_whitespace().collect();
    assert!(
        exec[0].starts_with('/') && exec[0].ends_with("/certready"),
        "{exec:?}"
    );
    assert_eq!(exec[1..], ["--workspace", "/var/lib/certready", "poll"]);
    assert!(
        !exec.iter().any(|a| a.contains("://")),
        "no database URL on the command line"
    );
    // The binary accepts exactly these arguments (asked for its help, so nothing runs).
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_certready"))
        .args(&exec[1..])
        .arg("--help")
        .output()
        .expect("run certready");
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        help.contains("--once") && help.contains("--duration"),
        "{help}"
    );
}
