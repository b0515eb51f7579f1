//! Live updates on PostgreSQL. In the library: a store's `data_version` ignores its own writes
//! and moves within a second once another session commits (each table's trigger NOTIFYs). End
//! to end: the dashboard, run in a real pseudo-terminal on a workspace kept in PostgreSQL, shows
//! a control's status changed by a `certready import` in another process within two seconds,
//! with the "changed outside this dashboard" message, and no key pressed.
//!
//! The pty here is a small one of its own (tests/common/pty.rs spawns without a database URL):
//! the output is replayed on a `vt100` screen, every wait polls to a deadline and fails with the
//! screen, and a dashboard left running by a failed test is killed on drop.

mod common;
use certready::store::Store;
use common::pgws::{demo_pushed, ok, run_pg};
use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const POLL: Duration = Duration::from_millis(50);

/// Polls `done` every 50 ms until it holds or `limit` passes; returns the time it took.
fn within(limit: Duration, mut done: impl FnMut() -> bool) -> Option<Duration> {
    let started = Instant::now();
    loop {
        if done() {
            return Some(started.elapsed());
        }
        if started.elapsed() > limit {
            return None;
        }
        std::thread::sleep(POLL);
    }
}

#[test]
fn data_version_moves_on_another_sessions_commit_only() {
    let d = demo_pushed("live_version");
    let mut a = Store::open_postgres(&d.url, &d.ws).unwrap();
    let mut b = Store::open_postgres(&d.url, &d.ws).unwrap();
    let start = a.data_version().unwrap();
    a.set_meta("live_test", "written by a").unwrap();
    // A's own commit must not look like an outside change, however long we look.
    let moved = within(Duration::from_millis(500), || {
        a.data_version().unwrap() != start
    });
    assert_eq!(moved, None, "a store's own write moved its data_version");
    b.set_meta("live_test", "written by b").unwrap();
    let took = within(Duration::from_secs(1), || {
        a.data_version().unwrap() != start
    });
    assert!(
        took.is_some(),
        "another session's commit did not move data_version within 1 s"
    );
    eprintln!("data_version moved {took:.0?} after the other session's commit");
    let after = a.data_version().unwrap();
    // Reading does not move it either.
    assert!(
        within(Duration::from_millis(300), || a.data_version().unwrap()
            != after)
        .is_none()
    );
    drop(b);
}

fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("a terminal size above zero")
}

/// The dashboard on a pty, its screen replayed as a terminal shows it.
struct Dashboard {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
}

impl Dashboard {
    fn spawn(ws: &Path, url: &str, home: &Path) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_certready"));
        cmd.arg("--workspace");
        cmd.arg(ws);
        cmd.cwd(home);
        cmd.env("CERTREADY_DATABASE_URL", url);
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home);
        cmd.env("CERTREADY_KEY_DIR", home.join("keys"));
        let child = pair.slave.spawn_command(cmd).expect("spawn certready");
        drop(pair.slave);
        let mut source = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(nonzero(40), nonzero(120), 0)));
        let sink = Arc::clone(&screen);
        std::thread::spawn(move || {
            let _master = pair.master;
            let mut chunk = [0u8; 8192];
            while let Ok(n @ 1..) = source.read(&mut chunk) {
                sink.lock().unwrap().process(&chunk[..n]);
            }
        });
        Self {
            child,
            writer,
            screen,
        }
    }

    fn press(&mut self, keys: &[u8]) {
        self.writer.write_all(keys).unwrap();
        self.writer.flush().unwrap();
    }

    fn text(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// The screen line holding `needle`, if any.
    fn line_with(&self, needle: &str) -> Option<String> {
        self.text()
            .lines()
            .find(|l| l.contains(needle))
            .map(str::to_owned)
    }

    /// Waits up to 15 s for `pred` on the screen; fails showing it.
    fn wait(&self, what: &str, pred: impl Fn(&str) -> bool) {
        let found = within(Duration::from_secs(15), || pred(&self.text()));
        assert!(found.is_some(), "{what} never came:\n{}", self.text());
    }
}

impl Drop for Dashboard {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

#[test]
fn the_dashboard_shows_a_change_made_by_another_process() {
    let d = demo_pushed("live_dashboard");
    let home = d.dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let mut dash = Dashboard::spawn(&d.ws, &d.url, &home);
    dash.wait("the dashboard", |s| s.contains("3 Controls"));
    dash.press(b"3");
    dash.wait("GW-AUD-01 as implemented", |s| {
        s.lines()
            .any(|l| l.contains("GW-AUD-01") && l.contains("implemented"))
    });

    let model = d.dir.path().join("change.yaml");
    std::fs::write(
        &model,
        "controls:\n  - id: GW-AUD-01\n    status: not_applicable\n",
    )
    .unwrap();
    ok(
        run_pg(&d.ws, &d.url, &["import", model.to_str().unwrap()]),
        "import from another process",
    );
    let committed = Instant::now();
    let shown = within(Duration::from_secs(2), || {
        dash.line_with("GW-AUD-01")
            .is_some_and(|l| l.contains("not applicable"))
    });
    assert!(
        shown.is_some(),
        "the change was not shown within 2 s:\n{}",
        dash.text()
    );
    eprintln!(
        "the dashboard showed the outside change {} ms after the import ended",
        committed.elapsed().as_millis()
    );
    dash.wait("the outside-change message", |s| {
        s.contains("changed outside this dashboard")
    });

    dash.press(b"q");
    let exited = within(Duration::from_secs(10), || {
        matches!(dash.child.try_wait(), Ok(Some(_)))
    });
    assert!(exited.is_some(), "the dashboard did not quit");
    let status = dash.child.try_wait().unwrap().unwrap();
    assert!(status.success(), "the dashboard exited with {status:?}");
}
