//! The dashboard end to end in a real pseudo-terminal: `certready --workspace WS` opens the
//! dashboard on a 120x40 pty, the Controls tab is filtered to `GW-AUD`, the status of
//! `GW-AUD-01` is changed from `implemented` to `not_applicable` through the status form, and
//! `q` quits. This proves that keys typed into a terminal reach the app, that an edit made in
//! the dashboard is stored (the control's status and an `edit` row in the change log), that the
//! process exits successfully, and that the terminal is restored on the way out (mouse capture
//! off, alternate screen left, cursor shown, raw mode off).
//!
//! ratatui redraws only the cells that changed, so a phrase such as "Controls · 83" is rarely
//! written to the terminal in one piece. The test therefore replays the raw output on a small
//! screen model ([`screen_text`]) and looks for phrases on the screen as a user would see them;
//! the restore sequences are checked on the raw bytes.

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Size of the pseudo-terminal.
const COLS: u16 = 120;
const ROWS: u16 = 40;
/// How long to wait for anything to appear (or for the process to end).
const TIMEOUT: Duration = Duration::from_secs(10);
/// How often to look again while waiting.
const POLL: Duration = Duration::from_millis(20);

/// Control status choices in the order the form cycles them with the Right arrow.
const STATUS_CYCLE: [&str; 4] = [
    "not_started",
    "in_progress",
    "implemented",
    "not_applicable",
];

/// Keys as the terminal sends them.
const ENTER: &[u8] = b"\r";
const RIGHT: &[u8] = b"\x1b[C";

/// What crossterm writes to undo `EnableMouseCapture`, in order.
const MOUSE_OFF: [&str; 5] = [
    "\x1b[?1006l",
    "\x1b[?1015l",
    "\x1b[?1003l",
    "\x1b[?1002l",
    "\x1b[?1000l",
];
const LEAVE_ALT_SCREEN: &str = "\x1b[?1049l";
const ENTER_ALT_SCREEN: &str = "\x1b[?1049h";
const SHOW_CURSOR: &str = "\x1b[?25h";
/// ratatui ends every frame by hiding the cursor (the dashboard never places it).
const HIDE_CURSOR: &str = "\x1b[?25l";

/// Everything the dashboard has written to the terminal so far.
type Output = Arc<Mutex<Vec<u8>>>;

/// A copy of the output so far.
fn bytes(output: &Output) -> Vec<u8> {
    output.lock().expect("output lock").clone()
}

/// The last `n` bytes of the output, escaped, for failure messages.
fn tail(raw: &[u8], n: usize) -> String {
    let from = raw.len().saturating_sub(n);
    format!("{:?}", String::from_utf8_lossy(&raw[from..]))
}

/// Clears every cell.
fn blank(grid: &mut [Vec<char>]) {
    for r in grid {
        r.fill(' ');
    }
}

/// The screen a terminal of `cols` x `rows` would show after `raw`: printable characters land
/// at the cursor, `CSI row;col H` moves it, `CSI J`/`CSI K` clear, entering the alternate
/// screen clears; every other escape sequence (colours, modes) is skipped.
fn screen_text(raw: &[u8], cols: usize, rows: usize) -> String {
    let mut grid = vec![vec![' '; cols]; rows];
    let (mut row, mut col) = (0usize, 0usize);
    let text = String::from_utf8_lossy(raw);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => match chars.next() {
                Some('[') => {
                    let mut params = String::new();
                    let mut fin = None;
                    for p in chars.by_ref() {
                        if ('\x40'..='\x7e').contains(&p) {
                            fin = Some(p);
                            break;
                        }
                        params.push(p);
                    }
                    let num = |i: usize| -> usize {
                        params
                            .split(';')
                            .nth(i)
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(0)
                    };
                    match fin {
                        Some('H' | 'f') => {
                            row = num(0).max(1) - 1;
                            col = num(1).max(1) - 1;
                        }
                        Some('J') if num(0) == 2 => blank(&mut grid),
                        Some('J') => {
                            for (i, r) in grid.iter_mut().enumerate().skip(row) {
                                r[if i == row { col.min(cols) } else { 0 }..].fill(' ');
                            }
                        }
                        Some('K') if row < rows => grid[row][col.min(cols)..].fill(' '),
                        Some('h') if params == "?1049" => {
                            blank(&mut grid);
                        }
                        _ => {}
                    }
                }
                Some(']') => {
                    // OSC: skip to BEL or ST.
                    while let Some(p) = chars.next() {
                        if p == '\x07' || (p == '\x1b' && chars.next_if_eq(&'\\').is_some()) {
                            break;
                        }
                    }
                }
                _ => {}
            },
            '\r' => col = 0,
            '\n' => row = (row + 1).min(rows - 1),
            c if c.is_control() => {}
            c => {
                if row < rows && col < cols {
                    grid[row][col] = c;
                }
                col += 1;
            }
        }
    }
    grid.iter()
        .map(|r| r.iter().collect::<String>().trim_end().to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The screen as it stands.
fn screen(output: &Output) -> String {
    screen_text(&bytes(output), usize::from(COLS), usize::from(ROWS))
}

/// Polls until `needle` is on the screen; fails with the screen and the raw output's tail.
fn wait_for(output: &Output, needle: &str, timeout: Duration) {
    let started = Instant::now();
    loop {
        let shown = screen(output);
        if shown.contains(needle) {
            return;
        }
        assert!(
            started.elapsed() <= timeout,
            "timed out after {timeout:?} waiting for {needle:?} on the screen\n\
             --- screen ---\n{shown}\n--- last 2000 bytes of output ---\n{}",
            tail(&bytes(output), 2000)
        );
        std::thread::sleep(POLL);
    }
}

/// `certready ARGS`, as an ordinary process, which must succeed.
fn certready(args: &[&std::ffi::OsStr]) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_certready"))
        .args(args)
        .output()
        .expect("run certready");
    assert!(
        out.status.success(),
        "certready {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Writes the demo workspace into `<tmp>/ws`.
fn demo_workspace(tmp: &Path) -> PathBuf {
    let ws = tmp.join("ws");
    certready(&[
        "demo".as_ref(),
        ws.as_os_str(),
        "--as-of".as_ref(),
        "2026-11-26".as_ref(),
    ]);
    assert!(ws.join("certready.db").is_file(), "demo wrote no database");
    ws
}

/// The dashboard running in a pseudo-terminal, with its output collected on a thread.
struct Dashboard {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    output: Output,
    reader: Option<JoinHandle<()>>,
}

impl Dashboard {
    /// Starts `certready --workspace WS` on a fresh pty; `home` stands in for the user's
    /// home and config directories so no personal keymap or theme applies.
    fn spawn(ws: &Path, home: &Path) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_certready"));
        cmd.arg("--workspace");
        cmd.arg(ws);
        cmd.cwd(home);
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home);
        cmd.env_remove("CERTREADY_THEME");
        let child = pair.slave.spawn_command(cmd).expect("spawn certready");
        // Only the child holds the slave now, so reads end when it exits.
        drop(pair.slave);
        let mut source = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let output = Output::default();
        let sink = Arc::clone(&output);
        let reader = std::thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            // EOF or EIO (Linux, once the slave is closed) ends the stream.
            while let Ok(n @ 1..) = source.read(&mut chunk) {
                sink.lock()
                    .expect("output lock")
                    .extend_from_slice(&chunk[..n]);
            }
        });
        Self {
            child,
            master: pair.master,
            writer,
            output,
            reader: Some(reader),
        }
    }

    /// Types `keys` into the terminal.
    fn press(&mut self, keys: &[u8]) {
        self.writer.write_all(keys).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
    }

    /// Waits until `needle` is on the screen.
    fn wait_for(&self, needle: &str) {
        wait_for(&self.output, needle, TIMEOUT);
    }

    /// Waits for the process to exit (killing it and failing if it does not) and for its
    /// output to be read to the end; returns the exit status and the whole output.
    fn wait_exit(&mut self) -> (ExitStatus, Vec<u8>) {
        let started = Instant::now();
        let status = loop {
            if let Some(s) = self.child.try_wait().expect("poll the child") {
                break s;
            }
            if started.elapsed() > TIMEOUT {
                self.child.kill().ok();
                panic!(
                    "certready did not exit within {TIMEOUT:?} after `q`; killed it\n\
                     --- last 2000 bytes of output ---\n{}",
                    tail(&bytes(&self.output), 2000)
                );
            }
            std::thread::sleep(POLL);
        };
        let reader = self.reader.take().expect("reader running");
        let started = Instant::now();
        while !reader.is_finished() {
            assert!(
                started.elapsed() < TIMEOUT,
                "the pty output did not end after the process exited"
            );
            std::thread::sleep(POLL);
        }
        reader.join().expect("reader thread");
        (status, bytes(&self.output))
    }

    /// Whether the pty is back in canonical (cooked) mode, i.e. raw mode was left.
    fn canonical_mode(&self) -> Option<bool> {
        let termios = self.master.get_termios()?;
        Some(format!("{:?}", termios.local_flags).contains("ICANON"))
    }
}

impl Drop for Dashboard {
    /// Never leaves a dashboard running behind a failed test.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.child.kill().ok();
            self.child.wait().ok();
        }
    }
}

/// The value shown in the open form's choice field ("◂ value ▸"), if any.
fn shown_choice(screen: &str) -> Option<String> {
    let start = screen.find('◂')? + '◂'.len_utf8();
    let len = screen[start..].find('▸')?;
    Some(screen[start..start + len].trim().to_owned())
}

/// Presses Right in the open status form until it shows `target`, checking each step of the
/// cycle on the screen.
fn choose_status(d: &mut Dashboard, target: &str) {
    for _ in 0..STATUS_CYCLE.len() {
        let current = shown_choice(&screen(&d.output)).expect("a choice field on the screen");
        if current == target {
            return;
        }
        let i = STATUS_CYCLE
            .iter()
            .position(|s| *s == current)
            .unwrap_or_else(|| panic!("unexpected status {current:?} in the form"));
        d.press(RIGHT);
        d.wait_for(&format!(
            "◂ {} ▸",
            STATUS_CYCLE[(i + 1) % STATUS_CYCLE.len()]
        ));
    }
    panic!("the status form never offered {target:?}");
}

/// Asserts that `needles` occur in `hay` in this order.
fn assert_in_order(hay: &str, needles: &[&str]) {
    let mut at = 0;
    for n in needles {
        match hay[at..].find(n) {
            Some(i) => at += i + n.len(),
            None => panic!("{n:?} missing (or out of order) in {hay:?}"),
        }
    }
}

/// Asserts that, after its last frame, the dashboard turned mouse capture off, left the
/// alternate screen and showed the cursor again.
fn assert_terminal_restored(raw: &[u8]) {
    let out = String::from_utf8_lossy(raw);
    assert!(
        out.contains(ENTER_ALT_SCREEN),
        "the dashboard never entered the alternate screen"
    );
    let last_frame = out
        .rfind(HIDE_CURSOR)
        .expect("no frame was drawn (no cursor hide)");
    let after = &out[last_frame + HIDE_CURSOR.len()..];
    let mut expected: Vec<&str> = MOUSE_OFF.to_vec();
    expected.extend([LEAVE_ALT_SCREEN, SHOW_CURSOR]);
    assert_in_order(after, &expected);
    let left = out.rfind(LEAVE_ALT_SCREEN).expect("alternate screen left");
    assert!(
        !out[left..].contains(ENTER_ALT_SCREEN),
        "the alternate screen was entered again after leaving it: {}",
        tail(raw, 2000)
    );
}

/// Asserts that the workspace database holds the edit made in the dashboard.
fn assert_edit_stored(ws: &Path) {
    let db = rusqlite::Connection::open_with_flags(
        ws.join("certready.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("open certready.db");
    let status: String = db
        .query_row(
            "SELECT status FROM controls WHERE id = 'GW-AUD-01'",
            [],
            |r| r.get(0),
        )
        .expect("GW-AUD-01 in controls");
    assert_eq!(status, "not_applicable");
    let edits: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM change_log
             WHERE action = 'edit' AND entity = 'controls' AND entity_id = 'GW-AUD-01'",
            [],
            |r| r.get(0),
        )
        .expect("query change_log");
    assert_eq!(edits, 1, "expected one `edit` change-log row for GW-AUD-01");
    let (action, entity, id): (String, String, String) = db
        .query_row(
            "SELECT action, entity, entity_id FROM change_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("newest change_log row");
    assert_eq!(
        (action.as_str(), entity.as_str(), id.as_str()),
        ("edit", "controls", "GW-AUD-01"),
        "the dashboard's edit is not the newest change-log entry"
    );
}

#[test]
fn dashboard_edits_a_control_status_and_restores_the_terminal() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let ws = demo_workspace(tmp.path());
    let mut d = Dashboard::spawn(&ws, tmp.path());

    d.wait_for("Readiness");
    if let Some(canonical) = d.canonical_mode() {
        assert!(
            !canonical,
            "the dashboard is running but the pty is not in raw mode"
        );
    }
    d.press(b"3");
    d.wait_for("Controls · 83");
    d.press(b"/");
    d.press(b"GW-AUD");
    d.press(ENTER);
    d.wait_for("filter: GW-AUD");
    d.press(b"c");
    d.wait_for("Status of GW-AUD-01");
    d.wait_for("◂ implemented ▸");
    choose_status(&mut d, "not_applicable");
    d.press(ENTER);
    d.wait_for("saved: GW-AUD-01 status → not_applicable");
    d.press(b"q");

    let (status, raw) = d.wait_exit();
    assert!(
        status.success(),
        "certready exited with {status:?}\n--- last 2000 bytes of output ---\n{}",
        tail(&raw, 2000)
    );
    assert_terminal_restored(&raw);
    if let Some(canonical) = d.canonical_mode() {
        assert!(
            canonical,
            "raw mode was not left (ICANON is off on the pty)"
        );
    }
    assert_edit_stored(&ws);
}

#[test]
fn dashboard_reloads_when_another_process_imports() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let ws = demo_workspace(tmp.path());
    let mut d = Dashboard::spawn(&ws, tmp.path());
    d.wait_for("Readiness");
    d.press(b"7");
    d.press(b"/");
    d.press(b"zz-outside");
    d.press(ENTER);
    d.wait_for("filter: zz-outside");
    assert!(
        !screen(&d.output).contains("zz-outside check"),
        "the imported rows are on screen before the import"
    );
    let csv = tmp.path().join("outside.csv");
    std::fs::write(
        &csv,
        "control,title,effective,result\nGW-AVAIL-01,zz-outside check,2026-11-20,pass\n",
    )
    .expect("write csv");
    certready(&[
        "--workspace".as_ref(),
        ws.as_os_str(),
        "import".as_ref(),
        csv.as_os_str(),
    ]);
    d.wait_for("workspace changed outside this dashboard: reloaded");
    d.wait_for("zz-outside check");
    d.press(b"q");
    let (status, raw) = d.wait_exit();
    assert!(status.success(), "certready exited with {status:?}");
    assert_terminal_restored(&raw);
}

#[test]
fn dashboard_polls_while_cron_polls_and_an_import_runs() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let ws = demo_workspace(tmp.path());
    let (port, _sim) =
        certready::collect::sim::start(0, "up", "sk-e2e-master-key-0123").expect("simulator");
    let mut cfg = std::fs::read_to_string(ws.join("certready.toml")).expect("config");
    cfg.push_str(&format!(
        "\n[[gateway]]\nname = \"e2e-gateway\"\npreset = \"litellm\"\nurl = \"http://127.0.0.1:{port}\"\ninterval = \"1s\"\ncontrols = [\"GW-AVAIL-01\"]\n\n[[source]]\nname = \"e2e-models\"\nkind = \"http\"\nurl = \"http://127.0.0.1:{port}/v1/models\"\ninterval = \"1s\"\ncontrols = [\"GW-AVAIL-01\"]\n"
    ));
    std::fs::write(ws.join("certready.toml"), cfg).expect("write config");
    let mut d = Dashboard::spawn(&ws, tmp.path());
    d.wait_for("Readiness");
    d.wait_for("e2e-gateway UP");
    // Cron's `poll --once` and an import, both at once, while the dashboard's pollers write.
    let csv = tmp.path().join("cron.csv");
    let mut text = String::from("control,title,effective,result\n");
    for i in 0..2_000 {
        text.push_str(&format!("GW-LOG-01,zz-cron check {i},2026-11-20,pass\n"));
    }
    std::fs::write(&csv, text).expect("write csv");
    let run = |args: Vec<std::ffi::OsString>| {
        std::process::Command::new(env!("CARGO_BIN_EXE_certready"))
            .arg("--workspace")
            .arg(&ws)
            .args(args)
            .output()
            .expect("run certready")
    };
    let (polled, imported) = std::thread::scope(|s| {
        let p = s.spawn(|| run(vec!["poll".into(), "--once".into()]));
        let i = s.spawn(|| run(vec!["import".into(), csv.clone().into()]));
        (p.join().expect("poll"), i.join().expect("import"))
    });
    for (what, out) in [("poll --once", &polled), ("import", &imported)] {
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{what} failed: {err}");
        assert!(!err.contains("locked"), "{what}: {err}");
    }
    assert!(String::from_utf8_lossy(&polled.stdout).contains("2 checked, 0 failed"));
    let c = rusqlite::Connection::open(ws.join("certready.db")).expect("db");
    let n: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM evidence WHERE title LIKE 'zz-cron check %'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(n, 2_000, "no imported row is lost");
    d.press(b"7");
    d.press(b"S");
    d.wait_for("e2e-models");
    d.press(b"S");
    d.press(b"/");
    d.press(b"zz-cron check 1999");
    d.press(ENTER);
    d.wait_for("zz-cron check 1999");
    d.press(b"q");
    let (status, raw) = d.wait_exit();
    assert!(status.success(), "certready exited with {status:?}");
    assert_terminal_restored(&raw);
    certready(&["--workspace".as_ref(), ws.as_os_str(), "verify".as_ref()]);
}
