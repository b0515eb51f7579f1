//! The pollers: one tokio task per source on a runtime of its own thread, with jitter, a
//! bound on checks in flight, and one batching task that hands results to a sink (the single
//! writer). Pollers never touch the database or the UI.
//!
//! Invariants: at most `concurrency` checks run at once; a source's next check starts one
//! interval (±10% jitter) after the previous one was due, never overlapping itself; results
//! reach the sink in batches of at most 512, at least every 250 ms while any are waiting.
//! A source's first check waits for the delay the caller gave for it (a restart resuming its
//! schedule), else a jitter of up to its interval (at most 30 s). A graceful stop
//! ([`Poller::stop`]) starts no new check, lets checks in flight finish until its deadline,
//! cancels (and counts) the rest, and hands every result already made to the sink before the
//! pollers' thread ends; dropping the poller stops it with no grace.

use super::check::{Clients, run};
use super::spec::Spec;
use crate::domain::Observation;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, mpsc, watch};

/// The stop signal: `None` while running, else the deadline for checks in flight.
type Stop = Option<Instant>;

/// Checks in flight and checks cancelled by a stop, shared with the pollers' thread.
#[derive(Default)]
struct Counts {
    in_flight: AtomicUsize,
    cancelled: AtomicUsize,
}

/// A running set of pollers; dropping it stops them (checks in flight are cancelled).
pub struct Poller {
    stop: watch::Sender<Stop>,
    counts: Arc<Counts>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Poller {
    /// Starts no new check from now on; checks in flight may finish until `deadline`, the
    /// rest are cancelled. Returns at once: see [`Poller::finished`].
    pub fn stop(&self, deadline: Instant) {
        self.stop.send_if_modified(|s| {
            let first = s.is_none();
            if first {
                *s = Some(deadline);
            }
            first
        });
    }

    /// Whether the pollers' thread has ended (after a stop: every result is with the sink).
    pub fn finished(&self) -> bool {
        self.thread
            .as_ref()
            .is_none_or(std::thread::JoinHandle::is_finished)
    }

    /// Checks running now.
    pub fn in_flight(&self) -> usize {
        self.counts.in_flight.load(Ordering::SeqCst)
    }

    /// Checks cancelled because a stop's deadline came before they finished.
    pub fn cancelled(&self) -> usize {
        self.counts.cancelled.load(Ordering::SeqCst)
    }
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.stop(Instant::now());
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
    start_scheduled(specs, concurrency, HashMap::new(), sink)
}

/// Runs one check unless the stop's deadline comes first (then `None`).
async fn bounded(
    spec: &Spec,
    clients: &Clients,
    stop: &mut watch::Receiver<Stop>,
) -> Option<Observation> {
    let check = run(spec, clients);
    tokio::pin!(check);
    loop {
        let deadline = *stop.borrow_and_update();
        let far = tokio::time::Instant::now() + Duration::from_secs(86_400);
        let until = deadline.map_or(far, tokio::time::Instant::from_std);
        tokio::select! {
            o = &mut check => return Some(o),
            changed = stop.changed(), if deadline.is_none() => {
                if changed.is_err() {
                    return None;
                }
            }
            () = tokio::time::sleep_until(until), if deadline.is_some() => return None,
        }
    }
}

/// [`start`], with the delay before the first check of some sources given by name (a
/// restart resuming where the stored schedule left off); the others start after a jitter.
pub fn start_scheduled(
    specs: Vec<Spec>,
    concurrency: usize,
    first: HashMap<String, Duration>,
    sink: impl Fn(Vec<Observation>) + Send + 'static,
) -> std::io::Result<Poller> {
    let (stop, stopped) = watch::channel::<Stop>(None);
    let counts = Arc::new(Counts::default());
    let shared = counts.clone();
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
                    let counts = shared.clone();
                    let mut stop = stopped.clone();
                    let first = first.get(&spec.name).copied().unwrap_or_else(|| {
                        jitter(&spec.name, seed, spec.interval.min(Duration::from_secs(30)))
                    });
                    tokio::spawn(async move {
                        let mut due = tokio::time::Instant::now() + first;
                        loop {
                            if stop.borrow_and_update().is_some() {
                                return;
                            }
                            tokio::select! {
                                () = tokio::time::sleep_until(due) => {}
                                _ = stop.changed() => return,
                            }
                            let Ok(permit) = gate.acquire().await else { return };
                            if stop.borrow_and_update().is_some() {
                                return;
                            }
                            counts.in_flight.fetch_add(1, Ordering::SeqCst);
                            let obs = bounded(&spec, &clients, &mut stop).await;
                            counts.in_flight.fetch_sub(1, Ordering::SeqCst);
                            drop(permit);
                            let Some(obs) = obs else {
                                counts.cancelled.fetch_add(1, Ordering::SeqCst);
                                return;
                            };
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
        counts,
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    /// A loopback server answering 200 `{}` to each request.
    fn server() -> u16 {
        let l = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("bind");
        let port = l.local_addr().expect("address").port();
        std::thread::spawn(move || {
            for mut c in l.incoming().flatten() {
                let mut buf = [0u8; 1024];
                let _ = c.read(&mut buf);
                let _ = c.write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
                );
            }
        });
        port
    }

    #[test]
    fn a_scheduled_first_check_waits_and_a_graceful_stop_hands_over_every_result() {
        let port = server();
        let text: String = ["soon", "later"]
            .iter()
            .map(|n| format!("[[source]]\nname = \"{n}\"\nkind = \"http\"\nurl = \"http://127.0.0.1:{port}/\"\ninterval = \"1s\"\ncontrols = [\"X\"]\n"))
            .collect();
        let cfg = crate::collect::config::parse("t.toml", &text).expect("config");
        let specs = crate::collect::spec::resolve(&cfg, std::path::Path::new("."), &|_| None);
        let first = HashMap::from([("later".to_owned(), Duration::from_secs(3600))]);
        let (tx, rx) = std::sync::mpsc::channel();
        let p = start_scheduled(specs, 4, first, move |b| {
            let _ = tx.send(b);
        })
        .expect("start");
        std::thread::sleep(Duration::from_millis(2600));
        p.stop(Instant::now() + Duration::from_secs(5));
        let t = Instant::now();
        while !p.finished() {
            assert!(
                t.elapsed() < Duration::from_secs(6),
                "the pollers did not stop"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        let got: Vec<Observation> = rx.try_iter().flatten().collect();
        assert!(got.len() >= 2, "{} checks in 2.6 s", got.len());
        assert!(got.iter().all(|o| o.source == "soon" && o.ok));
        assert_eq!((p.in_flight(), p.cancelled()), (0, 0));
    }
}
