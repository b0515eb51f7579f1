//! `certready status`: per framework what is met, partial and missing, the Type II window and
//! the projected report dates; `--json` keeps its keys stable. A gateway is said to be up only
//! as `analysis::gateway_state` decides (configured and recently checked).

use super::output::{pct, table};
use crate::analysis::gateway::GatewayPanel;
use crate::analysis::gateway_state::{Shown, stamp};
use crate::analysis::{self, Assessment, FrameworkAssessment};
use crate::domain::{Date, Snapshot};
use anyhow::Result;
use serde_json::{Value, json};

/// The `status --json` document; `gateway` carries each gateway's panel figures and what may
/// be said of it now (`shown`, parallel to `gateways`).
pub fn status_json(
    s: &Snapshot,
    a: &Assessment,
    gateways: &[GatewayPanel],
    shown: &[Shown],
) -> Value {
    let frameworks: Vec<Value> = a.frameworks.iter().map(framework_json).collect();
    let t = &a.totals;
    json!({
        "organization": s.organization,
        "as_of": a.as_of,
        "frameworks": frameworks,
        "controls": t.controls,
        "risks": t.risks,
        "findings": t.findings,
        "tasks": t.tasks,
        "evidence": t.evidence,
        "gateway": gateway_json(gateways, shown),
        "vendors": t.vendors,
    })
}

/// Each gateway's state, uptime, per-window uptime and outages, as `status --json` has them:
/// `state` is up, down or degraded only for a configured gateway checked recently, otherwise
/// `stale` (with `stale_since`) or `not_configured`; `last_state` is what the last check saw.
fn gateway_json(gateways: &[GatewayPanel], shown: &[Shown]) -> Value {
    let one = |(g, st): (&GatewayPanel, &Shown)| {
        let windows: Vec<Value> = g
            .windows
            .iter()
            .map(
                |(label, p, days)| json!({"window": label, "uptime_pct": p, "days_observed": days}),
            )
            .collect();
        json!({
            "name": g.name,
            "state": st.as_str(),
            "stale_since": match st {
                Shown::Stale { since } => chrono::DateTime::from_timestamp(*since, 0),
                _ => None,
            },
            "configured": *st != Shown::NotConfigured,
            "last_state": g.state,
            "version": g.version,
            "last_check": chrono::DateTime::from_timestamp(g.last_at, 0),
            "uptime_24h_pct": g.uptime[0],
            "uptime_7d_pct": g.uptime[1],
            "uptime_30d_pct": g.uptime[2],
            "windows": windows,
            "outages_30d": g.outages.len(),
        })
    };
    json!({
        "sources": gateways.len(),
        "gateways": gateways.iter().zip(shown).map(one).collect::<Vec<_>>(),
    })
}

fn framework_json(f: &FrameworkAssessment) -> Value {
    let r = &f.readiness;
    let type2 = f.type2.as_ref().map(|l| {
        json!({
            "audit": l.audit,
            "window_start": l.window_start,
            "window_end": l.window_end,
            "evidenced": l.evidenced,
            "missed": l.missed,
            "open": l.open,
            "upcoming": l.upcoming,
            "coverage_pct": l.coverage_pct,
            "elapsed_pct": l.elapsed_pct,
            "controls": l.rows.len(),
        })
    });
    let p = &f.projected;
    json!({
        "key": f.key,
        "name": f.name,
        "in_scope": f.in_scope,
        "requirements_in_scope": r.requirements_in_scope,
        "met": r.met,
        "partial": r.partial,
        "gap": r.gap,
        "not_applicable": r.not_applicable,
        "type1_readiness_pct": r.type1_readiness_pct,
        "type2": type2,
        "projected": {
            "type1_ready": p.type1_ready,
            "type2_report": p.type2_report,
            "critical_task": p.critical_task,
            "critical_path": p.critical_path,
            "unplanned": p.unplanned.len(),
            "unplanned_requirements": p.unplanned,
            "undated_tasks": p.undated,
            "type2_caveat": p.type2_caveat,
            "why": p.why,
        },
    })
}

/// Prints the status as text or JSON.
pub fn print(
    s: &Snapshot,
    gateways: &[GatewayPanel],
    shown: &[Shown],
    as_of: Date,
    json: bool,
    demo: bool,
) -> Result<()> {
    let a = analysis::assess(s, as_of);
    if json {
        let mut v = status_json(s, &a, gateways, shown);
        v["demo"] = Value::Bool(demo);
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    let label = if demo { "DEMO · " } else { "" };
    println!(
        "{label}{} · as of {as_of}\n",
        super::output::text(&s.organization)
    );
    let mut rows = vec![
        [
            "FRAMEWORK",
            "IN SCOPE",
            "MET",
            "PARTIAL",
            "GAP",
            "N/A",
            "TYPE I",
            "TYPE II WINDOW",
            "COVERAGE",
            "ELAPSED",
            "TYPE I READY",
            "TYPE II REPORT",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for f in &a.frameworks {
        let r = &f.readiness;
        if !f.in_scope {
            rows.push(vec![f.name.clone(), "out of scope".into()]);
            continue;
        }
        let (window, cov, elapsed) =
            f.type2
                .as_ref()
                .map_or(("-".into(), "-".into(), "-".into()), |l| {
                    (
                        format!("{}..{}", l.window_start, l.window_end),
                        pct(l.coverage_pct),
                        pct(Some(l.elapsed_pct)),
                    )
                });
        rows.push(vec![
            f.name.clone(),
            r.requirements_in_scope.to_string(),
            r.met.to_string(),
            r.partial.to_string(),
            r.gap.to_string(),
            r.not_applicable.to_string(),
            pct(Some(r.type1_readiness_pct)),
            window,
            cov,
            elapsed,
            f.projected.type1_short(),
            f.projected
                .type2_report
                .map_or("-".into(), |d| d.to_string()),
        ]);
    }
    print!("{}", table(&rows));
    let t = &a.totals;
    println!(
        "\ncontrols {} ({} implemented, {} designed, {} lapsing within 14 days) · risks {} ({} high, {} above appetite)",
        t.controls.total,
        t.controls.implemented,
        t.controls.designed,
        t.controls.expiring_14d,
        t.risks.total,
        t.risks.high,
        t.risks.above_appetite
    );
    println!(
        "findings {} open ({} critical, {} high, {} overdue) · tasks {} open ({} late, {} blocked) · evidence {} · vendors {} ({} missing BAA, {} agreements expiring within 60 days)",
        t.findings.open,
        t.findings.critical,
        t.findings.high,
        t.findings.overdue,
        t.tasks.open,
        t.tasks.late,
        t.tasks.blocked,
        t.evidence,
        t.vendors.total,
        t.vendors.missing_baa,
        t.vendors.expiring_60d
    );
    let mut first = true;
    for f in a.frameworks.iter().filter(|f| f.in_scope) {
        if f.projected.type1_ready.is_some() && f.projected.critical_task.is_none() {
            continue;
        }
        // The first reason already says "Type I ready <date>" when there is a date.
        let said = f
            .projected
            .why
            .first()
            .is_some_and(|w| w.starts_with("Type I ready"));
        println!(
            "{}why {}{}: {}",
            if first { "\n" } else { "" },
            f.name,
            if said { "" } else { " Type I" },
            f.projected.why.join("; ")
        );
        first = false;
    }
    for (g, st) in gateways.iter().zip(shown) {
        if *st == Shown::NotConfigured {
            println!(
                "gateway {}: not configured in certready.toml (checks stored until {})",
                g.name,
                stamp(g.last_at)
            );
            continue;
        }
        println!(
            "gateway {}: {} · uptime 24h {} · 7d {} · 30d {} · {} outage(s) in 30 days",
            g.name,
            st.describe(),
            pct(g.uptime[0]),
            pct(g.uptime[1]),
            pct(g.uptime[2]),
            g.outages.len()
        );
    }
    Ok(())
}
