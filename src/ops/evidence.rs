//! Adding manual evidence and attaching files, for the CLI and the dashboard alike.
//!
//! Invariants: an attached file is copied (and hashed while copying) into a hidden staging
//! file in the workspace's `evidence/` folder, renamed to `evidence/<digest>-<name>` only once
//! the copy is whole, and removed again when the row that refers to it cannot be stored, so a
//! full disk or a refused edit leaves neither a partial copy nor an orphan. Each manual item's
//! key carries a random nonce, so two adds in one second are two items.

use crate::domain::NewEvidence;
use crate::domain::{ControlId, Date, EvidenceResult, EvidenceSource};
use crate::store::{Edit, Store, files};
use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::Path;

/// The largest file that can be attached.
pub const MAX_ATTACHMENT: u64 = 2 << 30;

/// Random hex for an item's key; without a random source, the clock and the process id.
fn nonce() -> String {
    let b = super::checkpoint::key::random::<6>().unwrap_or_else(|_| {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let mixed = (t.as_nanos() as u64 ^ u64::from(std::process::id())).to_le_bytes();
        [mixed[0], mixed[1], mixed[2], mixed[3], mixed[4], mixed[5]]
    });
    hex::encode(b)
}

/// A file name safe to keep: letters, digits, `.`, `-` and `_`, at most 80 characters.
fn safe_name(p: &Path) -> String {
    let name: String = p
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    let name = name.trim_start_matches('.').to_owned();
    if name.is_empty() { "file".into() } else { name }
}

/// Copies `src` into the evidence folder, calls `write(reference, digest)` to store the row
/// that refers to it, and undoes the copy when that fails.
pub fn with_attached<T>(
    ws_dir: &Path,
    src: &Path,
    write: impl FnOnce(&str, &str) -> Result<T>,
) -> Result<T> {
    let mut input =
        std::fs::File::open(src).with_context(|| format!("cannot read {}", src.display()))?;
    let meta = input.metadata()?;
    if !meta.is_file() {
        bail!("{} is not a regular file", src.display());
    }
    if meta.len() > MAX_ATTACHMENT {
        bail!(
            "{} is {} bytes; the largest attachment is {MAX_ATTACHMENT} bytes",
            src.display(),
            meta.len()
        );
    }
    let dir = ws_dir.join(files::EVIDENCE_DIR);
    crate::private::create_dir_owner_only(&dir)?;
    let dir = files::evidence_dir(ws_dir)?;
    let tmp = dir.join(format!(".staging-{}", nonce()));
    let copied = (|| -> Result<String> {
        let mut out = std::fs::OpenOptions::new();
        out.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            out.mode(0o600);
        }
        let mut out = out.open(&tmp)?;
        let mut hash = Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        let mut total = 0u64;
        loop {
            let n = input.read(&mut buf)?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > MAX_ATTACHMENT {
                bail!("it grew past {MAX_ATTACHMENT} bytes while being copied");
            }
            hash.update(&buf[..n]);
            out.write_all(&buf[..n])?;
        }
        out.sync_all()?;
        Ok(hex::encode(hash.finalize()))
    })();
    let digest = match copied {
        Ok(d) => d,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            bail!(
                "cannot copy {} into {}: {e}; nothing was stored",
                src.display(),
                dir.display()
            );
        }
    };
    let reference = format!(
        "{}/{}-{}",
        files::EVIDENCE_DIR,
        &digest[..16],
        safe_name(src)
    );
    let dest = files::resolve(ws_dir, &reference)?;
    let existed = dest.exists();
    if existed {
        // The same bytes under the same name are already kept.
        let _ = std::fs::remove_file(&tmp);
        if crate::domain::sha256_hex(&std::fs::read(&dest)?) != digest {
            bail!(
                "{} exists with other content; run `certready verify`",
                dest.display()
            );
        }
    } else {
        std::fs::rename(&tmp, &dest).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })?;
    }
    write(&reference, &digest).inspect_err(|_| {
        if !existed {
            let _ = std::fs::remove_file(&dest);
        }
    })
}

/// Manual evidence to add.
pub struct Manual {
    /// The control evidenced.
    pub control: ControlId,
    /// Title.
    pub title: String,
    /// When the control operated.
    pub effective: Date,
    /// Result.
    pub result: EvidenceResult,
    /// A file to attach.
    pub file: Option<std::path::PathBuf>,
}

/// Stores manual evidence (with its file); returns the undo edit and a description.
pub fn add(store: &mut Store, ws_dir: &Path, m: &Manual, now: &str) -> Result<(Edit, String)> {
    let item = |file: Option<(String, String)>| NewEvidence {
        natural_key: format!("manual:{}:{}:{now}:{}", m.control, m.effective, nonce()),
        control: m.control.clone(),
        title: m.title.clone(),
        source: EvidenceSource::Manual,
        result: m.result,
        effective: m.effective,
        collected: now.to_owned(),
        expires: None,
        summary: String::new(),
        content: None,
        file,
    };
    let mut store_it = |e: NewEvidence| -> Result<(Edit, String)> {
        let edit = Edit::AddEvidence(Box::new(e));
        let description = edit.describe();
        Ok((store.edit(&edit, "edit", now)?, description))
    };
    match &m.file {
        Some(p) => with_attached(ws_dir, p, |r, d| {
            store_it(item(Some((r.to_owned(), d.to_owned()))))
        }),
        None => store_it(item(None)),
    }
}
