//! What the command line says is true: a gateway is up only from a recent check of a
//! configured gateway; `--workspace` naming no workspace fails instead of opening the demo;
//! the review pack has one Type II report date and says "first pack"; an action needs an owner
//! and a due date and becomes a task; dates are refused with the expected form; help text
//! lists every tab and does not offer `--workspace` where it means nothing.

use serde_json::Value;
use std::path::{Path, PathBuf};

mod common;
use common::backend::{Postgres, backend, bin_for, bin_in, count, fingerprint};
use common::{bin, run};

fn demo() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("demo");
    bin_for(&ws)
        .args(["demo"])
        .arg(&ws)
        .args(["--as-of", "2026-11-26"])
        .assert()
        .success();
    (t, ws)
}

fn gateway(ws: &Path) -> Value {
    let v: Value =
        serde_json::from_str(&run(ws, &["status", "--json", "--as-of", "2026-11-26"])).unwrap();
    v["gateway"]["gateways"][0].clone()
}

#[test]
fn an_unconfigured_gateway_is_not_up_and_a_configured_one_is_stale() {
    let (_t, ws) = demo();
    let g = gateway(&ws);
    assert_eq!(g["state"], "not_configured", "{g}");
    assert_eq!(g["last_state"], "up", "{g}");
    assert_eq!(g["last_check"], "2026-11-25T23:59:45Z", "{g}");
    let text = run(&ws, &["status", "--as-of", "2026-11-26"]);
    assert!(
        text.contains("gateway llm-gateway: not configured"),
        "{text}"
    );
    assert!(!text.contains("llm-gateway: up"), "{text}");
    // Configured, but its last check is days old: stale since that check.
    let cfg = ws.join("certready.toml");
    std::fs::write(
        &cfg,
        "[[gateway]]\nname = \"llm-gateway\"\npreset = \"litellm\"\nurl = \"http://127.0.0.1:9\"\ninterval = \"15s\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&cfg, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let g = gateway(&ws);
    assert_eq!(g["state"], "stale", "{g}");
    assert_eq!(g["stale_since"], "2026-11-25T23:59:45Z", "{g}");
    let text = run(&ws, &["status", "--as-of", "2026-11-26"]);
    assert!(
        text.contains("gateway llm-gateway: stale since 2026-11-25 23:59 UTC"),
        "{text}"
    );
    let pack = run(&ws, &["review", "--as-of", "2026-11-26"]);
    assert!(
        pack.contains("llm-gateway: stale since 2026-11-25 23:59 UTC"),
        "{pack}"
    );
}

#[test]
fn a_missing_workspace_fails_instead_of_opening_the_demo() {
    let t = tempfile::tempdir().unwrap();
    let missing = t.path().join("no-such-dir");
    let out = bin_in(&missing).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no-such-dir"), "{err}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("DEMO"));
    let out = bin_in(&missing)
        .args(["snapshot", "--tab", "overview"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(!missing.exists());
}

#[test]
fn the_pack_has_one_type2_report_date_and_says_first_pack() {
    let (_t, ws) = demo();
    let pack = run(&ws, &["review", "--as-of", "2026-11-26"]);
    let soc2 = pack.lines().find(|l| l.starts_with("| SOC 2 |")).unwrap();
    assert!(soc2.contains("first pack"), "{soc2}");
    assert!(!pack.contains("0.0 pp"), "{pack}");
    let milestone = pack
        .lines()
        .find(|l| l.contains("SOC 2 Type II report"))
        .unwrap();
    let date = &milestone[2..12];
    assert!(
        soc2.contains(&format!("| {date} (planned")),
        "{soc2} / {milestone}"
    );
    // The second pack compares with the first.
    let next = run(&ws, &["review", "--as-of", "2026-12-03"]);
    assert!(next.contains(" pp |"), "{next}");
}

#[test]
fn an_action_needs_owner_and_date_and_becomes_a_task() {
    let (_t, ws) = demo();
    let before = fingerprint(&ws);
    for bad in ["no pipes here", "text | owner", "text |  | 2026-12-10"] {
        let out = bin_in(&ws)
            .args(["review", "--as-of", "2026-11-26", "--action", bad])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("TEXT | OWNER | YYYY-MM-DD"), "{err}");
    }
    assert_eq!(before, fingerprint(&ws));
    let pack = run(
        &ws,
        &[
            "review",
            "--as-of",
            "2026-11-26",
            "--action",
            "Rotate provider keys | keiko | 2026-12-10",
        ],
    );
    assert!(
        pack.contains(
            "Action: Rotate provider keys (owner keiko, due 2026-12-10, task T-REV-20261126-1)"
        ),
        "{pack}"
    );
    let model: Value = serde_json::from_str(&run(&ws, &["export", "json"])).unwrap();
    let text = model.to_string();
    assert!(text.contains("T-REV-20261126-1"), "task missing");
    assert!(text.contains("Rotate provider keys"));
}

#[test]
fn dates_name_the_expected_form() {
    let (_t, ws) = demo();
    let out = bin_in(&ws)
        .args(["status", "--as-of", "2026-13-01"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("expected YYYY-MM-DD"), "{err}");
}

#[test]
fn help_lists_every_tab_and_hides_workspace_where_it_means_nothing() {
    let help = |args: &[&str]| {
        let out = bin().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let snap = help(&["snapshot", "--help"]);
    for tab in ["Overview", "Timeline", "Vendors", "Tabletop", "Review"] {
        assert!(snap.contains(tab), "{tab}: {snap}");
    }
    for sub in ["init", "demo", "gen"] {
        assert!(!help(&[sub, "--help"]).contains("--workspace"), "{sub}");
    }
    assert!(help(&["status", "--help"]).contains("--workspace"));
    assert!(!help(&["status", "--help"]).contains("DESIGN"));
    // `init --workspace BASE DIR` still works (hidden, not removed).
    let t = tempfile::tempdir().unwrap();
    let org = t.path().join("org");
    bin_for(&org)
        .arg("init")
        .arg("org")
        .arg("--workspace")
        .arg(t.path())
        .assert()
        .success();
    if backend() == Postgres {
        assert!(org.join("certready.toml").is_file());
        assert!(count(&org, "SELECT COUNT(*) FROM controls") > 0);
    } else {
        assert!(org.join("certready.db").exists());
    }
}

#[test]
fn the_why_line_names_type1_once_and_the_readme_links_only_its_own_files() {
    let (_t, ws) = demo();
    let text = run(&ws, &["status", "--as-of", "2026-11-26"]);
    let why: Vec<&str> = text.lines().filter(|l| l.starts_with("why ")).collect();
    assert!(!why.is_empty(), "{text}");
    for l in why {
        assert!(!l.contains("Type I ready"), "{l}");
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    for (i, part) in readme.split("](").enumerate().skip(1) {
        let target = part.split(')').next().unwrap_or_default();
        let target = target.split('#').next().unwrap_or_default();
        if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
            continue;
        }
        assert!(
            !target.starts_with("..") && !target.starts_with('/'),
            "link {i}: {target}"
        );
        assert!(
            root.join(target).exists(),
            "link {i}: {target} is not in the repository"
        );
    }
}
