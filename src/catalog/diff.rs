//! What changes between two editions of a catalog: requirements added, removed, renamed (a new
//! id with the same title) and retitled (the same id with a new title), with the workspace's
//! controls that each change touches through their mappings.

use crate::domain::{Framework, Mapping};
use std::collections::{BTreeMap, HashMap};

pub use crate::domain::CatalogChange as Change;

fn norm(t: &str) -> String {
    t.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Compares two editions; `mappings` are the workspace's (to name the controls touched).
pub fn diff(old: &Framework, new: &Framework, mappings: &[Mapping]) -> Vec<Change> {
    let mut by_req: HashMap<&str, Vec<String>> = HashMap::new();
    for m in mappings.iter().filter(|m| m.framework == old.key) {
        by_req
            .entry(m.requirement.as_str())
            .or_default()
            .push(m.control.to_string());
    }
    let controls = |id: &str| {
        let mut v = by_req.get(id).cloned().unwrap_or_default();
        v.sort();
        v.dedup();
        v
    };
    let old_ids: BTreeMap<&str, &str> = old
        .requirements
        .iter()
        .map(|r| (r.ref_id.as_str(), r.title.as_str()))
        .collect();
    let new_ids: BTreeMap<&str, &str> = new
        .requirements
        .iter()
        .map(|r| (r.ref_id.as_str(), r.title.as_str()))
        .collect();
    let mut added: Vec<(&str, &str)> = new_ids
        .iter()
        .filter(|(id, _)| !old_ids.contains_key(*id))
        .map(|(a, b)| (*a, *b))
        .collect();
    let mut out = Vec::new();
    for (id, title) in &old_ids {
        match new_ids.get(id) {
            Some(t) if norm(t) != norm(title) => out.push(Change::Retitled {
                id: (*id).into(),
                from: (*title).into(),
                to: (*t).into(),
                controls: controls(id),
            }),
            Some(_) => {}
            None => {
                if let Some(pos) = added.iter().position(|(_, t)| norm(t) == norm(title)) {
                    let (to, _) = added.remove(pos);
                    out.push(Change::Renamed {
                        from: (*id).into(),
                        to: to.into(),
                        title: (*title).into(),
                        controls: controls(id),
                    });
                } else {
                    out.push(Change::Removed {
                        id: (*id).into(),
                        title: (*title).into(),
                        controls: controls(id),
                    });
                }
            }
        }
    }
    out.extend(added.into_iter().map(|(id, title)| Change::Added {
        id: id.into(),
        title: title.into(),
    }));
    out
}
