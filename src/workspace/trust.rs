//! Whether a workspace may be trusted, in the manner of OpenSSH's `StrictModes`: its folder
//! and its `certready.toml` (which can name commands that `poll` runs) must be owned by the
//! user running certready and writable by nobody else. Anything else is refused, with one line
//! naming the path and the command that fixes it, before anything is read or changed.
//!
//! The effective uid comes without `unsafe` (no `geteuid` call): the owner of a file the
//! process has just created is its effective (file-system) uid, so [`effective_uid`] creates an
//! anonymous temporary file and reads its owner; where no temporary file can be made, it reads
//! the owner of `/proc/self`, which Linux gives the effective uid of a (dumpable, so not
//! set-uid) process. The answer is computed once per process.

use anyhow::{Context, Result};
use std::path::Path;

/// What is wrong with a path of mode `mode` owned by `owner`, for a process running as `euid`;
/// `None` when it may be trusted. Pure, so every case is unit-tested.
pub fn problem(path: &Path, is_dir: bool, mode: u32, owner: u32, euid: u32) -> Option<String> {
    let p = path.display();
    if owner != euid {
        return Some(format!(
            "{p}: owned by uid {owner}, not by you (uid {euid}); certready only trusts its own files: run `chown {euid} {p}` or use your own copy"
        ));
    }
    if mode & 0o022 != 0 {
        let what = if is_dir { "folder" } else { "file" };
        return Some(format!(
            "{p}: {what} writable by group/others; run `chmod go-w {p}`"
        ));
    }
    None
}

/// The process's effective uid (see the module docs).
#[cfg(unix)]
pub fn effective_uid() -> Result<u32> {
    use std::os::unix::fs::MetadataExt;
    static EUID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    if let Some(u) = EUID.get() {
        return Ok(*u);
    }
    let uid = tempfile::tempfile()
        .and_then(|f| f.metadata())
        .or_else(|_| std::fs::metadata("/proc/self"))
        .map(|m| m.uid())
        .context("cannot tell which user certready runs as (no temporary file, no /proc/self)")?;
    Ok(*EUID.get_or_init(|| uid))
}

/// Refuses `path` (followed through symlinks) if [`problem`] finds anything; a missing path is
/// fine (nothing to trust yet).
#[cfg(unix)]
pub fn check(path: &Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(anyhow::anyhow!("{}: {e}", path.display())),
    };
    match problem(
        path,
        meta.is_dir(),
        meta.mode(),
        meta.uid(),
        effective_uid()?,
    ) {
        Some(p) => anyhow::bail!(p),
        None => Ok(()),
    }
}

/// Elsewhere there are no Unix modes to check.
#[cfg(not(unix))]
pub fn check(_path: &Path) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::problem;
    use std::path::Path;

    #[test]
    fn own_and_closed_is_trusted_anything_else_is_refused_naming_the_fix() {
        let p = Path::new("ws/certready.toml");
        assert_eq!(problem(p, false, 0o100_600, 1000, 1000), None);
        assert_eq!(problem(p, false, 0o100_644, 1000, 1000), None);
        assert_eq!(problem(Path::new("ws"), true, 0o40_755, 0, 0), None);
        let g = problem(p, false, 0o100_664, 1000, 1000).unwrap();
        assert_eq!(
            g,
            "ws/certready.toml: file writable by group/others; run `chmod go-w ws/certready.toml`"
        );
        let o = problem(Path::new("ws"), true, 0o40_777, 1000, 1000).unwrap();
        assert!(o.contains("folder writable by group/others") && o.contains("chmod go-w ws"));
        // Another user's file, even closed, and even when that user is root.
        let x = problem(p, false, 0o100_600, 0, 1000).unwrap();
        assert!(x.contains("owned by uid 0, not by you (uid 1000)"), "{x}");
        assert!(x.contains("chown 1000 ws/certready.toml"), "{x}");
        assert!(problem(p, false, 0o100_600, 65534, 0).is_some());
    }

    #[cfg(unix)]
    #[test]
    fn the_effective_uid_is_the_owner_of_what_this_process_creates() {
        use std::os::unix::fs::MetadataExt;
        let t = tempfile::tempdir().unwrap();
        let f = t.path().join("f");
        std::fs::write(&f, "").unwrap();
        let uid = std::fs::metadata(&f).unwrap().uid();
        assert_eq!(super::effective_uid().unwrap(), uid);
        if cfg!(target_os = "linux") {
            assert_eq!(std::fs::metadata("/proc/self").unwrap().uid(), uid);
        }
    }
}
