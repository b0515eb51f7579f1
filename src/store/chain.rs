//! SHA-256 hex digests and the hash chain shared by evidence and the change log.
//!
//! A link is `sha256(previous || 0x1e || field 1 || 0x1f || field 2 ...)`; the first link's
//! previous is 64 zeros. Changing any byte of any field breaks every later link.

use sha2::{Digest, Sha256};

/// The `previous` value of the first link of a chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub use crate::domain::sha256_hex;

/// The next chain hash after `previous` over `fields`.
pub fn link(previous: &str, fields: &[&str]) -> String {
    hex::encode(link_raw(previous, fields))
}

/// [`link`] as raw bytes.
pub fn link_raw(previous: &str, fields: &[&str]) -> [u8; 32] {
    let bytes: Vec<&[u8]> = fields.iter().map(|f| f.as_bytes()).collect();
    link_bytes(previous.as_bytes(), &bytes)
}

/// [`link_raw`] over byte fields.
pub(crate) fn link_bytes(previous: &[u8], fields: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(previous);
    h.update([0x1e]);
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            h.update([0x1f]);
        }
        h.update(f);
    }
    h.finalize().into()
}

/// The 32 bytes of a 64-digit lower- or upper-case hex hash; `None` when it is not one.
pub fn decode32(s: &str) -> Option<[u8; 32]> {
    decode32_bytes(s.as_bytes())
}

/// [`decode32`] over bytes.
pub(crate) fn decode32_bytes(b: &[u8]) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(b, &mut out).ok().map(|()| out)
}

/// A stored chain hash as a Merkle leaf; a malformed one becomes all zeros (and breaks the
/// chain).
pub(crate) fn leaf(stored: &[u8]) -> [u8; 32] {
    decode32_bytes(stored).unwrap_or([0u8; 32])
}

/// Lower-case hex of a 32-byte hash, without allocating.
pub(crate) fn hex32(bytes: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    // 32 bytes always fit 64 digits.
    let _ = hex::encode_to_slice(bytes, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_empty_is_the_known_value() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn link_depends_on_every_field_and_the_previous() {
        let a = link(GENESIS, &["x", "y"]);
        assert_ne!(a, link(GENESIS, &["x", "z"]));
        assert_ne!(a, link(GENESIS, &["xy"]));
        assert_ne!(a, link(&a, &["x", "y"]));
        assert_eq!(a, link(GENESIS, &["x", "y"]));
    }
}
