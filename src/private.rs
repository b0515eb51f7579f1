//! Owner-only files and folders: every file certready writes (database, exports, reports,
//! review packs, evidence copies, bundles) is readable by its owner only (0600 files, 0700
//! folders on Unix), because each can hold what an auditor or an attacker would want.

use anyhow::{Context, Result};
use std::path::Path;

/// Creates (or truncates) `p` and writes `bytes`, leaving the file mode 0600 even if the file
/// existed with a wider mode.
pub fn write_owner_only(p: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o
        .open(p)
        .with_context(|| format!("cannot write {}", p.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot restrict {}", p.display()))?;
    }
    f.write_all(bytes)
        .with_context(|| format!("cannot write {}", p.display()))?;
    Ok(())
}

/// Creates `dir` and any missing parents; the folders it creates are mode 0700.
pub fn create_dir_owner_only(dir: &Path) -> Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
        .with_context(|| format!("cannot create {}", dir.display()))
}
