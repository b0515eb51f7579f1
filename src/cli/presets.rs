//! `certready presets [--json]` and `certready sources add PRESET [--param k=v ...]`.
//!
//! `presets` lists the built-in presets and the workspace's own (`presets/`), with what each
//! shows, the controls it evidences, the permission it needs and its parameters. `sources add`
//! appends a commented `[[source]]` to `certready.toml` after validating the whole new file: a
//! bad parameter prints one line naming it and leaves the file unchanged.

use super::output::table;
use crate::collect::library::{Library, add};
use crate::workspace::Workspace;
use anyhow::{Result, anyhow};
use std::collections::BTreeMap;
use std::process::ExitCode;

/// `certready presets`.
pub fn list(ws: &Workspace, json: bool) -> Result<ExitCode> {
    let lib = Library::load(ws.dir()).map_err(|e| anyhow!(e))?;
    if json {
        let items: Vec<serde_json::Value> = lib
            .presets
            .values()
            .map(|e| {
                let p = &e.preset;
                serde_json::json!({
                    "name": p.name, "title": p.title, "kind": p.kind, "origin": e.origin,
                    "controls": p.controls, "shows": p.shows, "permission": p.permission,
                    "interval": p.interval, "params": p.params,
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(items));
        return Ok(ExitCode::SUCCESS);
    }
    let mut rows = vec![vec![
        "PRESET".into(),
        "KIND".into(),
        "CONTROLS".into(),
        "PARAMS (required*)".into(),
        "TITLE".into(),
    ]];
    for e in lib.presets.values() {
        let p = &e.preset;
        let params: Vec<String> = p
            .params
            .iter()
            .map(|(k, v)| {
                if v.default.is_none() {
                    format!("{k}*")
                } else {
                    k.clone()
                }
            })
            .collect();
        rows.push(vec![
            p.name.clone(),
            p.kind.as_str().into(),
            p.controls.join(","),
            params.join(","),
            p.title.clone(),
        ]);
    }
    print!("{}", table(&rows));
    println!(
        "{} presets; add one with `certready sources add PRESET --param key=value`",
        lib.presets.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// `key=value` pairs; the error names the malformed one.
pub fn pairs(raw: &[String]) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for p in raw {
        let Some((k, v)) = p.split_once('=') else {
            return Err(anyhow!("--param {p}: expected key=value"));
        };
        out.insert(k.trim().to_owned(), v.to_owned());
    }
    Ok(out)
}

/// `certready sources add`.
pub fn add(
    ws: &Workspace,
    preset: &str,
    name: Option<&str>,
    params: &[String],
) -> Result<ExitCode> {
    let given = pairs(params)?;
    let name =
        add::append(&ws.config_path(), ws.dir(), preset, name, &given).map_err(|e| anyhow!(e))?;
    println!(
        "added source `{name}` (preset {preset}) to {}; check it with `certready poll --once`",
        ws.config_path().display()
    );
    Ok(ExitCode::SUCCESS)
}
