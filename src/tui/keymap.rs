//! Keymap as data: embedded TOML defaults (`assets/keymap-default.toml`) with user overrides
//! from the config directory. Every binding carries the description the help screen and the
//! command palette show.

use super::action::Action;
use anyhow::{Context, Result, bail};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use std::path::Path;

/// The default keymap text.
pub const DEFAULT: &str = include_str!("../../assets/keymap-default.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    bind: Vec<Binding>,
}

/// One binding: an action, the keys that trigger it, and what it does.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Binding {
    /// The action.
    pub action: Action,
    /// Keys as written (`q`, `ctrl-c`, `enter`, `pagedown`...).
    pub keys: Vec<String>,
    /// Shown in help and the palette.
    pub description: String,
    /// Where the binding applies (`tabletop` while an exercise runs); none means everywhere.
    #[serde(default)]
    pub context: Option<String>,
}

/// The keymap in force.
#[derive(Debug, Clone)]
pub struct Keymap {
    /// Bindings in help order.
    pub bindings: Vec<Binding>,
    parsed: Vec<(KeyCode, KeyModifiers, Action, Option<String>)>,
}

/// Parses a key as written in the keymap.
pub fn parse_key(s: &str) -> Result<(KeyCode, KeyModifiers)> {
    let mut mods = KeyModifiers::NONE;
    let mut rest = s;
    loop {
        if let Some(r) = rest.strip_prefix("ctrl-") {
            mods |= KeyModifiers::CONTROL;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("alt-") {
            mods |= KeyModifiers::ALT;
            rest = r;
        } else {
            break;
        }
    }
    let code = match rest {
        "enter" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "space" => KeyCode::Char(' '),
        "backspace" => KeyCode::Backspace,
        f if f.len() > 1 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
            KeyCode::F(f[1..].parse().unwrap_or(1))
        }
        c if c.chars().count() == 1 => KeyCode::Char(c.chars().next().unwrap_or(' ')),
        other => bail!("unknown key `{other}`"),
    };
    Ok((code, mods))
}

impl Keymap {
    /// Parses keymap TOML.
    pub fn parse(text: &str) -> Result<Self> {
        let file: File = toml::from_str(text)?;
        Self::from_bindings(file.bind)
    }

    fn from_bindings(bindings: Vec<Binding>) -> Result<Self> {
        let mut parsed = Vec::new();
        for b in &bindings {
            for k in &b.keys {
                let (code, mods) =
                    parse_key(k).with_context(|| format!("binding for {:?}", b.action))?;
                parsed.push((code, mods, b.action, b.context.clone()));
            }
        }
        Ok(Self { bindings, parsed })
    }

    /// The defaults, overridden by `user` (a binding there replaces its action's default).
    pub fn load(user: Option<&Path>) -> Result<Self> {
        let mut base: File = toml::from_str(DEFAULT).context("default keymap")?;
        if let Some(p) = user.filter(|p| p.is_file()) {
            let text = std::fs::read_to_string(p)?;
            let over: File =
                toml::from_str(&text).with_context(|| format!("keymap {}", p.display()))?;
            for b in over.bind {
                base.bind.retain(|x| x.action != b.action);
                base.bind.push(b);
            }
        }
        Self::from_bindings(base.bind)
    }

    /// The action bound to a key press everywhere.
    pub fn action(&self, key: &KeyEvent) -> Option<Action> {
        self.action_in(key, None)
    }

    /// The action bound to a key press in `context` (its bindings win), else everywhere.
    pub fn action_in(&self, key: &KeyEvent, context: Option<&str>) -> Option<Action> {
        let mods = key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let find = |ctx: Option<&str>| {
            self.parsed.iter().find_map(|(code, m, a, c)| {
                let code_matches = match (code, key.code) {
                    (KeyCode::Char(a), KeyCode::Char(b)) => *a == b,
                    (a, b) => *a == b,
                };
                (code_matches && *m == mods && c.as_deref() == ctx).then_some(*a)
            })
        };
        context.and_then(|c| find(Some(c))).or_else(|| find(None))
    }

    /// The first key of an action, for hints.
    pub fn key_for(&self, action: Action) -> String {
        self.bindings
            .iter()
            .find(|b| b.action == action)
            .and_then(|b| b.keys.first().cloned())
            .unwrap_or_default()
    }
}
