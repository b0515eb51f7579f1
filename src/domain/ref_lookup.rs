//! Finding the requirement a person means: by its id as stored (`AC-2(1)`, `CC6.1`) or by
//! another spelling of it (`ac-2.1`, OSCAL's id of the same control; `AC-02(01)`, NIST's
//! zero-padded label; `cc6.1`).
//!
//! Invariant: an exact match wins, then a match ignoring case, then a match of the loose form
//! ([`loose_ref`]) only when exactly one requirement has it; an ambiguous query finds nothing.

/// The loose form of a requirement id: its runs of letters and of digits, lower case, numbers
/// without leading zeros, joined by `-` (`AC-2(1)`, `ac-2.1` and `AC-02(01)` all give
/// `ac-2-1`).
pub fn loose_ref(id: &str) -> String {
    let mut runs: Vec<String> = Vec::new();
    let mut prev: Option<bool> = None; // Some(true) inside digits, Some(false) inside letters
    for c in id.chars() {
        let kind = if c.is_ascii_digit() {
            Some(true)
        } else if c.is_alphanumeric() {
            Some(false)
        } else {
            None
        };
        match (kind, prev) {
            (Some(k), Some(p)) if k == p => {
                if let Some(r) = runs.last_mut() {
                    r.extend(c.to_lowercase());
                }
            }
            (Some(_), _) => runs.push(c.to_lowercase().collect()),
            (None, _) => {}
        }
        prev = kind;
    }
    runs.iter()
        .map(|r| {
            if r.chars().all(|c| c.is_ascii_digit()) {
                let t = r.trim_start_matches('0');
                if t.is_empty() { "0" } else { t }
            } else {
                r.as_str()
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// The id among `ids` that `query` names (see the module invariant), if any.
pub fn find_ref<'a>(ids: impl IntoIterator<Item = &'a str>, query: &str) -> Option<&'a str> {
    let q = query.trim();
    let ids: Vec<&str> = ids.into_iter().collect();
    if let Some(x) = ids.iter().find(|x| **x == q) {
        return Some(x);
    }
    let one = |hits: Vec<&'a str>| (hits.len() == 1).then(|| hits[0]);
    if let Some(x) = one(ids
        .iter()
        .copied()
        .filter(|x| x.eq_ignore_ascii_case(q))
        .collect())
    {
        return Some(x);
    }
    let lq = loose_ref(q);
    if lq.is_empty() {
        return None;
    }
    one(ids.iter().copied().filter(|x| loose_ref(x) == lq).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_control_meet_in_the_loose_form() {
        for s in ["AC-2(1)", "ac-2.1", "AC-02(01)", "ac 2 1"] {
            assert_eq!(loose_ref(s), "ac-2-1", "{s}");
        }
        assert_eq!(loose_ref("164.308(a)(4)(ii)(A)"), "164-308-a-4-ii-a");
        assert_ne!(loose_ref("1.2.6"), loose_ref("12.6"));
        assert_eq!(loose_ref("A.10"), "a-10");
    }

    #[test]
    fn exact_then_case_then_loose_and_never_a_guess() {
        let ids = ["AC-2", "AC-2(1)", "CC6.1", "A.5.1", "A5.1"];
        assert_eq!(find_ref(ids, "AC-2(1)"), Some("AC-2(1)"));
        assert_eq!(find_ref(ids, "ac-2.1"), Some("AC-2(1)"));
        assert_eq!(find_ref(ids, "AC-02(01)"), Some("AC-2(1)"));
        assert_eq!(find_ref(ids, "cc6.1"), Some("CC6.1"));
        assert_eq!(find_ref(ids, "ac-2"), Some("AC-2"));
        assert_eq!(find_ref(ids, "A.5.1"), Some("A.5.1"), "exact wins");
        assert_eq!(
            find_ref(ids, "a-5-1"),
            None,
            "two requirements share the loose form"
        );
        assert_eq!(find_ref(ids, "AC-3"), None);
        assert_eq!(find_ref(ids, "()"), None);
    }
}
