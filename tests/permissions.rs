//! Owner-only output: after a demo workspace is built and used (exports, a bundle, a review
//! pack, a scripted tabletop exercise with its reports, an attached evidence file), every file
//! and folder certready wrote is closed to group and others (0600 files, 0700 folders), even
//! under a permissive umask.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

fn run(ws: Option<&Path>, args: &[std::ffi::OsString]) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_certready"));
    if let Some(ws) = ws {
        c.arg("--workspace").arg(ws);
    }
    let out = c.args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every path under `root` (itself included) whose mode lets group or others in.
fn open_to_others(root: &Path, found: &mut Vec<(PathBuf, u32)>) {
    let meta = std::fs::symlink_metadata(root).unwrap();
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        found.push((root.to_owned(), mode));
    }
    if meta.is_dir() {
        for e in std::fs::read_dir(root).unwrap() {
            open_to_others(&e.unwrap().path(), found);
        }
    }
}

#[test]
fn everything_written_is_owner_only() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o700)).unwrap();
    let ws = out.join("ws");
    let s = |x: &str| std::ffi::OsString::from(x);
    run(
        None,
        &[s("demo"), ws.clone().into(), s("--as-of"), s("2026-11-26")],
    );
    run(Some(&ws), &[s("export"), s("csv"), out.join("csv").into()]);
    run(
        Some(&ws),
        &[s("export"), s("bundle"), out.join("bundle").into()],
    );
    run(
        Some(&ws),
        &[
            s("export"),
            s("json"),
            s("--out"),
            out.join("model.json").into(),
        ],
    );
    run(
        Some(&ws),
        &[s("review"), s("--out"), out.join("review.md").into()],
    );
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/tabletop/prompt-injection.script");
    run(
        Some(&ws),
        &[
            s("tabletop"),
            s("run"),
            s("prompt-injection-exfil"),
            s("--script"),
            script.into(),
        ],
    );
    let proof = t.path().join("proof.txt");
    std::fs::write(&proof, "screenshot of the access review").unwrap();
    run(
        Some(&ws),
        &[
            s("evidence"),
            s("add"),
            s("GW-AUD-01"),
            s("--title"),
            s("access review"),
            s("--effective"),
            s("2026-11-20"),
            proof.into(),
        ],
    );
    let mut found = Vec::new();
    open_to_others(&out, &mut found);
    assert!(
        found.is_empty(),
        "open to group or others: {:?}",
        found
            .iter()
            .map(|(p, m)| format!("{} {m:o}", p.strip_prefix(&out).unwrap().display()))
            .collect::<Vec<_>>()
    );
}
