//! What several targets share: a `Known` built from the shipped catalogs and control set (no
//! database), and the text conversion every target applies to its input.

#![allow(dead_code)]

use certready::domain::Framework;
use certready::store::Known;
use std::borrow::Cow;
use std::sync::LazyLock;

/// Arbitrary bytes as text: invalid UTF-8 becomes U+FFFD, so every input reaches the parser.
pub fn text(data: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// The shipped frameworks, parsed once.
pub static FRAMEWORKS: LazyLock<Vec<Framework>> =
    LazyLock::new(|| certready::catalog::builtin_frameworks().expect("the shipped catalogs parse"));

/// The ids a fresh workspace knows (every shipped requirement and SOC 2 category, the shipped
/// control set) plus one finding, task and vendor, so references can resolve either way.
pub static KNOWN: LazyLock<Known> = LazyLock::new(|| {
    let mut k = Known::default();
    for fw in FRAMEWORKS.iter() {
        k.requirements.insert(
            fw.key.as_str().to_owned(),
            fw.requirements
                .iter()
                .map(|r| r.ref_id.as_str().to_owned())
                .collect(),
        );
        if fw.key.as_str() == "soc2" {
            k.soc2_categories = fw.groups.iter().map(|g| g.id.clone()).collect();
        }
    }
    let controls =
        certready::import::parse_yaml("llm-gateway.yaml", certready::catalog::CONTROL_SET)
            .unwrap_or_else(|e| panic!("the shipped control set parses: {e}"));
    k.absorb(&controls.model);
    k.findings.insert("F-1".to_owned());
    k.task_deps.insert("T-1".to_owned(), Vec::new());
    k.vendors.insert("openai".to_owned());
    k
});

/// An empty workspace.
pub static EMPTY: LazyLock<Known> = LazyLock::new(Known::default);
