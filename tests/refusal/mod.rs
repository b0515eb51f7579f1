//! Helpers shared by the refusal corpora (`bad_config`, `bad_scenario`): the corpus files, the
//! built binary, a fresh workspace, and the check that a refusal is exactly one line on stderr
//! that names the file and, where the input has meaningful lines, the line.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The built `certready` binary.
pub fn certready() -> Command {
    Command::new(env!("CARGO_BIN_EXE_certready"))
}

/// The files of `fixtures/<dir>`, sorted by name.
pub fn corpus(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Creates a workspace with `certready init`.
pub fn init_workspace(parent: &Path) -> PathBuf {
    let ws = parent.join("ws");
    let out = certready().arg("init").arg(&ws).output().unwrap();
    assert!(
        out.status.success(),
        "init failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    ws
}

/// `certready --workspace WS ARGS`.
pub fn run(ws: &Path, args: &[&str]) -> Output {
    certready()
        .arg("--workspace")
        .arg(ws)
        .args(args)
        .output()
        .unwrap()
}

/// How many lines a file's bytes hold (a last line without a newline counts).
pub fn line_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| **b == b'\n').count() + 1
}

/// The start of a message that may hold a 200 KB line.
pub fn shorten(text: &str) -> String {
    const MAX: usize = 300;
    if text.chars().count() <= MAX {
        return text.to_owned();
    }
    let head: String = text.chars().take(MAX).collect();
    format!("{head}...")
}

/// The line number in `name:N:` where `name` first appears in `line`, if a number follows it.
pub fn line_number(line: &str, name: &str) -> Option<usize> {
    let at = line.find(&format!("{name}:"))? + name.len() + 1;
    let rest = &line[at..];
    let digits = rest.find(|c: char| !c.is_ascii_digit())?;
    if digits == 0 || !rest[digits..].starts_with(':') {
        return None;
    }
    rest[..digits].parse().ok()
}

/// What is wrong with how a command refused the file called `name`, if anything. With
/// `lines = Some(n)` the message must also give a line `name:N:` with `1 <= N <= n`.
pub fn check_refusal(out: &Output, name: &str, lines: Option<usize>) -> Result<(), String> {
    if out.status.success() {
        return Err("was accepted".to_owned());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr.strip_suffix('\n').unwrap_or(&stderr);
    if line.is_empty() || line.contains('\n') {
        return Err(format!(
            "stderr is not exactly one line: {:?}",
            shorten(&stderr)
        ));
    }
    if !line.starts_with("certready: ") {
        return Err(format!(
            "stderr does not start with `certready: `: {}",
            shorten(line)
        ));
    }
    if !line.contains(name) {
        return Err(format!("stderr does not name {name}: {}", shorten(line)));
    }
    if let Some(max) = lines {
        match line_number(line, name) {
            Some(n) if (1..=max).contains(&n) => {}
            Some(n) => {
                return Err(format!(
                    "line {n} is outside the file's {max} lines: {}",
                    shorten(line)
                ));
            }
            None => return Err(format!("stderr names no line: {}", shorten(line))),
        }
    }
    Ok(())
}
