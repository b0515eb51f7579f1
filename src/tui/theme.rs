//! Themes as data: embedded TOML (default, high-contrast, colour-blind safe) with a user
//! override; `NO_COLOR` turns every colour off and leaves emphasis to bold and reverse video.

use anyhow::{Context, Result, bail};
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::path::Path;

/// The shipped themes: (name, TOML).
pub const THEMES: &[(&str, &str)] = &[
    ("default", include_str!("../../assets/themes/default.toml")),
    (
        "high-contrast",
        include_str!("../../assets/themes/high-contrast.toml"),
    ),
    (
        "colorblind",
        include_str!("../../assets/themes/colorblind.toml"),
    ),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    name: String,
    met: String,
    partial: String,
    gap: String,
    not_applicable: String,
    accent: String,
    muted: String,
    text: String,
    late: String,
    warn: String,
    ok: String,
    selected_fg: String,
    selected_bg: String,
    border: String,
    demo: String,
    critical: String,
    high: String,
    medium: String,
    low: String,
}

/// Colours by role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Theme name.
    pub name: String,
    /// Whether colours are on at all.
    pub color: bool,
    /// Met.
    pub met: Color,
    /// Partial.
    pub partial: Color,
    /// Gap.
    pub gap: Color,
    /// Not applicable.
    pub not_applicable: Color,
    /// Accent (titles, active tab).
    pub accent: Color,
    /// Secondary text.
    pub muted: Color,
    /// Normal text.
    pub text: Color,
    /// Late items.
    pub late: Color,
    /// Warnings.
    pub warn: Color,
    /// Good news.
    pub ok: Color,
    /// Selected row foreground.
    pub selected_fg: Color,
    /// Selected row background.
    pub selected_bg: Color,
    /// Borders.
    pub border: Color,
    /// The DEMO label.
    pub demo: Color,
    /// Critical severity.
    pub critical: Color,
    /// High severity.
    pub high: Color,
    /// Medium severity.
    pub medium: Color,
    /// Low severity.
    pub low: Color,
}

/// Parses a colour name or `#rrggbb`.
pub fn parse_color(s: &str) -> Result<Color> {
    if let Some(hex) = s.strip_prefix('#') {
        if hex.len() != 6 {
            bail!("colour `{s}` is not #rrggbb");
        }
        let v = u32::from_str_radix(hex, 16).with_context(|| format!("colour `{s}`"))?;
        return Ok(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
    }
    Ok(match s {
        "reset" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" => Color::Gray,
        "darkgray" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        other => bail!("unknown colour `{other}`"),
    })
}

impl Theme {
    /// Parses theme TOML.
    pub fn parse(text: &str) -> Result<Self> {
        let r: Raw = toml::from_str(text)?;
        let c = |s: &str| parse_color(s);
        Ok(Self {
            name: r.name,
            color: true,
            met: c(&r.met)?,
            partial: c(&r.partial)?,
            gap: c(&r.gap)?,
            not_applicable: c(&r.not_applicable)?,
            accent: c(&r.accent)?,
            muted: c(&r.muted)?,
            text: c(&r.text)?,
            late: c(&r.late)?,
            warn: c(&r.warn)?,
            ok: c(&r.ok)?,
            selected_fg: c(&r.selected_fg)?,
            selected_bg: c(&r.selected_bg)?,
            border: c(&r.border)?,
            demo: c(&r.demo)?,
            critical: c(&r.critical)?,
            high: c(&r.high)?,
            medium: c(&r.medium)?,
            low: c(&r.low)?,
        })
    }

    /// A shipped theme by name.
    pub fn named(name: &str) -> Result<Self> {
        let (_, text) = THEMES
            .iter()
            .find(|(n, _)| *n == name)
            .with_context(|| format!("unknown theme `{name}`"))?;
        Self::parse(text)
    }

    /// The theme in force: `user` file if present, else `name`, with colours off when
    /// `no_color` (the `NO_COLOR` convention).
    pub fn load(name: &str, user: Option<&Path>, no_color: bool) -> Result<Self> {
        let mut t = match user.filter(|p| p.is_file()) {
            Some(p) => Self::parse(&std::fs::read_to_string(p)?)
                .with_context(|| format!("theme {}", p.display()))?,
            None => Self::named(name)?,
        };
        if no_color {
            t = t.monochrome();
        }
        Ok(t)
    }

    /// Every colour reset: status is carried by text and emphasis only.
    #[must_use]
    pub fn monochrome(mut self) -> Self {
        for c in [
            &mut self.met,
            &mut self.partial,
            &mut self.gap,
            &mut self.not_applicable,
            &mut self.accent,
            &mut self.muted,
            &mut self.text,
            &mut self.late,
            &mut self.warn,
            &mut self.ok,
            &mut self.selected_fg,
            &mut self.selected_bg,
            &mut self.border,
            &mut self.demo,
            &mut self.critical,
            &mut self.high,
            &mut self.medium,
            &mut self.low,
        ] {
            *c = Color::Reset;
        }
        self.color = false;
        self
    }

    /// Style of plain text in a colour.
    pub fn fg(&self, c: Color) -> Style {
        Style::default().fg(c)
    }

    /// The selected row.
    pub fn selected(&self) -> Style {
        if self.color {
            Style::default()
                .fg(self.selected_fg)
                .bg(self.selected_bg)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    /// Titles and the active tab.
    pub fn title(&self) -> Style {
        Style::default()
            .fg(self.accent)
            .add_modifier(Modifier::BOLD)
    }

    /// Something that must stand out (late, gap) even without colour.
    pub fn alert(&self, c: Color) -> Style {
        let s = Style::default().fg(c);
        if self.color {
            s
        } else {
            s.add_modifier(Modifier::BOLD)
        }
    }
}
