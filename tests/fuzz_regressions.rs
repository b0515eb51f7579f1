//! Inputs the fuzz targets (`fuzz/`, run by `scripts/fuzz.sh`) found to panic, hang or exhaust
//! memory, minimised and kept in `fixtures/fuzz-regressions/<target>-<name>`.
//!
//! Each file is fed to the same public functions as its target, on a thread of its own: every
//! one must return (`Ok` or `Err`, either is fine) without panicking and within a time limit.
//! A new reproducer is picked up by dropping it into the folder with its target's prefix.

use certready::domain::{ControlId, Mapping, Relationship};
use certready::import::libraries::{self, Ciso};
use certready::store::Known;
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::Duration;

/// How long one reproducer may take (the fuzz targets use 10 s, with sanitizers on).
const LIMIT: Duration = Duration::from_secs(20);

/// The ids a fresh workspace knows, as the fuzz targets build them: every shipped requirement
/// and SOC 2 category, the shipped control set, one finding, task and vendor.
fn known() -> Known {
    let mut k = Known::default();
    for fw in certready::catalog::builtin_frameworks().unwrap() {
        k.requirements.insert(
            fw.key.as_str().to_owned(),
            fw.requirements
                .iter()
                .map(|r| r.ref_id.as_str().to_owned())
                .collect(),
        );
        if fw.key.as_str() == "soc2" {
            k.soc2_categories = fw.groups.iter().map(|g| g.id.clone()).collect();
        }
    }
    let controls =
        certready::import::parse_yaml("llm-gateway.yaml", certready::catalog::CONTROL_SET).unwrap();
    k.absorb(&controls.model);
    k.findings.insert("F-1".to_owned());
    k.task_deps.insert("T-1".to_owned(), Vec::new());
    k.vendors.insert("openai".to_owned());
    k
}

fn validate_both(parsed: &certready::import::Parsed, known: &Known) {
    for k in [known, &Known::default()] {
        if let Err(e) = certready::import::validate(parsed, k) {
            let _ = e.to_string();
        }
    }
}

/// `fuzz/fuzz_targets/model_yaml.rs`.
fn model_yaml(text: &str, known: &Known) {
    match certready::import::parse_yaml("fuzz.yaml", text) {
        Ok(parsed) => validate_both(&parsed, known),
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// `fuzz/fuzz_targets/csv_import.rs`, through the public entry point: a `.csv` file.
fn csv_import(text: &str, known: &Known) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fuzz.csv");
    std::fs::write(&path, text).unwrap();
    match certready::import::parse_file(&path) {
        Ok(parsed) => validate_both(&parsed, known),
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// `fuzz/fuzz_targets/config_toml.rs`.
fn config_toml(text: &str) {
    use certready::collect::config::{parse, seconds};
    match parse("certready.toml", text) {
        Ok(cfg) => {
            for g in &cfg.gateway {
                let _ = (seconds(&g.interval), seconds(&g.timeout));
            }
            for s in &cfg.source {
                let _ = (seconds(&s.interval), seconds(&s.timeout));
                let _ = s.max_age.as_deref().map(seconds);
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    let _ = seconds(text.lines().next().unwrap_or_default());
}

/// `fuzz/fuzz_targets/scenario.rs`.
fn scenario(text: &str, known: &Known) {
    use certready::tabletop::{self, script};
    for k in [None, Some(known)] {
        if let Err(e) = tabletop::parse("fuzz.yaml", text, k) {
            let _ = e.to_string();
        }
    }
    if let Err(e) = script::parse("fuzz.script", text) {
        let _ = e.to_string();
    }
}

/// `fuzz/fuzz_targets/interchange.rs`.
fn interchange(text: &str) {
    if let Err(e) = certready::import::oscal::catalog("fuzz.json", text) {
        let _ = e.to_string();
    }
    match libraries::ciso_library("fuzz.yaml", text) {
        Ok(Ciso::Mappings(rows)) => {
            let frameworks = certready::catalog::builtin_frameworks().unwrap();
            let existing: Vec<Mapping> = frameworks
                .iter()
                .filter_map(|fw| {
                    Some(Mapping {
                        control: ControlId("GW-FUZZ-01".to_owned()),
                        framework: fw.key.clone(),
                        requirement: fw.requirements.first()?.ref_id.clone(),
                        relationship: Relationship::Full,
                        rationale: String::new(),
                        carve_out: None,
                        source: String::new(),
                        overrides: None,
                    })
                })
                .collect();
            let _ = libraries::derive_mappings(&rows, &frameworks, &existing);
        }
        Ok(Ciso::Framework(_)) => {}
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// Feeds one reproducer to its target's functions; `None` when the name has no known target.
fn feed(target: &str, bytes: &[u8], known: &Known) -> Option<()> {
    // The targets see arbitrary bytes as text the same way.
    let text = String::from_utf8_lossy(bytes);
    match target {
        "model_yaml" => model_yaml(&text, known),
        "csv_import" => csv_import(&text, known),
        "config_toml" => config_toml(&text),
        "scenario" => scenario(&text, known),
        "interchange" => interchange(&text),
        _ => return None,
    }
    Some(())
}

fn reproducers() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fuzz-regressions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_fuzz_reproducer_returns_without_panicking() {
    let known = Arc::new(known());
    let files = reproducers();
    assert!(!files.is_empty(), "fixtures/fuzz-regressions holds no file");
    let mut failures = Vec::new();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let target = name.split_once('-').map_or("", |(t, _)| t).to_owned();
        let bytes = std::fs::read(&path).unwrap();
        let (tx, rx) = mpsc::channel();
        let k = Arc::clone(&known);
        let t = target.clone();
        std::thread::spawn(move || {
            let r = std::panic::catch_unwind(|| feed(&t, &bytes, &k));
            let _ = tx.send(r);
        });
        match rx.recv_timeout(LIMIT) {
            Ok(Ok(Some(()))) => {}
            Ok(Ok(None)) => failures.push(format!("{name}: no fuzz target named `{target}`")),
            Ok(Err(_)) => failures.push(format!("{name}: panicked (message above)")),
            Err(_) => failures.push(format!("{name}: still running after {LIMIT:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The overflow reproducers panic only where overflow checks are on (debug builds, the fuzz
/// build); a release build wrapped instead and accepted a wrong duration. Both must be refused.
#[test]
fn durations_too_long_for_the_clock_are_refused_not_wrapped() {
    use certready::collect::config::{parse, seconds};
    use certready::tabletop::script;
    assert_eq!(seconds("99999999999999999d"), None);
    assert_eq!(
        seconds("213503982334602d"),
        None,
        "one day past u64::MAX seconds"
    );
    assert_eq!(
        seconds("213503982334601d"),
        Some(213_503_982_334_601 * 86_400)
    );
    let cfg = "[[gateway]]\nname = \"gw\"\npreset = \"litellm\"\nurl = \"http://127.0.0.1:4000\"\ninterval = \"99999999999999999d\"\n";
    let e = parse("certready.toml", cfg).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("gateway[0].interval"), "{e}");
    let e = script::parse("run.script", "wait 9999999999999999h\n").unwrap_err();
    assert_eq!(e.line, Some(1), "{e}");
    // A wait is at most 24 hours: a longer one is refused, not played second by second.
    assert!(script::parse("run.script", "wait 24h\n").is_ok());
    assert!(script::parse("run.script", "wait 86401s\n").is_err());
    assert!(script::parse("run.script", "wait 1000000h\n").is_err());
    // An interval longer than 366 days would overflow the pollers' clock when added.
    let long = cfg.replace("99999999999999999d", "367d");
    let e = parse("certready.toml", &long).unwrap_err();
    assert!(e.to_string().contains("longer than 366 days"), "{e}");
}
