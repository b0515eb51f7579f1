//! OSCAL catalogs (JSON) as frameworks: a catalog, or a profile resolved into a catalog (a
//! baseline such as NIST SP 800-53 MODERATE), becomes a framework of its own. Groups nest
//! (nested groups become headings); controls nest one level as enhancements; withdrawn
//! controls are kept but not assessed.
//!
//! Invariants: a control's requirement id is its OSCAL `label` prop (`AC-2(1)`, the form
//! people type and auditors read; NIST's zero-padded label is skipped), or its `id` where it
//! has no label; ids are unique and non-empty. The framework key holds the catalog's title
//! and version ([`key::catalog_key`]), so a full catalog and a baseline of it never share
//! one; [`key::refuse_collision`] refuses an import that would still merge two different
//! catalogs under one key.

mod key;

pub use key::{catalog_key, refuse_collision};

use super::InputError;
use crate::domain::{Framework, FrameworkKey, Group, ReqRef, Requirement};
use serde::Deserialize;

#[derive(Deserialize)]
struct OscalDoc {
    catalog: OscalCatalog,
}

#[derive(Deserialize)]
struct OscalCatalog {
    metadata: OscalMeta,
    #[serde(default)]
    groups: Vec<OscalGroup>,
    #[serde(default)]
    controls: Vec<OscalControl>,
}

#[derive(Deserialize)]
struct OscalMeta {
    title: String,
    #[serde(default)]
    version: String,
}

#[derive(Deserialize)]
struct OscalGroup {
    #[serde(default)]
    id: Option<String>,
    title: String,
    #[serde(default)]
    groups: Vec<OscalGroup>,
    #[serde(default)]
    controls: Vec<OscalControl>,
}

#[derive(Deserialize)]
struct OscalControl {
    id: String,
    title: String,
    #[serde(default)]
    props: Vec<OscalProp>,
    #[serde(default)]
    parts: Vec<OscalPart>,
    #[serde(default)]
    controls: Vec<OscalControl>,
}

#[derive(Deserialize)]
struct OscalProp {
    name: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    class: Option<String>,
}

#[derive(Deserialize)]
struct OscalPart {
    #[serde(default)]
    name: String,
    #[serde(default)]
    prose: Option<String>,
    #[serde(default)]
    parts: Vec<OscalPart>,
}

fn prose(parts: &[OscalPart]) -> String {
    let mut out = String::new();
    for p in parts
        .iter()
        .filter(|p| p.name == "statement" || p.name == "item")
    {
        if let Some(t) = &p.prose {
            out.push_str(t.trim());
            out.push(' ');
        }
        out.push_str(&prose(&p.parts));
    }
    out.trim().chars().take(600).collect()
}

/// The control's label: its first `label` prop that is not NIST's zero-padded form
/// (`AC-02(01)`), else the first `label` prop; `None` when it has none.
fn label(c: &OscalControl) -> Option<&str> {
    let labels = || {
        c.props
            .iter()
            .filter(|p| p.name == "label" && !p.value.trim().is_empty())
    };
    labels()
        .find(|p| p.class.as_deref() != Some("zero-padded"))
        .or_else(|| labels().next())
        .map(|p| p.value.trim())
}

/// The requirement id of a control: its label, or its id.
fn ref_of(c: &OscalControl) -> String {
    label(c).unwrap_or(&c.id).to_owned()
}

fn add_control(c: &OscalControl, group: &str, parent: Option<&str>, out: &mut Vec<Requirement>) {
    let withdrawn = c
        .props
        .iter()
        .any(|p| p.name == "status" && p.value.eq_ignore_ascii_case("withdrawn"));
    let id = ref_of(c);
    out.push(Requirement {
        ref_id: ReqRef(id.clone()),
        title: c.title.clone(),
        description: prose(&c.parts),
        group: group.to_owned(),
        parent: parent.map(|p| ReqRef(p.to_owned())),
        assessable: !withdrawn,
        hipaa: None,
        note: withdrawn.then(|| "withdrawn".to_owned()),
        left_to_org: None,
        usually_na: None,
    });
    for e in &c.controls {
        add_control(e, group, Some(&id), out);
    }
}

fn add_group(g: &OscalGroup, top: &str, parent: Option<&str>, out: &mut Vec<Requirement>) {
    let id =
        g.id.clone()
            .unwrap_or_else(|| super::libraries::slug(&g.title));
    if parent.is_some() {
        out.push(Requirement {
            ref_id: ReqRef(id.clone()),
            title: g.title.clone(),
            description: String::new(),
            group: top.to_owned(),
            parent: parent.map(|p| ReqRef(p.to_owned())),
            assessable: false,
            hipaa: None,
            note: None,
            left_to_org: None,
            usually_na: None,
        });
    }
    let here = parent.map(|_| id.as_str());
    for c in &g.controls {
        add_control(c, top, here, out);
    }
    for sub in &g.groups {
        add_group(sub, top, Some(here.unwrap_or(&id)), out);
    }
}

/// Refuses requirements with an empty or repeated id.
fn check_ids(file: &str, requirements: &[Requirement]) -> Result<(), InputError> {
    let mut seen = std::collections::HashSet::new();
    for r in requirements {
        if r.ref_id.as_str().trim().is_empty() {
            return Err(InputError::new(
                file,
                None,
                Some("catalog.controls".into()),
                format!("the control or group titled `{}` has an empty id", r.title),
            ));
        }
        if !seen.insert(r.ref_id.as_str()) {
            return Err(InputError::new(
                file,
                None,
                Some(format!("catalog.{}", r.ref_id)),
                format!("duplicate id or label `{}`", r.ref_id),
            ));
        }
    }
    Ok(())
}

/// Converts an OSCAL catalog (JSON text) into a framework.
pub fn catalog(file: &str, text: &str) -> Result<Framework, InputError> {
    super::refuse_json_nul(file, text)?;
    let doc: OscalDoc = serde_json::from_str(text).map_err(|e| {
        InputError::new(
            file,
            Some(e.line()),
            None,
            format!("not an OSCAL catalog: {e}"),
        )
    })?;
    let c = doc.catalog;
    let mut groups = Vec::new();
    let mut requirements = Vec::new();
    for g in &c.groups {
        let id =
            g.id.clone()
                .unwrap_or_else(|| super::libraries::slug(&g.title));
        groups.push(Group {
            id: id.clone(),
            title: g.title.clone(),
        });
        add_group(g, &id, None, &mut requirements);
    }
    if !c.controls.is_empty() {
        groups.push(Group {
            id: "controls".into(),
            title: "Controls".into(),
        });
        for ctl in &c.controls {
            add_control(ctl, "controls", None, &mut requirements);
        }
    }
    if let Some(g) = groups.iter().find(|g| g.id.trim().is_empty()) {
        return Err(InputError::new(
            file,
            None,
            Some("catalog.groups".into()),
            format!("the group titled `{}` has an empty id", g.title),
        ));
    }
    check_ids(file, &requirements)?;
    if requirements.is_empty() {
        return Err(InputError::new(
            file,
            None,
            Some("catalog".into()),
            "the catalog has no controls",
        ));
    }
    let key = catalog_key(&c.metadata.title, &c.metadata.version);
    if key.is_empty() {
        return Err(InputError::new(
            file,
            None,
            Some("catalog.metadata.title".into()),
            format!(
                "title `{}` gives no framework key (it needs a letter or digit)",
                c.metadata.title
            ),
        ));
    }
    Ok(Framework {
        key: FrameworkKey(key),
        name: c.metadata.title.clone(),
        version: c.metadata.version.clone(),
        source: format!("OSCAL catalog {file}"),
        notes: Vec::new(),
        groups,
        requirements,
    })
}
