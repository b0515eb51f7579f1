//! Command checks: a local program with arguments, never through a shell unless the config
//! names one as the program. It is killed when its time is up; output is read up to the cap.

use tokio::io::AsyncReadExt;

/// One attempt: passed, summary, content to store (the output, redacted by the caller).
pub async fn attempt(
    program: &str,
    args: &[String],
    dir: &std::path::Path,
    expect_exit: i32,
    regex: Option<&str>,
    cap: usize,
) -> (bool, String, String) {
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true);
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return (false, format!("cannot run `{program}`: {e}"), String::new()),
    };
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
