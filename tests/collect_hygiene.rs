//! Collectors clean up after themselves and survive a bad day, through the real binary: a
//! command that times out takes its whole process group with it (no orphaned `sleep`), a
//! 50 GB sparse file stops being hashed when the source's budget is spent, absurd numbers in
//! the config are refused in one line instead of panicking or overflowing, and a continuous
//! `poll` whose database refuses writes for a while (SQLITE_BUSY: another process holds the
//! write lock past the busy timeout) keeps running, says so once, and writes the kept
//! observations when it can. Runs on SQLite here and on PostgreSQL as `pg_matrix_collect_hygiene`
//! (there the lock held is certready's writer lock and the wait is bounded by the session's
//! `lock_timeout`, PostgreSQL's counterpart of the busy timeout).

mod common;
#[path = "common/polling.rs"]
mod polling;

use polling::Ws;
use std::time::{Duration, Instant};

const CONTROL: &str = "GW-AVAIL-01";

/// Live (not zombie) processes whose process group is `pgid`, from `/proc`.
fn live_in_group(pgid: i32) -> Vec<i32> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 2..]) else {
            continue;
        };
        let f: Vec<&str> = rest.split_whitespace().collect();
        if f.first() != Some(&"Z") && f.get(2).and_then(|g| g.parse().ok()) == Some(pgid) {
            out.push(pid);
        }
    }
    out
}

fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| s.rfind(')').map(|i| s[i + 2..].starts_with('Z')))
        .is_some_and(|zombie| !zombie)
}

fn read_pid(ws: &Ws, file: &str) -> i32 {
    let text =
        std::fs::read_to_string(ws.path.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    text.trim()
        .parse()
        .unwrap_or_else(|e| panic!("{file}: {e}: {text}"))
}

#[test]
fn a_timed_out_command_leaves_no_process_of_its_group_behind() {
    let ws = Ws::new(&format!(
        r#"
[[source]]
name = "plain-sleep"
kind = "command"
program = "sh"
args = ["-c", "echo $$ > plain.pgid; sleep 41"]
timeout = "1s"
retries = 0
controls = ["{CONTROL}"]

[[source]]
name = "background-sleep"
kind = "command"
program = "sh"
args = ["-c", "echo $$ > bg.pgid; sleep 41 & echo $! > bg.child; wait"]
timeout = "1s"
retries = 0
controls = ["{CONTROL}"]
"#
    ));
    let p = ws.poll(&[]);
    p.assert_fail("plain-sleep", &["timed out"]);
    p.assert_fail("background-sleep", &["timed out"]);
    assert!(p.elapsed < Duration::from_secs(20), "{:?}", p.elapsed);
    let child = read_pid(&ws, "bg.child");
    let groups = [read_pid(&ws, "plain.pgid"), read_pid(&ws, "bg.pgid")];
    // The kill is immediate; give the kernel a moment to tear the processes down.
    let started = Instant::now();
    while (alive(child) || groups.iter().any(|g| !live_in_group(*g).is_empty()))
        && started.elapsed() < Duration::from_secs(5)
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !alive(child),
        "the backgrounded sleep {child} outlived its check"
    );
    for g in groups {
        assert_eq!(
            live_in_group(g),
            Vec::<i32>::new(),
            "processes of group {g} outlived the check"
        );
    }
}

#[test]
fn a_huge_sparse_file_stops_hashing_when_the_budget_is_spent() {
    let ws = Ws::new(&format!(
        r#"
[[source]]
name = "huge-file"
kind = "file"
path = "huge/*.bin"
timeout = "1s"
retries = 0
controls = ["{CONTROL}"]
"#
    ));
    std::fs::create_dir_all(ws.path.join("huge")).unwrap();
    let file = ws.path.join("huge/disk.bin");
    std::fs::File::create(&file)
        .unwrap()
        .set_len(50 * 1024 * 1024 * 1024)
        .unwrap();
    let p = ws.poll(&[]);
    p.assert_fail("huge-file", &["timed out"]);
    assert!(
        p.elapsed < Duration::from_secs(10),
        "poll took {:?}",
        p.elapsed
    );
    // The reading itself stops at its deadline (not only the check that waits for it).
    let t = Instant::now();
    let pattern = ws.path.join("huge/*.bin").display().to_string();
    let (ok, summary, _) = certready::collect::files::attempt(
        &pattern,
        &[],
        None,
        None,
        1 << 20,
        Instant::now() + Duration::from_secs(1),
    );
    let took = t.elapsed();
    assert!(!ok && summary.contains("timed out"), "{summary}");
    assert!(
        took < Duration::from_secs(10),
        "hashing went on for {took:?}"
    );
}

#[test]
fn absurd_numbers_in_the_config_are_refused_in_one_line() {
    for (top, extra, key) in [
        ("concurrency = 2305843009213693952\n", "", "concurrency"),
        (
            "evidence_retention_years = 300000\n",
            "",
            "evidence_retention_years",
        ),
        ("", "retries = 4000000000\n", "retries"),
        ("", "max_bytes = 0\n", "max_bytes"),
        ("", "fail_after = 4294967295\n", "fail_after"),
        ("", "timeout = \"30d\"\n", "timeout"),
        ("", "interval = \"400d\"\n", "interval"),
    ] {
        let ws = Ws::new("");
        let file = ws.path.join("certready.toml");
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(
            &file,
            format!("{top}{text}\n[[source]]\nname = \"s\"\nkind = \"http\"\nurl = \"http://127.0.0.1:9/\"\ncontrols = [\"{CONTROL}\"]\n{extra}"),
        )
        .unwrap();
        let (code, out, err) = ws.cmd(&["poll", "--once"], &[]);
        assert_eq!(code, Some(1), "{key}: {out}{err}");
        assert_eq!(err.trim().lines().count(), 1, "{key}: {err}");
        assert!(
            err.contains("certready.toml:") && err.contains(key),
            "{key}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_poll_whose_database_refuses_writes_keeps_running_and_writes_later() {
    let port = {
        let l = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = l.local_addr().unwrap().port();
        std::thread::spawn(move || {
            use std::io::Write;
            for mut c in l.incoming().flatten() {
                let _ = c.write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
                );
            }
        });
        port
    };
    let ws = Ws::new(&format!(
        "[[source]]\nname = \"often\"\nkind = \"http\"\nurl = \"http://127.0.0.1:{port}/\"\ninterval = \"1s\"\ncontrols = [\"{CONTROL}\"]\n"
    ));
    let mut poll = std::process::Command::new(env!("CARGO_BIN_EXE_certready"));
    match common::backend::database_url(&ws.path) {
        // SQLite's writer gives up after a 10-second busy timeout; the same bound here.
        Some(url) => poll.env(
            "CERTREADY_DATABASE_URL",
            format!("{url}&options=-c%20lock_timeout%3D10s"),
        ),
        None => poll.env_remove("CERTREADY_DATABASE_URL"),
    };
    let child = poll
        .arg("--workspace")
        .arg(&ws.path)
        .args(["poll", "--duration", "24"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(3));
    let lock = common::db(&ws.path);
    match lock.sqlite() {
        Some(file) => {
            file.busy_timeout(Duration::from_secs(30)).unwrap();
            file.execute_batch("BEGIN EXCLUSIVE").unwrap();
        }
        // The lock every certready writer takes first (see `db::pg::WRITER_LOCK`).
        None => lock
            .execute_batch(&format!(
                "BEGIN; SELECT pg_advisory_xact_lock({})",
                certready::store::db::pg::WRITER_LOCK
            ))
            .unwrap(),
    }
    let held_from = ws.query::<i64>("SELECT COUNT(*) FROM evidence");
    // Longer than the writer's 10-second bound: its writes fail (SQLITE_BUSY, or PostgreSQL's
    // lock timeout).
    std::thread::sleep(Duration::from_secs(13));
    lock.execute_batch("COMMIT").unwrap();
    drop(lock);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "poll stopped: {stderr}");
    assert_eq!(
        stderr.matches("database write failed").count(),
        1,
        "said once per episode: {stderr}"
    );
    assert!(
        stderr.contains("still polling") && stderr.contains("database writes resumed"),
        "{stderr}"
    );
    let after = ws.query::<i64>("SELECT COUNT(*) FROM evidence");
    let runs: i64 = ws.query("SELECT COALESCE(SUM(run_count), 0) FROM evidence");
    assert!(after >= held_from, "{after} < {held_from}");
    assert!(
        runs >= 15,
        "checks made while the database was locked were written later: {runs} runs"
    );
}
