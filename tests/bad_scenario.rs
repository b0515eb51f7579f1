//! The bad-scenario corpus: every file in `fixtures/scenario-invalid` must be refused as one of
//! a workspace's own tabletop scenarios (`scenarios/*.yaml`).
//!
//! Each file (YAML syntax errors, truncated, binary, not UTF-8, a 200 KB line, deep nesting,
//! aliases, missing or unknown or duplicate fields, wrong types, injects out of time order or
//! outside the exercise, unknown frameworks and requirements, unknown gateway modes...) is put
//! alone in the `scenarios/` folder of one freshly initialised workspace. Both commands that
//! load the library, `tabletop list` and a scripted `tabletop run`, must fail with exactly one
//! line on stderr that names the file and, where the file has meaningful lines, the line; and
//! must leave the database byte for byte as it was.

mod refusal;

use refusal::{check_refusal, corpus, init_workspace, line_count, run};
use std::path::Path;

/// The corpus must stay at least this large.
const MIN_FILES: usize = 12;

/// Files whose bytes are not text, so no line can be meaningful: the error names the file only.
const WITHOUT_LINES: &[&str] = &["binary-png-", "invalid-utf8-"];

/// Files whose error is about the whole file, not a line in it.
const WHOLE_FILE_ERRORS: &[&str] = &["syntax-two-documents.yaml"];

#[test]
fn every_bad_scenario_is_refused_in_one_line_and_changes_nothing() {
    let files = corpus("scenario-invalid");
    assert!(
        files.len() >= MIN_FILES,
        "only {} files in fixtures/scenario-invalid (expected at least {MIN_FILES})",
        files.len()
    );
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/tabletop/prompt-injection.script");
    let script = script.to_str().unwrap();
    let commands: [&[&str]; 2] = [
        &["tabletop", "list"],
        &[
            "tabletop",
            "run",
            "prompt-injection-exfil",
            "--script",
            script,
            "--as-of",
            "2026-11-26",
        ],
    ];
    let tmp = tempfile::tempdir().unwrap();
    let ws = init_workspace(tmp.path());
    let db = ws.join("certready.db");
    let scenarios = ws.join("scenarios");
    let pristine = std::fs::read(&db).unwrap();
    let mut problems = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy();
        assert!(
            name.ends_with(".yaml"),
            "{name}: the corpus holds only .yaml files (the loader reads *.yaml and *.yml)"
        );
        let bytes = std::fs::read(file).unwrap();
        let has_lines = !WITHOUT_LINES.iter().any(|p| name.starts_with(p))
            && !WHOLE_FILE_ERRORS.contains(&name.as_ref());
        let lines = has_lines.then(|| line_count(&bytes));
        if scenarios.exists() {
            std::fs::remove_dir_all(&scenarios).unwrap();
        }
        std::fs::create_dir(&scenarios).unwrap();
        std::fs::write(scenarios.join(name.as_ref()), &bytes).unwrap();
        for args in commands {
            let out = run(&ws, args);
            if let Err(problem) = check_refusal(&out, &name, lines) {
                problems.push(format!("{name} ({}): {problem}", args[..2].join(" ")));
            }
            if std::fs::read(&db).unwrap() != pristine {
                problems.push(format!(
                    "{name} ({}): changed the database",
                    args[..2].join(" ")
                ));
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
