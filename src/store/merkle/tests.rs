//! The tree against an independent RFC 6962 implementation (the `ct-merkle` crate): roots,
//! audit paths and consistency proofs for every size and index up to 70.

use super::*;
use ct_merkle::mem_backed_tree::MemoryBackedTree;
use ct_merkle::{ConsistencyProof, InclusionProof, RootHash};

fn leaves(n: usize) -> Vec<Hash> {
    (0..n)
        .map(|i| Sha256::digest(format!("row {i}").as_bytes()).into())
        .collect()
}

fn flat(hashes: &[Hash]) -> Vec<u8> {
    hashes.iter().flat_map(|h| h.iter().copied()).collect()
}

#[test]
fn matches_an_independent_rfc6962_tree() {
    let all = leaves(70);
    let ours = Tree::new(&all);
    let mut theirs: MemoryBackedTree<Sha256, Hash> = MemoryBackedTree::new();
    assert_eq!(ours.root(0).as_slice(), theirs.root().as_bytes().as_slice());
    for (i, l) in all.iter().enumerate() {
        theirs.push(*l);
        let n = i as u64 + 1;
        let root = theirs.root();
        assert_eq!(ours.root(n).as_slice(), root.as_bytes().as_slice(), "n={n}");
        for m in 0..n {
            let proof = InclusionProof::<Sha256>::try_from_bytes(flat(&ours.inclusion(m, n)))
                .expect("well formed");
            root.verify_inclusion(&all[m as usize], m, &proof)
                .unwrap_or_else(|e| panic!("inclusion m={m} n={n}: {e:?}"));
            let wrong = (m + 1) % n;
            if wrong != m {
                assert!(
                    root.verify_inclusion(&all[wrong as usize], m, &proof)
                        .is_err()
                );
            }
        }
        for m in 1..n {
            let old = RootHash::<Sha256>::new(ours.root(m).into(), m);
            let proof = ConsistencyProof::<Sha256>::try_from_bytes(flat(&ours.consistency(m, n)))
                .expect("well formed");
            root.verify_consistency(&old, &proof)
                .unwrap_or_else(|e| panic!("consistency m={m} n={n}: {e:?}"));
        }
    }
}

#[test]
fn a_changed_leaf_fails_consistency_and_the_frontier_names_its_range() {
    let all = leaves(37);
    let old = Tree::new(&all[..20]);
    let mut changed = all.clone();
    changed[9][0] ^= 1;
    let new = Tree::new(&changed);
    let old_root = RootHash::<Sha256>::new(old.root(20).into(), 20);
    let new_root = RootHash::<Sha256>::new(new.root(37).into(), 37);
    let proof =
        ConsistencyProof::<Sha256>::try_from_bytes(flat(&new.consistency(20, 37))).expect("ok");
    assert!(new_root.verify_consistency(&old_root, &proof).is_err());
    let differing: Vec<(u64, u64)> = old
        .frontier(20)
        .into_iter()
        .filter(|(s, n, h)| new.subtree(*s, *n) != Some(*h))
        .map(|(s, n, _)| (s, n))
        .collect();
    assert_eq!(differing, vec![(0, 16)]);
    assert_eq!(
        old.frontier(20)
            .iter()
            .map(|f| (f.0, f.1))
            .collect::<Vec<_>>(),
        vec![(0, 16), (16, 4)]
    );
}

#[test]
fn two_ranges_joined_make_the_tree_over_both() {
    for n in 0..70 {
        let all = leaves(n);
        let whole = Tree::new(&all);
        for at in 0..=n {
            let joined = Tree::join_all(vec![levels(&all[..at]), levels(&all[at..])]);
            assert_eq!(joined.levels, whole.levels, "n={n} split at {at}");
            for m in 0..=n as u64 {
                assert_eq!(joined.root(m), whole.root(m), "n={n} at={at} m={m}");
            }
        }
    }
}

#[test]
fn many_ranges_joined_make_the_tree_over_all_of_them() {
    for n in [0usize, 1, 5, 16, 17, 64, 70, 100] {
        let all = leaves(n);
        let whole = Tree::new(&all);
        for chunk in [1usize, 2, 3, 4, 8, 16] {
            let parts: Vec<Vec<Vec<Hash>>> = all.chunks(chunk).map(levels).collect();
            let joined = Tree::join_all(parts);
            assert_eq!(joined.levels, whole.levels, "n={n} chunk={chunk}");
        }
        // Uneven ranges, an empty one among them.
        let cuts = [0, n / 3, n / 3, n / 2, n];
        let parts: Vec<Vec<Vec<Hash>>> =
            cuts.windows(2).map(|w| levels(&all[w[0]..w[1]])).collect();
        assert_eq!(Tree::join_all(parts).levels, whole.levels, "n={n} uneven");
    }
}

#[test]
fn fixed_size_hashes_equal_the_streaming_hasher() {
    for (i, l) in leaves(50).iter().enumerate() {
        let r = leaves(51)[i + 1];
        assert_eq!(leaf_hash32(l), leaf_hash(l));
        let mut h = Sha256::new();
        h.update([1u8]);
        h.update(l);
        h.update(r);
        let want: Hash = h.finalize().into();
        assert_eq!(node_hash(l, &r), want);
    }
}
