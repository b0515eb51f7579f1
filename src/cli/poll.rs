//! `certready poll [--once]`, `certready sources` and `certready evidence purge`.
//!
//! `poll --once` is for cron: every source checked once, one transaction, a table, exit 1 when
//! any failed. Continuous `poll` (in `continuous`) runs the pollers with this thread as the
//! single writer; a write that fails for a reason that passes (disk full, database busy or
//! locked, I/O error) never stops it: the batch is kept and retried with backoff, said once on
//! stderr per episode. It stops gracefully on SIGTERM, SIGINT or SIGHUP and resumes its
//! schedule from the stored source rows. `sources` shows stored summaries redacted again with
//! the workspace's current secrets.

use super::output::table;
use super::{now_stamp, today};
use crate::collect::redact::Redactor;
use crate::collect::{poller, spec::Spec};
use crate::domain::{Date, Observation};
use crate::store::Ingested;
use crate::workspace::Workspace;
use anyhow::Result;
use std::process::ExitCode;

mod continuous;
mod resume;
mod signals;

pub use continuous::continuous;

fn ms(n: u64) -> String {
    format!("{n} ms")
}

fn report(ing: &Ingested) {
    for id in &ing.opened {
        eprintln!("opened monitoring finding {id}");
    }
    for id in &ing.recovered {
        eprintln!("source recovered: note added to finding {id}");
    }
    for c in &ing.unknown_controls {
        eprintln!("warning: control {c} is not in the workspace; its evidence was skipped");
    }
}

fn specs(ws: &Workspace) -> Result<(crate::store::Store, Vec<Spec>, usize)> {
    let mut store = ws.open()?;
    let (cfg, specs) = ws.sources(&mut store)?;
    if specs.is_empty() {
        anyhow::bail!(
            "{}: no [[gateway]] or [[source]] configured (see the commented examples in it)",
            ws.config_path().display()
        );
    }
    Ok((store, specs, cfg.concurrency.unwrap_or(32)))
}

/// `poll --once`.
pub fn once(ws: &Workspace, json: bool) -> Result<ExitCode> {
    let (mut store, specs, conc) = specs(ws)?;
    let bar = super::progress::bar(specs.len() as u64, "polling");
    let done = |_: &Observation| bar.inc(1);
    let obs = poller::once(&specs, conc, &done)?;
    bar.finish_and_clear();
    let ing = store.ingest(&obs)?;
    let failed = obs.iter().filter(|o| !o.ok).count();
    if json {
        println!(
            "{}",
            serde_json::json!({
                "checked": obs.len(), "failed": failed, "appended": ing.appended,
                "extended": ing.extended, "findings_opened": ing.opened,
                "results": obs,
            })
        );
    } else {
        let mut rows = vec![vec![
            "SOURCE".into(),
            "KIND".into(),
            "RESULT".into(),
            "LATENCY".into(),
            "TRIES".into(),
            "SUMMARY".into(),
        ]];
        for o in &obs {
            let result = match (&o.gateway, o.ok) {
                (Some(g), _) => g.state.as_str().to_owned(),
                (None, true) => "pass".into(),
                (None, false) => "FAIL".into(),
            };
            rows.push(vec![
                o.source.clone(),
                o.kind.into(),
                result,
                ms(o.latency_ms),
                o.attempts.to_string(),
                o.summary.clone(),
            ]);
        }
        print!("{}", table(&rows));
        println!(
            "{} checked, {failed} failed; evidence: {} new row(s), {} run(s) extended",
            obs.len(),
            ing.appended,
            ing.extended
        );
    }
    report(&ing);
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Whether a write error passes with time (decided by the store, for either backend).
pub use crate::store::db::transient;

/// CPU seconds this process has used (user + system), from `/proc/self/stat` (Linux).
pub fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// `certready sources`.
pub fn sources(ws: &Workspace, json: bool) -> Result<ExitCode> {
    let mut store = ws.open()?;
    let (cfg, specs) = ws.sources(&mut store)?;
    let redactor = Redactor::new(crate::collect::spec::secrets(&specs));
    let mut rows = store.sources()?;
    for r in &mut rows {
        r.last_summary = redactor.text(&r.last_summary);
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = vec![vec![
        "SOURCE".into(),
        "KIND".into(),
        "LAST".into(),
        "RESULT".into(),
        "NEXT".into(),
        "FAILS IN A ROW".into(),
        "FINDING".into(),
        "SUMMARY".into(),
    ]];
    let configured: Vec<&String> = cfg
        .gateway
        .iter()
        .map(|g| &g.name)
        .chain(cfg.source.iter().map(|s| &s.name))
        .collect();
    for name in configured {
        let r = rows.iter().find(|r| &r.name == name);
        let at = |t: i64| {
            chrono::DateTime::from_timestamp(t, 0)
                .unwrap_or_default()
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        };
        t.push(match r {
            Some(r) => vec![
                r.name.clone(),
                r.kind.clone(),
                r.last_at.map_or("-".into(), at),
                match r.last_ok {
                    Some(true) => "pass".into(),
                    Some(false) => "FAIL".into(),
                    None => "-".into(),
                },
                r.last_at.map_or("-".into(), |t| at(t + r.interval_s)),
                r.consecutive_failures.to_string(),
                r.finding_id.clone().unwrap_or_else(|| "-".into()),
                r.last_summary.clone(),
            ],
            None => vec![name.clone(), "-".into(), "never polled".into()],
        });
    }
    print!("{}", table(&t));
    Ok(ExitCode::SUCCESS)
}

/// `evidence purge`.
pub fn purge(ws: &Workspace, as_of: Option<Date>, dry_run: bool) -> Result<ExitCode> {
    let mut store = ws.open()?;
    let as_of = as_of.unwrap_or_else(today);
    let r = store.purge_evidence(as_of, dry_run, &now_stamp())?;
    if !dry_run {
        for f in &r.files {
            if let Err(e) = crate::store::files::remove(ws.dir(), f) {
                eprintln!("certready: {e}");
            }
        }
    }
    println!(
        "{} {} evidence item(s) past keep-until as of {as_of} ({} file(s)); {} kept by a stricter framework rule; digests and the chain are kept",
        if dry_run { "would purge" } else { "purged" },
        r.rows,
        r.files.len(),
        r.kept_by_rule
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::backlog::{Backlog, FIRST_BACKOFF, Flushed};
    use std::time::Instant;

    fn observation(i: usize) -> Observation {
        Observation {
            source: format!("s{i}"),
            kind: "http",
            controls: vec![],
            at: 0,
            ok: true,
            summary: String::new(),
            content: "x".repeat(64 * 1024),
            latency_ms: 0,
            attempts: 1,
            gateway: None,
            fail_after: 3,
            interval_s: 60,
        }
    }

    /// A real SQLITE_FULL: the database may not grow past its page limit, as on a full disk.
    #[test]
    fn a_full_database_keeps_the_batch_and_writes_it_once_there_is_room() {
        let dir = tempfile::tempdir().unwrap();
        let conn = rusqlite::Connection::open(dir.path().join("full.db")).unwrap();
        conn.execute_batch("CREATE TABLE t (content TEXT NOT NULL)")
            .unwrap();
        let pages: i64 = conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        conn.pragma_update(None, "max_page_count", pages).unwrap();
        let write = |batch: &[Observation]| -> Result<usize> {
            let tx = conn.unchecked_transaction()?;
            for o in batch {
                tx.execute("INSERT INTO t (content) VALUES (?1)", [&o.content])?;
            }
            tx.commit()?;
            Ok(batch.len())
        };
        let mut backlog = Backlog::default();
        backlog.push(vec![observation(0), observation(1)]);
        let t0 = Instant::now();
        match backlog.flush(t0, write, transient).unwrap() {
            Flushed::Retrying(Some(line)) => {
                assert!(line.contains("full"), "{line}");
            }
            _ => panic!("a full database must be retried"),
        }
        assert_eq!(backlog.len(), 2, "the batch is kept");
        backlog.push(vec![observation(2)]);
        conn.pragma_update(None, "max_page_count", 1_000_000)
            .unwrap();
        match backlog.flush(t0 + FIRST_BACKOFF, write, transient).unwrap() {
            Flushed::Written(n, _, Some(note)) => {
                assert_eq!(n, 3);
                assert!(note.contains("resumed"), "{note}");
            }
            _ => panic!("the retry must write once there is room"),
        }
        let rows: i64 = conn
            .query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 3);
        assert!(!transient(&anyhow::anyhow!("no such table: t")));
    }
}
