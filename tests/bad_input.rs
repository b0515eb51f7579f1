//! The bad-input corpus: every file in `fixtures/import-invalid` must be refused.
//!
//! Each file (truncated, binary, wrongly encoded, huge, deeply nested, with wrong types, bad
//! dates, unknown references, cycles...) is imported into one freshly initialised workspace.
//! The import must fail with exactly one line on stderr that names the file, and must leave
//! the database byte for byte as it was.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The corpus must stay at least this large.
const MIN_FILES: usize = 60;

fn certready() -> Command {
    Command::new(env!("CARGO_BIN_EXE_certready"))
}

/// The files of the corpus, sorted by name.
fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/import-invalid");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Creates a workspace with `certready init`.
fn init_workspace(parent: &Path) -> PathBuf {
    let ws = parent.join("ws");
    let out = certready().arg("init").arg(&ws).output().unwrap();
    assert!(
        out.status.success(),
        "init failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    ws
}

fn db_bytes(ws: &Path) -> Vec<u8> {
    std::fs::read(ws.join("certready.db")).unwrap()
}

fn import(ws: &Path, file: &Path) -> Output {
    certready()
        .arg("--workspace")
        .arg(ws)
        .arg("import")
        .arg(file)
        .output()
        .unwrap()
}

/// The start of a message that may hold a 200 KB line.
fn shorten(text: &str) -> String {
    const MAX: usize = 300;
    if text.chars().count() <= MAX {
        return text.to_owned();
    }
    let head: String = text.chars().take(MAX).collect();
    format!("{head}...")
}

/// What is wrong with how the import of `file` failed, if anything.
fn check_refusal(file: &Path, out: &Output) -> Result<(), String> {
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
    let path = file.display().to_string();
    if !line.starts_with("certready: ") && !line.starts_with(&path) {
        return Err(format!(
            "stderr starts with neither `certready: ` nor the path: {}",
            shorten(line)
        ));
    }
    let name = file.file_name().unwrap().to_string_lossy();
    if !line.contains(name.as_ref()) {
        return Err(format!("stderr does not name the file: {}", shorten(line)));
    }
    Ok(())
}

#[test]
fn every_bad_file_is_refused_in_one_line_and_changes_nothing() {
    let files = corpus();
    assert!(
        files.len() >= MIN_FILES,
        "only {} files in fixtures/import-invalid (expected at least {MIN_FILES})",
        files.len()
    );
    let tmp = tempfile::tempdir().unwrap();
    let ws = init_workspace(tmp.path());
    let mut before = db_bytes(&ws);
    let mut problems = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy();
        let out = import(&ws, file);
        if let Err(problem) = check_refusal(file, &out) {
            problems.push(format!("{name}: {problem}"));
        }
        let after = db_bytes(&ws);
        if after != before {
            problems.push(format!("{name}: changed the database"));
            // Compare the next file against this state, so one bad file is reported once.
            before = after;
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} files misbehaved:\n{}",
        problems.len(),
        files.len(),
        problems.join("\n")
    );
}
