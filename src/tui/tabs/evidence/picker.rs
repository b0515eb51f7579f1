//! Adding a source from a preset (`A` on the Evidence tab's Sources view): a filterable list
//! of the library's presets (name, kind, what it shows) drawn as a form whose one field is the
//! filter, then a form with the chosen preset's parameters prefilled with their defaults.
//! Submitting becomes [`Effect::AddSource`](crate::tui::effect::Effect::AddSource); the store
//! thread appends the block with the same code as `certready sources add`, which validates the
//! whole new file first, so a bad value leaves `certready.toml` unchanged.
//!
//! Invariants: the list is loaded off the UI thread with the data; an `env` parameter holds a
//! variable NAME, never a secret (its field says so and the library refuses anything else);
//! only values that differ from the preset's defaults are written, as on the CLI.

use crate::tui::prompt::{self, Prompt, Target};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, OnceLock};

/// How many matching presets the list shows at once.
const SHOWN: usize = 12;

/// One parameter of a preset, as its form field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// The parameter's name.
    pub key: String,
    /// Its default, or empty when required.
    pub default: String,
    /// Whether it has no default.
    pub required: bool,
    /// Whether it names an environment variable (a secret's).
    pub env: bool,
}

/// One preset of the library, as the picker lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// Preset name.
    pub name: String,
    /// http, command or file.
    pub kind: &'static str,
    /// What its evidence shows.
    pub shows: String,
    /// Its parameters, in name order.
    pub params: Vec<Param>,
}

/// The picker's state: every preset and the selected match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    /// Every preset.
    pub all: Vec<Choice>,
    /// The selected index among the matches.
    pub sel: usize,
}

/// The presets of the workspace in `dir` (built-in and its `presets/`), or the built-in ones.
pub fn load(dir: Option<&std::path::Path>) -> Vec<Choice> {
    use crate::collect::library::{Library, ParamKind};
    let lib = dir.map_or_else(Library::built_in, Library::load);
    let Ok(lib) = lib.or_else(|_| Library::built_in()) else {
        return Vec::new();
    };
    lib.presets
        .values()
        .map(|e| {
            let p = &e.preset;
            Choice {
                name: p.name.clone(),
                kind: p.kind.as_str(),
                shows: p.shows.clone(),
                params: p
                    .params
                    .iter()
                    .map(|(k, v)| Param {
                        key: k.clone(),
                        default: v.default.clone().unwrap_or_default(),
                        required: v.default.is_none(),
                        env: v.kind == ParamKind::Env,
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The presets whose name, kind or description holds every word of `filter`.
pub fn matches<'a>(all: &'a [Choice], filter: &str) -> Vec<&'a Choice> {
    let words: Vec<String> = filter.split_whitespace().map(str::to_lowercase).collect();
    all.iter()
        .filter(|c| {
            let hay = format!("{} {} {}", c.name, c.kind, c.shows).to_lowercase();
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect()
}

/// The picker over `all`.
pub fn open(all: &[Choice]) -> Prompt {
    let mut p = Prompt::new(
        "Add a source from a preset",
        Target::PickPreset(Box::new(Pick {
            all: all.to_vec(),
            sel: 0,
        })),
        vec![prompt::text("filter", "", true)],
    );
    refresh(&mut p);
    p
}

/// Redraws the list under the filter, keeping the selection on a match.
pub fn refresh(p: &mut Prompt) {
    let filter = p.value("filter");
    let Target::PickPreset(pick) = &mut p.target else {
        return;
    };
    let found = matches(&pick.all, &filter);
    pick.sel = pick.sel.min(found.len().saturating_sub(1));
    let start = pick.sel.saturating_sub(SHOWN - 1);
    let mut lines: Vec<String> = found
        .iter()
        .enumerate()
        .skip(start)
        .take(SHOWN)
        .map(|(i, c)| {
            let mark = if i == pick.sel { '›' } else { ' ' };
            format!("{mark} {:<24} {:<7} {}", c.name, c.kind, c.shows)
        })
        .collect();
    lines.push(match found.len() {
        0 => "no preset matches the filter".to_owned(),
        n => format!("{n} preset(s) · ↑/↓ choose · Enter opens its parameters"),
    });
    p.preview = lines;
}

/// Moves the selection one match down (or up).
pub fn step(p: &mut Prompt, down: bool) {
    if let Target::PickPreset(pick) = &mut p.target {
        pick.sel = if down {
            pick.sel + 1
        } else {
            pick.sel.saturating_sub(1)
        };
    }
    refresh(p);
}

/// The selected preset, if any matches.
pub fn chosen(p: &Prompt) -> Option<Choice> {
    let Target::PickPreset(pick) = &p.target else {
        return None;
    };
    matches(&pick.all, &p.value("filter"))
        .get(pick.sel)
        .map(|c| (*c).clone())
}

/// A field label that lives as long as the program (one copy per distinct name).
fn label(s: String) -> &'static str {
    static SEEN: OnceLock<Mutex<BTreeSet<&'static str>>> = OnceLock::new();
    let Ok(mut seen) = SEEN.get_or_init(Mutex::default).lock() else {
        return "value";
    };
    if let Some(l) = seen.get(s.as_str()) {
        return l;
    }
    let l: &'static str = Box::leak(s.into_boxed_str());
    seen.insert(l);
    l
}

/// The form of `c`'s parameters, prefilled with their defaults.
pub fn form(c: &Choice) -> Prompt {
    let fields = c
        .params
        .iter()
        .map(|p| {
            let name = if p.env {
                format!("{} (env var NAME)", p.key)
            } else {
                p.key.clone()
            };
            prompt::text(label(name), &p.default, !p.required)
        })
        .collect();
    let mut p = Prompt::new(
        format!("Source from preset {} ({})", c.name, c.kind),
        Target::AddSource(c.name.clone(), c.params.clone()),
        fields,
    );
    p.preview = vec![
        "Enter appends a [[source]] to certready.toml, checked first;".into(),
        "a secret is named by its environment variable, never typed.".into(),
    ];
    p
}

/// The parameters to write: those whose value differs from the preset's default.
pub fn given(p: &Prompt, params: &[Param]) -> BTreeMap<String, String> {
    params
        .iter()
        .zip(&p.fields)
        .map(|(k, f)| (k, f.value.trim()))
        .filter(|(k, v)| !v.is_empty() && *v != k.default)
        .map(|(k, v)| (k.key.clone(), v.to_owned()))
        .collect()
}

/// Appends the source to the workspace's certready.toml (validated whole first, as
/// `certready sources add` does); the one-line result, or the error naming the parameter.
pub fn append(
    ws: &crate::workspace::Workspace,
    preset: &str,
    params: &BTreeMap<String, String>,
) -> Result<String, String> {
    let config = ws.config_path();
    let name = crate::collect::library::add::append(&config, ws.dir(), preset, None, params)?;
    Ok(format!(
        "added source {name} from {preset} to certready.toml (polled from the next start)"
    ))
}
