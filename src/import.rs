//! Loading user data: the YAML model file and CSV spreadsheets.
//!
//! Invariants: a file is parsed and validated completely before anything is written; every
//! error names the file, the line and the field; the store applies a valid batch in one
//! transaction, so a bad file leaves the database exactly as it was.

mod csv_rows;
mod error;
pub mod libraries;
/// The model file's types live with the other plain data in `domain` (the store applies them
/// without importing this module); they are re-exported here under their old path.
pub use crate::domain::model_file as model;
mod validate;
pub mod yaml_index;

pub use error::InputError;
pub use model::ModelFile;
pub use validate::validate;

use std::path::Path;

/// A parsed file with the means to point at its lines.
pub struct Parsed {
    /// The file name as the user gave it.
    pub file: String,
    /// The content.
    pub model: ModelFile,
    /// Finds the line of a path like `evidence[3].control`.
    pub lines: Box<dyn Fn(&str) -> Option<usize>>,
}

/// Reads and parses one import file (YAML model file or CSV), detecting its kind.
pub fn parse_file(path: &Path) -> Result<Parsed, InputError> {
    let file = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|e| InputError::new(&file, None, None, e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        InputError::new(&file, Some(line), None, "file is not valid UTF-8 text")
    })?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ext == "csv" {
        csv_rows::parse(&file, &text)
    } else {
        parse_yaml(&file, &text)
    }
}

/// How deeply flow collections may nest before a file is refused (the YAML scanner's cost
/// grows with the square of the depth).
const MAX_DEPTH: usize = 256;

/// The line where bracket nesting (`[` `{` outside quotes) first exceeds `max`, if it does.
fn too_deep(text: &str, max: usize) -> Option<usize> {
    let (mut depth, mut line, mut quote): (usize, usize, Option<char>) = (0, 1, None);
    for c in text.chars() {
        match (quote, c) {
            (_, '\n') => {
                line += 1;
                if quote == Some('\'') {
                    quote = None;
                }
            }
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => {
                depth += 1;
                if depth > max {
                    return Some(line);
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Refuses a text whose bracket nesting exceeds [`MAX_DEPTH`], before any YAML parser sees it.
pub fn refuse_deep(file: &str, text: &str) -> Result<(), InputError> {
    match too_deep(text, MAX_DEPTH) {
        Some(line) => Err(InputError::new(
            file,
            Some(line),
            None,
            format!("nesting deeper than {MAX_DEPTH} levels"),
        )),
        None => Ok(()),
    }
}

/// Builds the path → line index of a YAML text (for errors found after parsing).
pub fn line_index(text: &str) -> yaml_index::PathIndex {
    yaml_index::PathIndex::build(text)
}

/// Parses model-file YAML text.
pub fn parse_yaml(file: &str, text: &str) -> Result<Parsed, InputError> {
    if text.trim().is_empty() {
        return Err(InputError::new(file, None, None, "file is empty"));
    }
    refuse_deep(file, text)?;
    let de = serde_norway::Deserializer::from_str(text);
    let model: ModelFile = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let mut err = InputError::from_yaml(file, e.inner()).at_offset_in(text);
        if path != "." && !path.is_empty() {
            err.line = yaml_index::PathIndex::build(text)
                .line_of(&path)
                .or(err.line);
            err.field = Some(path);
        }
        err
    })?;
    if model.is_empty() {
        return Err(InputError::new(
            file,
            None,
            None,
            "file holds no model data (expected organization, scope, controls, evidence, risks, findings, tasks, audits or vendors)",
        ));
    }
    // The path index costs a second parse, so it is built only when an error needs a line.
    let owned = text.to_owned();
    let index = std::sync::OnceLock::new();
    Ok(Parsed {
        file: file.to_owned(),
        model,
        lines: Box::new(move |p| {
            index
                .get_or_init(|| yaml_index::PathIndex::build(&owned))
                .line_of(p)
        }),
    })
}
