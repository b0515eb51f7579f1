//! What the Overview's panels list, computed once per load (off the UI thread) from the
//! loaded data, so a frame only draws: open findings by severity, late tasks, evidence
//! lapsing in 14 days, the top five risks, the next audit milestones (with their labels for
//! people), vendor issues.

use crate::domain::{AuditStatus, Severity, TaskStatus};
use crate::tui::data::Data;
use crate::tui::tabs::findings::is_open;
use chrono::Days;

/// What the Overview's panels list, computed once per load (off the UI thread) so a frame
/// only draws.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Open findings per severity (critical first) and how many are overdue.
    pub findings: ([usize; 4], usize),
    /// Late tasks, most overdue first (at most 30): id, days late, owner, title.
    pub late: Vec<(String, i64, String, String)>,
    /// Controls whose evidence lapses within 14 days (at most 30), soonest first.
    pub expiring: Vec<(crate::domain::Date, String)>,
    /// Top five risks: inherent, residual, title.
    pub risks: Vec<(u8, u8, String)>,
    /// Next five audit milestones.
    pub audits: Vec<(crate::domain::Date, String)>,
    /// Vendor issues, worst first (at most 8): severity and message.
    pub vendors: Vec<(crate::domain::Severity, String)>,
}

impl Model {
    /// Computes the panels from loaded data.
    pub fn build(d: &Data) -> Self {
        let mut m = Model::default();
        for x in d.snapshot.findings.iter().filter(|x| is_open(x)) {
            m.findings.0[Severity::ALL
                .iter()
                .position(|s| *s == x.severity)
                .unwrap_or(3)] += 1;
            m.findings.1 += usize::from(x.due.is_some_and(|v| v < d.as_of));
        }
        let mut late: Vec<_> = d
            .snapshot
            .tasks
            .iter()
            .filter(|x| x.status != TaskStatus::Done && x.due.is_some_and(|v| v < d.as_of))
            .collect();
        late.sort_by_key(|x| (x.due, x.id.clone()));
        m.late = late
            .iter()
            .take(30)
            .map(|x| {
                (
                    x.id.to_string(),
                    x.due.map_or(0, |v| (d.as_of - v).num_days()),
                    x.owner.clone(),
                    x.title.clone(),
                )
            })
            .collect();
        let end = d.as_of.checked_add_days(Days::new(14)).unwrap_or(d.as_of);
        let mut soon: Vec<_> = d
            .assessment
            .controls
            .iter()
            .filter(|c| crate::analysis::totals::lapses_soon(&d.snapshot, c, end))
            .filter_map(|c| Some((c.valid_until?, c.id.to_string())))
            .collect();
        soon.sort();
        soon.truncate(30);
        m.expiring = soon;
        let mut r: Vec<_> = d.snapshot.risks.iter().collect();
        let key = |x: &&crate::domain::Risk| {
            (
                std::cmp::Reverse(x.score()),
                std::cmp::Reverse(x.residual_score()),
                x.id.clone(),
            )
        };
        if r.len() > 5 {
            r.select_nth_unstable_by_key(4, key);
            r.truncate(5);
        }
        r.sort_by_key(key);
        m.risks = r
            .iter()
            .map(|x| (x.score(), x.residual_score(), x.title.clone()))
            .collect();
        let mut next: Vec<_> = d
            .snapshot
            .audits
            .iter()
            .filter(|a| a.status != AuditStatus::Completed)
            .filter_map(|a| {
                let when = [
                    a.window_end,
                    a.fieldwork_start,
                    a.point_in_time,
                    a.report_date,
                ]
                .into_iter()
                .flatten()
                .find(|v| *v >= d.as_of)?;
                Some((when, a.kind.label().to_owned()))
            })
            .collect();
        next.sort();
        next.truncate(5);
        m.audits = next;
        let mut v: Vec<_> = d
            .assessment
            .vendors
            .issues
            .iter()
            .map(|i| (i.severity, i.message.clone()))
            .collect();
        v.sort();
        v.truncate(8);
        m.vendors = v;
        m
    }
}
