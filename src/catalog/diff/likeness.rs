//! How alike two requirements' contents are, to tell a rename or a swap (the same content
//! under another id) from an unrelated requirement that happens to replace a removed one.
//!
//! Invariant: conservative. Two requirements are alike only when their titles are the same
//! (ignoring case and punctuation) and their descriptions the same or mostly the same words,
//! or when their descriptions are the same (and not empty) and their titles mostly the same
//! words. A shared title alone never makes two requirements alike.

use crate::domain::Requirement;
use std::collections::BTreeSet;

/// How alike two contents are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Likeness {
    /// Not the same requirement.
    Unrelated,
    /// Mostly the same words.
    Similar,
    /// The same title and description (ignoring case, spacing and punctuation).
    Same,
}

/// Lower-case letters and digits only.
pub fn norm(t: &str) -> String {
    t.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The text with runs of white space made one space, trimmed (what counts as a change).
pub fn collapse(t: &str) -> String {
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn words(t: &str) -> BTreeSet<String> {
    t.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Shared words over all words (1.0 for two empty texts).
#[allow(clippy::cast_precision_loss)]
pub fn overlap(a: &str, b: &str) -> f64 {
    let (a, b) = (words(a), words(b));
    let all = a.union(&b).count();
    if all == 0 {
        return 1.0;
    }
    a.intersection(&b).count() as f64 / all as f64
}

/// Words in common needed for two descriptions (or titles) to be "mostly the same".
const SIMILAR: f64 = 0.6;

/// How alike `a` and `b` are (see the module invariant).
pub fn likeness(a: &Requirement, b: &Requirement) -> Likeness {
    let same_title = norm(&a.title) == norm(&b.title);
    let same_desc = norm(&a.description) == norm(&b.description);
    if same_title && same_desc {
        return Likeness::Same;
    }
    let desc_close = !a.description.trim().is_empty()
        && !b.description.trim().is_empty()
        && overlap(&a.description, &b.description) >= SIMILAR;
    let title_close = overlap(&a.title, &b.title) >= SIMILAR;
    if (same_title && desc_close) || (same_desc && !a.description.trim().is_empty() && title_close)
    {
        Likeness::Similar
    } else {
        Likeness::Unrelated
    }
}

/// A score to rank candidates: the likeness first, then the share of words in common.
pub fn score(a: &Requirement, b: &Requirement) -> (Likeness, u32) {
    let l = likeness(a, b);
    let words = overlap(
        &format!("{} {}", a.title, a.description),
        &format!("{} {}", b.title, b.description),
    );
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    (l, (words * 1000.0).round() as u32)
}
