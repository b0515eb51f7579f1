//! Signed checkpoints (DESIGN, "Evidence integrity"): `checkpoint` signs both logs' tree heads
//! with the workspace's ed25519 key, `verify --checkpoint` proves the current logs extend a
//! signed head, and the auditor bundle carries a checkpoint plus an inclusion proof per item.
//!
//! Invariants: the private key lives outside the workspace (see [`key`]) and is never printed;
//! the workspace holds only the public key; a checkpoint file is JSON whose signed bytes are
//! the canonical serialisation of everything in it but the signature.

pub mod bundle;
pub mod key;

use crate::store::{LogHead, Store, Trees};
use anyhow::{Context, Result, bail};
use ed25519_dalek::{Signature, Signer, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The format tag of a checkpoint file.
pub const FORMAT: &str = "certready-checkpoint/1";

/// Everything a checkpoint signs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    /// Always [`FORMAT`].
    pub format: String,
    /// The workspace's identity (random, made at the first checkpoint).
    pub workspace: String,
    /// The organisation, as the workspace names it.
    pub organization: String,
    /// When it was signed (RFC 3339 UTC).
    pub time: String,
    /// The evidence log's head.
    pub evidence: LogHead,
    /// The change log's head.
    pub change_log: LogHead,
    /// The ed25519 public key (hex).
    pub public_key: String,
}

/// A signed checkpoint as written to a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// What is signed.
    #[serde(flatten)]
    pub body: Body,
    /// The ed25519 signature over [`Body::message`] (hex).
    pub signature: String,
}

impl Body {
    /// The bytes the signature covers.
    pub fn message(&self) -> Result<Vec<u8>> {
        let mut m = b"certready checkpoint\n".to_vec();
        m.extend(serde_json::to_vec(self)?);
        Ok(m)
    }
}

/// A key's short fingerprint: the first 16 hex digits of the SHA-256 of the public key.
pub fn fingerprint(public_hex: &str) -> String {
    let d = crate::domain::sha256_hex(public_hex.as_bytes());
    format!("ed25519:{}", &d[..16])
}

impl Checkpoint {
    /// Reads a checkpoint file (at most 1 MiB).
    pub fn read(path: &Path) -> Result<Self> {
        use std::io::Read;
        let f = std::fs::File::open(path)
            .with_context(|| format!("cannot read checkpoint {}", path.display()))?;
        let mut text = String::new();
        f.take(1 << 20)
            .read_to_string(&mut text)
            .with_context(|| format!("{} is not a text file", path.display()))?;
        let c: Self = serde_json::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{}: not a certready checkpoint: {e}", path.display()))?;
        if c.body.format != FORMAT {
            bail!(
                "{}: format `{}` is not {FORMAT}",
                path.display(),
                c.body.format
            );
        }
        Ok(c)
    }

    /// Checks the signature with the key the checkpoint names; returns that key.
    pub fn check_signature(&self) -> Result<VerifyingKey> {
        let mut pk = [0u8; 32];
        hex::decode_to_slice(&self.body.public_key, &mut pk)
            .context("the checkpoint's public key is not 32 bytes of hex")?;
        let key =
            VerifyingKey::from_bytes(&pk).context("the checkpoint's public key is invalid")?;
        let mut sig = [0u8; 64];
        hex::decode_to_slice(&self.signature, &mut sig)
            .context("the checkpoint's signature is not 64 bytes of hex")?;
        key.verify(&self.body.message()?, &Signature::from_bytes(&sig))
            .map_err(|_| anyhow::anyhow!("the checkpoint's signature does not verify"))?;
        Ok(key)
    }
}

/// Signs a checkpoint of the workspace's logs as they are now and records it in the change log;
/// returns it with the trees it signs (for inclusion proofs). With `full`, everything is
/// verified first; otherwise rows an earlier recorded checkpoint covers are proven unchanged by
/// their hashes and only later rows are re-linked.
pub fn sign(
    store: &mut Store,
    ws_dir: &Path,
    now: &str,
    full: bool,
) -> Result<(Checkpoint, Trees)> {
    let (heads, trees) = store.tree_heads(Some(ws_dir), full)?;
    let (workspace, signing) = key::load_or_create(store)?;
    let public_key = hex::encode(signing.verifying_key().to_bytes());
    let body = Body {
        format: FORMAT.to_owned(),
        workspace,
        organization: store.meta("organization")?.unwrap_or_default(),
        time: now.to_owned(),
        evidence: heads.evidence.clone(),
        change_log: heads.change_log.clone(),
        public_key,
    };
    let signature = hex::encode(signing.sign(&body.message()?).to_bytes());
    store.record_checkpoint(&heads, &fingerprint(&body.public_key), now)?;
    Ok((Checkpoint { body, signature }, trees))
}

/// What `verify --checkpoint` found.
pub struct Extends {
    /// The plain verification of both logs.
    pub report: crate::store::VerifyReport,
    /// Where the evidence log parts from the checkpoint, if it does.
    pub evidence: Option<String>,
    /// Where the change log parts from the checkpoint, if it does.
    pub change_log: Option<String>,
}

impl Extends {
    /// Whether the logs verify and extend the checkpoint.
    pub fn ok(&self) -> bool {
        self.report.ok() && self.evidence.is_none() && self.change_log.is_none()
    }
}

/// Proves the workspace's logs extend `cp` (after checking its signature and key).
pub fn extends(store: &Store, ws_dir: &Path, cp: &Checkpoint) -> Result<Extends> {
    cp.check_signature()?;
    if let Some(mine) = store.meta(key::PUBLIC_META)?
        && mine != cp.body.public_key
    {
        bail!(
            "the checkpoint was signed by {}, but this workspace's key is {}",
            fingerprint(&cp.body.public_key),
            fingerprint(&mine)
        );
    }
    if let Some(id) = store.meta(key::WORKSPACE_META)?
        && id != cp.body.workspace
    {
        bail!(
            "the checkpoint belongs to workspace {}, not this one ({id})",
            cp.body.workspace
        );
    }
    let (report, trees) = store.trees(Some(ws_dir))?;
    Ok(Extends {
        report,
        evidence: crate::store::compare_heads("evidence", &cp.body.evidence, &trees.evidence),
        change_log: crate::store::compare_heads(
            "change log",
            &cp.body.change_log,
            &trees.change_log,
        ),
    })
}
