//! Command checks: a local program with arguments, never through a shell unless the config
//! names one as the program.
//!
//! Invariants: the program runs with a clean environment (only `PATH`, `HOME`, `LANG` and the
//! variables its source lists in `env`), so it cannot see another source's secrets; it leads
//! a process group of its own, and the whole group (its children and theirs) is killed when
//! its time is up or the check ends, so nothing outlives a check; output is read up to the cap.

use tokio::io::AsyncReadExt;

/// The variables passed on from certready's own environment to every program.
pub const PASSED_ON: &[&str] = &["PATH", "HOME", "LANG"];

/// `PATH` when certready itself has none.
const DEFAULT_PATH: &str = "/usr/local/bin:/usr/bin:/bin";

/// What to run.
pub struct Program<'a> {
    /// The program.
    pub program: &'a str,
    /// Its arguments.
    pub args: &'a [String],
    /// The variables its source lists, with their values.
    pub env: &'a [(String, String)],
    /// Working folder.
    pub dir: &'a std::path::Path,
}

/// Kills a process group when dropped: when the check ends, times out or is cancelled.
struct Group(Option<rustix::process::Pid>);

impl Drop for Group {
    fn drop(&mut self) {
        if let Some(pid) = self.0.take() {
            // The group may be gone already (ESRCH): nothing left to kill.
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
    }
}

fn command(p: &Program<'_>) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(p.program);
    cmd.args(p.args)
        .current_dir(p.dir)
        .env_clear()
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .process_group(0)
        .kill_on_drop(true);
    for name in PASSED_ON {
        match std::env::var_os(name) {
            Some(v) => {
                cmd.env(name, v);
            }
            None if *name == "PATH" => {
                cmd.env(name, DEFAULT_PATH);
            }
            None => {}
        }
    }
    for (k, v) in p.env {
        cmd.env(k, v);
    }
    cmd
}

/// One attempt: passed, summary, content to store (the output, redacted by the caller).
pub async fn attempt(
    p: &Program<'_>,
    expect_exit: i32,
    regex: Option<&str>,
    cap: usize,
) -> (bool, String, String) {
    let program = p.program;
    let mut child = match command(p).spawn() {
        Ok(c) => c,
        Err(e) => return (false, format!("cannot run `{program}`: {e}"), String::new()),
    };
    let _group = Group(
        child
            .id()
            .and_then(|id| rustix::process::Pid::from_raw(id as i32)),
    );
    let mut out = Vec::new();
    let mut over = false;
    if let Some(stdout) = child.stdout.take() {
        let mut limited = stdout.take(cap as u64 + 1);
        if limited.read_to_end(&mut out).await.is_err() {
            out.clear();
        }
        if out.len() > cap {
            over = true;
            out.truncate(cap);
        }
    }
    let status = match child.wait().await {
        Ok(s) => s,
        Err(e) => return (false, format!("`{program}`: {e}"), String::new()),
    };
    let text = String::from_utf8_lossy(&out).into_owned();
    let code = status.code();
    let shown = code.map_or_else(|| "killed by a signal".to_owned(), |c| format!("exit {c}"));
    if over {
        return (
            false,
            format!("{shown}, output over the {cap}-byte cap"),
            String::new(),
        );
    }
    if code != Some(expect_exit) {
        return (false, format!("{shown}, expected exit {expect_exit}"), text);
    }
    if let Some(r) = regex {
        match regex_lite::Regex::new(r) {
            Ok(re) if re.is_match(&text) => {}
            Ok(_) => return (false, format!("{shown}, output does not match /{r}/"), text),
            Err(e) => return (false, format!("bad regex: {e}"), text),
        }
    }
    (
        true,
        format!("{shown}, {} bytes of output", out.len()),
        text,
    )
}
