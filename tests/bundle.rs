//! The auditor bundle as of a date, opened as an auditor would: nothing dated after `--as-of`
//! (evidence, agreements, change-log entries), the signed vendor agreements `vendors attach`
//! recorded, the SoA and the exclusions, a README and an index page, and every link of every
//! page resolving to a file of the bundle.

use serde_json::Value;
use std::path::{Path, PathBuf};

mod common;
use common::{bin, run};

const AS_OF: &str = "2026-06-30";

fn demo() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("demo");
    bin()
        .arg("demo")
        .arg(&ws)
        .args(["--as-of", "2026-11-26"])
        .assert()
        .success();
    (t, ws)
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// A bundle of the demo as of [`AS_OF`], with one agreement signed before it and one after.
fn bundle() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (t, ws) = demo();
    let before = t.path().join("northwind-dpa-signed.pdf");
    std::fs::write(&before, b"%PDF-1.4 DPA signed 2026-06-15").unwrap();
    let after = t.path().join("northwind-baa-renewal.pdf");
    std::fs::write(&after, b"%PDF-1.4 BAA renewal signed 2026-09-01").unwrap();
    for (kind, file, signed) in [
        ("dpa", &before, "2026-06-15"),
        ("baa", &after, "2026-09-01"),
    ] {
        run(
            &ws,
            &[
                "vendors",
                "attach",
                "V-NORTHWIND",
                kind,
                file.to_str().unwrap(),
                "--signed",
                signed,
            ],
        );
    }
    let dir = t.path().join("bundle");
    run(
        &ws,
        &["export", "bundle", dir.to_str().unwrap(), "--as-of", AS_OF],
    );
    (t, ws, dir)
}

#[test]
fn the_bundle_holds_nothing_dated_after_as_of_and_every_kind_of_attachment() {
    let (_t, ws, dir) = bundle();
    let mut all = Vec::new();
    files(&dir, &mut all);
    // Evidence items: none effective after as_of, and the later ones are counted as left out.
    let mut items = 0u64;
    let mut later = 0u64;
    for p in all.iter().filter(|p| {
        p.starts_with(dir.join("controls")) && p.extension().is_some_and(|x| x == "json")
    }) {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
        items += 1;
        if v["effective"].as_str().unwrap() > AS_OF {
            later += 1;
        }
    }
    assert_eq!(later, 0, "{later} item(s) dated after {AS_OF}");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let left_out = manifest["left_out_after_as_of"].as_u64().unwrap();
    let total =
        serde_json::from_str::<Value>(&run(&ws, &["status", "--json"])).unwrap()["evidence"]
            .as_u64()
            .unwrap();
    assert!(
        items > 0 && left_out > 1000,
        "{items} in, {left_out} left out"
    );
    assert_eq!(items + left_out, total);
    assert_eq!(manifest["evidence"].as_array().unwrap().len() as u64, items);
    // Change-log entries: none after as_of.
    let log: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("change-log.json")).unwrap())
            .unwrap();
    for e in log.as_array().unwrap() {
        assert!(e["at"].as_str().unwrap()[..10] <= *AS_OF, "{e}");
    }
    // The agreement signed before as_of is in, with its bytes; the one signed after is not.
    let vendor: Vec<_> = all
        .iter()
        .filter(|p| p.starts_with(dir.join("vendors/V-NORTHWIND")))
        .collect();
    assert_eq!(vendor.len(), 1, "{vendor:?}");
    assert_eq!(
        std::fs::read(vendor[0]).unwrap(),
        b"%PDF-1.4 DPA signed 2026-06-15"
    );
    assert!(
        !all.iter().any(|p| std::fs::read(p)
            .unwrap()
            .windows(11)
            .any(|w| w == b"BAA renewal")),
        "the agreement signed after {AS_OF} is in the bundle"
    );
    let agreements = manifest["agreements"].as_array().unwrap();
    assert!(
        agreements
            .iter()
            .all(|g| g["signed"].as_str().is_none_or(|s| s <= AS_OF))
    );
    // The README, the index, the SoA and the exclusions with their justifications.
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(readme.contains("sha256sum -c SHA256SUMS") && readme.contains("verify-bundle"));
    assert!(dir.join("index.html").is_file());
    assert!(dir.join("soa/iso27001.html").is_file() && dir.join("soa/iso27701.csv").is_file());
    let mut ex = csv::Reader::from_path(dir.join("exclusions.csv")).unwrap();
    let ex: Vec<_> = ex.records().map(Result::unwrap).collect();
    assert!(!ex.is_empty() && ex.iter().all(|r| !r[3].is_empty()));
    // Every file is in SHA256SUMS and checks; the items verify without the workspace.
    let out = std::process::Command::new("sha256sum")
        .args(["-c", "--quiet", "SHA256SUMS"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    assert_eq!(sums.lines().count() + 1, all.len());
    let v = bin().arg("verify-bundle").arg(&dir).output().unwrap();
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
    assert!(String::from_utf8_lossy(&v.stdout).contains(&format!("{items} item(s) verified")));
}

/// The character references minijinja's HTML escaping writes, decoded.
fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[test]
fn every_link_in_every_page_of_the_bundle_resolves() {
    let (_t, _ws, dir) = bundle();
    let mut all = Vec::new();
    files(&dir, &mut all);
    let attr = regex_lite::Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    let md_link = regex_lite::Regex::new(r"\]\(([^)]*)\)").unwrap();
    let (mut checked, mut pages) = (0, 0);
    for page in &all {
        let ext = page.extension().and_then(|x| x.to_str()).unwrap_or("");
        let re = match ext {
            "html" => &attr,
            "md" => &md_link,
            _ => continue,
        };
        pages += 1;
        let text = std::fs::read_to_string(page).unwrap();
        for c in re.captures_iter(&text) {
            // As a browser reads an attribute: character references decoded.
            let link = &unescape(&c[1]);
            assert!(
                !link.contains("://") && !link.starts_with('/') && !link.starts_with("javascript:"),
                "{}: {link} is not a relative link",
                page.display()
            );
            let (path, frag) = link.split_once('#').unwrap_or((link, ""));
            if path.is_empty() {
                assert!(
                    text.contains(&format!("id=\"{frag}\"")),
                    "{}: no anchor {frag}",
                    page.display()
                );
            } else {
                let target = page.parent().unwrap().join(path);
                assert!(
                    target.exists()
                        && target
                            .canonicalize()
                            .unwrap()
                            .starts_with(dir.canonicalize().unwrap()),
                    "{}: {link} points to nothing in the bundle",
                    page.display()
                );
            }
            checked += 1;
        }
    }
    assert!(
        pages > 3 && checked > 1000,
        "{pages} pages, {checked} links"
    );
    // The index links the agreement file and the SoA.
    let index = unescape(&std::fs::read_to_string(dir.join("index.html")).unwrap());
    assert!(index.contains("href=\"vendors/V-NORTHWIND/"));
    assert!(index.contains("href=\"soa/iso27001.html\""));
}
