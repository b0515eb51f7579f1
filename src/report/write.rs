//! Atomic, owner-only output files. Every export and report certready writes (CSV, JSON, SoA,
//! OSCAL, review packs, tabletop reports, bundles, anything given with `--out`) goes through
//! [`write_atomic`]: the bytes go to a new temporary file (mode 0600, created exclusively) in the
//! destination's own folder, which is then renamed over the destination.
//!
//! Invariants: a file is never opened for writing through a path that already exists, so a
//! symlink planted where an output goes (`DIR/controls.csv -> /elsewhere/victim`) is replaced
//! by the new file and its target is left untouched; readers see the old file or the new one,
//! never half of it; on failure the temporary file is removed and the destination is unchanged.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically (see the module docs); the result is mode 0600.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
        anyhow::bail!("cannot write {}: it is a directory", path.display());
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".certready-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot write {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot restrict {}", path.display()))?;
    }
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// As [`write_atomic`], but refuses (leaving everything as it was) when `path` already exists,
/// as a file, a folder or a symlink (dangling or not).
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    if std::fs::symlink_metadata(path).is_ok() {
        anyhow::bail!("{} already exists; move it away first", path.display());
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist_noclobber(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::{write_atomic, write_new};
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_planted_symlink_is_replaced_and_its_target_untouched() {
        let t = tempfile::tempdir().unwrap();
        let victim = t.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let out = t.path().join("out.csv");
        std::os::unix::fs::symlink(&victim, &out).unwrap();
        write_atomic(&out, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        let m = std::fs::symlink_metadata(&out).unwrap();
        assert!(m.is_file() && m.permissions().mode() & 0o777 == 0o600);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "new");
        let left: Vec<_> = std::fs::read_dir(t.path()).unwrap().collect();
        assert_eq!(left.len(), 2, "no temporary file is left behind");
    }

    #[test]
    fn write_new_refuses_any_existing_path_even_a_dangling_symlink() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("certready.toml");
        std::os::unix::fs::symlink(t.path().join("nowhere"), &out).unwrap();
        let e = write_new(&out, b"x").unwrap_err().to_string();
        assert!(e.contains("already exists"), "{e}");
        assert!(!t.path().join("nowhere").exists());
    }
}
