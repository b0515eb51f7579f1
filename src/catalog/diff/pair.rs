//! Pairing requirements by content: renames (a removed id whose content reappears under a new
//! id) and swaps (two ids present in both editions that exchanged their contents).
//!
//! Invariant: a pair is kept only when each side is the other's single best candidate at a
//! likeness of at least `Similar`; ties are left unpaired (reported as removed and added), so
//! nothing is guessed.

use super::likeness::{Likeness, score};
use crate::domain::{Framework, Requirement};
use std::collections::{BTreeMap, HashMap};

/// The best candidate index in `among` for `r`, if it is alike and not tied.
fn best(r: &Requirement, among: &[&Requirement]) -> Option<usize> {
    let mut top: Option<((Likeness, u32), usize)> = None;
    let mut tied = false;
    for (i, c) in among.iter().enumerate() {
        let s = score(r, c);
        if s.0 == Likeness::Unrelated {
            continue;
        }
        match top {
            Some((t, _)) if s < t => {}
            Some((t, _)) if s == t => tied = true,
            _ => {
                top = Some((s, i));
                tied = false;
            }
        }
    }
    if tied { None } else { top.map(|(_, i)| i) }
}

/// Removed id → new id, for each removed requirement whose content is the single best match
/// of a single added one (both ways).
pub fn renames(gone: &[&Requirement], fresh: &[&Requirement]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for (i, o) in gone.iter().enumerate() {
        let Some(j) = best(o, fresh) else { continue };
        if best(fresh[j], gone) == Some(i) {
            out.insert(o.ref_id.to_string(), fresh[j].ref_id.to_string());
        }
    }
    out
}

/// Id → the id it swapped contents with, both ways, for ids present in both editions whose
/// content changed to what the other held.
pub fn swaps(old: &Framework, news: &BTreeMap<&str, &Requirement>) -> HashMap<String, String> {
    // Ids kept whose content changed in place.
    let changed: Vec<(&Requirement, &Requirement)> = old
        .requirements
        .iter()
        .filter_map(|o| news.get(o.ref_id.as_str()).map(|n| (o, *n)))
        .filter(|(o, n)| super::likeness(o, n) != Likeness::Same)
        .collect();
    let olds: Vec<&Requirement> = changed.iter().map(|(o, _)| *o).collect();
    let newer: Vec<&Requirement> = changed.iter().map(|(_, n)| *n).collect();
    let mut out = HashMap::new();
    for (i, (o, n)) in changed.iter().enumerate() {
        // The new home of o's content, and the old owner of n's content.
        let Some(j) = best(o, &newer) else { continue };
        if j == i || best(newer[j], &olds) != Some(i) {
            continue;
        }
        let Some(k) = best(n, &olds) else { continue };
        if k == j && best(olds[j], &newer) == Some(i) {
            out.insert(o.ref_id.to_string(), olds[j].ref_id.to_string());
        }
    }
    out
}
