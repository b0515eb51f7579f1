//! The bundle's readable pages: the Statement of Applicability of each in-scope ISO framework
//! (`soa/<fw>.html` and `.csv`), the exclusions with their justifications (`exclusions.csv`),
//! one Markdown index per requirement (`requirements/<fw>/<ref>.md`), the `README.md` and the
//! `index.html` an auditor browses offline.
//!
//! Invariants: every link is relative and names a file of the bundle (written before the page,
//! checked with `Out::has`, or `SHA256SUMS`, written last); a control's folder is linked only
//! when it holds items, an anchor only when the index lists that control; the index
//! is one self-contained page (inline style, no script, no remote resource) rendered with
//! minijinja's HTML autoescape, so no recorded text becomes markup.

use super::attach::{Agreement, Exercise};
use super::{Counts, Listed, Out, slug};
use crate::analysis::Assessment;
use crate::domain::{Date, ReqStatus, Snapshot};
use crate::report::soa;
use anyhow::Result;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

/// The bundle's heading facts.
pub(super) struct Head {
    pub organization: String,
    pub as_of: Date,
    pub key: String,
    pub signed: String,
    pub counts: Counts,
    pub changes: usize,
}

/// The lists the index shows.
pub(super) struct Lists<'a> {
    pub by_control: &'a BTreeMap<String, Vec<Listed>>,
    pub agreements: &'a [Agreement],
    pub exercises: &'a [Exercise],
    pub exclusions: &'a [Exclusion],
    pub soas: &'a [SoaFiles],
}

/// One SoA in the bundle.
#[derive(Debug, Clone, Serialize)]
pub(super) struct SoaFiles {
    pub framework: String,
    pub name: String,
    pub html: String,
    pub csv: String,
}

/// One excluded requirement with its justification.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Exclusion {
    pub framework: String,
    pub ref_id: String,
    pub title: String,
    pub justification: String,
}

/// The SoA of every in-scope framework that has one.
pub(super) fn soas(
    s: &Snapshot,
    a: &Assessment,
    approval: &soa::Approval,
    out: &mut Out<'_>,
) -> Result<Vec<SoaFiles>> {
    let mut list = Vec::new();
    for f in a
        .frameworks
        .iter()
        .filter(|f| f.in_scope && soa::SOA_FRAMEWORKS.contains(&f.key.as_str()))
    {
        let doc = soa::soa(s, a, f.key.as_str(), approval)?;
        let (html, csv) = (
            format!("soa/{}.html", slug(f.key.as_str())),
            format!("soa/{}.csv", slug(f.key.as_str())),
        );
        out.put(&html, soa::soa_text(&doc, "html")?.as_bytes())?;
        out.put(&csv, soa::soa_text(&doc, "csv")?.as_bytes())?;
        list.push(SoaFiles {
            framework: f.key.to_string(),
            name: f.name.clone(),
            html,
            csv,
        });
    }
    Ok(list)
}

/// Every in-scope framework's excluded requirements, as `exclusions.csv`.
pub(super) fn exclusions(
    s: &Snapshot,
    a: &Assessment,
    out: &mut Out<'_>,
) -> Result<Vec<Exclusion>> {
    let mut list = Vec::new();
    for f in a.frameworks.iter().filter(|f| f.in_scope) {
        let Some(sc) = s.scope.get(&f.key) else {
            continue;
        };
        for (r, why) in &sc.exclude {
            let title = f
                .readiness
                .requirements
                .iter()
                .find(|q| &q.ref_id == r)
                .map(|q| q.title.clone())
                .unwrap_or_default();
            list.push(Exclusion {
                framework: f.key.to_string(),
                ref_id: r.to_string(),
                title,
                justification: why.clone(),
            });
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["framework", "ref_id", "title", "justification"])?;
    for x in &list {
        w.write_record(
            [&x.framework, &x.ref_id, &x.title, &x.justification]
                .map(|c| crate::report::escape::csv_cell(c.clone())),
        )?;
    }
    out.put("exclusions.csv", &w.into_inner()?)?;
    Ok(list)
}

/// One Markdown page per assessed requirement of each in-scope framework.
pub(super) fn requirements(
    a: &Assessment,
    by_control: &BTreeMap<String, Vec<Listed>>,
    out: &mut Out<'_>,
) -> Result<()> {
    for f in a.frameworks.iter().filter(|f| f.in_scope) {
        for r in f
            .readiness
            .requirements
            .iter()
            .filter(|r| r.assessable && r.status != ReqStatus::NotApplicable)
        {
            let mut md = format!(
                "# {} {} {}\n\nStatus as of {}: {} ({})\n\n",
                f.name, r.ref_id, r.title, a.as_of, r.status, r.reason
            );
            for (c, rel) in &r.controls {
                let items = by_control.get(c.as_str()).map_or(0, Vec::len);
                if items == 0 {
                    md.push_str(&format!(
                        "- {c} ({rel}): no evidence item as of {}\n",
                        a.as_of
                    ));
                } else {
                    let folder = slug(c.as_str());
                    md.push_str(&format!(
                        "- {c} ({rel}): {items} item(s) in [controls/{folder}](../../controls/{folder}/)\n"
                    ));
                }
            }
            out.put(
                &format!("requirements/{}/{}.md", f.key, slug(r.ref_id.as_str())),
                md.as_bytes(),
            )?;
        }
    }
    Ok(())
}

/// `README.md`: what the bundle holds and how to check it.
pub(super) fn readme(h: &Head, soas: &[SoaFiles], out: &mut Out<'_>) -> Result<()> {
    let c = h.counts;
    let soa_lines: String = soas
        .iter()
        .map(|x| {
            format!(
                "- `{}` and `{}`: Statement of Applicability, {}\n",
                x.html, x.csv, x.name
            )
        })
        .collect();
    let text = format!(
        "# Evidence bundle: {org}, as of {as_of}\n\n\
Open `index.html` in a browser to read it offline: requirement status per framework, the\n\
Statement of Applicability, exclusions, vendor agreements, tabletop reports and every\n\
evidence item with its files.\n\n\
Nothing dated after {as_of} is included: evidence items by the day they took effect\n\
({left} later item(s) left out), agreements by the day they were signed or issued, tabletop\n\
exercises by their start, change-log entries by their time.\n\n\
## Contents\n\n\
- `index.html`: the page to start from\n\
- `controls/<control>/`: {items} evidence item(s), one `<seq>-<title>.json` each (the stored row,\n  its chain link and its inclusion proof), with the attached file next to it\n\
- `vendors/<vendor>/`: {agreements} signed agreement file(s) recorded with `vendors attach`\n\
- `tabletop/`: {tabletop} stored after-action report file(s)\n\
{soa_lines}\
- `exclusions.csv`: excluded requirements with their justifications\n\
- `requirements/<framework>/<ref>.md`: status of each requirement and the controls behind it\n\
- `change-log.json`: {changes} change-log entr(ies) up to {as_of}\n\
- `manifest.json`: every item, agreement, report and count\n\
- `checkpoint.json`: the signed checkpoint (key {key}, signed {signed})\n\
- `SHA256SUMS`: the SHA-256 of every file above\n\n\
## Verify\n\n\
1. Digests: `sha256sum -c SHA256SUMS` in this folder; every line must say OK.\n\
2. Checkpoint and items, without the workspace: `certready verify-bundle .` checks the\n   checkpoint's ed25519 signature and, for every evidence item, its chain link, its content\n   or attached file against its digest, and its inclusion proof against the signed root;\n   `certready verify-bundle . controls/<control>/<file>.json` checks one item.\n\
3. Compare the key fingerprint ({key}) with the one the organisation gave you.\n",
        org = h.organization,
        as_of = h.as_of,
        left = c.after_as_of,
        items = c.items,
        agreements = c.agreements,
        tabletop = c.tabletop,
        changes = h.changes,
        key = h.key,
        signed = h.signed,
    );
    out.put("README.md", text.as_bytes())
}

/// The index page's template.
const INDEX_HTML: &str = include_str!("../../../assets/templates/bundle-index.html");

/// `index.html`: one self-contained page linking every file of the bundle an auditor reads.
pub(super) fn index(h: &Head, a: &Assessment, l: &Lists<'_>, out: &mut Out<'_>) -> Result<()> {
    let frameworks: Vec<_> = a
        .frameworks
        .iter()
        .filter(|f| f.in_scope)
        .map(|f| {
            let reqs: Vec<_> = f
                .readiness
                .requirements
                .iter()
                .filter(|r| r.assessable)
                .map(|r| {
                    let page = format!("requirements/{}/{}.md", f.key, slug(r.ref_id.as_str()));
                    let controls: Vec<_> = r
                        .controls
                        .iter()
                        .map(|(c, _)| {
                            let listed = l.by_control.contains_key(c.as_str());
                            json!({ "id": c, "anchor": listed.then(|| format!("control-{}", slug(c.as_str()))) })
                        })
                        .collect();
                    json!({ "ref_id": r.ref_id, "title": r.title, "status": r.status.to_string(), "reason": r.reason, "page": out.has(&page).then_some(page), "controls": controls })
                })
                .collect();
            json!({ "key": f.key, "name": f.name, "met": f.readiness.met, "partial": f.readiness.partial, "gap": f.readiness.gap, "requirements": reqs })
        })
        .collect();
    let controls: Vec<_> = l
        .by_control
        .iter()
        .map(|(c, items)| json!({ "id": c, "anchor": format!("control-{}", slug(c)), "items": items }))
        .collect();
    let ctx = json!({
        "org": h.organization, "as_of": h.as_of, "key": h.key, "signed": h.signed,
        "counts": h.counts, "changes": h.changes, "frameworks": frameworks, "controls": controls,
        "agreements": l.agreements, "exercises": l.exercises, "exclusions": l.exclusions, "soas": l.soas,
    });
    let html = crate::report::escape::render(
        |_| minijinja::AutoEscape::Html,
        "bundle-index.html",
        INDEX_HTML,
        ctx,
    )?;
    out.put("index.html", html.as_bytes())
}
