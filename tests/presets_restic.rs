//! The restic preset against a real local repository made by the real `restic` (Debian
//! package): no snapshot fails, a fresh snapshot passes, and a limit it is older than fails.
//! A missing `restic` fails the test with how to install it.

mod presets_support;

use presets_support::{check, fails, passes, require};
use std::process::Command;

#[test]
fn restic_snapshots_younger_than_a_day() {
    let restic = require("restic", "apt-get install restic");
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path().join("repo");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("mkdir");
    std::fs::write(data.join("gateway.yaml"), "model_list: []\n").expect("write");
    let password = "fixture-restic-password-0123";
    let r = |args: &[&str]| {
        let out = Command::new(&restic)
            .arg("--repo")
            .arg(&repo)
            .args(args)
            .env("RESTIC_PASSWORD", password)
            .env("RESTIC_CACHE_DIR", dir.path().join("cache"))
            .output()
            .expect("run restic");
        assert!(
            out.status.success(),
            "restic {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    r(&["init"]);
    let repo_s = repo.display().to_string();
    let p = [("repository", repo_s.as_str()), ("restic", restic.as_str())];
    let env = [("RESTIC_PASSWORD", password)];
    fails(
        &check(dir.path(), "restic-snapshots", &p, &env),
        "0 of 0 snapshots younger than 1 day(s)",
    );
    r(&["backup", "--host", "gw-prod", &data.display().to_string()]);
    let o = check(dir.path(), "restic-snapshots", &p, &env);
    passes(&o, "1 of 1 snapshots younger than 1 day(s): gw-prod/");
    assert!(!o.summary.contains(password) && !o.content.contains(password));
    // A wrong password: restic exits non-zero and the check fails without showing it.
    let o = check(
        dir.path(),
        "restic-snapshots",
        &p,
        &[("RESTIC_PASSWORD", "wrong-password-xyz")],
    );
    fails(&o, "expected exit 0");
    assert!(!o.summary.contains("wrong-password-xyz"));
    // The same snapshot against a limit of zero days is too old.
    let p0 = [&p[..], &[("max_age_days", "0")]].concat();
    fails(
        &check(dir.path(), "restic-snapshots", &p0, &env),
        "0 of 1 snapshots younger than 0 day(s)",
    );
}
