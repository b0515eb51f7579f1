//! Reading an import file from disk, bounded: only regular files, at most [`MAX_FILE_BYTES`],
//! UTF-8. A device (`/dev/zero`), a FIFO or a file that grows while it is read is refused with
//! one line instead of being read until memory runs out. Also the JSON form of the model file
//! (what `export json` writes), told apart from an OSCAL catalog by its top-level keys.

use super::InputError;
use std::io::Read;
use std::path::Path;

/// The largest file `import` reads (64 MiB): far above any real model file, CSV or catalog.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads `path` (named `file` in errors) as UTF-8 text of at most `max` bytes.
pub fn read_text(path: &Path, file: &str, max: u64) -> Result<String, InputError> {
    let fail = |message: String| InputError::new(file, None, None, message);
    let not_regular = || fail("not a regular file (expected a YAML, CSV or JSON file)".to_owned());
    // Looked at before opening, since opening a FIFO waits for a writer; and again on the
    // open handle, in case the path changed in between.
    let before = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?;
    if !before.is_file() {
        return Err(not_regular());
    }
    let handle = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let meta = handle.metadata().map_err(|e| fail(e.to_string()))?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    let too_big = || fail(format!("file is larger than {} MiB", max >> 20));
    if meta.len() > max {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    handle
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(e.to_string()))?;
    if bytes.len() as u64 > max {
        return Err(too_big());
    }
    String::from_utf8(bytes).map_err(|e| {
        let line = line_at(e.as_bytes(), e.utf8_error().valid_up_to());
        InputError::new(file, Some(line), None, "file is not valid UTF-8 text")
    })
}

/// The 1-based line holding byte `offset` of `bytes`.
pub fn line_at(bytes: &[u8], offset: usize) -> usize {
    1 + bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
}

/// Refuses a text holding a NUL character (raw, as CSV allows), naming its line.
pub fn refuse_nul(file: &str, text: &str) -> Result<(), InputError> {
    match text.find('\0') {
        Some(at) => Err(InputError::new(
            file,
            Some(line_at(text.as_bytes(), at)),
            None,
            "text holds a NUL character",
        )),
        None => Ok(()),
    }
}

/// Refuses JSON text whose strings hold a NUL character (the escape `\u0000`), naming its line.
pub fn refuse_json_nul(file: &str, text: &str) -> Result<(), InputError> {
    refuse_nul(file, text)?;
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            if b.get(i + 1) == Some(&b'u') && b.get(i + 2..i + 6) == Some(b"0000".as_slice()) {
                return Err(InputError::new(
                    file,
                    Some(line_at(b, i)),
                    None,
                    "text holds a NUL character (\\u0000)",
                ));
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    Ok(())
}

/// Whether a JSON text is a model file rather than an OSCAL catalog: an object without the
/// `catalog` key.
pub fn is_model_json(text: &str) -> bool {
    /// The top level, every other member skipped unread.
    #[derive(serde::Deserialize)]
    struct Top {
        #[serde(default)]
        catalog: Option<serde::de::IgnoredAny>,
    }
    serde_json::from_str::<Top>(text).is_ok_and(|top| top.catalog.is_none())
}

/// Parses the JSON form of a model file (`export json`), with the same field rules as YAML.
pub fn parse_json(file: &str, text: &str) -> Result<super::Parsed, InputError> {
    refuse_json_nul(file, text)?;
    let mut de = serde_json::Deserializer::from_str(text);
    let model: super::ModelFile = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let field = (path != "." && !path.is_empty()).then_some(path);
        InputError::new(file, Some(inner.line()), field, inner.to_string())
    })?;
    if model.is_empty() {
        return Err(InputError::new(
            file,
            None,
            None,
            "file holds no model data",
        ));
    }
    let owned = text.to_owned();
    let index = std::sync::OnceLock::new();
    super::finish(super::Parsed {
        file: file.to_owned(),
        model,
        lines: Box::new(move |p| {
            index
                .get_or_init(|| super::yaml_index::PathIndex::build(&owned))
                .line_of(p)
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::{refuse_json_nul, refuse_nul};

    #[test]
    fn nul_escapes_are_found_and_escaped_backslashes_are_not() {
        assert!(refuse_json_nul("f.json", r#"{"a": "x\\u0000"}"#).is_ok());
        let e = refuse_json_nul("f.json", "{\n\"a\": \"x\\u0000\"}").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert_eq!(refuse_nul("f.csv", "a\nb\0").unwrap_err().line, Some(2));
    }
}
