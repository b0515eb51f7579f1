//! The bad-config corpus: every file in `fixtures/config-invalid` must be refused as a
//! workspace's `certready.toml`.
//!
//! Each file (TOML syntax errors, truncated, binary, not UTF-8, a 200 KB line, deep nesting,
//! duplicate keys and source names, unknown keys, wrong types, unknown kinds and presets, a
//! secret where an environment variable's name belongs, bad durations, JSONPaths and regexes,
//! missing required keys, a control the database does not hold...) is copied over the
//! `certready.toml` of one freshly initialised workspace. Both `poll --once` and `sources`
//! must fail with exactly one line on stderr that names `certready.toml` and the line
//! (`certready.toml:N:`), except for files that have no meaningful lines, and must leave the
//! database byte for byte as it was.

mod refusal;

use refusal::{check_refusal, corpus, init_workspace, line_count, run};

/// The corpus must stay at least this large.
const MIN_FILES: usize = 20;

/// Files whose bytes are not text, so no line can be meaningful: the error names the file only.
const WITHOUT_LINES: &[&str] = &["binary-", "invalid-utf8-"];

/// The commands that read the config.
const COMMANDS: &[&[&str]] = &[&["poll", "--once"], &["sources"]];

#[test]
fn every_bad_config_is_refused_in_one_line_and_changes_nothing() {
    let files = corpus("config-invalid");
    assert!(
        files.len() >= MIN_FILES,
        "only {} files in fixtures/config-invalid (expected at least {MIN_FILES})",
        files.len()
    );
    let tmp = tempfile::tempdir().unwrap();
    let ws = init_workspace(tmp.path());
    let db = ws.join("certready.db");
    let pristine = std::fs::read(&db).unwrap();
    let mut problems = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy();
        assert!(
            name.ends_with(".toml"),
            "{name}: the corpus holds only .toml files"
        );
        let bytes = std::fs::read(file).unwrap();
        let lines =
            (!WITHOUT_LINES.iter().any(|p| name.starts_with(p))).then(|| line_count(&bytes));
        std::fs::write(ws.join("certready.toml"), &bytes).unwrap();
        for args in COMMANDS {
            let out = run(&ws, args);
            if let Err(problem) = check_refusal(&out, "certready.toml", lines) {
                problems.push(format!("{name} ({}): {problem}", args.join(" ")));
            }
            if std::fs::read(&db).unwrap() != pristine {
                problems.push(format!("{name} ({}): changed the database", args.join(" ")));
                std::fs::write(&db, &pristine).unwrap();
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s) with {} files:\n{}",
        problems.len(),
        files.len(),
        problems.join("\n")
    );
}
