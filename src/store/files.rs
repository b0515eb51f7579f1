//! Attached files, confined to the workspace's `evidence/` folder.
//!
//! Invariants: a stored reference has exactly one shape, `evidence/NAME`, where NAME is a plain
//! file name (no separators, no leading dot, no control characters); the folder must be a real
//! folder of the workspace (not a symlink) and the file a regular file (not a symlink). Every
//! reader and deleter (verify, restore, bundle, purge) goes through [`resolve`], so a crafted
//! row such as `evidence/../../victim` can neither be read nor deleted.

use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

/// The folder of attached files, relative to the workspace.
pub const EVIDENCE_DIR: &str = "evidence";

/// The file name a stored reference names, or why the reference is not allowed.
pub fn check_ref(r: &str) -> std::result::Result<&str, String> {
    let Some(name) = r.strip_prefix("evidence/") else {
        return Err(format!(
            "file reference `{}` is not under evidence/",
            r.escape_debug()
        ));
    };
    if name.is_empty()
        || name.len() > 255
        || name.starts_with('.')
        || name.contains(['/', '\\'])
        || name.chars().any(char::is_control)
    {
        return Err(format!(
            "file reference `{}` is not a plain file name under evidence/",
            r.escape_debug()
        ));
    }
    Ok(name)
}

/// The workspace's evidence folder, after checking it is a real folder inside `ws_dir`.
pub fn evidence_dir(ws_dir: &Path) -> Result<PathBuf> {
    let dir = ws_dir.join(EVIDENCE_DIR);
    let meta = std::fs::symlink_metadata(&dir)?;
    if meta.file_type().is_symlink() || !meta.is_dir() {
        bail!("{} is not a folder (a symlink is refused)", dir.display());
    }
    let real = std::fs::canonicalize(&dir)?;
    if real != std::fs::canonicalize(ws_dir)?.join(EVIDENCE_DIR) {
        bail!("{} resolves outside the workspace", dir.display());
    }
    Ok(dir)
}

/// The path of an attached file: the reference is checked, the folder is the workspace's own,
/// and an existing entry must be a regular file, not a symlink.
pub fn resolve(ws_dir: &Path, r: &str) -> Result<PathBuf> {
    let name = check_ref(r).map_err(anyhow::Error::msg)?;
    let p = evidence_dir(ws_dir)?.join(name);
    match std::fs::symlink_metadata(&p) {
        Ok(m) if m.file_type().is_symlink() => bail!("{} is a symlink; refused", p.display()),
        Ok(m) if !m.is_file() => bail!("{} is not a regular file", p.display()),
        _ => Ok(p),
    }
}

/// Reads an attached file through [`resolve`].
pub fn read(ws_dir: &Path, r: &str) -> Result<Vec<u8>> {
    let p = resolve(ws_dir, r)?;
    std::fs::read(&p).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", p.display()))
}

/// Deletes an attached file through [`resolve`]; a file already gone is fine.
pub fn remove(ws_dir: &Path, r: &str) -> Result<()> {
    let p = resolve(ws_dir, r)?;
    match std::fs::remove_file(&p) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            bail!("cannot delete {}: {e}", p.display())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_under_evidence_pass() {
        assert_eq!(check_ref("evidence/ab12-report.pdf"), Ok("ab12-report.pdf"));
        for bad in [
            "evidence/../../victim/x",
            "evidence/..",
            "evidence/.hidden",
            "evidence/a/b",
            "evidence/",
            "/etc/passwd",
            "other/x",
            "evidence/a\\b",
            "evidence/a\nb",
        ] {
            assert!(check_ref(bad).is_err(), "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinked_files_and_folders_are_refused() {
        let ws = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("victim"), b"x").unwrap();
        std::os::unix::fs::symlink(outside.path(), ws.path().join("evidence")).unwrap();
        assert!(resolve(ws.path(), "evidence/victim").is_err());
        std::fs::remove_file(ws.path().join("evidence")).unwrap();
        std::fs::create_dir(ws.path().join("evidence")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("victim"),
            ws.path().join("evidence/link"),
        )
        .unwrap();
        assert!(resolve(ws.path(), "evidence/link").is_err());
        assert!(remove(ws.path(), "evidence/link").is_err());
        assert!(outside.path().join("victim").exists());
    }
}
