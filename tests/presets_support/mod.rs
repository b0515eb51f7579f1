//! Shared by the preset tests: a preset source checked through the poll path (config entry,
//! spec, check, judge), a tiny HTTP server on 127.0.0.1 serving recorded response shapes, a
//! fixture-printing program standing in for a CLI, and a required tool that fails the test
//! with a clear message when it is missing (never a skip).

#![allow(dead_code)]

use certready::collect::library::{Library, add};
use certready::collect::{config, poller, spec};
use certready::domain::Observation;
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The repository's fixtures/presets folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/presets")
}

/// A recorded fixture's text, with `{{DAYS_AGO_N}}` replaced by the RFC 3339 time N days ago.
pub fn fixture(name: &str) -> String {
    let text = std::fs::read_to_string(fixtures().join(name))
        .unwrap_or_else(|e| panic!("fixture {name}: {e}"));
    let now = chrono::Utc::now();
    let mut out = text;
    for n in [0, 1, 2, 3, 5, 10] {
        let t =
            (now - chrono::Duration::days(n)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        out = out.replace(&format!("{{{{DAYS_AGO_{n}}}}}"), &t);
    }
    out
}

/// Checks the preset source `preset` with `params` once, with `env` as the environment the
/// config's variable names are read from; `dir` is the workspace.
pub fn check(
    dir: &Path,
    preset: &str,
    params: &[(&str, &str)],
    env: &[(&str, &str)],
) -> Observation {
    let given: BTreeMap<String, String> = params
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let lib = Library::load(dir).expect("library");
    let block = add::block(&lib, preset, "under-test", &given).unwrap_or_else(|e| panic!("{e}"));
    let text = block.replace("timeout = \"60s\"", "timeout = \"90s\"\nretries = 0");
    let cfg = config::parse("certready.toml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    add::validate(&cfg, "certready.toml", &text, &lib).unwrap_or_else(|e| panic!("{e}"));
    let env: HashMap<String, String> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let specs = spec::resolve(&cfg, dir, &|n| env.get(n).cloned());
    let mut obs = poller::once(&specs, 1, &|_: &Observation| {}).expect("poll");
    let o = obs.remove(0);
    eprintln!("{preset}: ok={} {}", o.ok, o.summary);
    o
}

/// Asserts a pass whose summary holds `want`.
pub fn passes(o: &Observation, want: &str) {
    assert!(o.ok, "expected a pass, got: {}", o.summary);
    assert!(
        o.summary.contains(want),
        "summary {:?} lacks {want:?}",
        o.summary
    );
}

/// Asserts a failure whose summary holds `want`.
pub fn fails(o: &Observation, want: &str) {
    assert!(!o.ok, "expected a failure, got a pass: {}", o.summary);
    assert!(
        o.summary.contains(want),
        "summary {:?} lacks {want:?}",
        o.summary
    );
}

/// A program that prints `text` and exits 0, written into `dir` (stands in for a CLI whose
/// real service cannot run here; the preset takes its program from a parameter).
pub fn printer(dir: &Path, name: &str, text: &str) -> String {
    let data = dir.join(format!("{name}.out"));
    std::fs::write(&data, text).expect("write fixture output");
    let script = dir.join(name);
    std::fs::write(&script, format!("#!/bin/sh\ncat '{}'\n", data.display())).expect("script");
    std::fs::set_permissions(
        &script,
        <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o755),
    )
    .expect("chmod");
    script.display().to_string()
}

/// The full path of `tool` on `PATH`; fails the test with how to install it when missing.
pub fn require(tool: &str, install: &str) -> String {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join(tool))
        .find(|p| p.is_file())
        .map_or_else(|| panic!("`{tool}` is not installed: the preset tests need it ({install}; .ci/run installs it)"), |p| p.display().to_string())
}

/// Responses by path (query included), changeable while the server runs.
pub type Routes = Arc<Mutex<HashMap<String, (u16, String)>>>;

/// A tiny HTTP/1.1 server on 127.0.0.1: answers each request from `routes` (404 otherwise)
/// and keeps the `Authorization` header of the last request. Returns its base URL.
pub fn serve(routes: Routes, auth: Arc<Mutex<Option<String>>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let target = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = h.split_once(':')
                    && k.eq_ignore_ascii_case("authorization")
                {
                    *auth.lock().expect("lock") = Some(v.trim().to_owned());
                }
            }
            let (status, body) = routes
                .lock()
                .expect("lock")
                .get(&target)
                .cloned()
                .unwrap_or((404, "{\"message\":\"Not Found\"}".into()));
            let mut s = stream;
            let _ = write!(
                s,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://127.0.0.1:{port}")
}

/// A server with `routes` set from (path, fixture file) pairs.
pub fn serve_fixtures(pairs: &[(&str, &str)]) -> (String, Routes, Arc<Mutex<Option<String>>>) {
    let routes: Routes = Arc::new(Mutex::new(
        pairs
            .iter()
            .map(|(p, f)| ((*p).to_owned(), (200, fixture(f))))
            .collect(),
    ));
    let auth = Arc::new(Mutex::new(None));
    let url = serve(routes.clone(), auth.clone());
    (url, routes, auth)
}

/// Points `path` at `fixture` (status 200).
pub fn route(routes: &Routes, path: &str, fixture_name: &str) {
    routes
        .lock()
        .expect("lock")
        .insert(path.to_owned(), (200, fixture(fixture_name)));
}
