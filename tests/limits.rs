//! Limits of `certready import` against hostile or careless input, through the real binary:
//! alias bombs, nesting hidden behind a stray quote, devices and oversize files, bad IDs
//! (invisible, control, path-like, case-insensitive duplicates), dates out of range, and a
//! multi-file import that fails on its last file.
//!
//! Every refusal must be exactly one line on stderr naming the file (and, where there is one,
//! the line and field), a non-zero exit, quickly, and the database byte for byte as before.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long any refusal may take (the attacks took minutes, or ran out of memory).
const FAST: Duration = Duration::from_secs(10);

fn certready() -> Command {
    Command::new(env!("CARGO_BIN_EXE_certready"))
}

/// A fresh workspace in `dir`.
fn workspace(dir: &Path) -> PathBuf {
    let ws = dir.join("ws");
    certready().arg("init").arg(&ws).assert().success();
    ws
}

fn db(ws: &Path) -> Vec<u8> {
    std::fs::read(ws.join("certready.db")).unwrap()
}

fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

/// Runs `import FILES` and returns its stderr and whether it succeeded.
fn import(ws: &Path, files: &[&Path]) -> (bool, String, String) {
    let started = Instant::now();
    let out = certready()
        .arg("--workspace")
        .arg(ws)
        .arg("import")
        .args(files)
        .timeout(FAST)
        .output()
        .unwrap();
    assert!(
        started.elapsed() < FAST,
        "import took {:?}",
        started.elapsed()
    );
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Asserts that importing `files` is refused in one line that starts with `prefix` (the file,
/// line and field) and holds `what`, and that the database did not change.
fn refused(ws: &Path, files: &[&Path], prefix: &str, what: &str) {
    let before = db(ws);
    let (ok, _, err) = import(ws, files);
    assert!(!ok, "accepted; expected `{prefix}` … `{what}`");
    let line = err.strip_suffix('\n').unwrap_or(&err);
    assert!(
        !line.is_empty() && !line.contains('\n'),
        "not one line: {err:?}"
    );
    let line = line.strip_prefix("certready: ").unwrap_or(line);
    assert!(line.starts_with(prefix), "expected `{prefix}`, got: {line}");
    assert!(line.contains(what), "expected `{what}`, got: {line}");
    assert!(db(ws) == before, "the refused import changed the database");
}

fn name(p: &Path) -> String {
    p.display().to_string()
}

#[test]
fn billion_laughs_aliases_are_refused_before_they_expand() {
    let t = tempfile::tempdir().unwrap();
    let ws = workspace(t.path());
    // Each anchor holds nine aliases of the one before: 9^12 nodes from a 1 KB file.
    let mut text = String::from(
        "controls:\n  - id: X-1\n    title: T\n    evidence_expected: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..12 {
        let list = vec![format!("*a{}", i - 1); 9].join(", ");
        text.push_str(&format!(
            "  - {{id: X-{}, title: T, evidence_expected: &a{i} [{list}]}}\n",
            i + 1
        ));
    }
    let f = write(t.path(), "laughs.yaml", &text);
    // a5 is the first anchor whose aliases add more than 100 000 nodes: line 9.
    refused(
        &ws,
        &[&f],
        &format!("{}:9: controls[5].evidence_expected", name(&f)),
        "aliases expand to more than 100000 nodes",
    );
    // Flat amplification (within serde's own 100x replay limit, the attack that grew a
    // database to 1.24 GB): one 1 KB anchored string repeated 20 000 times.
    let mut text = format!(
        "controls:\n  - id: X-1\n    title: T\n    evidence_expected: [&s {}]\n",
        "L".repeat(1024)
    );
    for i in 0..20_000 {
        text.push_str(&format!("  - {{id: Y-{i}, title: *s}}\n"));
    }
    let f = write(t.path(), "flat.yaml", &text);
    refused(&ws, &[&f], &name(&f), "aliases expand to more than");
}

#[test]
fn a_stray_quote_does_not_hide_deep_nesting() {
    let t = tempfile::tempdir().unwrap();
    let ws = workspace(t.path());
    let deep = format!(
        "organization: Acme 5\" display\ncontrols: {}{}\n",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    let f = write(t.path(), "quote.yaml", deep);
    refused(
        &ws,
        &[&f],
        &format!("{}:2", name(&f)),
        "nesting deeper than 128 levels",
    );
}

#[test]
fn devices_and_fifos_are_refused_without_reading() {
    let t = tempfile::tempdir().unwrap();
    let ws = workspace(t.path());
    refused(
        &ws,
        &[Path::new("/dev/zero")],
        "/dev/zero: ",
        "not a regular file",
    );
    let fifo = t.path().join("model.yaml");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    refused(&ws, &[&fifo], &name(&fifo), "not a regular file");
}

#[test]
fn files_over_the_size_cap_are_refused() {
    let t = tempfile::tempdir().unwrap();
    let ws = workspace(t.path());
    for ext in ["yaml", "csv", "json"] {
        let f = t.path().join(format!("big.{ext}"));
        let file = std::fs::File::create(&f).unwrap();
        file.set_len(certready::import::MAX_FILE_BYTES + 1).unwrap();
        refused(&ws, &[&f], &name(&f), "file is larger than 64 MiB");
    }
}

#[test]
fn ids_that_differ_only_by_case_collide() {
    let t = tempfile::tempdir().unwrap();
    let ws = workspace(t.path());
    let cases = [
        (
            "controls:\n  - {id: GW-1, title: T}\n  - {id: gw-1, title: U}\n",
            "controls[1].id",
            "differs only by case from `GW-1`",
        ),
        (
            "risks:\n  - {id: R-1, title: T, likelihood: 1, impact: 1}\n  - {id: r-1, title: U, likelihood: 1, impact: 1}\n",
            "risks[1].id",
            "duplicate risk id `r-1`",
        ),
        (
            "findings:\n  - {id: F-1, title: T, source: internal_audit, severity: low}\n  - {id: f-1, title: U, source: internal_audit, severity: low}\n",
            "findings[1].id",
            "duplicate finding id",
        ),
        (
            "tasks:\n  - {id: T-A, title: T}\n  - {id: t-a, title: U}\n",
            "tasks[1].id",
            "duplicate task id",
        ),
        (
            "vendors:\n  - {id: V-1, name: A, kind: other}\n  - {id: v-1, name: B, kind: other}\n",
            "vendors[1].id",
            "duplicate vendor id",
        ),
        (
            "audits:\n  - {id: AUD-1, framework: soc2, kind: soc2_type1}\n  - {id: aud-1, framework: soc2, kind: soc2_type1}\n",
            "audits[1].id",
            "duplicate audit id",
        ),
    ];
    for (i, (yaml, field, what)) in cases.iter().enumerate() {
        let f = write(t.path(), &format!("case{i}.yaml"), yaml);
        refused(&ws, &[&f], &format!("{}:3: {field}", name(&f)), what);
    }
    // Against the workspace: the same spelling re-imports, another spelling is refused.
    let good = write(
        t.path(),
        "good.yaml",
        "controls:\n  - id: ' GW-MINE '\n    title: Mine\n",
    );
    for _ in 0..2 {
        let (ok, _, err) = import(&ws, &[&good]);
        assert!(ok, "{err}");
    }
    let (_, out, _) = import(&ws, &[&good]);
    assert!(
        out.contains("controls  0      0        1"),
        "a re-import changes nothing: {out}"
    );
    let other = write(
        t.path(),
        "other.yaml",
        "controls:\n  - {id: gw-mine, title: Other}\n",
    );
    refused(
        &ws,
        &[&other],
        &format!("{}:2: controls[0].id", name(&other)),
        "differs only by case from `GW-MINE`, which is already in use",
    );
    // Across the files of one import.
    let a = write(
        t.path(),
        "a.yaml",
        "risks:\n  - {id: R-X, title: T, likelihood: 1, impact: 1}\n",
    );
    let b = write(
        t.path(),
        "b.yaml",
        "risks:\n  - {id: r-x, title: T, likelihood: 1, impact: 1}\n",
    );
    refused(
        &ws,
        &[&a, &b],
        &format!("{}:2: risks[0].id", name(&b)),
        "differs only by case from `R-X`",
    );
}

#[test]
fn invisible_and_control_characters_in_ids_are_refused() {
    let t = tempfile::tempdir().unwrap();
    let ws = workspace(t.path());
    let cases = [
        (r#""GW\u200B1""#, "U+200B"),
        (r#""GW\u202E1""#, "U+202E"),
        (r#""\uFEFFGW1""#, "U+FEFF"),
        (r#""GW\u20661""#, "U+2066"),
        (r#""GW\t1""#, "control character U+0009"),
        (r#""GW\x071""#, "control character U+0007"),
    ];
    for (i, (id, what)) in cases.iter().enumerate() {
        let f = write(
            t.path(),
            &format!("inv{i}.yaml"),
            format!("controls:\n  - id: {id}\n    title: T\n"),
        );
        refused(&ws, &[&f], &format!("{}:2: controls[0].id", name(&f)), what);
    }
    // References are held to the same rule.
    let f = write(
        t.path(),
        "ref.yaml",
        "tasks:\n  - id: T-1\n    title: T\n    depends_on: [\"T\\u200B2\"]\n",
    );
    refused(
        &ws,
        &[&f],
        &format!("{}:4: tasks[0].depends_on[0]", name(&f)),
        "U+200B",
    );
}

#[test]
fn nul_in_any_text_field_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let ws = workspace(t.path());
    let f = write(
        t.path(),
        "nul-id.yaml",
        "controls:\n  - id: \"GW\\01\"\n    title: T\n",
    );
    refused(
        &ws,
        &[&f],
        &format!("{}:2: controls[0].id", name(&f)),
        "NUL",
    );
    let f = write(
        t.path(),
        "nul-title.yaml",
        "controls:\n  - id: GW-1\n    title: \"Ti\\0tle\"\n",
    );
    refused(
        &ws,
        &[&f],
        &format!("{}:3: controls[0].title", name(&f)),
        "NUL",
    );
    let f = write(t.path(), "nul.csv", b"id,title\nGW-1,Ti\0tle\n");
    refused(&ws, &[&f], &format!("{}:2", name(&f)), "NUL");
    let f = write(
        t.path(),
        "nul.json",
        r#"{"catalog": {"metadata": {"title": "A\u0000B"}}}"#,
    );
    refused(&ws, &[&f], &format!("{}:1", name(&f)), "NUL");
}

#[test]
fn dot_tilde_and_path_ids_are_refused() {
    let t = tempfile::tempdir().unwrap();
    let ws = workspace(t.path());
    for (i, id) in [".", "..", "~", "'a/b'", "'..\\x'", "' .. '"]
        .iter()
        .enumerate()
    {
        let f = write(
            t.path(),
            &format!("p{i}.yaml"),
            format!("vendors:\n  - id: {id}\n    name: N\n    kind: other\n"),
        );
        let what = if id.contains(['/', '\\']) {
            "must not contain `/` or `\\`"
        } else {
            "is not allowed as an id"
        };
        refused(&ws, &[&f], &format!("{}:2: vendors[0].id", name(&f)), what);
    }
}

#[test]
fn csv_ids_follow_the_same_rules() {
    let t = tempfile::tempdir().unwrap();
    let ws = workspace(t.path());
    let cases: [(&str, &str, &str); 4] = [
        (
            "id,title\nGW-1,T\ngw-1,U\n",
            "3: controls[1].id",
            "differs only by case",
        ),
        ("id,title\nGW\u{200B}1,T\n", "2: controls[0].id", "U+200B"),
        (
            "id,title,likelihood,impact\n..,T,1,1\n",
            "2: risks[0].id",
            "`..` is not allowed",
        ),
        (
            "id,title,due\nT-1,T,1899-12-31\n",
            "2: tasks[0].due",
            "out of range",
        ),
    ];
    for (i, (csv, at, what)) in cases.iter().enumerate() {
        let f = write(t.path(), &format!("c{i}.csv"), csv);
        refused(&ws, &[&f], &format!("{}:{at}", name(&f)), what);
    }
    // Cells are trimmed, and a trimmed ID re-imports as itself.
    let f = write(t.path(), "ok.csv", "id,title\n\" GW-2 \",T\n");
    assert!(import(&ws, &[&f]).0);
    assert!(import(&ws, &[&f]).1.contains("controls  0      0        1"));
}

#[test]
fn dates_outside_1900_to_2200_are_refused() {
    let t = tempfile::tempdir().unwrap();
    let ws = workspace(t.path());
    for (i, date) in ["-0001-01-01", "1899-12-31", "2201-01-01"]
        .iter()
        .enumerate()
    {
        let f = write(
            t.path(),
            &format!("d{i}.yaml"),
            format!(
                "findings:\n  - id: F-1\n    title: T\n    source: internal_audit\n    severity: low\n    opened: {date}\n"
            ),
        );
        refused(
            &ws,
            &[&f],
            &format!("{}:6: findings[0].opened", name(&f)),
            "expected a year from 1900 to 2200",
        );
    }
}

#[test]
fn a_multi_file_import_is_one_transaction() {
    let t = tempfile::tempdir().unwrap();
    let ws = workspace(t.path());
    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/import/oscal-catalog.json");
    let good = write(
        t.path(),
        "good.yaml",
        "controls:\n  - id: AI-1\n    title: T\n    maps: { example-ai-controls-1-0: [gv-1] }\n",
    );
    let bad = write(
        t.path(),
        "bad.yaml",
        "controls:\n  - id: AI-2\n    title: T\n    status: unheard_of\n",
    );
    refused(
        &ws,
        &[&catalog, &good, &bad],
        &format!("{}:4", name(&bad)),
        "status",
    );
    let bad_csv = write(t.path(), "bad.csv", "id,title\n~,T\n");
    refused(
        &ws,
        &[&catalog, &bad_csv],
        &format!("{}:2", name(&bad_csv)),
        "`~` is not allowed",
    );
    // The same files without the bad one go in together: the model maps to the catalog that
    // the same import installs.
    let (ok, out, err) = import(&ws, &[&catalog, &good]);
    assert!(ok, "{err}");
    assert!(out.contains("framework `example-ai-controls-1-0`"), "{out}");
    assert!(out.contains("controls  1"), "{out}");
}
