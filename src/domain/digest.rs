//! Content digests: the lower-case hex SHA-256 every layer names content by (evidence content
//! digests, attached files, bundle checksums, export names).
//!
//! Invariant: a pure function of the bytes; the same bytes give the same 64 hex digits on every
//! machine. It sits in `domain` so that `store`, `report` and `ops` share one definition without
//! importing each other.

use sha2::{Digest, Sha256};

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    hex::encode(&d[..])
}

#[cfg(test)]
mod tests {
    #[test]
    fn empty_input_has_the_known_digest() {
        assert_eq!(
            super::sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
