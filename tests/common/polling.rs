//! Helpers for the collector tests: a fresh workspace whose `certready.toml` gets sources
//! appended, `poll --once --json` with a chosen environment (timed), and the collected evidence
//! rows read back, all on the test binary's backend (see `backend`). Each test binary uses a
//! subset, hence the `dead_code` allowance.

#![allow(dead_code)]

use serde_json::Value;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A workspace made by `certready init` in a temporary folder, removed on drop.
pub struct Ws {
    _tmp: tempfile::TempDir,
    /// The workspace folder.
    pub path: PathBuf,
}

impl Ws {
    /// A fresh workspace (the built-in control set) with `config` appended to its config.
    pub fn new(config: &str) -> Self {
        let tmp = tempfile::tempdir().expect("temporary folder");
        let path = tmp.path().join("ws");
        super::common::init(&path);
        let ws = Self { _tmp: tmp, path };
        ws.append_config(config);
        ws
    }

    /// Appends `text` to `certready.toml`.
    pub fn append_config(&self, text: &str) {
        let file = self.path.join("certready.toml");
        let mut config = std::fs::read_to_string(&file).expect("read certready.toml");
        config.push('\n');
        config.push_str(text);
        std::fs::write(&file, config).expect("write certready.toml");
    }

    /// The SQLite database file (where it would be, on PostgreSQL).
    pub fn db(&self) -> PathBuf {
        self.path.join("certready.db")
    }

    /// `certready --workspace WS ARGS` with `env` added: exit code, stdout, stderr.
    pub fn cmd(&self, args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String, String) {
        let mut c = super::common::bin_in(&self.path);
        c.args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        let out = c.output().expect("run certready");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// `poll --once --json` with `env` added, timed.
    pub fn poll(&self, env: &[(&str, &str)]) -> Polled {
        let started = Instant::now();
        let (code, stdout, stderr) = self.cmd(&["poll", "--once", "--json"], env);
        let elapsed = started.elapsed();
        let json = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!("poll --once --json printed no JSON ({e}): {stdout}\nstderr: {stderr}")
        });
        Polled {
            code,
            json,
            stdout,
            stderr,
            elapsed,
        }
    }

    /// Every evidence row, by `seq`.
    pub fn rows(&self) -> Vec<Row> {
        let c = super::common::db(&self.path);
        let mut stmt = c
            .prepare(
                "SELECT seq, control_id, title, source, result, summary, content, run_count,
                   effective, keep_until, purged FROM evidence ORDER BY seq",
            )
            .expect("evidence query");
        stmt.query_map([], |r| {
            Ok(Row {
                seq: r.get(0)?,
                control: r.get(1)?,
                title: r.get(2)?,
                source: r.get(3)?,
                result: r.get(4)?,
                summary: r.get(5)?,
                content: r.get(6)?,
                run_count: r.get(7)?,
                effective: r.get(8)?,
                keep_until: r.get(9)?,
                purged: r.get(10)?,
            })
        })
        .expect("evidence rows")
        .collect::<certready::store::db::Result<_>>()
        .expect("evidence row")
    }

    /// The evidence rows collected from the source named `name` (titled `<kind> <name>`).
    pub fn rows_of(&self, name: &str) -> Vec<Row> {
        let suffix = format!(" {name}");
        self.rows()
            .into_iter()
            .filter(|r| r.title.ends_with(&suffix))
            .collect()
    }

    /// Runs `sql` (one integer or text column, one row) on the workspace's store.
    pub fn query<T: rusqlite::types::FromSql>(&self, sql: &str) -> T {
        let c = super::common::db(&self.path);
        c.query_row(sql, [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

/// One evidence row.
#[derive(Debug, Clone)]
pub struct Row {
    /// Chain position.
    pub seq: i64,
    /// Control.
    pub control: String,
    /// Title (`<kind> <source name>` for collected rows).
    pub title: String,
    /// Evidence source (the kind).
    pub source: String,
    /// `pass` or `fail`.
    pub result: String,
    /// Summary.
    pub summary: String,
    /// Content (NULL once purged).
    pub content: Option<String>,
    /// Checks this row stands for.
    pub run_count: i64,
    /// Effective date.
    pub effective: String,
    /// Keep-until date.
    pub keep_until: Option<String>,
    /// Date the content was purged.
    pub purged: Option<String>,
}

/// What one `poll --once --json` did.
pub struct Polled {
    /// Exit code.
    pub code: Option<i32>,
    /// The JSON it printed.
    pub json: Value,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Wall time of the whole process.
    pub elapsed: Duration,
}

impl Polled {
    /// The result of the source named `name`.
    pub fn result(&self, name: &str) -> &Value {
        self.json["results"]
            .as_array()
            .and_then(|a| a.iter().find(|r| r["source"] == name))
            .unwrap_or_else(|| panic!("no result for `{name}` in {}", self.json))
    }

    /// Whether `name` passed.
    pub fn ok(&self, name: &str) -> bool {
        self.result(name)["ok"]
            .as_bool()
            .unwrap_or_else(|| panic!("no `ok` for `{name}`"))
    }

    /// The summary of `name`.
    pub fn summary(&self, name: &str) -> &str {
        self.result(name)["summary"].as_str().unwrap_or("")
    }

    /// Asserts `name` passed, showing its summary otherwise.
    pub fn assert_pass(&self, name: &str) {
        assert!(
            self.ok(name),
            "`{name}` should pass: {}",
            self.summary(name)
        );
    }

    /// Asserts `name` failed with a summary containing every one of `words` (any case).
    pub fn assert_fail(&self, name: &str, words: &[&str]) {
        let summary = self.summary(name);
        assert!(!self.ok(name), "`{name}` should fail: {summary}");
        let lower = summary.to_lowercase();
        for w in words {
            assert!(
                lower.contains(&w.to_lowercase()),
                "`{name}` failed, but its reason does not mention `{w}`: {summary}"
            );
        }
    }
}
