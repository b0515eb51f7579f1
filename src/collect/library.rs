//! The evidence preset library: one TOML file per check (`assets/presets/*.toml`, embedded in
//! the binary), each overridable or extended by a file of the same name in the workspace's
//! `presets/` folder. A preset says what kind of source it is, what it asks (a request, a
//! command or a file pattern), its parameters with defaults, the checks on the answer, the
//! controls it evidences, what the evidence shows and the read-only permission it needs.
//!
//! Invariants: a preset is data, never code; every `{param}` in it is filled from validated
//! parameters before use; parameters of kind `env` hold environment-variable NAMES only, so a
//! secret never enters the config or a preset; a preset's name is its file's stem.

pub mod add;
pub mod expand;
pub mod judge;
pub mod params;
pub mod read;
pub mod rules;
pub mod run;

pub use run::{Judged, source_kind};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The built-in presets, by file name, in name order.
pub const BUILT_IN: &[(&str, &str)] = embedded::FILES;

mod embedded;

/// What kind of source a preset makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PresetKind {
    /// An HTTP JSON API.
    Http,
    /// The newest file matching a pattern.
    File,
    /// A local program's JSON output.
    Command,
}

impl PresetKind {
    /// The word used in listings.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::File => "file",
            Self::Command => "command",
        }
    }
}

/// What a parameter holds; values are checked by kind before anything is written or run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamKind {
    /// Plain text (a name, an organisation, a region).
    #[default]
    Text,
    /// A whole number (days, bytes, counts).
    Number,
    /// The NAME of an environment variable holding a secret.
    Env,
    /// An http(s) URL without credentials.
    Url,
    /// A comma-separated list of names.
    List,
    /// A file path or glob, relative to the workspace.
    Path,
    /// A program to run (a name on `PATH` or a path).
    Program,
}

/// One parameter.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// What it is for.
    pub help: String,
    /// Its default; without one the parameter is required.
    #[serde(default)]
    pub default: Option<String>,
    /// What it holds.
    #[serde(default)]
    pub kind: ParamKind,
}

/// One preset, as its file says it (placeholders not yet filled).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    /// Name (the file's stem).
    pub name: String,
    /// One-line title.
    pub title: String,
    /// Source kind.
    pub kind: PresetKind,
    /// What the evidence shows, in one line.
    pub shows: String,
    /// The read-only permission it needs.
    pub permission: String,
    /// Controls it evidences.
    pub controls: Vec<String>,
    /// Poll interval.
    #[serde(default = "default_interval")]
    pub interval: String,
    /// Parameters.
    #[serde(default)]
    pub params: BTreeMap<String, Param>,
    /// The request (http).
    #[serde(default)]
    pub request: Option<expand::Request>,
    /// The program (command).
    #[serde(default)]
    pub command: Option<expand::Command>,
    /// The file (file).
    #[serde(default)]
    pub file: Option<expand::FileSpec>,
    /// Checks on values in the answer.
    #[serde(default, rename = "assert")]
    pub asserts: Vec<judge::Check>,
    /// Rules over items in the answer, each one auditor-readable line.
    #[serde(default, rename = "explain")]
    pub rules: Vec<judge::Rule>,
    /// A JSONPath to a base64 CSV document (the IAM credential report) read as rows.
    #[serde(default)]
    pub csv_from: Option<String>,
}

fn default_interval() -> String {
    "1h".into()
}

/// Where a preset came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Built into certready.
    BuiltIn,
    /// The workspace's `presets/` folder.
    Workspace,
}

/// A preset with its raw text (for filling placeholders) and origin.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The preset as written.
    pub preset: Preset,
    /// The TOML it was read from.
    pub raw: toml::Table,
    /// Where it came from.
    pub origin: Origin,
}

/// Every preset known to a workspace, by name.
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// Presets by name.
    pub presets: BTreeMap<String, Entry>,
}

/// Reads one preset file; the error names the file and what is wrong.
pub fn parse(file: &str, text: &str) -> Result<Entry, String> {
    let raw: toml::Table = toml::from_str(text).map_err(|e| format!("{file}: {e}"))?;
    let preset: Preset = raw
        .clone()
        .try_into()
        .map_err(|e: toml::de::Error| format!("{file}: {}", e.message()))?;
    let stem = file.rsplit('/').next().unwrap_or(file);
    let stem = stem.strip_suffix(".toml").unwrap_or(stem);
    if preset.name != stem {
        return Err(format!(
            "{file}: name `{}` must match the file name `{stem}`",
            preset.name
        ));
    }
    Ok(Entry {
        preset,
        raw,
        origin: Origin::BuiltIn,
    })
}

impl Library {
    /// The built-in presets alone.
    pub fn built_in() -> Result<Self, String> {
        let mut lib = Self::default();
        for (file, text) in BUILT_IN {
            let e = parse(file, text)?;
            lib.presets.insert(e.preset.name.clone(), e);
        }
        Ok(lib)
    }

    /// The built-in presets, then the workspace's `presets/*.toml` over them.
    pub fn load(workspace: &Path) -> Result<Self, String> {
        let mut lib = Self::built_in()?;
        let dir = workspace.join("presets");
        let Ok(rd) = std::fs::read_dir(&dir) else {
            return Ok(lib);
        };
        let mut files: Vec<_> = rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        for p in files {
            let shown = format!(
                "presets/{}",
                p.file_name().unwrap_or_default().to_string_lossy()
            );
            let text = std::fs::read_to_string(&p).map_err(|e| format!("{shown}: {e}"))?;
            let mut e = parse(&shown, &text)?;
            e.origin = Origin::Workspace;
            lib.presets.insert(e.preset.name.clone(), e);
        }
        Ok(lib)
    }

    /// The preset called `name`.
    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.presets.get(name)
    }
}
