//! Loading user data: the YAML model file and CSV spreadsheets.
//!
//! Invariants: a file is parsed and validated completely before anything is written; every
//! error names the file, the line and the field; the store applies a valid batch in one
//! transaction, so a bad file leaves the database exactly as it was.
//!
//! Limits, so that a hostile file costs little to refuse: only regular files of at most
//! [`MAX_FILE_BYTES`] are read; YAML passes [`yaml_guard`] (nesting depth, alias expansion,
//! NUL characters) before serde builds anything; IDs are trimmed and must pass
//! `domain::id_problem`, are unique ignoring case, and dates fall within [`YEARS`].

pub mod crosswalk;
mod csv_rows;
mod error;
pub mod libraries;
pub mod oscal;
/// The model file's types live with the other plain data in `domain` (the store applies them
/// without importing this module); they are re-exported here under their old path.
pub use crate::domain::model_file as model;
mod read;
mod validate;
pub mod yaml_guard;
pub mod yaml_index;

pub use error::InputError;
pub use model::ModelFile;
pub use read::{MAX_FILE_BYTES, is_model_json, read_text, refuse_json_nul};
pub use validate::{Spellings, YEARS, validate};

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

/// Reads and parses one import file (YAML model file or CSV), detecting its kind. The file
/// must be a regular file of at most [`MAX_FILE_BYTES`].
pub fn parse_file(path: &Path) -> Result<Parsed, InputError> {
    let text = read_text(path, &path.display().to_string(), MAX_FILE_BYTES)?;
    parse_text(path, &text)
}

/// Parses the text of the import file at `path` (a CSV by its extension, YAML otherwise).
pub fn parse_text(path: &Path, text: &str) -> Result<Parsed, InputError> {
    let file = path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ext == "csv" {
        read::refuse_nul(&file, text)?;
        finish(csv_rows::parse(&file, text)?)
    } else if ext == "json" {
        read::parse_json(&file, text)
    } else {
        parse_yaml(&file, text)
    }
}

/// Trims the IDs of a freshly parsed file and refuses one that breaks the ID or date rules.
fn finish(mut parsed: Parsed) -> Result<Parsed, InputError> {
    validate::normalize(&mut parsed)?;
    Ok(parsed)
}

/// Refuses a YAML text before any deserializer sees it: nesting, alias expansion, NUL
/// characters and syntax are checked by the event parser (see [`yaml_guard`]).
pub fn refuse_deep(file: &str, text: &str) -> Result<(), InputError> {
    yaml_guard::check(file, text)
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
    finish(Parsed {
        file: file.to_owned(),
        model,
        lines: Box::new(move |p| {
            index
                .get_or_init(|| yaml_index::PathIndex::build(&owned))
                .line_of(p)
        }),
    })
}
