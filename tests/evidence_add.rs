//! `evidence add` with the real binary: two adds in one second are two items, and a copy that
//! cannot be finished (a file-size limit stands in for a full disk) leaves neither a partial
//! file nor a row; a file that is not a regular file is refused. Runs on SQLite here and on
//! PostgreSQL as `pg_matrix_evidence_add` ("no row" compares the SQLite file's bytes, or every
//! table's rows on PostgreSQL).

mod common;

use common::{bin_in, init};
use std::path::Path;

fn rows(ws: &Path) -> i64 {
    common::evidence_rows(ws)
}

fn evidence_files(ws: &Path) -> Vec<String> {
    std::fs::read_dir(ws.join("evidence"))
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn add(ws: &Path, file: &Path) -> std::process::Output {
    bin_in(ws)
        .args(["evidence", "add", "GW-MFA-01"])
        .arg(file)
        .args(["--effective", "2026-11-20", "--result", "pass"])
        .output()
        .unwrap()
}

#[test]
fn two_adds_in_one_second_store_two_items() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    init(&ws);
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&a, b"first export").unwrap();
    std::fs::write(&b, b"second export").unwrap();
    let before = rows(&ws);
    let (x, y) = std::thread::scope(|s| {
        let x = s.spawn(|| add(&ws, &a));
        let y = s.spawn(|| add(&ws, &b));
        (x.join().unwrap(), y.join().unwrap())
    });
    assert!(x.status.success(), "{}", String::from_utf8_lossy(&x.stderr));
    assert!(y.status.success(), "{}", String::from_utf8_lossy(&y.stderr));
    assert_eq!(rows(&ws), before + 2);
    assert_eq!(evidence_files(&ws).len(), 2, "{:?}", evidence_files(&ws));
    // The same file twice is two items sharing one kept copy.
    assert!(add(&ws, &a).status.success());
    assert_eq!(rows(&ws), before + 3);
    assert_eq!(evidence_files(&ws).len(), 2);
}

#[cfg(unix)]
#[test]
fn a_copy_cut_short_leaves_no_partial_file_and_no_row() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    init(&ws);
    let big = dir.path().join("big.bin");
    std::fs::write(&big, vec![7u8; 3 << 20]).unwrap();
    let db_before = common::backend::fingerprint(&ws);
    // `ulimit -f` caps what the process may write (in 512-byte blocks); with SIGXFSZ ignored
    // the write fails as it would on a full disk.
    let mut sh = std::process::Command::new("sh");
    match common::backend::database_url(&ws) {
        Some(url) => sh.env("CERTREADY_DATABASE_URL", url),
        None => sh.env_remove("CERTREADY_DATABASE_URL"),
    };
    let out = sh
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f 2048; exec \"{}\" --workspace \"{}\" evidence add GW-MFA-01 \"{}\" --effective 2026-11-20 --result pass",
            env!("CARGO_BIN_EXE_certready"),
            ws.display(),
            big.display()
        ))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot copy") && err.contains("nothing was stored"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(evidence_files(&ws).is_empty(), "{:?}", evidence_files(&ws));
    assert_eq!(common::backend::fingerprint(&ws), db_before);
}

#[test]
fn a_device_is_not_attached() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    init(&ws);
    let out = add(&ws, Path::new("/dev/zero"));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/dev/zero is not a regular file"), "{err}");
    assert!(evidence_files(&ws).is_empty());
}
