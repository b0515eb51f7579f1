//! Concurrency on PostgreSQL (as tests/concurrency.rs on SQLite): several `certready evidence
//! add` processes at once, with a CSV import and readers running alongside, against one
//! workspace kept in PostgreSQL. Every command succeeds, no row is lost or doubled (the evidence
//! count is exactly what was added), every attached file is kept, and `verify` passes afterwards:
//! the writers' lock makes the chains serial.

mod common;
use common::pg;
use common::pgws::{ok, run_pg};
use std::path::Path;
use std::time::Instant;

const WRITERS: usize = 4;
const PER_WRITER: usize = 12;
const IMPORTED: usize = 500;

fn evidence_count(url: &str) -> i64 {
    pg::connect(url)
        .query_one("SELECT COUNT(*) FROM evidence", &[])
        .unwrap()
        .get(0)
}

/// Writer `w`'s `i`-th add: every other one attaches a file of its own.
fn add(ws: &Path, url: &str, files: &Path, w: usize, i: usize) -> std::process::Output {
    let title = format!("writer {w} add {i}");
    let date = format!("2026-11-{:02}", 1 + (w * PER_WRITER + i) % 28);
    let mut args = vec![
        "evidence",
        "add",
        "GW-AVAIL-01",
        "--effective",
        &date,
        "--title",
        &title,
    ];
    let file = files.join(format!("w{w}-{i}.txt"));
    if i.is_multiple_of(2) {
        std::fs::write(&file, format!("report of writer {w}, add {i}\n")).unwrap();
        args.push(file.to_str().unwrap());
    }
    run_pg(ws, url, &args)
}

#[test]
fn parallel_adds_an_import_and_readers_lose_nothing_and_verify() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("ws");
    let files = t.path().join("files");
    std::fs::create_dir(&files).unwrap();
    let url = pg::fresh_database("concurrency");
    ok(
        common::pgws::sqlite(&ws, &[])
            .args(["init", "--database", &url])
            .arg(&ws)
            .output()
            .unwrap(),
        "init --database",
    );
    let before = evidence_count(&url);
    let csv = t.path().join("evidence.csv");
    let mut text = String::from("control,title,effective,result\n");
    for i in 0..IMPORTED {
        text.push_str(&format!(
            "GW-MFA-01,imported check {i},2026-{:02}-{:02},pass\n",
            1 + i % 11,
            1 + i % 28
        ));
    }
    std::fs::write(&csv, text).unwrap();

    let started = Instant::now();
    std::thread::scope(|s| {
        let mut handles = Vec::new();
        for w in 0..WRITERS {
            let (ws, url, files) = (&ws, &url, &files);
            handles.push(s.spawn(move || {
                (0..PER_WRITER)
                    .map(|i| add(ws, url, files, w, i))
                    .collect::<Vec<_>>()
            }));
        }
        let (ws2, url2, csv2) = (&ws, &url, &csv);
        handles.push(s.spawn(move || vec![run_pg(ws2, url2, &["import", csv2.to_str().unwrap()])]));
        for _ in 0..2 {
            let (ws, url) = (&ws, &url);
            handles.push(s.spawn(move || {
                (0..5)
                    .map(|_| run_pg(ws, url, &["status", "--json"]))
                    .collect()
            }));
        }
        for h in handles {
            for out in h.join().unwrap() {
                assert!(
                    out.status.success(),
                    "a concurrent command failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
    });
    let took = started.elapsed();
    eprintln!(
        "{WRITERS} writers x {PER_WRITER} adds + an import of {IMPORTED} rows + 10 reads: {took:.1?}"
    );

    let added = evidence_count(&url) - before;
    assert_eq!(added, (WRITERS * PER_WRITER + IMPORTED) as i64);
    let titles: i64 = pg::connect(&url)
        .query_one(
            "SELECT COUNT(DISTINCT title) FROM evidence WHERE title LIKE 'writer %'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(titles, (WRITERS * PER_WRITER) as i64, "each add is one row");
    let attached: i64 = pg::connect(&url)
        .query_one(
            "SELECT COUNT(*) FROM evidence WHERE file_ref IS NOT NULL",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(attached, (WRITERS * PER_WRITER / 2) as i64);
    let v = String::from_utf8(ok(run_pg(&ws, &url, &["verify"]), "verify")).unwrap();
    assert!(v.contains(&format!("{attached} rehashed")), "{v}");
}
