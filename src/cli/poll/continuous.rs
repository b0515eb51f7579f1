//! Continuous `poll`: pollers on their own thread, this thread the single writer, and a stop
//! fit for a service manager.
//!
//! Invariants: a write that fails for a reason that passes never stops polling (the backlog
//! keeps the batch and retries). On SIGTERM, SIGINT or SIGHUP (or the end of `--duration`) no
//! new check starts, checks in flight get [`GRACE`], and every observation received is written
//! in one final transaction before the summary paragraph is printed on stderr; exit 0 when
//! nothing is left unwritten. A second signal during that stop exits at once with 128 + its
//! number and says how many observations were not written. On start the schedule resumes from
//! the stored source rows (see `resume`), so a restart neither loses, repeats nor bursts.

use super::resume::{plan, span};
use super::signals::{Sig, listen};
use super::{cpu_seconds, report, specs, transient};
use crate::collect::backlog::{Backlog, Flushed, MAX_BACKOFF};
use crate::collect::poller;
use crate::domain::Observation;
use crate::store::{Ingested, Store};
use crate::workspace::Workspace;
use anyhow::Result;
use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long checks in flight may run on after a stop.
pub const GRACE: Duration = Duration::from_secs(5);

/// What reaches the writer.
enum Event {
    Batch(Vec<Observation>),
    Signal(Sig),
}

/// Why the poller stopped.
#[derive(Clone, Copy)]
enum Why {
    Signal(Sig),
    Duration,
}

/// The writer's state and counts.
struct Writer {
    store: Store,
    backlog: Backlog,
    commits: bool,
    last_ok: HashMap<String, bool>,
    received: usize,
    failed: usize,
    batches: usize,
    appended: usize,
    extended: usize,
    write_time: Duration,
}

impl Writer {
    fn receive(&mut self, batch: Vec<Observation>) {
        self.received += batch.len();
        self.failed += batch.iter().filter(|o| !o.ok).count();
        self.backlog.push(batch);
    }

    /// Writes the backlog if due; `now` later than the real time forces a retry now.
    fn flush(&mut self, now: Instant) -> Result<()> {
        let w = Instant::now();
        let store = &mut self.store;
        let (ing, batch) = match self.backlog.flush(now, |b| store.ingest(b), transient)? {
            Flushed::Idle | Flushed::Retrying(None) => return Ok(()),
            Flushed::Retrying(Some(line)) => {
                eprintln!("{line}");
                return Ok(());
            }
            Flushed::Written(ing, batch, note) => {
                if let Some(line) = note {
                    eprintln!("{line}");
                }
                (ing, batch)
            }
        };
        self.write_time += w.elapsed();
        self.written(&ing, &batch);
        Ok(())
    }

    fn written(&mut self, ing: &Ingested, batch: &[Observation]) {
        self.batches += 1;
        if self.commits {
            println!(
                "committed {} observation(s): evidence head seq {}",
                batch.len(),
                ing.head_seq
            );
        }
        for o in batch {
            if self.last_ok.insert(o.source.clone(), o.ok) != Some(o.ok) {
                println!(
                    "{} {} {}: {}",
                    chrono::DateTime::from_timestamp(o.at, 0)
                        .unwrap_or_default()
                        .format("%H:%M:%S"),
                    o.source,
                    if o.ok { "pass" } else { "FAIL" },
                    o.summary
                );
            }
        }
        self.appended += ing.appended;
        self.extended += ing.extended;
        report(ing);
    }

    /// The final transaction: everything received, retried a few times if the database
    /// refuses for a reason that passes.
    fn finish(&mut self) -> Result<()> {
        for attempt in 0..4 {
            if self.backlog.is_empty() {
                break;
            }
            if attempt > 0 {
                std::thread::sleep(Duration::from_secs(1));
            }
            self.flush(Instant::now() + MAX_BACKOFF)?;
        }
        Ok(())
    }
}

/// Continuous `poll`: pollers on their own thread, this thread writes.
pub fn continuous(ws: &Workspace, duration: Option<u64>, commits: bool) -> Result<ExitCode> {
    let (store, specs, conc) = specs(ws)?;
    let n = specs.len();
    let resume = plan(&store.sources()?, &specs, chrono::Utc::now().timestamp());
    let (tx, rx) = mpsc::channel::<Event>();
    let signals = tx.clone();
    listen(move |s| signals.send(Event::Signal(s)).is_ok())?;
    let cpu0 = cpu_seconds();
    let t0 = Instant::now();
    let poller = poller::start_scheduled(specs, conc, resume.first.clone(), move |b| {
        let _ = tx.send(Event::Batch(b));
    })?;
    eprintln!("{}", resume.line(n));
    eprintln!("polling {n} source(s); Ctrl-C or SIGTERM stops");
    let end = duration.map(|d| t0 + Duration::from_secs(d));
    let mut w = Writer {
        store,
        backlog: Backlog::default(),
        commits,
        last_ok: HashMap::new(),
        received: 0,
        failed: 0,
        batches: 0,
        appended: 0,
        extended: 0,
        write_time: Duration::ZERO,
    };
    let mut stopping: Option<Why> = None;
    loop {
        let now = Instant::now();
        if stopping.is_none() && end.is_some_and(|e| now >= e) {
            stopping = Some(Why::Duration);
            poller.stop(now + GRACE);
        }
        if stopping.is_some() && poller.finished() {
            // The pollers' thread handed over its last batch before it ended.
            for e in rx.try_iter() {
                match e {
                    Event::Batch(b) => w.receive(b),
                    Event::Signal(s) => second(s, &w),
                }
            }
            break;
        }
        let mut wait = end.map_or(Duration::from_secs(1), |e| {
            e.saturating_duration_since(now).min(Duration::from_secs(1))
        });
        if stopping.is_some() {
            wait = wait.min(Duration::from_millis(50));
        } else if !w.backlog.is_empty() {
            wait = wait.min(w.backlog.wait(now));
        }
        match rx.recv_timeout(wait) {
            Ok(Event::Batch(b)) => w.receive(b),
            Ok(Event::Signal(s)) if stopping.is_some() => second(s, &w),
            Ok(Event::Signal(s)) => {
                stopping = Some(Why::Signal(s));
                poller.stop(Instant::now() + GRACE);
                eprintln!(
                    "poll: {} received, stopping: no new checks; {} in flight get up to {}s; then everything received is written (a second signal exits at once)",
                    s.name(),
                    poller.in_flight(),
                    GRACE.as_secs()
                );
            }
            Err(_) => {}
        }
        if stopping.is_none() {
            w.flush(Instant::now())?;
        }
    }
    w.finish()?;
    let cancelled = poller.cancelled();
    drop(poller);
    let wall = t0.elapsed();
    let cpu = cpu0.zip(cpu_seconds()).map(|(a, b)| b - a);
    println!(
        "polled {n} source(s) for {:.1} s: {} checks, {} failed; evidence {} new row(s), {} run(s) extended; writer busy {:.0} ms; cpu {}",
        wall.as_secs_f64(),
        w.received,
        w.failed,
        w.appended,
        w.extended,
        w.write_time.as_secs_f64() * 1000.0,
        cpu.map_or("n/a".into(), |c| format!(
            "{c:.2} s = {:.1}% of one core",
            c * 100.0 / wall.as_secs_f64()
        ))
    );
    let why = match stopping {
        Some(Why::Signal(s)) => format!("stopped by {}", s.name()),
        _ => "stopped at the end of --duration".into(),
    };
    let cancelled = match cancelled {
        0 => String::new(),
        c => format!(
            ", {c} check(s) in flight cancelled after {}s",
            GRACE.as_secs()
        ),
    };
    let left = w.backlog.len();
    eprintln!(
        "poll: {why} after {}: {} polls of {n} sources, {} ok, {} failed, {} batches written, {left} observations left unwritten{cancelled}",
        span(wall),
        w.received,
        w.received - w.failed,
        w.failed,
        w.batches,
    );
    if left > 0 {
        eprintln!("poll: the database still refused writes; those {left} observation(s) are lost");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// A second signal while stopping: exit at once, saying what is lost.
fn second(s: Sig, w: &Writer) -> ! {
    eprintln!(
        "poll: second signal ({}) while stopping: exiting at once with code {}; {} observation(s) received but not written",
        s.name(),
        s.exit_code(),
        w.backlog.len()
    );
    std::process::exit(s.exit_code());
}
