//! Benchmarks on the generated large workspace (1,000 controls, 5 frameworks, 1,000,000
//! evidence rows, 10,000 risks, findings and tasks; `CERTREADY_BENCH_ROWS` changes the row
//! count): status, the Type II ledger, the first frame of each tab, one frame, ingestion of
//! collected evidence, import of the demo and the review pack.
//!
//! Run with `cargo bench --bench engine`. The workspace is generated once into
//! `target/bench-workspace-<rows>` by `certready gen` and reused.

use certready::analysis;
use certready::domain::{Date, GatewayReading, GatewayState, Observation};
use certready::store::Store;
use certready::tui::{data::Data, snapshot, tab::Tab, theme::Theme};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use std::path::PathBuf;
use std::time::Duration;

fn as_of() -> Date {
    "2026-11-26".parse().unwrap()
}

fn workspace() -> PathBuf {
    let rows: usize = std::env::var("CERTREADY_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join(format!("bench-workspace-{rows}"));
    if !dir.join("certready.db").is_file() {
        let _ = std::fs::remove_dir_all(&dir);
        let ok = std::process::Command::new(env!("CARGO_BIN_EXE_certready"))
            .args([
                "gen",
                "--evidence",
                &rows.to_string(),
                "--as-of",
                "2026-11-26",
            ])
            .arg(&dir)
            .status()
            .unwrap()
            .success();
        assert!(ok, "certready gen failed");
    }
    dir
}

fn large(c: &mut Criterion) {
    let dir = workspace();
    let store = Store::open(&dir.join("certready.db")).unwrap();
    let mut g = c.benchmark_group("large");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    g.bench_function("status (load + score)", |b| {
        b.iter(|| analysis::assess(&store.snapshot().unwrap(), as_of()));
    });
    let snap = store.snapshot().unwrap();
    let assessment = analysis::assess(&snap, as_of());
    g.bench_function("type2 ledger (soc2)", |b| {
        let fw = snap.frameworks.iter().find(|f| f.key.0 == "soc2").unwrap();
        let r = &assessment
            .frameworks
            .iter()
            .find(|f| f.key.0 == "soc2")
            .unwrap()
            .readiness;
        b.iter(|| analysis::ledger::for_framework(&snap, fw, r, as_of()));
    });
    g.bench_function("review pack", |b| {
        b.iter(|| {
            certready::ops::review::pack_text(&store, &snap, &assessment, Some(&dir)).unwrap()
        });
    });
    let data = Data::load(&store, as_of(), false).unwrap();
    for tab in Tab::ALL {
        let app = snapshot::app_with(
            data.clone(),
            tab,
            (200, 60),
            Theme::named("default").unwrap(),
            "bench",
        )
        .unwrap();
        g.bench_function(format!("frame 200x60 {}", tab.title()), |b| {
            b.iter(|| snapshot::render(&app).unwrap());
        });
    }
    g.bench_function("first frame (load + score + draw, Overview)", |b| {
        b.iter(|| {
            let d = Data::load(&store, as_of(), false).unwrap();
            let app = snapshot::app_with(
                d,
                Tab::Overview,
                (200, 60),
                Theme::named("default").unwrap(),
                "bench",
            )
            .unwrap();
            snapshot::render(&app).unwrap()
        });
    });
    g.finish();
}

/// `n` observations of `sources` sources; with `changing` every result differs (each appends a
/// chained row), otherwise they repeat (each extends a run).
fn observations(n: usize, sources: usize, changing: bool, t0: i64) -> Vec<Observation> {
    (0..n)
        .map(|i| Observation {
            source: format!("src-{}", i % sources),
            kind: if i % 5 == 0 { "gateway" } else { "http" },
            controls: vec!["GW-AVAIL-01".into()],
            at: t0 + (i / sources) as i64,
            ok: true,
            summary: "HTTP 200, 1 assertion(s) hold".into(),
            content: if changing {
                format!("{{\"n\":{i}}}")
            } else {
                "{\"ok\":true}".into()
            },
            latency_ms: 12,
            attempts: 1,
            gateway: (i % 5 == 0).then_some(GatewayReading {
                state: GatewayState::Up,
                version: Some("1.0".into()),
            }),
            fail_after: 3,
            interval_s: 5,
        })
        .collect()
}

fn ingest(c: &mut Criterion) {
    let mut g = c.benchmark_group("ingest");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(10))
        .throughput(criterion::Throughput::Elements(50_000));
    for (name, changing) in [("50k new rows", true), ("50k run extensions", false)] {
        g.bench_function(name, |b| {
            b.iter_batched(
                || {
                    let t = tempfile::tempdir().unwrap();
                    let ws = certready::workspace::Workspace::new(&t.path().join("ws"));
                    let store = ws.init("Bench", false, "2026-11-26T00:00:00Z").unwrap();
                    (t, store, observations(50_000, 500, changing, 1_795_000_000))
                },
                |(t, mut store, obs)| {
                    store.ingest(&obs).unwrap();
                    (t, store)
                },
                BatchSize::PerIteration,
            );
        });
    }
    g.finish();
}

fn demo(c: &mut Criterion) {
    let mut g = c.benchmark_group("demo");
    g.sample_size(10);
    g.bench_function("import the demo workspace", |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            |t| {
                certready::demo::build(t.path(), as_of(), "2026-11-26T09:00:00Z").unwrap();
                t
            },
            BatchSize::PerIteration,
        );
    });
    g.finish();
}

/// One Overview frame of the demo at 200x60, alone and while 500 sources are polled every
/// 5 seconds in the same process (against the simulated gateway on 127.0.0.1).
fn frame_while_polling(c: &mut Criterion) {
    use certready::collect::{config, poller, spec};
    let t = tempfile::tempdir().unwrap();
    let store = certready::demo::build(t.path(), as_of(), "2026-11-26T09:00:00Z").unwrap();
    let data = Data::load(&store, as_of(), true).unwrap();
    let app = snapshot::app_with(
        data,
        Tab::Overview,
        (200, 60),
        Theme::named("default").unwrap(),
        "bench",
    )
    .unwrap();
    let mut g = c.benchmark_group("frame");
    g.bench_function("overview 200x60, idle", |b| {
        b.iter(|| snapshot::render(&app).unwrap());
    });
    let (port, _sim) = certready::collect::sim::start(0, "up", "sk-bench-key-0123456789").unwrap();
    let mut text = String::new();
    for i in 0..500 {
        text.push_str(&format!(
            "[[source]]\nname = \"s{i}\"\nkind = \"http\"\nurl = \"http://127.0.0.1:{port}/v1/models\"\ninterval = \"5s\"\ntimeout = \"3s\"\ncontrols = [\"GW-AVAIL-01\"]\n"
        ));
    }
    let cfg = config::parse("bench.toml", &text).unwrap();
    let specs = spec::resolve(&cfg, t.path(), &|_| None);
    let (tx, rx) = std::sync::mpsc::channel();
    let pollers = poller::start(specs, 32, move |b| {
        let _ = tx.send(b.len());
    })
    .unwrap();
    std::thread::sleep(Duration::from_secs(6));
    g.bench_function("overview 200x60, 500 sources polling", |b| {
        b.iter(|| snapshot::render(&app).unwrap());
    });
    drop(pollers);
    let polled: usize = rx.try_iter().sum();
    assert!(
        polled > 500,
        "the pollers ran during the measurement ({polled} checks)"
    );
    g.finish();
}

criterion_group!(benches, ingest, frame_while_polling, demo, large);
criterion_main!(benches);
