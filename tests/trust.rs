//! A workspace is trusted the way ssh's StrictModes trusts `~/.ssh`: a `certready.toml` or a
//! workspace folder that group or others can write, or that another user owns, is refused
//! with one line naming it and the fix, before anything runs (so `poll --once` never runs a
//! command source from such a config). `init` writes any organisation name so the config
//! parses, and refuses control characters; logs are owner-only under a permissive umask; a
//! read-only workspace is refused with the database's path.
//!
//! These tests may run as root (CI containers). Root ignores file modes, so where that matters
//! the test first probes what this process can really do and asserts the behaviour for that
//! case; the other-owner case chowns to `nobody` as root and otherwise points the config at a
//! root-owned file through a symlink (the pure check is also unit-tested in the crate).

#![cfg(unix)]

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod common;
use common::{bin, run};

fn workspace() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("ws");
    bin().arg("init").arg(&ws).assert().success();
    (t, ws)
}

fn chmod(p: &Path, mode: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Runs `certready --workspace WS ARGS`, which must fail with exactly one line on stderr;
/// returns that line.
fn refused(ws: &Path, args: &[&str]) -> String {
    let out = bin()
        .arg("--workspace")
        .arg(ws)
        .args(args)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "{args:?} succeeded: {err}");
    assert_eq!(err.lines().count(), 1, "not one line: {err}");
    err
}

/// A config with a command source that would leave `marker` behind if it ever ran.
fn config_with_command(ws: &Path, marker: &Path) {
    let text = format!(
        "organization = \"x\"\n\n[[source]]\nname = \"touch\"\nkind = \"command\"\nprogram = \"touch\"\nargs = [\"{}\"]\ncontrols = [\"GW-MFA-01\"]\n",
        marker.display()
    );
    std::fs::write(ws.join("certready.toml"), text).unwrap();
    chmod(&ws.join("certready.toml"), 0o600);
}

#[test]
fn a_group_writable_config_is_refused_and_poll_runs_nothing() {
    let (t, ws) = workspace();
    let marker = t.path().join("ran");
    config_with_command(&ws, &marker);
    // The config is sound: a trusted poll runs the command.
    run(&ws, &["poll", "--once"]);
    assert!(
        marker.exists(),
        "the command source did not run when trusted"
    );
    std::fs::remove_file(&marker).unwrap();
    let cfg = ws.join("certready.toml");
    chmod(&cfg, 0o664);
    for args in [&["poll", "--once"][..], &["status"], &["sources"]] {
        let err = refused(&ws, args);
        assert!(
            err.contains(&format!(
                "{}: file writable by group/others; run `chmod go-w {}`",
                cfg.display(),
                cfg.display()
            )),
            "{err}"
        );
    }
    assert!(!marker.exists(), "a command ran from an untrusted config");
    chmod(&cfg, 0o644);
    run(&ws, &["status"]);
}

#[test]
fn a_world_writable_workspace_folder_is_refused() {
    let (_t, ws) = workspace();
    chmod(&ws, 0o777);
    let err = refused(&ws, &["status"]);
    assert!(
        err.contains(&format!(
            "{}: folder writable by group/others; run `chmod go-w {}`",
            ws.display(),
            ws.display()
        )),
        "{err}"
    );
    // init into such a folder is refused too, and writes nothing there.
    let fresh = ws.parent().unwrap().join("open");
    std::fs::create_dir(&fresh).unwrap();
    chmod(&fresh, 0o777);
    let out = bin().arg("init").arg(&fresh).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("writable by group/others"));
    assert_eq!(std::fs::read_dir(&fresh).unwrap().count(), 0);
    chmod(&ws, 0o700);
    run(&ws, &["status"]);
}

#[test]
fn a_config_owned_by_another_user_is_refused() {
    let (t, ws) = workspace();
    let marker = t.path().join("ran");
    config_with_command(&ws, &marker);
    let cfg = ws.join("certready.toml");
    let me = std::fs::metadata(&ws).unwrap().uid();
    let other = if me == 0 {
        // As root: give the file to `nobody`.
        std::os::unix::fs::chown(&cfg, Some(65534), Some(65534)).unwrap();
        65534
    } else {
        // Not root, so no chown: point the config at a file root owns.
        std::fs::remove_file(&cfg).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", &cfg).unwrap();
        std::fs::metadata("/etc/passwd").unwrap().uid()
    };
    assert_ne!(me, other);
    let err = refused(&ws, &["poll", "--once"]);
    assert!(
        err.contains(&format!(
            "{}: owned by uid {other}, not by you (uid {me})",
            cfg.display()
        )),
        "{err}"
    );
    assert!(!marker.exists(), "a command ran from another user's config");
}

#[test]
fn init_writes_a_hostile_name_that_parses_and_refuses_control_characters() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("ws");
    let out = bin()
        .args(["init", "--name", "Evil\"\norganization = \"pwned"])
        .arg(&ws)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("U+000A") && err.contains("--name"), "{err}");
    assert!(!ws.exists(), "a refused init left {}", ws.display());
    let name = r#"Acme "Q" \ [x] # y = 'z' """#;
    bin()
        .args(["init", "--name", name])
        .arg(&ws)
        .assert()
        .success();
    let cfg = certready::workspace::Workspace::new(&ws).config().unwrap();
    assert_eq!(cfg.organization.as_deref(), Some(name));
    assert!(run(&ws, &["status"]).contains(name));
}

#[test]
fn init_and_logs_are_owner_only_under_a_permissive_umask() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("ws");
    let exe = env!("CARGO_BIN_EXE_certready");
    let ok = std::process::Command::new("sh")
        .arg("-c")
        .arg("umask 000; exec \"$0\" init \"$1\" >/dev/null")
        .arg(exe)
        .arg(&ws)
        .status()
        .unwrap();
    assert!(ok.success());
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&ws), 0o700);
    assert_eq!(mode(&ws.join("certready.toml")), 0o600);
    assert_eq!(mode(&ws.join("certready.db")), 0o600);
    run(&ws, &["status"]);
    // The dashboard (the one writer of logs) in a pty, under umask 000.
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new("sh");
    cmd.args(["-c", "umask 000; exec \"$0\" --workspace \"$1\""]);
    cmd.arg(exe);
    cmd.arg(&ws);
    cmd.env("TERM", "xterm-256color");
    cmd.env("HOME", t.path());
    cmd.env("XDG_CONFIG_HOME", t.path());
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(1..) = std::io::Read::read(&mut reader, &mut buf) {}
    });
    let log = ws.join("logs").join("certready.log");
    let started = Instant::now();
    while !log.exists() && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    let mut w = pair.master.take_writer().unwrap();
    std::io::Write::write_all(&mut w, b"q").unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(10) {
            child.kill().ok();
            panic!("the dashboard did not quit");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(log.exists(), "no log was written");
    assert_eq!(mode(&ws.join("logs")), 0o700);
    assert_eq!(mode(&log), 0o600);
}

#[test]
fn a_read_only_workspace_is_refused_naming_the_database() {
    let (_t, ws) = workspace();
    let db = ws.join("certready.db");
    chmod(&db, 0o400);
    chmod(&ws, 0o500);
    // Root writes regardless of modes: find out what this process can really do.
    let probe = ws.join("probe");
    let can_write = std::fs::write(&probe, "x").is_ok();
    let _ = std::fs::remove_file(&probe);
    let out = bin()
        .arg("--workspace")
        .arg(&ws)
        .arg("status")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    if can_write {
        // Root (or a file system that ignores modes): the workspace is writable, so it opens.
        assert!(out.status.success(), "{err}");
    } else {
        assert!(!out.status.success());
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains(&format!("{}: database not writable", db.display())),
            "{err}"
        );
        assert!(!err.contains("unable to open database file"), "{err}");
    }
    chmod(&ws, 0o700);
    chmod(&db, 0o600);
    if can_write {
        as_nobody_read_only();
    }
}

/// As root, the refusal itself is exercised by handing a read-only workspace to `nobody` and
/// running certready as `nobody` (with `setpriv`, where the system has it; without it the
/// root case above is what this machine can show, and this says so on stderr).
fn as_nobody_read_only() {
    let Ok(setpriv) = which("setpriv") else {
        eprintln!("no setpriv: the read-only refusal is only checked when not running as root");
        return;
    };
    let t = tempfile::tempdir().unwrap();
    chmod(t.path(), 0o755);
    let ws = t.path().join("ws");
    bin().arg("init").arg(&ws).assert().success();
    for e in std::fs::read_dir(&ws).unwrap() {
        let p = e.unwrap().path();
        std::os::unix::fs::chown(&p, Some(65534), Some(65534)).unwrap();
    }
    std::os::unix::fs::chown(&ws, Some(65534), Some(65534)).unwrap();
    let db = ws.join("certready.db");
    chmod(&db, 0o400);
    chmod(&ws, 0o500);
    let out = std::process::Command::new(setpriv)
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(env!("CARGO_BIN_EXE_certready"))
        .arg("--workspace")
        .arg(&ws)
        .arg("status")
        .env("HOME", t.path())
        .env("TMPDIR", "/tmp")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!("{}: database not writable", db.display())),
        "{err}"
    );
    chmod(&ws, 0o700);
}

fn which(name: &str) -> Result<PathBuf, ()> {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .ok_or(())
}
