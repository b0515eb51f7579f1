//! The one-line error every bad input produces: `file:line: field: what was wrong`.

use std::fmt;

/// An input error, located as precisely as the input allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// File (or source) name.
    pub file: String,
    /// 1-based line.
    pub line: Option<usize>,
    /// Field path (`evidence[2].control`) or column name.
    pub field: Option<String>,
    /// What was wrong and what was expected.
    pub message: String,
}

impl InputError {
    /// Builds an error.
    pub fn new(
        file: &str,
        line: Option<usize>,
        field: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            file: file.to_owned(),
            line,
            field,
            message: message.into(),
        }
    }

    /// Converts a YAML deserialisation error, keeping its line and field path.
    pub fn from_yaml(file: &str, e: &serde_norway::Error) -> Self {
        let line = e.location().map(|l| l.line());
        let full = e.to_string();
        let text = full
            .rsplit_once(" at line ")
            .map_or(full.as_str(), |(head, _)| head)
            .to_owned();
        // serde_norway prefixes the path: "controls[0].status: unknown ...".
        let (field, message) = match text.split_once(": ") {
            Some((path, rest)) if !path.contains(' ') => (Some(path.to_owned()), rest.to_owned()),
            _ => (None, text),
        };
        Self {
            file: file.to_owned(),
            line,
            field,
            message,
        }
    }

    /// Replaces a reader error's `at position N` (a byte offset into `text`, reported without
    /// a line) with the line holding that byte.
    #[must_use]
    pub fn at_offset_in(mut self, text: &str) -> Self {
        if let Some((head, offset)) = self.message.rsplit_once(" at position ")
            && let Ok(offset) = offset.parse::<usize>()
            && let Some(before) = text.as_bytes().get(..offset)
        {
            self.line = Some(1 + before.iter().filter(|b| **b == b'\n').count());
            self.message = head.to_owned();
        }
        self
    }
}

/// Adds what was expected to the terse messages of the date parser.
pub fn explain(message: String) -> String {
    const DATE_ERRORS: &[&str] = &[
        "input contains invalid characters",
        "input is out of range",
        "premature end of input",
        "trailing input",
        "input is not enough for unique date and time",
    ];
    if DATE_ERRORS.iter().any(|d| message.starts_with(d)) {
        format!("{message} (expected a date as YYYY-MM-DD)")
    } else {
        message
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": {}", field.replace(['\n', '\r'], " "))?;
        }
        write!(f, ": {}", explain(self.message.replace('\n', " ")))
    }
}

impl std::error::Error for InputError {}
