//! Adding a preset source to `certready.toml`: a commented `[[source]]` block appended to the
//! file, and the check that every preset source in a config names a known preset with
//! parameters that fill it.
//!
//! Invariants: the new text is parsed and validated whole before anything is written, so a
//! bad parameter leaves the file byte-for-byte unchanged; the write replaces the file in one
//! rename; parameters hold names and values, never a secret (env parameters are names).

use super::{Library, expand};
use crate::collect::config::{self, Config};
use crate::import::InputError;
use std::collections::BTreeMap;
use std::path::Path;

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A name for the new source: the preset's, or with `-2`, `-3`... when taken.
pub fn free_name(cfg: &Config, base: &str) -> String {
    let taken =
        |n: &str| cfg.source.iter().any(|s| s.name == n) || cfg.gateway.iter().any(|g| g.name == n);
    if !taken(base) {
        return base.to_owned();
    }
    (2..=cfg.source.len() + cfg.gateway.len() + 2)
        .map(|i| format!("{base}-{i}"))
        .find(|n| !taken(n))
        .unwrap_or_else(|| base.to_owned())
}

/// The commented `[[source]]` block for `preset` with `given` parameters, named `name`; the
/// error is one line naming the parameter.
pub fn block(
    lib: &Library,
    preset: &str,
    name: &str,
    given: &BTreeMap<String, String>,
) -> Result<String, String> {
    let entry = lib
        .get(preset)
        .ok_or_else(|| format!("unknown preset `{preset}` (see `certready presets`)"))?;
    expand::fill(entry, given)?;
    let p = &entry.preset;
    let mut out = format!(
        "\n# {} (preset {})\n# Shows: {}\n# Needs: {}\n",
        p.title, p.name, p.shows, p.permission
    );
    let others: Vec<String> = p
        .params
        .iter()
        .filter(|(k, _)| !given.contains_key(*k))
        .filter_map(|(k, v)| v.default.as_ref().map(|d| format!("{k} = {}", quoted(d))))
        .collect();
    if !others.is_empty() {
        out.push_str(&format!(
            "# Other params (defaults): {}\n",
            others.join(", ")
        ));
    }
    out.push_str("[[source]]\n");
    out.push_str(&format!("name = {}\n", quoted(name)));
    out.push_str("kind = \"preset\"\n");
    out.push_str(&format!("preset = {}\n", quoted(&p.name)));
    let params: Vec<String> = given
        .iter()
        .map(|(k, v)| format!("{k} = {}", quoted(v)))
        .collect();
    out.push_str(&format!("params = {{ {} }}\n", params.join(", ")));
    out.push_str(&format!("interval = {}\n", quoted(&p.interval)));
    out.push_str("timeout = \"60s\"\n");
    let controls: Vec<String> = p.controls.iter().map(|c| quoted(c)).collect();
    out.push_str(&format!("controls = [{}]\n", controls.join(", ")));
    Ok(out)
}

/// Checks every preset source of `cfg` (read from `text` in `file`) against `lib`: the
/// preset exists and its parameters fill it. The error names the line and `params.NAME`.
pub fn validate(cfg: &Config, file: &str, text: &str, lib: &Library) -> Result<(), InputError> {
    for (i, s) in cfg.source.iter().enumerate() {
        let at = text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.trim() == "[[source]]")
            .nth(i)
            .map(|(n, _)| n + 1);
        if s.kind != "preset" {
            continue;
        }
        let name = s.preset.as_deref().unwrap_or("");
        let Some(entry) = lib.get(name) else {
            return Err(InputError::new(
                file,
                at,
                Some(format!("source[{i}].preset")),
                format!("unknown preset `{name}` (see `certready presets`)"),
            ));
        };
        if let Err(e) = expand::fill(entry, &s.params) {
            let key = e
                .strip_prefix("param ")
                .and_then(|r| r.split(':').next())
                .map_or_else(
                    || format!("source[{i}].params"),
                    |k| format!("source[{i}].params.{k}"),
                );
            return Err(InputError::new(file, at, Some(key), e));
        }
    }
    Ok(())
}

/// Appends the block for `preset` to the config at `path` (created if missing), after
/// parsing and validating the whole new text; returns the source's name.
pub fn append(
    path: &Path,
    workspace: &Path,
    preset: &str,
    name: Option<&str>,
    given: &BTreeMap<String, String>,
) -> Result<String, String> {
    let lib = Library::load(workspace)?;
    let shown = path.display().to_string();
    let old = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("{shown}: {e}")),
    };
    let cfg = config::parse(&shown, &old).map_err(|e| e.to_string())?;
    let name = match name {
        Some(n) => n.to_owned(),
        None => free_name(&cfg, preset),
    };
    let block = block(&lib, preset, &name, given)?;
    let mut new = old.clone();
    if !new.is_empty() && !new.ends_with('\n') {
        new.push('\n');
    }
    new.push_str(&block);
    let cfg = config::parse(&shown, &new).map_err(|e| e.to_string())?;
    validate(&cfg, &shown, &new, &lib).map_err(|e| e.to_string())?;
    let dir = path.parent().unwrap_or(workspace);
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| format!("{shown}: {e}"))?;
    std::io::Write::write_all(&mut tmp, new.as_bytes()).map_err(|e| format!("{shown}: {e}"))?;
    tmp.persist(path).map_err(|e| format!("{shown}: {e}"))?;
    Ok(name)
}
