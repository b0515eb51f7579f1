//! What changes between two editions of a catalog, by id and by content: requirements added,
//! removed, renamed (the same content under a new id), swapped (two ids that exchanged their
//! contents), retitled, described anew, made (not) assessable and moved to another group or
//! parent, each with the workspace's controls it touches through their mappings.
//!
//! Invariants: a diff of an edition against itself is empty; a rename or a swap is reported
//! only where the contents say so (see `likeness`), and only when the pairing is the single
//! best one both ways, so an unrelated new requirement is never paired with a removed one;
//! changes come in the old edition's order, then additions in the new edition's order.

mod likeness;
mod pair;

use crate::domain::{Framework, Mapping, Requirement};
use std::collections::{BTreeMap, HashMap};

pub use crate::domain::CatalogChange as Change;
pub use likeness::{Likeness, likeness};

fn place(r: &Requirement) -> String {
    match &r.parent {
        Some(p) => format!("{}/{p}", r.group),
        None => r.group.clone(),
    }
}

/// The in-place changes of one id present in both editions.
fn in_place(o: &Requirement, n: &Requirement, controls: &[String], out: &mut Vec<Change>) {
    let id = o.ref_id.as_str().to_owned();
    let c = || controls.to_vec();
    if likeness::collapse(&o.title) != likeness::collapse(&n.title) {
        out.push(Change::Retitled {
            id: id.clone(),
            from: o.title.clone(),
            to: n.title.clone(),
            controls: c(),
        });
    }
    if likeness::collapse(&o.description) != likeness::collapse(&n.description) {
        out.push(Change::Described {
            id: id.clone(),
            from: o.description.clone(),
            to: n.description.clone(),
            controls: c(),
        });
    }
    if o.assessable != n.assessable {
        out.push(Change::Assessable {
            id: id.clone(),
            from: o.assessable,
            to: n.assessable,
            controls: c(),
        });
    }
    if place(o) != place(n) {
        out.push(Change::Moved {
            id,
            from: place(o),
            to: place(n),
            controls: c(),
        });
    }
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
    let olds: BTreeMap<&str, &Requirement> = old
        .requirements
        .iter()
        .map(|r| (r.ref_id.as_str(), r))
        .collect();
    let news: BTreeMap<&str, &Requirement> = new
        .requirements
        .iter()
        .map(|r| (r.ref_id.as_str(), r))
        .collect();
    let gone: Vec<&Requirement> = old
        .requirements
        .iter()
        .filter(|r| !news.contains_key(r.ref_id.as_str()))
        .collect();
    let fresh: Vec<&Requirement> = new
        .requirements
        .iter()
        .filter(|r| !olds.contains_key(r.ref_id.as_str()))
        .collect();
    let renames = pair::renames(&gone, &fresh);
    let swaps = pair::swaps(old, &news);
    let mut out = Vec::new();
    for o in &old.requirements {
        let id = o.ref_id.as_str();
        if let Some(other) = swaps.get(id) {
            if id < other.as_str() {
                out.push(Change::Swapped {
                    a: id.to_owned(),
                    b: other.clone(),
                    controls_a: controls(id),
                    controls_b: controls(other),
                });
            }
        } else if let Some(n) = news.get(id) {
            in_place(o, n, &controls(id), &mut out);
        } else if let Some(to) = renames.get(id) {
            out.push(Change::Renamed {
                from: id.to_owned(),
                to: to.clone(),
                title: o.title.clone(),
                controls: controls(id),
            });
        } else {
            out.push(Change::Removed {
                id: id.to_owned(),
                title: o.title.clone(),
                controls: controls(id),
            });
        }
    }
    let taken: std::collections::HashSet<&str> = renames.values().map(String::as_str).collect();
    out.extend(
        fresh
            .iter()
            .filter(|r| !taken.contains(r.ref_id.as_str()))
            .map(|r| Change::Added {
                id: r.ref_id.to_string(),
                title: r.title.clone(),
            }),
    );
    out
}
