//! The pollers: one tokio task per source on a runtime of its own thread, with jitter, a
//! bound on checks in flight, and one batching task that hands results to a sink (the single
//! writer). Pollers never touch the database or the UI.
//!
//! Invariants: at most `concurrency` checks run at once; a source's next check starts one
//! interval (±10% jitter) after the previous one was due, never overlapping itself; results
//! reach the sink in batches of at most 512, at least every 250 ms while any are waiting.

use super::check::{Clients, run};
use super::spec::Spec;
use crate::domain::Observation;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Semaphore, mpsc, watch};

/// A running set of pollers; dropping it stops them.
pub struct Poller {
    stop: watch::Sender<bool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Poller {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A small deterministic spread in `[0, span)` from a name and a seed.
fn jitter(name: &str, seed: u64, span: Duration) -> Duration {
    let mut x = seed ^ 0x9e37_79b9_7f4a_7c15;
    for b in name.bytes() {
        x = (x ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    x ^= x >> 33;
    let ms = span.as_millis().max(1) as u64;
    Duration::from_millis(x % ms)
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .max_blocking_threads(16)
        .build()
}

/// Starts polling `specs` continuously; `sink` receives batches of results on the pollers'
/// thread and must not block for long (it hands them to the writer).
pub fn start(
    specs: Vec<Spec>,
    concurrency: usize,
    sink: impl Fn(Vec<Observation>) + Send + 'static,
) -> std::io::Result<Poller> {
    let (stop, mut stopped) = watch::channel(false);
    let rt = runtime()?;
    let thread = std::thread::Builder::new()
        .name("certready-pollers".into())
        .spawn(move || {
            let clients = Arc::new(Clients::for_specs(&specs));
            let gate = Arc::new(Semaphore::new(concurrency.max(1)));
            let (tx, mut rx) = mpsc::channel::<Observation>(1024);
            let seed = chrono::Utc::now().timestamp_subsec_nanos().into();
            rt.block_on(async move {
                for spec in specs {
                    let (tx, gate, clients) = (tx.clone(), gate.clone(), clients.clone());
                    let mut stop = stopped.clone();
                    tokio::spawn(async move {
                        let first = jitter(&spec.name, seed, spec.interval.min(Duration::from_secs(30)));
                        let mut due = tokio::time::Instant::now() + first;
                        loop {
                            tokio::select! {
                                () = tokio::time::sleep_until(due) => {}
                                _ = stop.changed() => return,
                            }
                            let Ok(permit) = gate.acquire().await else { return };
                            let obs = run(&spec, &clients).await;
                            drop(permit);
                            if tx.send(obs).await.is_err() {
                                return;
                            }
                            let spread = spec.interval / 10;
                            due += spec.interval.saturating_sub(spread / 2) + jitter(&spec.name, due.elapsed().as_nanos() as u64 ^ seed, spread.max(Duration::from_millis(1)));
                            due = due.max(tokio::time::Instant::now());
                        }
                    });
                }
                drop(tx);
                let mut batch = Vec::new();
                // The first result of a batch sets when it is handed over, however many follow.
                let mut flush_at = tokio::time::Instant::now();
                loop {
                    tokio::select! {
                        got = rx.recv() => match got {
                            Some(o) => {
                                if batch.is_empty() {
                                    flush_at = tokio::time::Instant::now() + Duration::from_millis(250);
                                }
                                batch.push(o);
                                while batch.len() < 512 {
                                    match rx.try_recv() { Ok(o) => batch.push(o), Err(_) => break }
                                }
                                if batch.len() >= 512 {
                                    sink(std::mem::take(&mut batch));
                                }
                            }
                            None => break,
                        },
                        () = tokio::time::sleep_until(flush_at), if !batch.is_empty() => {
                            sink(std::mem::take(&mut batch));
                        }
                        _ = stopped.changed() => break,
                    }
                }
                if !batch.is_empty() {
                    sink(batch);
                }
            });
            rt.shutdown_timeout(Duration::from_millis(200));
        })?;
    Ok(Poller {
        stop,
        thread: Some(thread),
    })
}

/// Checks every source once, `concurrency` at a time, and returns the results in `specs`
/// order; `done` is called after each check finishes (for a progress bar).
pub fn once(
    specs: &[Spec],
    concurrency: usize,
    done: &dyn Fn(&Observation),
) -> std::io::Result<Vec<Observation>> {
    let rt = runtime()?;
    let clients = Arc::new(Clients::for_specs(specs));
    let gate = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut out: Vec<Option<Observation>> = vec![None; specs.len()];
    rt.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        for (i, s) in specs.iter().cloned().enumerate() {
            let (gate, clients) = (gate.clone(), clients.clone());
            set.spawn(async move {
                let _permit = gate.acquire_owned().await.ok();
                (i, run(&s, &clients).await)
            });
        }
        while let Some(r) = set.join_next().await {
            if let Ok((i, o)) = r {
                done(&o);
                out[i] = Some(o);
            }
        }
    });
    rt.shutdown_timeout(Duration::from_millis(200));
    Ok(out.into_iter().flatten().collect())
}
