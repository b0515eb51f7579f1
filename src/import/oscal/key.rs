//! Framework keys of imported OSCAL catalogs, and the check that keeps two catalogs apart.
//!
//! Invariants: the key holds the catalog's title and its version, lower-case letters and digits
//! joined by single `-`, at most [`MAX_KEY`] characters; a title too long for that is cut at a
//! word and followed by six hex digits of the SHA-256 of the full title and version, so two
//! catalogs whose titles share a long beginning (a catalog and a baseline of it) still get
//! different keys. A key, once stored, never changes for the same title and version.

use crate::domain::Framework;
use crate::import::InputError;

/// The longest key (a NIST baseline's title and version fit whole).
pub const MAX_KEY: usize = 96;

/// The words of `s`: runs of ASCII letters and digits, lower case.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// The words of `version` the title does not already spell: the version less its longest
/// beginning found in the title (when that beginning is the whole version or two words or
/// more, such as `5.1.1` of `5.1.1+u4` in a title naming `Revision 5.1.1`).
fn version_tail(t: &[String], v: &[String]) -> String {
    let spelled = (1..=v.len())
        .rev()
        .find(|&k| t.windows(k).any(|w| w == &v[..k]))
        .filter(|&k| k >= 2 || k == v.len())
        .unwrap_or(0);
    v[spelled..].iter().map(|w| format!("-{w}")).collect()
}

/// The framework key of a catalog titled `title` at `version` (empty when the title has no
/// letter or digit). `Example AI Controls` at `1.0` gives `example-ai-controls-1-0`; a version
/// the title already spells is not repeated (`NIST SP 800-53 Rev 5.1.1` at `5.1.1+u4` gives
/// `nist-sp-800-53-rev-5-1-1-u4`).
pub fn catalog_key(title: &str, version: &str) -> String {
    let t = words(title);
    if t.is_empty() {
        return String::new();
    }
    let tail = version_tail(&t, &words(version));
    let whole = format!("{}{tail}", t.join("-"));
    if whole.len() <= MAX_KEY {
        return whole;
    }
    let digest = crate::domain::sha256_hex(format!("{title}\n{version}").as_bytes());
    let hash = &digest[..6];
    // Room for the title's words: the key less `-hash` and the version tail.
    let room = MAX_KEY.saturating_sub(1 + hash.len() + tail.len()).max(1);
    let mut cut = String::new();
    for w in &t {
        let next = if cut.is_empty() {
            w.clone()
        } else {
            format!("{cut}-{w}")
        };
        if next.len() > room {
            break;
        }
        cut = next;
    }
    if cut.is_empty() {
        cut = t[0].chars().take(room).collect();
    }
    format!("{cut}-{hash}{tail}")
        .chars()
        .take(MAX_KEY)
        .collect()
}

/// The requirement ids of `f`, sorted.
fn ids(f: &Framework) -> Vec<&str> {
    let mut v: Vec<&str> = f.requirements.iter().map(|r| r.ref_id.as_str()).collect();
    v.sort_unstable();
    v
}

/// Refuses `new` (read from `file`) when a framework with the same key is installed (or was
/// read from an earlier file of the same import) and is another catalog: another name or
/// version, or other requirement ids. Importing the same catalog again is allowed.
pub fn refuse_collision<'a>(
    file: &str,
    new: &Framework,
    installed: impl IntoIterator<Item = &'a Framework>,
) -> Result<(), InputError> {
    let Some(old) = installed.into_iter().find(|f| f.key == new.key) else {
        return Ok(());
    };
    if old.name == new.name && old.version == new.version && ids(old) == ids(new) {
        return Ok(());
    }
    Err(InputError::new(
        file,
        None,
        Some("catalog.metadata".into()),
        format!(
            "framework key `{}` is already taken by `{}` version `{}` ({} requirements), another catalog than this `{}` version `{}` ({} requirements); refused so the two are not merged",
            new.key,
            old.name,
            old.version,
            old.requirements.len(),
            new.name,
            new.version,
            new.requirements.len()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_holds_title_and_version_once() {
        assert_eq!(
            catalog_key("Example AI Controls", "1.0"),
            "example-ai-controls-1-0"
        );
        assert_eq!(
            catalog_key("Example AI Controls", ""),
            "example-ai-controls"
        );
        assert_eq!(
            catalog_key("NIST SP 800-53 Rev 5.1.1", "5.1.1"),
            "nist-sp-800-53-rev-5-1-1"
        );
        assert_eq!(catalog_key("?!", "1"), "");
        let moderate = "NIST Special Publication 800-53 Revision 5.1.1 MODERATE IMPACT BASELINE";
        assert_eq!(
            catalog_key(moderate, "5.1.1+u4"),
            "nist-special-publication-800-53-revision-5-1-1-moderate-impact-baseline-u4"
        );
        assert_eq!(catalog_key("CIS Controls v8", "8.0"), "cis-controls-v8-8-0");
        assert_eq!(catalog_key("ISO 1 things", "1.0"), "iso-1-things-1-0");
    }

    #[test]
    fn a_catalog_and_its_baseline_get_different_keys() {
        let full = catalog_key(
            "NIST Special Publication 800-53 Revision 5.2.0: Security and Privacy Controls for Information Systems and Organizations",
            "5.2.0",
        );
        let moderate = catalog_key(
            "NIST Special Publication 800-53 Revision 5.2.0 MODERATE IMPACT BASELINE",
            "5.2.0",
        );
        assert_ne!(full, moderate);
        for k in [&full, &moderate] {
            assert!(k.len() <= MAX_KEY, "{k}");
            assert!(
                k.starts_with("nist-special-publication-800-53-revision-5-2-0"),
                "{k}"
            );
        }
        // Stable: the same title and version give the same key.
        assert_eq!(
            moderate,
            catalog_key(
                "NIST Special Publication 800-53 Revision 5.2.0 MODERATE IMPACT BASELINE",
                "5.2.0"
            )
        );
        // The version is kept when the title does not spell it.
        let long = catalog_key(&"word ".repeat(30), "2.1");
        assert!(long.ends_with("-2-1") && long.len() <= MAX_KEY, "{long}");
    }
}
