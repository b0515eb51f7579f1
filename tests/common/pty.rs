//! The dashboard in a real pseudo-terminal, for the walkthrough tests: a demo workspace
//! (`certready demo DIR --as-of 2026-11-26`), the dashboard spawned on it at a chosen size,
//! keys typed into the terminal, the screen as a terminal shows it (the output replayed on a
//! `vt100` parser) polled for text, and after `q` a check that the terminal was restored.
//!
//! Invariants: every wait polls until a deadline and fails with the screen; no fixed sleep
//! stands in for a check. `HOME`, the config folder and the key folder point into the test's
//! temporary folder. A dashboard left running by a failed test is killed on drop.

#![allow(dead_code)]

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long any one thing may take to appear (or the process to end).
pub const TIMEOUT: Duration = Duration::from_secs(15);
/// How often to look again while waiting.
const POLL: Duration = Duration::from_millis(20);

/// Keys as a terminal sends them.
pub const ENTER: &[u8] = b"\r";
pub const TAB: &[u8] = b"\t";
pub const BACKSPACE: &[u8] = b"\x7f";
pub const RIGHT: &[u8] = b"\x1b[C";
pub const LEFT: &[u8] = b"\x1b[D";

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
/// ratatui ends every frame by hiding the cursor.
const HIDE_CURSOR: &str = "\x1b[?25l";

/// Writes the demo workspace into `<tmp>/ws`, pinned to 2026-11-26, on this test binary's
/// backend (its own PostgreSQL database in the `pg_matrix_` copies).
pub fn demo_workspace(tmp: &Path) -> PathBuf {
    let ws = tmp.join("ws");
    super::common::backend::bin_for(&ws)
        .arg("demo")
        .arg(&ws)
        .args(["--as-of", "2026-11-26"])
        .assert()
        .success();
    assert!(
        super::common::backend::count(&ws, "SELECT COUNT(*) FROM evidence") > 0,
        "demo wrote no evidence"
    );
    ws
}

/// Polls `done` until it holds; fails with `what` and `context()` after `timeout`.
pub fn poll_until(
    what: &str,
    timeout: Duration,
    mut done: impl FnMut() -> bool,
    context: impl Fn() -> String,
) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() <= timeout,
            "timed out after {timeout:?} waiting for {what}\n{}",
            context()
        );
        std::thread::sleep(POLL);
    }
}

/// What the reader thread keeps: the raw bytes and the parsed screen.
struct Term {
    raw: Vec<u8>,
    parser: vt100::Parser,
}

/// The dashboard running in a pseudo-terminal.
pub struct Dashboard {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    term: Arc<Mutex<Term>>,
    reader: Option<JoinHandle<()>>,
}

impl Dashboard {
    /// Starts `certready --workspace WS` on a `cols` x `rows` pty; `home` stands in for the
    /// user's home and config folders, `user` for the login name.
    pub fn spawn(ws: &Path, home: &Path, cols: u16, rows: u16, user: &str) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
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
        cmd.env("CERTREADY_KEY_DIR", home.join("keys"));
        cmd.env("USER", user);
        cmd.env("LOGNAME", user);
        match super::common::backend::database_url(ws) {
            Some(url) => cmd.env("CERTREADY_DATABASE_URL", url),
            None => cmd.env_remove("CERTREADY_DATABASE_URL"),
        }
        cmd.env_remove("CERTREADY_THEME");
        cmd.env_remove("NO_COLOR");
        let child = pair.slave.spawn_command(cmd).expect("spawn certready");
        // Only the child holds the slave now, so reads end when it exits.
        drop(pair.slave);
        let mut source = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let size = |n: u16| NonZeroU16::new(n).expect("a terminal size above zero");
        let term = Arc::new(Mutex::new(Term {
            raw: Vec::new(),
            parser: vt100::Parser::new(size(rows), size(cols), 0),
        }));
        let sink = Arc::clone(&term);
        let reader = std::thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            // EOF or EIO (Linux, once the slave is closed) ends the stream.
            while let Ok(n @ 1..) = source.read(&mut chunk) {
                let mut t = sink.lock().expect("terminal lock");
                t.raw.extend_from_slice(&chunk[..n]);
                t.parser.process(&chunk[..n]);
            }
        });
        Self {
            child,
            master: pair.master,
            writer,
            term,
            reader: Some(reader),
        }
    }

    /// Types `keys` into the terminal.
    pub fn press(&mut self, keys: &[u8]) {
        self.writer.write_all(keys).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
    }

    /// Clears the focused text field with Backspace (any editor honours it), types `text`.
    pub fn fill(&mut self, text: &str) {
        self.press(&BACKSPACE.repeat(48));
        self.press(text.as_bytes());
    }

    /// The screen as it stands, one line per row.
    pub fn screen(&self) -> String {
        self.term
            .lock()
            .expect("terminal lock")
            .parser
            .screen()
            .contents()
    }

    fn context(&self) -> String {
        format!("--- screen ---\n{}\n--- end of screen ---", self.screen())
    }

    /// Waits until the screen satisfies `pred`.
    pub fn wait_until(&self, what: &str, pred: impl Fn(&str) -> bool) {
        poll_until(what, TIMEOUT, || pred(&self.screen()), || self.context());
    }

    /// Waits until `needle` is on the screen.
    pub fn wait_for(&self, needle: &str) {
        self.wait_until(&format!("{needle:?} on the screen"), |s| s.contains(needle));
    }

    /// Waits until one of `needles` is on the screen; returns which.
    pub fn wait_any(&self, needles: &[&str]) -> usize {
        let mut found = None;
        poll_until(
            &format!("one of {needles:?} on the screen"),
            TIMEOUT,
            || {
                let s = self.screen();
                found = needles.iter().position(|n| s.contains(n));
                found.is_some()
            },
            || self.context(),
        );
        found.unwrap_or_default()
    }

    /// Waits until `needle` has left the screen.
    pub fn wait_gone(&self, needle: &str) {
        self.wait_until(&format!("{needle:?} to leave the screen"), |s| {
            !s.contains(needle)
        });
    }

    /// Asserts the dashboard put the terminal in raw mode (where the platform tells).
    pub fn assert_raw_mode(&self) {
        assert_ne!(
            self.canonical_mode(),
            Some(true),
            "the pty is not in raw mode"
        );
    }

    /// Whether the pty is in canonical (cooked) mode, where the platform tells.
    fn canonical_mode(&self) -> Option<bool> {
        let termios = self.master.get_termios()?;
        Some(format!("{:?}", termios.local_flags).contains("ICANON"))
    }

    /// Presses `q` and waits for the process to exit (answering yes if the dashboard asks
    /// whether to quit); asserts it exited successfully and restored the terminal.
    pub fn quit(&mut self) {
        self.press(b"q");
        let started = Instant::now();
        let mut answered = false;
        let status = loop {
            if let Some(s) = self.child.try_wait().expect("poll the child") {
                break s;
            }
            if !answered && self.screen().contains("Quit?") {
                self.press(b"y");
                answered = true;
            }
            // On failure, dropping the dashboard kills it.
            assert!(
                started.elapsed() <= TIMEOUT,
                "certready did not exit within {TIMEOUT:?} after `q`\n{}",
                self.context()
            );
            std::thread::sleep(POLL);
        };
        self.drain();
        assert!(
            status.success(),
            "certready exited with {status:?}\n{}",
            self.context()
        );
        self.assert_restored();
    }

    /// Waits for the output to be read to the end.
    fn drain(&mut self) {
        let reader = self.reader.take().expect("reader running");
        poll_until(
            "the pty output to end after the process exited",
            TIMEOUT,
            || reader.is_finished(),
            String::new,
        );
        reader.join().expect("reader thread");
    }

    /// Asserts that raw mode was left and that, after its last frame, the dashboard turned
    /// mouse capture off, left the alternate screen and showed the cursor.
    fn assert_restored(&self) {
        assert_ne!(self.canonical_mode(), Some(false), "raw mode was not left");
        let t = self.term.lock().expect("terminal lock");
        let out = String::from_utf8_lossy(&t.raw);
        assert!(
            out.contains(ENTER_ALT_SCREEN),
            "the dashboard never entered the alternate screen"
        );
        let last_frame = out.rfind(HIDE_CURSOR).expect("no frame was drawn");
        let mut after = &out[last_frame + HIDE_CURSOR.len()..];
        for seq in MOUSE_OFF.iter().chain(&[LEAVE_ALT_SCREEN, SHOW_CURSOR]) {
            let at = after
                .find(seq)
                .unwrap_or_else(|| panic!("{seq:?} missing after the last frame: {after:?}"));
            after = &after[at + seq.len()..];
        }
        let screen = t.parser.screen();
        assert!(!screen.alternate_screen(), "still on the alternate screen");
        assert!(!screen.hide_cursor(), "the cursor is still hidden");
        assert_eq!(
            screen.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "mouse reporting is still on"
        );
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
