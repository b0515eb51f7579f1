//! Concurrency: several `certready` processes importing into one workspace at once while others
//! read it. Every import succeeds (writers queue on the database lock instead of failing), no
//! row is lost or doubled, readers never see an error, and the hash chain verifies afterwards.
//! Runs on SQLite here and on PostgreSQL as `pg_matrix_concurrency`.

use std::path::Path;
use std::process::Output;

mod common;
use common::{bin_in, evidence_rows, init};

fn run(ws: &Path, args: &[&str]) -> Output {
    bin_in(ws).args(args).output().unwrap()
}

#[test]
fn parallel_imports_and_readers_all_succeed_and_nothing_is_lost() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("ws");
    init(&ws);
    let writers = 4;
    let per = 3_000;
    let mut files = Vec::new();
    for w in 0..writers {
        let csv = t.path().join(format!("evidence-{w}.csv"));
        let mut text = String::from("control,title,effective,result\n");
        for i in 0..per {
            text.push_str(&format!(
                "GW-AVAIL-01,writer {w} check {i},2026-{:02}-{:02},pass\n",
                1 + (i / 28) % 12,
                1 + i % 28
            ));
        }
        std::fs::write(&csv, text).unwrap();
        files.push(csv);
    }
    std::thread::scope(|s| {
        let mut handles = Vec::new();
        for csv in &files {
            let ws = ws.clone();
            handles.push(s.spawn(move || run(&ws, &["import", csv.to_str().unwrap()])));
        }
        for _ in 0..writers {
            let ws = ws.clone();
            handles.push(s.spawn(move || run(&ws, &["status", "--json"])));
        }
        for h in handles {
            let out = h.join().unwrap();
            assert!(
                out.status.success(),
                "a concurrent command failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    });
    let n = evidence_rows(&ws);
    assert_eq!(n, i64::from(writers * per));
    let v = run(&ws, &["verify"]);
    assert!(
        v.status.success(),
        "verify: {}",
        String::from_utf8_lossy(&v.stderr)
    );
}
