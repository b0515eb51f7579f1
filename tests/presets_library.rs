//! The preset library as data: every file in assets/presets is embedded and parses, fills with
//! its defaults, names controls of the built-in control set, and the workspace's presets/
//! folder overrides a built-in one. `certready presets` lists them; `certready sources add`
//! writes a commented, valid `[[source]]`, and a bad parameter leaves the file unchanged.

use assert_cmd::Command;
use certready::collect::library::{self, Library, ParamKind, expand, judge::Judge};
use std::collections::BTreeMap;
use std::path::Path;

fn example(kind: ParamKind) -> &'static str {
    match kind {
        ParamKind::Number => "30",
        ParamKind::Env => "SOME_TOKEN",
        ParamKind::Url => "https://example.test",
        ParamKind::List => "a,b",
        ParamKind::Path => "reports/*.json",
        ParamKind::Text | ParamKind::Program => "acme",
    }
}

#[test]
fn every_preset_file_is_embedded_parses_and_fills() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<String> = std::fs::read_dir(root.join("assets/presets"))
        .expect("presets folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let embedded: Vec<String> = library::BUILT_IN
        .iter()
        .map(|(f, _)| (*f).to_owned())
        .collect();
    assert_eq!(
        files, embedded,
        "src/collect/library/embedded.rs must list every preset file"
    );
    let lib = Library::built_in().expect("built-in presets parse");
    assert!(lib.presets.len() >= 25, "{} presets", lib.presets.len());
    let controls = [
        "10-identity-data",
        "20-operations-ai-vendors",
        "30-engineering-incidents",
        "40-governance-privacy",
        "50-processor",
    ]
    .iter()
    .map(|f| {
        std::fs::read_to_string(root.join(format!("assets/controls/llm-gateway/{f}.yaml")))
            .expect("controls")
    })
    .collect::<String>();
    for (name, e) in &lib.presets {
        let p = &e.preset;
        assert!(
            !p.controls.is_empty() && !p.shows.is_empty() && !p.permission.is_empty(),
            "{name}"
        );
        for c in &p.controls {
            assert!(
                controls.contains(&format!("- id: {c}\n")),
                "{name}: control {c} is not in the control set"
            );
        }
        let given: BTreeMap<String, String> = p
            .params
            .iter()
            .filter(|(_, v)| v.default.is_none())
            .map(|(k, v)| (k.clone(), example(v.kind).to_owned()))
            .collect();
        let f = expand::fill(e, &given).unwrap_or_else(|err| panic!("{name}: {err}"));
        Judge::new(&f.preset).unwrap_or_else(|err| panic!("{name}: {err}"));
        assert!(
            !f.preset.asserts.is_empty() || !f.preset.rules.is_empty() || f.preset.file.is_some(),
            "{name} checks nothing"
        );
    }
    for needed in [
        "github-org-2fa",
        "github-branch-protection",
        "github-dependabot-sla",
        "github-secret-scanning",
        "github-members",
        "aws-root-mfa",
        "aws-iam-key-age",
        "aws-cloudtrail",
        "aws-kms-rotation",
        "aws-s3-encryption",
        "aws-s3-public-access-block",
        "aws-rds-encryption",
        "aws-guardduty",
        "okta-mfa-enrollment",
        "entra-admin-mfa",
        "trivy-report",
        "grype-report",
        "osv-scanner-report",
        "k8s-network-policies",
        "k8s-privileged-pods",
        "restic-snapshots",
        "db-dump-file",
        "litellm-key-rotation",
        "litellm-spend-logging",
        "litellm-guardrails",
    ] {
        assert!(lib.get(needed).is_some(), "missing preset {needed}");
    }
    let gcp = lib.presets.keys().filter(|k| k.starts_with("gcp-")).count();
    let azure = lib
        .presets
        .keys()
        .filter(|k| k.starts_with("azure-"))
        .count();
    assert!(gcp >= 2 && azure >= 2, "gcp {gcp}, azure {azure}");
}

#[test]
fn a_workspace_preset_overrides_a_built_in_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("presets")).expect("mkdir");
    let text = library::BUILT_IN
        .iter()
        .find(|(f, _)| *f == "github-members.toml")
        .expect("built-in")
        .1;
    std::fs::write(
        dir.path().join("presets/github-members.toml"),
        text.replace("for the access review", "(ours)"),
    )
    .expect("write");
    let lib = Library::load(dir.path()).expect("load");
    let e = lib.get("github-members").expect("preset");
    assert_eq!(e.origin, library::Origin::Workspace);
    assert!(e.preset.title.ends_with("(ours)"));
    std::fs::write(dir.path().join("presets/other.toml"), text).expect("write");
    assert!(
        Library::load(dir.path())
            .unwrap_err()
            .contains("must match the file name")
    );
}

fn certready(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("certready").expect("binary");
    c.arg("--workspace").arg(dir);
    c
}

#[test]
fn presets_lists_and_sources_add_writes_a_valid_commented_source() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    certready(d)
        .args(["init", "."])
        .current_dir(d)
        .assert()
        .success();
    let out = certready(d)
        .args(["presets", "--json"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let list = list.as_array().expect("array");
    assert!(list.len() >= 25);
    let trivy = list
        .iter()
        .find(|p| p["name"] == "trivy-report")
        .expect("trivy");
    assert_eq!(trivy["kind"], "file");
    assert_eq!(trivy["params"]["sla_days"]["default"], "30");
    let table = certready(d).arg("presets").output().expect("run");
    assert!(String::from_utf8_lossy(&table.stdout).contains("okta-mfa-enrollment"));

    let config = d.join("certready.toml");
    let before = std::fs::read(&config).expect("config");
    for (args, says) in [
        (
            vec![
                "--param",
                "org=acme",
                "--param",
                "token_env=ghp_live_secret",
            ],
            "param token_env: must be the NAME of an environment variable",
        ),
        (
            vec!["--param", "org=acme", "--param", "colour=blue"],
            "param colour: preset github-org-2fa has no such parameter",
        ),
        (
            vec!["--param", "api=ftp://x", "--param", "org=acme"],
            "param api: is not an http(s) URL",
        ),
        (vec![], "param org: required"),
    ] {
        let out = certready(d)
            .args(["sources", "add", "github-org-2fa"])
            .args(&args)
            .output()
            .expect("run");
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(!err.contains("ghp_live_secret"), "{err}");
        assert_eq!(
            std::fs::read(&config).expect("config"),
            before,
            "the file changed"
        );
    }
    certready(d)
        .args(["sources", "add", "github-org-2fa", "--param", "org=acme"])
        .assert()
        .success();
    certready(d)
        .args([
            "sources",
            "add",
            "github-org-2fa",
            "--param",
            "org=acme-labs",
        ])
        .assert()
        .success();
    let text = std::fs::read_to_string(&config).expect("config");
    assert!(
        text.contains(
            "# GitHub organisation requires two-factor authentication (preset github-org-2fa)"
        ),
        "{text}"
    );
    assert!(text.contains("name = \"github-org-2fa-2\""), "{text}");
    assert!(text.contains("params = { org = \"acme-labs\" }"), "{text}");
    // The written config is valid as a whole: `sources` reads it.
    certready(d).args(["sources", "--json"]).assert().success();
    // A preset source with a bad parameter edited in by hand is named by line and key.
    std::fs::write(
        &config,
        text.replace(
            "org = \"acme-labs\"",
            "org = \"acme-labs\", sla_days = \"9\"",
        ),
    )
    .expect("write");
    let out = certready(d).args(["sources"]).output().expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("params.sla_days"),
        "{err}"
    );
}
