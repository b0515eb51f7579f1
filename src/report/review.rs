//! The weekly management-review pack: the week's metrics, stored as a snapshot so the next
//! pack shows what changed, rendered through templates (`assets/templates`, overridable in the
//! workspace's `templates/`) to Markdown or one self-contained HTML page with SVG charts.
//! Its inputs and outputs follow what ISO/IEC 27001 clause 9.3 asks of a management review.
//!
//! Invariant: every value a template prints is escaped for its output, including in a
//! workspace's own templates: `.html` templates use minijinja's HTML autoescape, `.md`
//! templates a Markdown escape (`escape::markdown`: no raw HTML, no links, no new blocks from
//! user text). Only values marked `|safe` (the chart, which certready draws) pass unchanged.

pub mod board;
mod gantt;
mod heatmap;
pub mod inputs;
mod strip;
mod trends;

use crate::analysis::Assessment;
use crate::domain::{Date, FindingStatus, Snapshot, TaskStatus};
use chrono::Days;
use serde::{Deserialize, Serialize};

pub mod iso93;
mod iso93_lines;

/// The shipped templates: (name, text).
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "review.md",
        include_str!("../../assets/templates/review.md"),
    ),
    (
        "review.html",
        include_str!("../../assets/templates/review.html"),
    ),
    (
        "review_93.md",
        include_str!("../../assets/templates/review_93.md"),
    ),
    (
        "review_93.html",
        include_str!("../../assets/templates/review_93.html"),
    ),
];

/// One framework's numbers in a week.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FrameworkWeek {
    /// Key.
    pub key: String,
    /// Name.
    pub name: String,
    /// Type I readiness, percent.
    pub readiness_pct: f64,
    /// Met.
    pub met: usize,
    /// Partial.
    pub partial: usize,
    /// Gap.
    pub gap: usize,
    /// Type II coverage, percent, where a window is planned.
    pub coverage_pct: Option<f64>,
    /// Projected Type I readiness; `None` while requirements are unplanned.
    pub type1_ready: Option<Date>,
    /// Gap or partial requirements without a remediation task.
    #[serde(default)]
    pub unplanned: usize,
    /// Projected Type II report: the earliest it can be (window end + the report lag).
    pub type2_report: Option<Date>,
    /// The report date the auditor planned for the audit of the same window, when there is
    /// one: the pack's table and its milestones both show this date.
    #[serde(default)]
    pub type2_planned: Option<Date>,
}

/// An item listed in the pack: id, text, who, when.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Item {
    /// Id.
    pub id: String,
    /// Text.
    pub text: String,
    /// Owner or severity.
    pub who: String,
    /// Date.
    pub when: String,
}

/// A week's metrics (what a review snapshot stores).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Metrics {
    /// The date.
    pub as_of: Date,
    /// Frameworks in scope.
    pub frameworks: Vec<FrameworkWeek>,
    /// Open findings.
    pub findings_open: usize,
    /// Findings opened in the 7 days up to `as_of`.
    pub findings_opened: Vec<Item>,
    /// Findings closed in the 7 days up to `as_of`.
    pub findings_closed: Vec<Item>,
    /// Late tasks with owners.
    pub late_tasks: Vec<Item>,
    /// Top risks: id, title, inherent score (who), residual score (when).
    pub top_risks: Vec<Item>,
    /// Evidence lapsing within 14 days.
    pub expiring: Vec<Item>,
    /// Audit milestones in the next 90 days.
    pub milestones: Vec<Item>,
    /// Tabletop exercises held in the 7 days up to `as_of`.
    pub exercises: Vec<Item>,
    /// Vendor issues.
    pub vendor_issues: Vec<Item>,
    /// Every risk's (inherent, residual) score, to show changes next week.
    #[serde(default)]
    pub risk_scores: std::collections::BTreeMap<String, (u8, u8)>,
    /// What the first page and the charts draw (risk matrices, ledgers, the calendar).
    #[serde(default)]
    pub charts: inputs::ChartInputs,
}

/// Computes the week's metrics.
pub fn metrics(s: &Snapshot, a: &Assessment) -> Metrics {
    let d = a.as_of;
    let week_ago = d.checked_sub_days(Days::new(7)).unwrap_or(d);
    let in_week = |x: Option<Date>| x.is_some_and(|x| x > week_ago && x <= d);
    let frameworks = a
        .frameworks
        .iter()
        .filter(|f| f.in_scope)
        .map(|f| FrameworkWeek {
            key: f.key.to_string(),
            name: f.name.clone(),
            readiness_pct: f.readiness.type1_readiness_pct,
            met: f.readiness.met,
            partial: f.readiness.partial,
            gap: f.readiness.gap,
            coverage_pct: f.type2.as_ref().and_then(|l| l.coverage_pct),
            type1_ready: f.projected.type1_ready,
            unplanned: f.projected.unplanned.len(),
            type2_report: f.projected.type2_report,
            type2_planned: f.type2.as_ref().and_then(|l| {
                s.audits
                    .iter()
                    .find(|au| au.id == l.audit)
                    .and_then(|au| au.report_date)
            }),
        })
        .collect();
    let item = |id: &str, text: &str, who: &str, when: String| Item {
        id: id.to_owned(),
        text: text.to_owned(),
        who: who.to_owned(),
        when,
    };
    let opt = |x: Option<Date>| x.map_or_else(String::new, |v| v.to_string());
    let mut late: Vec<_> = s
        .tasks
        .iter()
        .filter(|t| t.status != TaskStatus::Done && t.due.is_some_and(|x| x < d))
        .collect();
    late.sort_by_key(|t| (t.due, t.id.clone()));
    let mut risks: Vec<_> = s.risks.iter().collect();
    risks.sort_by(|x, y| y.score().cmp(&x.score()).then(x.id.cmp(&y.id)));
    let horizon = d.checked_add_days(Days::new(90)).unwrap_or(d);
    let mut milestones: Vec<Item> = s
        .audits
        .iter()
        .flat_map(|au| {
            [
                (au.window_end, "window ends"),
                (au.fieldwork_start, "fieldwork"),
                (au.point_in_time, "date"),
                (au.report_date, "report"),
            ]
            .into_iter()
            .filter_map(move |(x, what)| {
                x.filter(|x| *x >= d && *x <= horizon)
                    .map(|x| (x, au, what))
            })
        })
        .map(|(x, au, what)| {
            item(
                au.id.as_str(),
                &format!("{} {what}", crate::analysis::timeline::kind_label(au.kind)),
                au.framework.as_str(),
                x.to_string(),
            )
        })
        .collect();
    milestones.sort_by(|x, y| x.when.cmp(&y.when));
    let soon = d.checked_add_days(Days::new(14)).unwrap_or(d);
    Metrics {
        as_of: d,
        frameworks,
        findings_open: s
            .findings
            .iter()
            .filter(|f| matches!(f.status, FindingStatus::Open | FindingStatus::Remediating))
            .count(),
        findings_opened: s
            .findings
            .iter()
            .filter(|f| in_week(f.opened))
            .map(|f| item(f.id.as_str(), &f.title, f.severity.as_str(), opt(f.opened)))
            .collect(),
        findings_closed: s
            .findings
            .iter()
            .filter(|f| f.status == FindingStatus::Closed && in_week(f.closed))
            .map(|f| item(f.id.as_str(), &f.title, f.severity.as_str(), opt(f.closed)))
            .collect(),
        late_tasks: late
            .iter()
            .map(|t| item(t.id.as_str(), &t.title, &t.owner, opt(t.due)))
            .collect(),
        top_risks: risks
            .iter()
            .take(5)
            .map(|r| {
                item(
                    r.id.as_str(),
                    &r.title,
                    &r.score().to_string(),
                    r.residual_score().to_string(),
                )
            })
            .collect(),
        expiring: a
            .controls
            .iter()
            .filter(|c| crate::analysis::totals::lapses_soon(s, c, soon))
            .map(|c| item(c.id.as_str(), "evidence lapses", "", opt(c.valid_until)))
            .collect(),
        milestones,
        exercises: s
            .exercises
            .iter()
            .filter(|(x, _)| in_week(Some(*x)))
            .map(|(x, t)| item("", t, "", x.to_string()))
            .collect(),
        vendor_issues: a
            .vendors
            .issues
            .iter()
            .map(|i| {
                item(
                    i.vendor.as_str(),
                    &i.message,
                    i.severity.as_str(),
                    String::new(),
                )
            })
            .collect(),
        risk_scores: s
            .risks
            .iter()
            .map(|r| (r.id.to_string(), (r.score(), r.residual_score())))
            .collect(),
        charts: inputs::inputs(s, a),
    }
}

/// A decision or action item recorded for the meeting.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct MeetingItem {
    /// `decision` or `action`.
    pub kind: String,
    /// Text.
    pub text: String,
    /// Owner (actions).
    pub owner: String,
    /// Due (actions).
    pub due: String,
    /// The task the action became (empty for decisions and older actions).
    pub task: String,
}

/// Everything the templates see.
#[derive(Debug, Clone, Serialize)]
pub struct Pack {
    /// Organisation.
    pub organization: String,
    /// This week.
    pub current: Metrics,
    /// The previous snapshot, if any.
    pub previous: Option<Metrics>,
    /// Readiness change per framework key since the previous snapshot (percentage points).
    pub deltas: std::collections::BTreeMap<String, f64>,
    /// Type II coverage over time: (date, percent).
    pub coverage_history: Vec<(String, f64)>,
    /// Gateway availability over 7 days (none until a gateway is configured).
    pub gateway: Option<String>,
    /// The meeting's decisions and actions.
    pub meeting: Vec<MeetingItem>,
    /// Risks whose scores changed since the previous snapshot (or are new): id, title,
    /// `before→after` inherent (who) and residual (when).
    pub risk_changes: Vec<Item>,
    /// The signed checkpoint the meeting witnesses (set when the pack is written by `review`).
    pub checkpoint: Option<Witness>,
    /// The first page and the charts (HTML only).
    pub charts: board::Charts,
    /// ISO/IEC 27001 clause 9.3: each input and output, and which are empty.
    pub iso93: iso93::Iso93,
    /// The last review's actions (status now) and decisions.
    pub follow_up: iso93::FollowUp,
}

/// What a pack shows of the checkpoint signed with it, so the minutes witness the logs' heads.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Witness {
    /// The signing key's fingerprint.
    pub key: String,
    /// When it was signed.
    pub time: String,
    /// Evidence rows and root.
    pub evidence_size: u64,
    /// Evidence root (hex).
    pub evidence_root: String,
    /// Change-log rows.
    pub change_size: u64,
    /// Change-log root (hex).
    pub change_root: String,
    /// Where the full checkpoint file was written, if it was.
    pub file: Option<String>,
}

/// Builds the pack from this week, the stored history (oldest first) and the meeting's items.
pub fn pack(
    organization: &str,
    current: Metrics,
    history: &[Metrics],
    meeting: Vec<MeetingItem>,
) -> Pack {
    let previous = history
        .iter()
        .rev()
        .find(|m| m.as_of < current.as_of)
        .cloned();
    let deltas = current
        .frameworks
        .iter()
        .map(|f| {
            let before = previous
                .as_ref()
                .and_then(|p| p.frameworks.iter().find(|x| x.key == f.key))
                .map_or(f.readiness_pct, |x| x.readiness_pct);
            (
                f.key.clone(),
                ((f.readiness_pct - before) * 10.0).round() / 10.0,
            )
        })
        .collect();
    let mut coverage_history: Vec<(String, f64)> = history
        .iter()
        .filter(|m| m.as_of < current.as_of)
        .filter_map(|m| {
            Some((
                m.as_of.to_string(),
                m.frameworks.iter().find_map(|f| f.coverage_pct)?,
            ))
        })
        .collect();
    if let Some(c) = current.frameworks.iter().find_map(|f| f.coverage_pct) {
        coverage_history.push((current.as_of.to_string(), c));
    }
    let risk_changes = previous.as_ref().map_or_else(Vec::new, |p| {
        current
            .risk_scores
            .iter()
            .filter_map(|(id, (s, r))| {
                let before = p.risk_scores.get(id);
                (before != Some(&(*s, *r))).then(|| Item {
                    id: id.clone(),
                    text: if before.is_none() {
                        "new risk".into()
                    } else {
                        "score changed".into()
                    },
                    who: before.map_or_else(|| s.to_string(), |b| format!("{}→{s}", b.0)),
                    when: before.map_or_else(|| r.to_string(), |b| format!("{}→{r}", b.1)),
                })
            })
            .collect()
    });
    let charts = board::build(&current, previous.as_ref(), history);
    Pack {
        organization: organization.to_owned(),
        previous,
        deltas,
        coverage_history,
        gateway: None,
        meeting,
        risk_changes,
        checkpoint: None,
        charts,
        iso93: iso93::Iso93::default(),
        follow_up: iso93::FollowUp::default(),
        current,
    }
}

/// The escaping of a template's output, by its extension: HTML for `.html`/`.htm`, Markdown
/// for everything else (the packs are Markdown or HTML).
pub fn auto_escape(name: &str) -> minijinja::AutoEscape {
    let ext = std::path::Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("html" | "htm") => minijinja::AutoEscape::Html,
        _ => super::escape::MARKDOWN,
    }
}

/// Renders the pack (or a recorded pack's JSON) with `review.md` or `review.html`; every
/// template, the included partials too, is the workspace's own when it has one.
pub fn render<S: Serialize>(
    pack: &S,
    html: bool,
    workspace: Option<&std::path::Path>,
) -> anyhow::Result<String> {
    let name = if html { "review.html" } else { "review.md" };
    let mut env = super::escape::environment(auto_escape);
    for (n, shipped) in TEMPLATES {
        let own = workspace
            .map(|w| w.join("templates").join(n))
            .filter(|p| p.is_file());
        let text = match own {
            Some(p) => std::fs::read_to_string(&p)?,
            None => (*shipped).to_owned(),
        };
        env.add_template_owned(*n, text)
            .map_err(|e| anyhow::anyhow!("template {n}: {e}"))?;
    }
    env.get_template(name)
        .and_then(|t| t.render(pack))
        .map_err(|e| anyhow::anyhow!("template {name}: {e}"))
}
