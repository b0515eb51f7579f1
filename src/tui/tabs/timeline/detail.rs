//! The Timeline's detail pane: a ledger row's periods and likely exceptions (`ledger`), a
//! task's detail (the Tasks tab's), an audit's dates, or a projected date's "why" with its
//! critical path.

use super::super::kv;
use super::ledger::{LEGEND, ledger};
use crate::analysis::{PeriodStatus, timeline};
use crate::domain::Date;
use crate::tui::data::Data;
use crate::tui::theme::Theme;
use ratatui::text::Line;

/// Detail of a schedule item or a ledger row.
pub fn detail(d: &Data, id: &str, t: &Theme) -> Vec<Line<'static>> {
    if let Some(out) = ledger_detail(d, id, t) {
        return out;
    }
    if let Some(task) = id.strip_prefix("task:") {
        return super::super::tasks::detail(d, task, t);
    }
    if let Some(au) = id
        .strip_prefix("audit:")
        .map(|a| a.split(':').next().unwrap_or(a))
        && let Some(a) = d.snapshot.audits.iter().find(|x| x.id.as_str() == au)
    {
        let f = |v: Option<Date>| v.map_or("-".to_owned(), |x| x.to_string());
        return vec![
            Line::styled(
                format!(
                    "{} · {} ({})",
                    a.id,
                    timeline::kind_label(a.kind),
                    a.framework
                ),
                t.title(),
            ),
            kv(t, "status", a.status.as_str()),
            kv(
                t,
                "window",
                format!("{}..{}", f(a.window_start), f(a.window_end)),
            ),
            kv(
                t,
                "fieldwork",
                format!("{}..{}", f(a.fieldwork_start), f(a.fieldwork_end)),
            ),
            kv(t, "date", f(a.point_in_time)),
            kv(t, "report", f(a.report_date)),
            kv(t, "auditor", a.auditor.clone()),
            Line::styled(
                "c status · d dates · +/- < > what-if on a Type II window",
                t.fg(t.muted),
            ),
        ];
    }
    let mut out = vec![Line::styled(id.to_owned(), t.title())];
    if let Some(fw) = id
        .strip_prefix("projected:")
        .and_then(|x| x.split(':').next())
        && let Some(f) = d
            .assessment
            .frameworks
            .iter()
            .find(|f| f.key.as_str() == fw)
    {
        out.extend(f.projected.why.iter().map(|w| Line::raw(w.clone())));
        if !f.projected.critical_path.is_empty() {
            let path: Vec<&str> = f
                .projected
                .critical_path
                .iter()
                .map(|x| x.as_str())
                .collect();
            out.push(kv(t, "critical path", path.join(" → ")));
        }
    }
    out
}

/// Detail of a ledger row: its window, cadence and sample, periods, and the missed periods as
/// likely exceptions; none when `id` is not a control of the ledger.
fn ledger_detail(d: &Data, id: &str, t: &Theme) -> Option<Vec<Line<'static>>> {
    let (fw, l) = ledger(d)?;
    let r = l.rows.iter().find(|r| r.control.as_str() == id)?;
    let mut out = vec![
        Line::styled(
            format!(
                "{} in the {fw} Type II window {}..{}",
                r.control, l.window_start, l.window_end
            ),
            t.title(),
        ),
        kv(
            t,
            "cadence",
            format!(
                "{} · an auditor is likely to sample {}-{} items",
                r.cadence, r.sample.0, r.sample.1
            ),
        ),
        kv(
            t,
            "periods",
            format!(
                "{} evidenced, {} missed, {} open, {} upcoming",
                r.evidenced, r.missed, r.open, r.upcoming
            ),
        ),
        Line::styled(LEGEND, t.fg(t.muted)),
    ];
    if !r.has_evidence {
        out.push(Line::styled(
            "no passing evidence in the window yet",
            t.alert(t.gap),
        ));
    }
    let missed: Vec<_> = r
        .periods
        .iter()
        .filter(|p| p.status == PeriodStatus::Missed)
        .collect();
    if !missed.is_empty() {
        out.push(Line::styled(
            format!(
                "Likely exceptions ({}): these periods cannot be made up",
                missed.len()
            ),
            t.alert(t.late),
        ));
        for p in missed.iter().take(20) {
            out.push(Line::raw(format!("  {}..{}", p.start, p.end)));
        }
    }
    Some(out)
}
