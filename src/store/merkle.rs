//! Merkle trees over the two logs in the shape of RFC 6962 (Certificate Transparency).
//!
//! A log's leaves are its rows' chain hashes (32 bytes each), in sequence order. The tree hash,
//! audit paths and consistency proofs follow RFC 6962 section 2.1 exactly (leaf hash
//! `SHA-256(0x00 || leaf)`, node hash `SHA-256(0x01 || left || right)`, split at the largest
//! power of two below the size), so any RFC 6962 verifier accepts them; the tests check every
//! size up to 70 against the `ct-merkle` crate's tree and verifiers.
//!
//! Invariant: a [`Tree`] is built bottom-up once (about 2n hashes) and then answers the root of
//! any prefix, audit paths and consistency proofs without rehashing leaves.

use sha2::{Digest, Sha256};

/// A 32-byte hash.
pub type Hash = [u8; 32];

/// The hash of a leaf holding `data`.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(data);
    h.finalize().into()
}

/// SHA-256's initial state.
const IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// The digest of a message whose padded blocks are `blocks`.
fn digest_of(blocks: &[[u8; 64]]) -> Hash {
    let mut state = IV;
    sha2::block_api::compress256(&mut state, blocks);
    let mut out = [0u8; 32];
    for (o, w) in out.chunks_exact_mut(4).zip(state) {
        o.copy_from_slice(&w.to_be_bytes());
    }
    out
}

/// [`leaf_hash`] of a 32-byte leaf (a row's chain hash), as one padded block: the tree of a
/// million rows hashes three million blocks, so the fixed sizes are padded here once instead
/// of by a streaming hasher each time.
pub fn leaf_hash32(leaf: &Hash) -> Hash {
    let mut b = [0u8; 64];
    b[1..33].copy_from_slice(leaf);
    b[33] = 0x80;
    b[56..].copy_from_slice(&(33u64 * 8).to_be_bytes());
    digest_of(&[b])
}

/// The hash of an inner node (65 bytes: two padded blocks).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut b = [[0u8; 64]; 2];
    b[0][0] = 1;
    b[0][1..33].copy_from_slice(left);
    b[0][33..].copy_from_slice(&right[..31]);
    b[1][0] = right[31];
    b[1][1] = 0x80;
    b[1][56..].copy_from_slice(&(65u64 * 8).to_be_bytes());
    digest_of(&b)
}

/// The largest power of two strictly below `n` (n >= 2).
fn split(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (n - 1).ilog2()
}

/// Every level of the tree over `leaves`, bottom up: `levels[0]` holds the leaf hashes.
pub(crate) fn levels(leaves: &[Hash]) -> Vec<Vec<Hash>> {
    let mut levels = vec![leaves.iter().map(leaf_hash32).collect::<Vec<_>>()];
    while levels.last().is_some_and(|l| l.len() >= 2) {
        let up = pairs(levels.last().map_or(&[][..], Vec::as_slice));
        levels.push(up);
    }
    levels
}

/// The node hashes of each aligned pair of `below` (a lone last node is left out).
fn pairs(below: &[Hash]) -> Vec<Hash> {
    below
        .chunks_exact(2)
        .map(|p| node_hash(&p[0], &p[1]))
        .collect()
}

/// The hashes of every perfect, aligned subtree of a log: `levels[j][i]` covers leaves
/// `i * 2^j .. (i + 1) * 2^j`.
pub struct Tree {
    levels: Vec<Vec<Hash>>,
}

impl Tree {
    /// Builds the tree over `leaves` (each a row's chain hash).
    pub fn new(leaves: &[Hash]) -> Self {
        Self {
            levels: levels(leaves),
        }
    }

    /// Joins the levels of consecutive ranges of leaves, each built by [`levels`], into the
    /// tree over all of them. Every level up to the largest power of two dividing the size of
    /// each range but the last is the ranges' levels end to end (no node straddles a boundary
    /// there); the levels above are built from them.
    pub(crate) fn join_all(parts: Vec<Vec<Vec<Hash>>>) -> Self {
        let size = |p: &Vec<Vec<Hash>>| p.first().map_or(0, Vec::len);
        let parts: Vec<Vec<Vec<Hash>>> = parts.into_iter().filter(|p| size(p) > 0).collect();
        let Some((_, before_last)) = parts.split_last() else {
            return Self::new(&[]);
        };
        let aligned = before_last
            .iter()
            .map(|p| size(p).trailing_zeros() as usize)
            .min()
            .unwrap_or(usize::MAX)
            .min(parts.iter().map(Vec::len).max().unwrap_or(1) - 1);
        let mut parts = parts.into_iter();
        // The first range's levels are grown in place; the others are appended to them.
        let mut levels: Vec<Vec<Hash>> = parts.next().unwrap_or_default();
        levels.truncate(aligned + 1);
        let rest: Vec<Vec<Vec<Hash>>> = parts.collect();
        for (j, level) in levels.iter_mut().enumerate() {
            level.reserve(rest.iter().map(|p| p.get(j).map_or(0, Vec::len)).sum());
            for p in &rest {
                if let Some(l) = p.get(j) {
                    level.extend_from_slice(l);
                }
            }
        }
        while levels.last().is_some_and(|l| l.len() >= 2) {
            let up = pairs(levels.last().map_or(&[][..], Vec::as_slice));
            levels.push(up);
        }
        // A level that became empty (a lone node at its top) is not a level.
        while levels.len() > 1 && levels.last().is_some_and(Vec::is_empty) {
            levels.pop();
        }
        Self { levels }
    }

    /// The trees of both logs (evidence, change log).
    pub fn pair(evidence: &[Hash], change_log: &[Hash]) -> (Self, Self) {
        (Self::new(evidence), Self::new(change_log))
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.levels[0].len() as u64
    }

    /// MTH(D[start .. start + n]); `start` is aligned to the largest power of two below `n`, as
    /// every range the RFC's recursion visits is.
    fn range(&self, start: u64, n: u64) -> Hash {
        if n == 0 {
            return Sha256::digest(b"").into();
        }
        if n.is_power_of_two() {
            let j = n.trailing_zeros() as usize;
            return self.levels[j][(start >> j) as usize];
        }
        let k = split(n);
        node_hash(&self.range(start, k), &self.range(start + k, n - k))
    }

    /// The root of the first `n` leaves (`n` <= size).
    pub fn root(&self, n: u64) -> Hash {
        self.range(0, n.min(self.size()))
    }

    /// PATH(m, D[n]): the audit path of leaf `m` in the tree of the first `n` leaves.
    pub fn inclusion(&self, m: u64, n: u64) -> Vec<Hash> {
        let mut out = Vec::new();
        self.path(m, 0, n, &mut out);
        out
    }

    fn path(&self, m: u64, start: u64, n: u64, out: &mut Vec<Hash>) {
        if n <= 1 {
            return;
        }
        let k = split(n);
        if m < k {
            self.path(m, start, k, out);
            out.push(self.range(start + k, n - k));
        } else {
            self.path(m - k, start + k, n - k, out);
            out.push(self.range(start, k));
        }
    }

    /// PROOF(m, D[n]): that the tree of the first `m` leaves is a prefix of the first `n`.
    pub fn consistency(&self, m: u64, n: u64) -> Vec<Hash> {
        let mut out = Vec::new();
        if m > 0 && m < n {
            self.subproof(m, 0, n, true, &mut out);
        }
        out
    }

    fn subproof(&self, m: u64, start: u64, n: u64, whole: bool, out: &mut Vec<Hash>) {
        if m == n {
            if !whole {
                out.push(self.range(start, n));
            }
            return;
        }
        let k = split(n);
        if m <= k {
            self.subproof(m, start, k, whole, out);
            out.push(self.range(start + k, n - k));
        } else {
            self.subproof(m - k, start + k, n - k, false, out);
            out.push(self.range(start, k));
        }
    }

    /// The perfect subtrees that make up the first `n` leaves, largest first, as
    /// `(first leaf, leaf count, hash)`: with them a later tree can say which range of rows
    /// differs from this one.
    pub fn frontier(&self, n: u64) -> Vec<(u64, u64, Hash)> {
        let mut out = Vec::new();
        let mut start = 0;
        for bit in (0..64).rev() {
            let size = 1u64 << bit;
            if n & size != 0 {
                out.push((start, size, self.range(start, size)));
                start += size;
            }
        }
        out
    }

    /// The hash of the perfect subtree `start .. start + size`, when this tree holds it.
    pub fn subtree(&self, start: u64, size: u64) -> Option<Hash> {
        (size.is_power_of_two() && start.is_multiple_of(size) && start + size <= self.size())
            .then(|| self.range(start, size))
    }
}

#[cfg(test)]
mod tests;
