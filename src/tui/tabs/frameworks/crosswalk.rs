//! The "Crosswalks" section of a requirement's detail: each mapping a crosswalk library
//! carried to this requirement, with its control, relationship, the source requirement it came
//! through and the library (name and urn) it came from.
//!
//! Invariant: pure; lists only mappings whose source marks them as carried by a crosswalk
//! (`import::crosswalk::is_crosswalk`), and nothing (not even a heading) when there are none.

use crate::import::crosswalk::{PREFIX, is_crosswalk};
use crate::tui::data::Data;
use crate::tui::theme::Theme;
use ratatui::text::Line;

/// The section's lines for requirement `req` of framework `fw`.
pub fn lines(d: &Data, fw: &str, req: &str, t: &Theme) -> Vec<Line<'static>> {
    let carried: Vec<_> = d
        .snapshot
        .mappings
        .iter()
        .filter(|m| m.framework.as_str() == fw && m.requirement.as_str() == req)
        .filter(|m| is_crosswalk(&m.source))
        .collect();
    if carried.is_empty() {
        return Vec::new();
    }
    let mut out = vec![
        Line::default(),
        Line::styled(
            format!(
                "Crosswalks ({} mapping(s) carried from other frameworks; never stronger than the control's own)",
                carried.len()
            ),
            t.title(),
        ),
    ];
    for m in carried {
        out.push(Line::raw(format!(
            "  {} ({}) from {}",
            m.control,
            m.relationship,
            m.source.trim_start_matches(PREFIX)
        )));
        out.push(Line::styled(
            format!("      {}", m.rationale),
            t.fg(t.muted),
        ));
    }
    out
}
