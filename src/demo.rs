//! The built-in demo workspace: a believable LLM platform nine months into its programme.
//!
//! Its files (`fixtures/demo`) are written as if today were the plan's `anchor`; every date is
//! shifted by (as_of − anchor) when the demo is built, so it never goes stale and tests can pin
//! the date. The bulk of its evidence is generated from `evidence-plan.yaml`.

use crate::analysis::periods::periods;
use crate::domain::{Cadence, Date, EvidenceResult, EvidenceSource};
use crate::import::model::EvidenceRow;
use crate::import::{self, ModelFile};
use crate::store::Store;
use crate::workspace::Workspace;
use anyhow::{Context, Result, bail};
use chrono::Days;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

/// The demo model file.
pub const MODEL: &str = include_str!("../fixtures/demo/model.yaml");
/// The demo evidence plan.
pub const PLAN: &str = include_str!("../fixtures/demo/evidence-plan.yaml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Plan {
    anchor: Date,
    series: Vec<Series>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Series {
    control: String,
    title: String,
    #[serde(default)]
    source: Option<EvidenceSource>,
    #[serde(default)]
    from: Option<Date>,
    #[serde(default)]
    until: Option<Date>,
    #[serde(default)]
    skip: Vec<Date>,
    #[serde(default)]
    fail: Vec<Date>,
    #[serde(default)]
    dates: Vec<Date>,
}

/// Shifts every `YYYY-MM-DD` date in `text` by `days`.
pub fn shift_dates(text: &str, days: i64) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut last = 0;
    while i + 10 <= b.len() {
        let w = &b[i..i + 10];
        let shape = w.iter().enumerate().all(|(k, c)| match k {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
        let bounded = (i == 0 || !b[i - 1].is_ascii_alphanumeric())
            && b.get(i + 10).is_none_or(|c| !c.is_ascii_alphanumeric());
        if shape
            && bounded
            && let Ok(d) = text[i..i + 10].parse::<Date>()
        {
            let moved = if days >= 0 {
                d.checked_add_days(Days::new(days.unsigned_abs()))
            } else {
                d.checked_sub_days(Days::new(days.unsigned_abs()))
            };
            if let Some(m) = moved {
                out.push_str(&text[last..i]);
                out.push_str(&m.to_string());
                i += 10;
                last = i;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(&text[last..]);
    out
}

/// The date the demo files are written against.
pub fn anchor() -> Result<Date> {
    let plan: Plan = serde_norway::from_str(PLAN).context("demo evidence plan")?;
    Ok(plan.anchor)
}

/// Generates the plan's evidence, shifted to `as_of`, for controls with the given cadences.
fn plan_evidence(cadences: &HashMap<String, Cadence>, as_of: Date) -> Result<Vec<EvidenceRow>> {
    let anchor = anchor()?;
    let shift = (as_of - anchor).num_days();
    let plan: Plan =
        serde_norway::from_str(&shift_dates(PLAN, shift)).context("demo evidence plan")?;
    let mut out = Vec::new();
    for s in &plan.series {
        let Some(&cadence) = cadences.get(&s.control) else {
            bail!("demo evidence plan: unknown control {}", s.control);
        };
        let source = s.source.unwrap_or(EvidenceSource::Manual);
        let mut push = |effective: Date, result: EvidenceResult| {
            out.push(EvidenceRow {
                id: Some(format!("demo:{}:{effective}", s.control)),
                control: s.control.clone(),
                title: s.title.clone(),
                effective,
                result,
                source: Some(source),
                expires: None,
                summary: None,
            });
        };
        if !s.dates.is_empty() {
            for d in &s.dates {
                let r = if s.fail.contains(d) {
                    EvidenceResult::Fail
                } else {
                    EvidenceResult::Pass
                };
                push(*d, r);
            }
            continue;
        }
        let Some(from) = s.from else { continue };
        let until = s.until.unwrap_or(plan.anchor).min(as_of);
        let cad = if cadence == Cadence::OnEvent {
            Cadence::Monthly
        } else {
            cadence
        };
        for (a, b) in periods(cad, from, until) {
            if s.skip.iter().any(|d| *d >= a && *d <= b) {
                continue;
            }
            // Evidence lands a few days before its period ends (on the day for daily
            // controls); a period that has not got that far yet has no item.
            let back = ((b - a).num_days()).min(3) as u64;
            let day = b.checked_sub_days(Days::new(back)).unwrap_or(b);
            if day > until {
                continue;
            }
            let r = if s.fail.iter().any(|d| *d >= a && *d <= b) {
                EvidenceResult::Fail
            } else {
                EvidenceResult::Pass
            };
            push(day, r);
        }
    }
    Ok(out)
}

/// Builds the demo workspace in `dir` as of `as_of`.
pub fn build(dir: &Path, as_of: Date, now: &str) -> Result<Store> {
    build_in(&Workspace::new(dir), as_of, now)
}

/// [`build`] into the workspace `ws` on whichever backend it names (its folder, or its
/// PostgreSQL database).
pub fn build_in(ws: &Workspace, as_of: Date, now: &str) -> Result<Store> {
    let shift = (as_of - anchor()?).num_days();
    let mut store = ws.init("Lumen Health AI", false, now)?;
    let parsed = import::parse_yaml("demo/model.yaml", &shift_dates(MODEL, shift))?;
    import::validate(&parsed, &store.known()?)?;
    store.apply(&parsed.model, "demo", now, false)?;
    let cadences: HashMap<String, Cadence> = store
        .snapshot()?
        .controls
        .into_iter()
        .map(|c| (c.id.0, c.cadence))
        .collect();
    let evidence = plan_evidence(&cadences, as_of)?;
    let batch = ModelFile {
        evidence,
        ..ModelFile::default()
    };
    store.apply(&batch, "demo", now, false)?;
    store.seed_gateway(
        &gateway_history(as_of),
        15,
        "up: ready; 2 healthy, 0 unhealthy endpoint(s)",
    )?;
    Ok(store)
}

/// Name of the demo's (simulated) gateway.
pub const GATEWAY: &str = crate::collect::sim::DEMO_SOURCE;

/// The master key of the demo's simulated gateway (not a secret: it guards nothing real).
pub const SIM_KEY: &str = "sk-demo-master-key";

/// The demo's live source: its simulated gateway at `url`, checked every 5 seconds.
pub fn gateway_spec(dir: &Path, url: &str) -> crate::collect::spec::Spec {
    use crate::collect::spec::{DEFAULT_MAX_BYTES, Kind, Spec};
    use std::time::Duration;
    Spec {
        name: GATEWAY.to_owned(),
        kind: Kind::Gateway {
            preset: "litellm".into(),
            url: url.trim_end_matches('/').to_owned(),
            token: Some(SIM_KEY.to_owned()),
        },
        controls: vec!["GW-AVAIL-01".into()],
        interval: Duration::from_secs(5),
        timeout: Duration::from_secs(3),
        retries: 1,
        fail_after: 3,
        max_bytes: DEFAULT_MAX_BYTES,
        ca_file: None,
        secrets: vec![SIM_KEY.to_owned()],
        missing_env: None,
        dir: dir.to_path_buf(),
        preset: None,
    }
}

/// Thirty days of 15-second checks of the demo gateway up to `as_of`, as hourly runs: one
/// 50-minute outage nine days ago, two hours degraded three days ago, latency with a daily
/// rhythm.
pub fn gateway_history(as_of: Date) -> Vec<crate::domain::GatewayRun> {
    use crate::domain::{GatewayRun, GatewayState};
    let end = as_of
        .and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp());
    let start = end - 30 * 86_400;
    let mut runs = Vec::new();
    for h in 0..(30 * 24) {
        let at = start + h * 3600;
        let (day, hour) = (h / 24, h % 24);
        let state = match (day, hour) {
            (21, 2) => GatewayState::Down,
            (27, 14 | 15) => GatewayState::Degraded,
            _ => GatewayState::Up,
        };
        let latency = 140 + 60 * i64::from((9..18).contains(&hour)) + (h * 37) % 25;
        let (first, n) = if state == GatewayState::Down {
            (at + 600, 200)
        } else {
            (at, 240)
        };
        runs.push(GatewayRun {
            gateway: GATEWAY.to_owned(),
            state,
            first_at: first,
            last_at: at + 3600 - 15,
            n,
            latency_sum: latency * n,
            latency_max: latency * 3,
            version: Some("1.52.0-sim".into()),
        });
        if state == GatewayState::Down {
            // The outage began ten minutes into the hour; the checks before it were up.
            runs.push(GatewayRun {
                gateway: GATEWAY.to_owned(),
                state: GatewayState::Up,
                first_at: at,
                last_at: at + 585,
                n: 40,
                latency_sum: latency * 40,
                latency_max: latency,
                version: Some("1.52.0-sim".into()),
            });
        }
    }
    runs.sort_by_key(|r| r.first_at);
    runs
}

/// Where built demos are kept: `$XDG_CACHE_HOME/certready` or `~/.cache/certready`.
fn cache_dir() -> Option<std::path::PathBuf> {
    std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cache")))
        .map(|d| d.join("certready"))
}

/// A key that changes whenever the binary or the demo's inputs change.
fn fingerprint(as_of: Date) -> String {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| format!("{}:{:?}", m.len(), m.modified().ok()))
        .unwrap_or_default();
    let text = format!(
        "{}\u{1f}{exe}\u{1f}{as_of}\u{1f}{MODEL}\u{1f}{PLAN}\u{1f}{}",
        env!("CARGO_PKG_VERSION"),
        crate::catalog::CONTROL_SET
    );
    crate::domain::sha256_hex(text.as_bytes())[..16].to_owned()
}

/// Builds the demo in `dir`, or copies an identical one built earlier from the user's cache
/// (a fresh copy each time, so edits made in one demo session never leak into the next).
pub fn build_cached(dir: &Path, as_of: Date, now: &str) -> Result<Workspace> {
    let ws = Workspace::new(dir);
    let cached = cache_dir().map(|c| c.join(format!("demo-{}.db", fingerprint(as_of))));
    if let Some(c) = cached.as_ref().filter(|c| c.is_file()) {
        crate::private::create_dir_owner_only(&dir.join("evidence"))?;
        crate::report::write::write_atomic(
            &ws.config_path(),
            crate::workspace::default_config("Lumen Health AI").as_bytes(),
        )?;
        if std::fs::copy(c, ws.db_path()).is_ok() {
            return Ok(ws);
        }
    }
    drop(build(dir, as_of, now)?);
    if let Some(c) = cached {
        // Best effort: a cache that cannot be written only costs the next start a rebuild.
        if let Some(parent) = c.parent()
            && std::fs::create_dir_all(parent).is_ok()
        {
            let tmp = c.with_extension("tmp");
            if std::fs::copy(ws.db_path(), &tmp).is_ok() {
                let _ = std::fs::rename(&tmp, &c);
            }
        }
    }
    Ok(ws)
}

#[cfg(test)]
mod tests {
    use super::shift_dates;

    #[test]
    fn shifting_moves_every_date_and_nothing_else() {
        let t = "a: 2026-11-26\nb: [2026-02-28, x2026-01-01]\nid: T-2026-01-015\n";
        assert_eq!(
            shift_dates(t, 2),
            "a: 2026-11-28\nb: [2026-03-02, x2026-01-01]\nid: T-2026-01-015\n"
        );
        assert_eq!(shift_dates(t, 0), t);
    }
}
