//! The workspace's checkpoint signing key.
//!
//! Invariants: the private key (a 32-byte ed25519 seed, hex) is kept outside the workspace, in
//! `$CERTREADY_KEY_DIR`, else `$XDG_CONFIG_HOME/certready`, else `~/.config/certready`, as
//! `checkpoint-<workspace id>.key`, in an owner-only folder (0700) and file (0600); a key file
//! that others can read or write is refused, as ssh refuses one. The workspace keeps only its
//! id and the public key (meta `workspace_id`, `checkpoint_public_key`).

use crate::store::Store;
use anyhow::{Context, Result, bail};
use ed25519_dalek::SigningKey;
use std::io::Read;
use std::path::PathBuf;

/// Meta key of the workspace's random identity.
pub const WORKSPACE_META: &str = "workspace_id";
/// Meta key of the checkpoint public key (hex).
pub const PUBLIC_META: &str = "checkpoint_public_key";

/// The folder that holds signing keys.
pub fn key_dir() -> Result<PathBuf> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(d) = var("CERTREADY_KEY_DIR") {
        return Ok(d);
    }
    if let Some(d) = var("XDG_CONFIG_HOME") {
        return Ok(d.join("certready"));
    }
    var("HOME")
        .map(|h| h.join(".config").join("certready"))
        .context("no HOME, XDG_CONFIG_HOME or CERTREADY_KEY_DIR to keep the checkpoint key in")
}

/// `N` bytes from the system's random source.
pub(crate) fn random<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut b))
        .context("cannot read /dev/urandom")?;
    Ok(b)
}

/// The path of the workspace's key file.
pub fn key_path(workspace: &str) -> Result<PathBuf> {
    Ok(key_dir()?.join(format!("checkpoint-{workspace}.key")))
}

#[cfg(unix)]
fn check_private(p: &std::path::Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::symlink_metadata(p)?;
    if m.file_type().is_symlink() || !m.is_file() {
        bail!(
            "{} is not a regular file; refusing to use it as a signing key",
            p.display()
        );
    }
    if m.mode() & 0o077 != 0 {
        bail!(
            "{} can be read or written by others; run `chmod 600 {}`",
            p.display(),
            p.display()
        );
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_: &std::path::Path) -> Result<()> {
    Ok(())
}

/// Loads the workspace's signing key, creating the identity and the key at first use.
pub fn load_or_create(store: &mut Store) -> Result<(String, SigningKey)> {
    let workspace = match store.meta(WORKSPACE_META)? {
        Some(id) => id,
        None => {
            let id = hex::encode(random::<16>()?);
            store.set_meta(WORKSPACE_META, &id)?;
            id
        }
    };
    if workspace.is_empty() || !workspace.chars().all(|c| c.is_ascii_hexdigit()) {
        bail!("the workspace id `{}` is not hex", workspace.escape_debug());
    }
    let path = key_path(&workspace)?;
    let key = if path.exists() {
        check_private(&path)?;
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let mut seed = [0u8; 32];
        hex::decode_to_slice(text.trim(), &mut seed)
            .map_err(|_| anyhow::anyhow!("{} does not hold a 32-byte hex key", path.display()))?;
        SigningKey::from_bytes(&seed)
    } else {
        if store.meta(PUBLIC_META)?.is_some() {
            bail!(
                "this workspace's checkpoints are signed with a key that is not in {}; copy it there (the workspace keeps only the public key)",
                path.display()
            );
        }
        let dir = key_dir()?;
        crate::private::create_dir_owner_only(&dir)?;
        let key = SigningKey::from_bytes(&random::<32>()?);
        crate::private::write_owner_only(
            &path,
            format!("{}\n", hex::encode(key.to_bytes())).as_bytes(),
        )?;
        key
    };
    let public = hex::encode(key.verifying_key().to_bytes());
    match store.meta(PUBLIC_META)? {
        Some(p) if p != public => bail!(
            "{} is not the key this workspace's checkpoints were signed with ({})",
            path.display(),
            super::fingerprint(&p)
        ),
        Some(_) => {}
        None => store.set_meta(PUBLIC_META, &public)?,
    }
    Ok((workspace, key))
}
