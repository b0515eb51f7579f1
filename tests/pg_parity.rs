//! certready reads the same on PostgreSQL as on SQLite: the demo, written into a SQLite
//! workspace and copied with `db push` into a fresh database, gives byte-identical output on
//! both backends for every report and export (the same `--workspace` folder, with and without
//! `CERTREADY_DATABASE_URL`), at fixed dates. The only masked parts are those that carry "now"
//! or the database user: the POA&M's `last-modified`, and the bundle's checkpoint, manifest,
//! change log, README, index and SHA256SUMS (signing time, key fingerprint, the change log
//! entry the export writes with its `who`); the bundle's evidence tree is compared whole.
//! A workspace built on PostgreSQL with `init` + `import` scores as one built the same way on
//! SQLite, so the import path is checked too, not only `db push`.

mod common;
use common::pgws::{self, AS_OF, demo_pushed, ok, run_pg, run_sqlite, same_tree};
use std::path::Path;

/// `args` on both backends: (SQLite stdout, PostgreSQL stdout); both must succeed.
fn both(ws: &Path, url: &str, args: &[&str]) -> (Vec<u8>, Vec<u8>) {
    let s = ok(run_sqlite(ws, args), &format!("sqlite {args:?}"));
    let p = ok(run_pg(ws, url, args), &format!("postgres {args:?}"));
    (s, p)
}

fn same_stdout(ws: &Path, url: &str, args: &[&str]) {
    let (s, p) = both(ws, url, args);
    assert!(
        s.len() > 100,
        "{args:?} printed almost nothing: {}",
        String::from_utf8_lossy(&s)
    );
    assert!(
        s == p,
        "{args:?} differs:\n--- sqlite\n{}\n--- postgres\n{}",
        String::from_utf8_lossy(&s),
        String::from_utf8_lossy(&p)
    );
}

#[test]
fn reports_read_the_same_on_both_backends() {
    let d = demo_pushed("parity_reports");
    let mut compared = 0;
    for fw in ["soc2", "iso27001", "hipaa"] {
        for json in [true, false] {
            let mut a = vec!["requirements", "--framework", fw, "--as-of", AS_OF];
            if json {
                a.push("--json");
            }
            same_stdout(&d.ws, &d.url, &a);
            compared += 1;
        }
    }
    for a in [
        &["status", "--json", "--as-of", AS_OF][..],
        &["status", "--as-of", AS_OF],
        &["timeline", "--json", "--as-of", AS_OF],
        &["timeline", "--as-of", AS_OF],
        &["export", "json", "--as-of", AS_OF],
        &["export", "soa", "--framework", "iso27001", "--as-of", AS_OF],
    ] {
        same_stdout(&d.ws, &d.url, a);
        compared += 1;
    }
    // OSCAL assessment results carry the export's own time (`last-modified`, and `collected`
    // of what was observed now); two exports can straddle a second, so that one time is
    // masked in each before comparing.
    let (s, p) = both(
        &d.ws,
        &d.url,
        &[
            "export",
            "oscal-ar",
            "--framework",
            "soc2",
            "--as-of",
            AS_OF,
        ],
    );
    assert_eq!(masked_now(s), masked_now(p), "oscal-ar differs");
    compared += 1;
    assert_eq!(compared, 13);
}

/// OSCAL output with every occurrence of its `last-modified` time (the export's "now")
/// replaced.
fn masked_now(out: Vec<u8>) -> String {
    let text = String::from_utf8(out).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let now = v["assessment-results"]["metadata"]["last-modified"]
        .as_str()
        .unwrap_or_else(|| panic!("no last-modified in {text}"))
        .to_owned();
    assert!(text.len() > 1000, "{text}");
    text.replace(&format!("\"{now}\""), "\"<now>\"")
}

/// The POA&M with its one timestamp of "now" replaced.
fn masked_poam(out: Vec<u8>) -> String {
    let text = String::from_utf8(out).unwrap();
    let mut seen = 0;
    let masked: Vec<String> = text
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("\"last-modified\"") {
                seen += 1;
                "last-modified: masked".to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect();
    assert_eq!(seen, 1, "one last-modified in the POA&M");
    masked.join("\n")
}

/// The review pack with its checkpoint line masked: the pack signs a checkpoint now, so the
/// line holds the signing time, the key and the change log's root (whose last row, the
/// review's own record, carries the time and the database user).
fn masked_review(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let signed = text.matches("Signed by ").count();
    assert_eq!(signed, 1, "one checkpoint line in {}", path.display());
    text.lines()
        .map(|l| {
            if l.contains("Signed by ") {
                "signed: masked"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn exports_and_review_packs_write_the_same_files() {
    let d = demo_pushed("parity_exports");
    let out = d.dir.path();
    let (s, p) = both(&d.ws, &d.url, &["export", "oscal-poam", "--as-of", AS_OF]);
    assert_eq!(masked_poam(s), masked_poam(p));

    // Before the review: the review records evidence holding its packs' digests, and the
    // packs hold the signing time.
    let (cs, cp) = (out.join("csv-s"), out.join("csv-p"));
    ok(
        run_sqlite(
            &d.ws,
            &["export", "csv", cs.to_str().unwrap(), "--as-of", AS_OF],
        ),
        "csv",
    );
    ok(
        run_pg(
            &d.ws,
            &d.url,
            &["export", "csv", cp.to_str().unwrap(), "--as-of", AS_OF],
        ),
        "csv",
    );
    let csv_files = same_tree(&cs, &cp);
    assert!(csv_files >= 9, "every list: {csv_files} files");

    for fmt in ["md", "html"] {
        // The same file name in two folders: the pack names its signed checkpoint file.
        let name = format!("pack.{fmt}");
        let (fs, fp) = (out.join("rs").join(&name), out.join("rp").join(&name));
        std::fs::create_dir_all(fs.parent().unwrap()).unwrap();
        std::fs::create_dir_all(fp.parent().unwrap()).unwrap();
        let base = ["review", "--as-of", AS_OF, "--format", fmt, "--out"];
        let mut a: Vec<&str> = base.to_vec();
        a.push(fs.to_str().unwrap());
        ok(run_sqlite(&d.ws, &a), "sqlite review");
        a.pop();
        a.push(fp.to_str().unwrap());
        ok(run_pg(&d.ws, &d.url, &a), "postgres review");
        let (x, y) = (masked_review(&fs), masked_review(&fp));
        assert!(x.len() > 1000, "review {fmt} is short");
        assert!(x == y, "review --format {fmt} differs between the backends");
    }
}

#[test]
fn the_bundles_evidence_tree_is_the_same() {
    let d = demo_pushed("parity_bundle");
    let (bs, bp) = (d.dir.path().join("b-s"), d.dir.path().join("b-p"));
    ok(
        run_sqlite(
            &d.ws,
            &["export", "bundle", bs.to_str().unwrap(), "--as-of", AS_OF],
        ),
        "bundle",
    );
    ok(
        run_pg(
            &d.ws,
            &d.url,
            &["export", "bundle", bp.to_str().unwrap(), "--as-of", AS_OF],
        ),
        "bundle",
    );
    // checkpoint.json, manifest.json, change-log.json, README.md, index.html and SHA256SUMS hold
    // the signing time, the key and the change log entry the export itself wrote (its `who` is
    // the database user on PostgreSQL): they differ by design and are left out.
    let mut files = 0;
    for sub in ["controls", "requirements", "soa"] {
        files += same_tree(&bs.join(sub), &bp.join(sub));
    }
    assert_eq!(
        std::fs::read(bs.join("exclusions.csv")).unwrap(),
        std::fs::read(bp.join("exclusions.csv")).unwrap()
    );
    assert!(files > 2000, "the demo's evidence items: {files} files");
}

#[test]
fn a_model_imported_into_postgres_scores_as_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let (s, p) = (dir.path().join("s"), dir.path().join("p"));
    let url = common::pg::fresh_database("parity_import");
    let model = common::fixture("demo/model.yaml");
    let model = model.to_str().unwrap();
    ok(
        pgws::sqlite(&s, &[]).arg("init").arg(&s).output().unwrap(),
        "init",
    );
    ok(
        pgws::sqlite(&p, &[])
            .args(["init", "--database", &url])
            .arg(&p)
            .output()
            .unwrap(),
        "init --database",
    );
    ok(run_sqlite(&s, &["import", model]), "sqlite import");
    ok(
        pgws::sqlite(&p, &[])
            .args(["--database", &url, "--workspace"])
            .arg(&p)
            .args(["import", model])
            .output()
            .unwrap(),
        "postgres import",
    );
    assert!(
        !p.join("certready.db").exists(),
        "the PostgreSQL workspace has no SQLite file"
    );
    for a in [
        &["status", "--json", "--as-of", AS_OF][..],
        &["timeline", "--json", "--as-of", AS_OF],
        &[
            "requirements",
            "--framework",
            "soc2",
            "--json",
            "--as-of",
            AS_OF,
        ],
    ] {
        let x = ok(run_sqlite(&s, a), "sqlite");
        let y = ok(run_pg(&p, &url, a), "postgres");
        assert!(x == y, "{a:?} differs after import");
    }
}
