//! Crash safety: an import or a running `poll` killed with SIGKILL at random moments leaves a
//! database that passes `PRAGMA integrity_check` and `verify`; an import is all or nothing (one
//! transaction) and every batch a poll reported as committed is there. `CERTREADY_LONG=1` runs
//! 50 kills of each instead of a few.

#![cfg(unix)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{evidence_rows, init};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_certready")
}

/// `certready verify` passes on `ws`.
fn assert_verifies(ws: &std::path::Path, after: &str) {
    let v = Command::new(bin())
        .arg("--workspace")
        .arg(ws)
        .arg("verify")
        .output()
        .unwrap();
    assert!(
        v.status.success(),
        "{after}: {}",
        String::from_utf8_lossy(&v.stderr)
    );
}

#[test]
fn a_killed_import_leaves_a_whole_database() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("ws");
    init(&ws);
    // 30,000 evidence rows for the built-in controls: long enough to be killed mid-way.
    let csv = t.path().join("evidence.csv");
    let mut text = String::from("control,title,effective,result\n");
    for i in 0..30_000 {
        text.push_str(&format!(
            "GW-AVAIL-01,check {i},2026-{:02}-{:02},pass\n",
            1 + (i / 28) % 12,
            1 + i % 28
        ));
    }
    std::fs::write(&csv, text).unwrap();
    // How long a whole import takes, to spread the kills over it.
    let probe = t.path().join("probe");
    init(&probe);
    let started = Instant::now();
    assert!(
        Command::new(bin())
            .arg("--workspace")
            .arg(&probe)
            .arg("import")
            .arg(&csv)
            .stdout(Stdio::null())
            .status()
            .unwrap()
            .success()
    );
    let full = started.elapsed().as_millis().max(20) as u64;
    let complete = evidence_rows(&probe);
    let kills = if std::env::var_os("CERTREADY_LONG").is_some() {
        50
    } else {
        4
    };
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let (mut rolled_back, mut committed) = (0, 0);
    for _ in 0..kills {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = seed % full;
        let mut child = Command::new(bin())
            .arg("--workspace")
            .arg(&ws)
            .arg("import")
            .arg(&csv)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let n = evidence_rows(&ws);
        assert!(
            n == 0 || n == complete,
            "a killed import left {n} of {complete} rows"
        );
        if n == 0 {
            rolled_back += 1;
        } else {
            committed += 1;
        }
        assert_verifies(&ws, "verify after a kill");
        if n == complete {
            // Start again from an empty workspace so later kills can land mid-import too.
            std::fs::remove_dir_all(&ws).unwrap();
            init(&ws);
        }
    }
    eprintln!("{kills} kills: {rolled_back} rolled back, {committed} committed, none partial");
}

/// Seq of the evidence head each committed batch reported, read from `poll --commits` output.
fn reported_heads(out: &str) -> Option<i64> {
    out.lines()
        .filter_map(|l| l.rsplit("evidence head seq ").next()?.trim().parse().ok())
        .max()
}

#[test]
fn a_killed_poll_keeps_every_batch_it_reported() {
    use std::io::Read;
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("ws");
    init(&ws);
    // A flapping gateway: every check differs from the last, so every batch appends rows.
    let (port, _sim) =
        certready::collect::sim::start(0, "flapping", "sk-crash-key-0123456789").unwrap();
    let mut cfg = std::fs::read_to_string(ws.join("certready.toml")).unwrap();
    for i in 0..16 {
        cfg.push_str(&format!(
            "\n[[source]]\nname = \"models-{i}\"\nkind = \"http\"\nurl = \"http://127.0.0.1:{port}/v1/models\"\ninterval = \"1s\"\ntimeout = \"1s\"\nretries = 0\ncontrols = [\"GW-AVAIL-01\"]\n"
        ));
    }
    std::fs::write(ws.join("certready.toml"), cfg).unwrap();
    let kills = if std::env::var_os("CERTREADY_LONG").is_some() {
        50
    } else {
        3
    };
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut reported_total = 0;
    for _ in 0..kills {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut child = Command::new(bin())
            .arg("--workspace")
            .arg(&ws)
            .args(["poll", "--commits"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(1200 + seed % 1500));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        let n = evidence_rows(&ws);
        if let Some(head) = reported_heads(&out) {
            reported_total += 1;
            assert!(
                n >= head,
                "poll reported evidence up to seq {head} but only {n} rows are stored"
            );
        }
        assert_verifies(&ws, "verify after a killed poll");
    }
    assert!(
        reported_total > 0,
        "at least one killed poll had committed and reported a batch"
    );
    eprintln!("{kills} kills of a running poll: every reported batch was stored, verify passed");
}
