//! SHA-256 hex digests and the hash chain shared by evidence and the change log.
//!
//! A link is `sha256(previous || 0x1e || field 1 || 0x1f || field 2 ...)`; the first link's
//! previous is 64 zeros. Changing any byte of any field breaks every later link.

use sha2::{Digest, Sha256};

/// The `previous` value of the first link of a chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The next chain hash after `previous` over `fields`.
pub fn link(previous: &str, fields: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(previous.as_bytes());
    h.update([0x1e]);
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            h.update([0x1f]);
        }
        h.update(f.as_bytes());
    }
    hex(&h.finalize())
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    s
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
