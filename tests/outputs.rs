//! What certready writes can be trusted even when the model holds hostile text, and where it
//! writes cannot be redirected:
//! - every CSV cell that a spreadsheet would evaluate (`=`, `+`, `-`, `@`, tab, CR) starts with
//!   `'` (OWASP), in the controls, vendors, risks and mappings lists and the SoA;
//! - a symlink planted where an output goes is replaced, and its target left untouched, for
//!   every output kind (CSV lists, JSON, SoA, OSCAL AR and POA&M, review md/html, tabletop
//!   reports);
//! - the review pack and the tabletop report carry no raw HTML, links or `javascript:` from
//!   user text in Markdown, and escape it in HTML;
//! - a U+202E in a control title never reaches the terminal: not through the dashboard's
//!   buffer, not through the CLI's tables and lines.

#![cfg(unix)]

use certready::tui::{data::Data, snapshot, tab::Tab};
use certready::workspace::Workspace;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

mod common;
use common::{bin, run};

const AS_OF: &str = "2026-11-26";
const RLO: char = '\u{202E}';
const SCRIPT: &str = "<script>alert(1)</script>";
const LINK: &str = "[click](javascript:alert(1))";

/// A bare workspace holding one of each hostile thing.
fn hostile() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("ws");
    bin().args(["init", "--bare"]).arg(&ws).assert().success();
    let model = format!(
        r#"
organization: "Org {RLO}gnp.exe"
controls:
  - id: X-EVIL-01
    title: "=HYPERLINK(\"http://evil.example/\",\"click\")"
    owner: "@attacker"
    status: implemented
    cadence: quarterly
    maps:
      soc2: [{{ id: CC6.1, relationship: partial, rationale: "+cmd|' /C calc'!A0" }}]
  - id: X-BIDI-01
    title: "Harmless {RLO}txt.exe"
    owner: ops
    status: in_progress
    cadence: monthly
risks:
  - id: R-EVIL
    title: "-2+3+cmd|' /C calc'!A0"
    category: prompt_injection
    likelihood: 4
    impact: 5
    treatment: mitigate
    owner: "\tTAB"
vendors:
  - id: V-EVIL
    name: "=1+1 {RLO}"
    service: "@SUM(1,1)"
    kind: other
    owner: "-1"
findings:
  - id: F-EVIL
    title: "{SCRIPT} {LINK}"
    source: self_assessment
    severity: high
    status: open
    opened: 2026-11-24
"#
    );
    let f = t.path().join("evil.yaml");
    std::fs::write(&f, model).unwrap();
    run(&ws, &["import", f.to_str().unwrap()]);
    (t, ws)
}

fn cells(path: &Path) -> Vec<String> {
    let mut r = csv::Reader::from_path(path).unwrap();
    r.records()
        .flat_map(|x| x.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

#[test]
fn csv_cells_a_spreadsheet_would_evaluate_start_with_a_quote_in_every_list() {
    let (t, ws) = hostile();
    let out = t.path().join("csv");
    run(
        &ws,
        &["export", "csv", out.to_str().unwrap(), "--as-of", AS_OF],
    );
    let expect: [(&str, &[&str]); 4] = [
        (
            "controls",
            &[
                "'=HYPERLINK(\"http://evil.example/\",\"click\")",
                "'@attacker",
            ],
        ),
        ("mappings", &["'+cmd|' /C calc'!A0"]),
        ("risks", &["'-2+3+cmd|' /C calc'!A0", "'\tTAB"]),
        ("vendors", &[&format!("'=1+1 {RLO}"), "'@SUM(1,1)", "'-1"]),
    ];
    for (list, wanted) in expect {
        let all = cells(&out.join(format!("{list}.csv")));
        for w in wanted {
            assert!(all.iter().any(|c| c == w), "{list}: no {w:?} in {all:?}");
        }
        let bad: Vec<_> = all
            .iter()
            .filter(|c| c.starts_with(['=', '+', '-', '@', '\t', '\r']))
            .collect();
        assert!(bad.is_empty(), "{list}: formula cells {bad:?}");
    }
    // The raw file quotes the cell that holds quotes and commas, so it stays one cell.
    let raw = std::fs::read_to_string(out.join("controls.csv")).unwrap();
    assert!(
        raw.contains(r#""'=HYPERLINK(""http://evil.example/"",""click"")""#),
        "{raw}"
    );
}

/// A victim file and a symlink to it at `at`.
fn plant(t: &Path, at: &Path) -> PathBuf {
    let victim = t.join(format!(
        "victim-{}",
        at.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&victim, "precious").unwrap();
    if let Some(p) = at.parent() {
        std::fs::create_dir_all(p).unwrap();
    }
    std::os::unix::fs::symlink(&victim, at).unwrap();
    victim
}

fn assert_replaced(at: &Path, victim: &Path) {
    assert_eq!(
        std::fs::read_to_string(victim).unwrap(),
        "precious",
        "{} was written through its symlink",
        at.display()
    );
    let m = std::fs::symlink_metadata(at).unwrap();
    assert!(m.is_file(), "{} is not a regular file now", at.display());
    assert!(m.len() > 0, "{} is empty", at.display());
    assert_eq!(m.permissions().mode() & 0o777, 0o600, "{}", at.display());
}

#[test]
fn a_planted_symlink_is_replaced_never_followed_for_every_output_kind() {
    let (t, ws) = hostile();
    let tp = t.path();
    let out = tp.join("out");
    std::fs::create_dir(&out).unwrap();
    let csv_dir = out.join("csv");
    let victim = plant(tp, &csv_dir.join("controls.csv"));
    run(&ws, &["export", "csv", csv_dir.to_str().unwrap()]);
    assert_replaced(&csv_dir.join("controls.csv"), &victim);
    let with_out: [(&str, Vec<&str>); 8] = [
        ("model.json", vec!["export", "json"]),
        ("soa.csv", vec!["export", "soa"]),
        ("soa.html", vec!["export", "soa", "--format", "html"]),
        ("ar.json", vec!["export", "oscal-ar"]),
        ("poam.json", vec!["export", "oscal-poam"]),
        ("review.md", vec!["review", "--as-of", AS_OF]),
        (
            "review.html",
            vec!["review", "--as-of", AS_OF, "--format", "html"],
        ),
        ("soa.md", vec!["export", "soa", "--format", "md"]),
    ];
    for (name, args) in with_out {
        let at = out.join(name);
        let victim = plant(tp, &at);
        let mut args = args;
        args.extend(["--out", at.to_str().unwrap()]);
        run(&ws, &args);
        assert_replaced(&at, &victim);
    }
    // The tabletop reports go to the workspace's reports/ under the exercise's id.
    let id = "TT-20261126-1";
    let md = ws.join("reports").join(format!("{id}.md"));
    let html = ws.join("reports").join(format!("{id}.html"));
    let (vm, vh) = (plant(tp, &md), plant(tp, &html));
    let script = tp.join("s.script");
    std::fs::write(&script, "facilitator: Dana\ngap: none\nend\n").unwrap();
    let args = ["tabletop", "run", "gateway-outage", "--script"];
    let mut args: Vec<&str> = args.to_vec();
    args.extend([script.to_str().unwrap(), "--as-of", AS_OF]);
    run(&ws, &args);
    assert_replaced(&md, &vm);
    assert_replaced(&html, &vh);
}

fn assert_inert_markdown(what: &str, md: &str) {
    for bad in ["<script", "<img", "javascript:", "](", "[click]"] {
        assert!(!md.contains(bad), "{what} carries {bad:?}:\n{md}");
    }
}

#[test]
fn the_review_pack_escapes_user_text_in_markdown_and_html() {
    let (t, ws) = hostile();
    let decision = format!("{SCRIPT} <img src=x onerror=alert(1)> {LINK}");
    let md_path = t.path().join("review.md");
    run(
        &ws,
        &[
            "review",
            "--as-of",
            AS_OF,
            "--decision",
            &decision,
            "--out",
            md_path.to_str().unwrap(),
        ],
    );
    let md = std::fs::read_to_string(&md_path).unwrap();
    assert_inert_markdown("review.md", &md);
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{md}");
    assert!(md.contains("javascript&#58;alert(1)"), "{md}");
    let html = run(&ws, &["review", "--as-of", AS_OF, "--format", "html"]);
    assert!(
        !html.contains("<script") && !html.contains("<img"),
        "{html}"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
        "{html}"
    );
}

#[test]
fn the_tabletop_report_escapes_notes_decisions_gaps_and_names() {
    let (t, ws) = hostile();
    let script = t.path().join("evil.script");
    std::fs::write(
        &script,
        format!(
            "facilitator: <img src=x onerror=alert(1)>\nparticipants: {LINK}\nnote: {SCRIPT}\n\
             decision: {LINK}\ngap: {SCRIPT}\naction: fix {LINK} | <b>owner</b> | 2026-12-15\nend\n"
        ),
    )
    .unwrap();
    run(
        &ws,
        &[
            "tabletop",
            "run",
            "gateway-outage",
            "--script",
            script.to_str().unwrap(),
            "--as-of",
            AS_OF,
        ],
    );
    let reports = ws.join("reports");
    let md = std::fs::read_to_string(reports.join("TT-20261126-1.md")).unwrap();
    assert_inert_markdown("tabletop md", &md);
    assert!(md.contains("Note: &lt;script&gt;"), "{md}");
    assert!(!md.contains("<b>"), "{md}");
    let html = std::fs::read_to_string(reports.join("TT-20261126-1.html")).unwrap();
    assert!(
        !html.contains("<script") && !html.contains("<img") && !html.contains("<b>"),
        "{html}"
    );
    // Escaped once for HTML, not twice: the reader sees the text as it was typed.
    assert!(
        html.contains("Note: &lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!html.contains("&amp;lt;"), "{html}");
}

#[test]
fn a_direction_override_in_a_title_never_reaches_the_terminal() {
    let (_t, ws) = hostile();
    let store = Workspace::new(&ws).open().unwrap();
    let data = Data::load(&store, AS_OF.parse().unwrap(), false).unwrap();
    let theme = certready::tui::theme::Theme::load("default", None, true).unwrap();
    let app = snapshot::app_with(data, Tab::Controls, (160, 30), theme, "t").unwrap();
    let buf = snapshot::render(&app).unwrap();
    let text = snapshot::text(&buf);
    assert!(text.contains("X-BIDI-01"), "{text}");
    assert!(!text.contains(RLO), "U+202E on screen:\n{text}");
    // ratatui glues the zero-width U+202E to the cell before it (here the space), and that
    // cell shows U+FFFD: the override is visible as a mark and reorders nothing.
    assert!(text.contains("Harmless\u{FFFD}txt.exe"), "{text}");
    // The same through the binary's headless snapshot, the status line and a table.
    let shot = run(&ws, &["snapshot", "--tab", "controls", "--size", "160x30"]);
    assert!(shot.contains("X-BIDI-01") && !shot.contains(RLO), "{shot}");
    let status = run(&ws, &["status", "--as-of", AS_OF]);
    assert!(status.contains("Org \u{FFFD}gnp.exe"), "{status}");
    assert!(!status.contains(RLO), "{status}");
    let vendors = run(&ws, &["vendors", "list"]);
    assert!(
        vendors.contains("=1+1 \u{FFFD}") && !vendors.contains(RLO),
        "{vendors}"
    );
}
