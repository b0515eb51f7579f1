//! What the single writer does with collected results: secrets never reach the disk or the
//! terminal, unchanged results extend one row while changes append, tampering is named by
//! `verify`, repeated failures open one monitoring finding and recovery only adds a note, and
//! retention follows the framework rule (HIPAA six years) or the workspace default. Runs on
//! SQLite here and on PostgreSQL as `pg_matrix_collect_store` (where "the disk" the secrets must
//! not reach includes every row of the workspace's database).

mod common;
#[path = "common/polling.rs"]
mod polling;
#[path = "common/servers.rs"]
mod servers;

use chrono::NaiveDate;
use polling::Ws;
use std::path::Path;
use std::sync::atomic::Ordering;

const CONTROL: &str = "GW-AVAIL-01";

fn http_source(name: &str, port: u16, lines: &str) -> String {
    format!(
        "\n[[source]]\nname = \"{name}\"\nkind = \"http\"\nurl = \"http://127.0.0.1:{port}/\"\ncontrols = [\"{CONTROL}\"]\n{lines}\n"
    )
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn keys_and_tokens_reach_neither_the_disk_nor_the_terminal() {
    const TOKEN: &str = "tok-Redact-0123456789abcdefQRS";
    const KEY: &str = "sk-live-ABCDEFGHIJKLMNOPqrstuv0123";
    const KEY2: &str = "sk-proj_zyxwvutsrqponmlkjihg98765";
    let note = format!("upstream rejected {KEY}; fallback key {KEY2} also failed");
    let (port, seen) = servers::echo_with(&note);
    let headers = "headers_env = { Authorization = \"CERTREADY_TEST_AUTH\" }";
    let ws = Ws::new(&format!(
        "{}{}",
        http_source("leaky-echo", port, headers),
        http_source(
            "leaky-assert",
            port,
            &format!("{headers}\nassert = [{{ path = \"$.note\", equals = \"fine\" }}]"),
        ),
    ));
    let env = [("CERTREADY_TEST_AUTH", &*format!("Bearer {TOKEN}"))];
    let mut printed = Vec::new();
    let p = ws.poll(&env);
    p.assert_pass("leaky-echo");
    p.assert_fail("leaky-assert", &["assertion failed"]);
    printed.push(p.stdout.clone());
    printed.push(p.stderr.clone());
    // Reports and exports land inside the workspace, so the walk below reads them too.
    let dir = ws.path.display().to_string();
    let (review, export, bundle) = (
        format!("{dir}/review.html"),
        format!("{dir}/export.json"),
        format!("{dir}/bundle"),
    );
    for args in [
        &["poll", "--once"][..],
        &["sources"],
        &["sources", "--json"],
        &["verify"],
        &["review", "--format", "html", "--out", &review],
        &["export", "json", "--out", &export],
        &["export", "bundle", &bundle],
        &["snapshot", "--tab", "evidence", "--size", "200x60"],
        &["log"],
    ] {
        let (_, out, err) = ws.cmd(args, &env);
        printed.push(out);
        printed.push(err);
    }
    assert!(std::path::Path::new(&review).is_file() && std::path::Path::new(&export).is_file());
    let heads = seen.lock().unwrap().clone();
    assert!(
        heads.iter().any(|h| h.contains(TOKEN)),
        "the server did receive (and echo) the token, so there was something to redact"
    );
    let stored = ws.rows_of("leaky-echo");
    assert!(
        stored[0]
            .content
            .as_deref()
            .is_some_and(|c| c.contains("[REDACTED]") && c.contains("upstream rejected")),
        "the echoed body is stored, redacted: {stored:?}"
    );
    for secret in [TOKEN, KEY, KEY2] {
        for out in &printed {
            assert!(!out.contains(secret), "`{secret}` was printed: {out}");
        }
        for f in files(&ws.path) {
            let bytes = std::fs::read(&f).unwrap();
            assert!(
                !contains(&bytes, secret),
                "`{secret}` is in {}",
                f.strip_prefix(&ws.path).unwrap().display()
            );
        }
        if let Some(rows) = common::backend::database_text(&ws.path) {
            assert!(rows.contains("[REDACTED]"), "the redacted rows are read");
            assert!(!rows.contains(secret), "`{secret}` is in the database");
        }
    }
}

#[test]
fn an_unchanged_result_extends_one_row_and_a_change_appends() {
    let pass = servers::flag(true);
    let port = servers::switch(pass.clone());
    let ws = Ws::new(&http_source("steady", port, "retries = 0"));
    for i in 0..5 {
        let p = ws.poll(&[]);
        assert_eq!(p.code, Some(0));
        let (appended, extended) = if i == 0 { (1, 0) } else { (0, 1) };
        assert_eq!(
            (p.json["appended"].as_u64(), p.json["extended"].as_u64()),
            (Some(appended), Some(extended)),
            "poll {i}: {}",
            p.json
        );
    }
    let rows = ws.rows_of("steady");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!((rows[0].result.as_str(), rows[0].run_count), ("pass", 5));
    let run_count: i64 = ws.query("SELECT run_count FROM evidence WHERE title = 'http steady'");
    assert_eq!(run_count, 5);

    // A change within the same second as the row it follows is covered by
    // `a_change_of_result_within_one_second_is_still_recorded`; here each change comes in a
    // later second, so this test checks compaction alone.
    let mut last = now_second();
    pass.store(false, Ordering::SeqCst);
    wait_for_next_second(last);
    let p = ws.poll(&[]);
    assert_eq!(p.code, Some(1));
    assert_eq!(p.json["appended"], 1, "{}", p.json);
    last = now_second();
    pass.store(true, Ordering::SeqCst);
    wait_for_next_second(last);
    let p = ws.poll(&[]);
    assert_eq!(p.json["appended"], 1, "{}", p.json);
    let rows = ws.rows_of("steady");
    let seen: Vec<(&str, i64)> = rows
        .iter()
        .map(|r| (r.result.as_str(), r.run_count))
        .collect();
    assert_eq!(seen, [("pass", 5), ("fail", 1), ("pass", 1)]);
    let (code, out, err) = ws.cmd(&["verify"], &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("evidence chain: 3 rows ok"), "{out}");
}

/// The current wall-clock second.
fn now_second() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Returns once the wall clock has moved past second `after` (at most about a second).
fn wait_for_next_second(after: i64) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    while chrono::Utc::now().timestamp() <= after {
        assert!(
            std::time::Instant::now() < deadline,
            "the clock stands still"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

fn observation(at: i64, ok: bool) -> certready::domain::Observation {
    certready::domain::Observation {
        source: "same-second".into(),
        kind: "http",
        controls: vec![CONTROL.into()],
        at,
        ok,
        summary: if ok {
            "HTTP 200".into()
        } else {
            "HTTP 500, expected 200".into()
        },
        content: format!("ok {ok}\n"),
        latency_ms: 3,
        attempts: 1,
        gateway: None,
        fail_after: 3,
        interval_s: 60,
    }
}

#[test]
fn a_change_of_result_within_one_second_is_still_recorded() {
    let ws = Ws::new("");
    let mut store = common::workspace(&ws.path).open().unwrap();
    let at = chrono::Utc::now().timestamp();
    let first = store.ingest(&[observation(at, true)]).unwrap();
    assert_eq!((first.appended, first.extended), (1, 0));
    let again = store.ingest(&[observation(at, true)]).unwrap();
    assert_eq!(
        (again.appended, again.extended),
        (0, 1),
        "unchanged: extended"
    );
    let changed = store.ingest(&[observation(at, false)]).unwrap();
    drop(store);
    let rows = ws.rows_of("same-second");
    let results: Vec<&str> = rows.iter().map(|r| r.result.as_str()).collect();
    assert_eq!(
        (changed.appended, results),
        (1, vec!["pass", "fail"]),
        "a failure observed in the same second as the previous pass must append a row"
    );
}

/// Flips one character of `text` to another of the same kind (hex stays hex).
fn flip_one(text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let last = chars.len() - 1;
    chars[last] = if chars[last] == '0' { '1' } else { '0' };
    chars.into_iter().collect()
}

#[test]
fn changing_one_byte_of_a_collected_row_is_named_by_verify() {
    for column in ["title", "content_digest"] {
        let port = servers::ok(r#"{"ok":true}"#);
        let ws = Ws::new(&format!(
            "{}{}",
            http_source("first", port, ""),
            http_source("second", port, "")
        ));
        assert_eq!(ws.poll(&[]).code, Some(0));
        let (code, out, err) = ws.cmd(&["verify"], &[]);
        assert_eq!(code, Some(0), "{out}{err}");
        let seq = ws.rows_of("first")[0].seq;
        assert!(
            ws.rows_of("second")[0].seq > seq,
            "the tampered row is not the last"
        );
        let c = common::db(&ws.path);
        let before: String = c
            .query_row(
                &format!("SELECT {column} FROM evidence WHERE seq = ?1"),
                [seq],
                |r| r.get(0),
            )
            .unwrap();
        let after = flip_one(&before);
        assert_eq!(before.len(), after.len());
        c.execute(
            &format!("UPDATE evidence SET {column} = ?1 WHERE seq = ?2"),
            rusqlite::params![after, seq],
        )
        .unwrap();
        drop(c);
        let (code, out, err) = ws.cmd(&["verify"], &[]);
        assert_ne!(code, Some(0), "verify passed after {column} changed: {out}");
        let said = format!("{out}\n{err}");
        let named = said.match_indices(&format!("seq {seq}")).any(|(i, m)| {
            !said[i + m.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
        });
        assert!(
            named,
            "verify names seq {seq} after {column} changed: {said}"
        );
    }
}

#[test]
fn repeated_failures_open_one_monitoring_finding_and_recovery_only_adds_a_note() {
    let pass = servers::flag(false);
    let port = servers::switch(pass.clone());
    let ws = Ws::new(&http_source(
        "admin-api",
        port,
        "retries = 0\nfail_after = 2",
    ));
    let findings =
        || -> i64 { ws.query("SELECT count(*) FROM findings WHERE source = 'monitoring'") };

    let p = ws.poll(&[]);
    assert_eq!(p.code, Some(1));
    assert_eq!(p.json["findings_opened"], serde_json::json!([]));
    assert_eq!(findings(), 0, "one failure is not yet a finding");

    let p = ws.poll(&[]);
    let opened = p.json["findings_opened"].as_array().unwrap().clone();
    assert_eq!(opened.len(), 1, "{}", p.json);
    let id = opened[0].as_str().unwrap().to_owned();
    assert!(id.starts_with("MON-"), "{id}");
    assert!(p.stderr.contains(&id), "{}", p.stderr);
    assert_eq!(findings(), 1);
    let (source, status, control): (String, String, Option<String>) = {
        let c = common::db(&ws.path);
        c.query_row(
            "SELECT source, status, control_id FROM findings WHERE id = ?1",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
    };
    assert_eq!(source, "monitoring");
    assert_eq!(status, "open");
    assert_eq!(control.as_deref(), Some(CONTROL));

    for _ in 0..2 {
        let p = ws.poll(&[]);
        assert_eq!(p.json["findings_opened"], serde_json::json!([]));
    }
    assert_eq!(findings(), 1, "further failures open nothing new");
    let (_, out, _) = ws.cmd(&["sources", "--json"], &[]);
    let sources: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(sources[0]["consecutive_failures"], 4, "{sources}");
    assert_eq!(sources[0]["finding_id"], id.as_str());

    let notes = || -> i64 {
        ws.query(&format!(
            "SELECT count(*) FROM notes WHERE entity = 'finding' AND entity_id = '{id}'"
        ))
    };
    assert_eq!(notes(), 0);
    pass.store(true, Ordering::SeqCst);
    let p = ws.poll(&[]);
    assert_eq!(p.code, Some(0));
    assert!(p.stderr.contains("recovered"), "{}", p.stderr);
    assert_eq!(notes(), 1, "recovery adds a note to the finding");
    let text: String = ws.query(&format!(
        "SELECT text FROM notes WHERE entity = 'finding' AND entity_id = '{id}'"
    ));
    assert!(
        text.contains("admin-api") && text.contains("recovered"),
        "{text}"
    );
    let (status, closed): (String, Option<String>) = {
        let c = common::db(&ws.path);
        c.query_row(
            "SELECT status, closed FROM findings WHERE id = ?1",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    assert_ne!(status, "closed", "recovery does not close the finding");
    assert_eq!(closed, None);
    assert_eq!(findings(), 1, "recovery does not delete the finding");

    ws.poll(&[]);
    assert_eq!(notes(), 1, "staying healthy adds no further notes");
    let (code, out, err) = ws.cmd(&["verify"], &[]);
    assert_eq!(code, Some(0), "{out}{err}");
}

fn date(s: &str) -> NaiveDate {
    s.parse()
        .unwrap_or_else(|e| panic!("`{s}` is not a date: {e}"))
}

fn years_after(d: NaiveDate, years: u32) -> NaiveDate {
    d.checked_add_months(chrono::Months::new(12 * years))
        .unwrap()
}

#[test]
fn retention_follows_hipaa_or_the_workspace_default_and_purge_waits_for_it() {
    let tmp = tempfile::tempdir().unwrap();
    let model = tmp.path().join("controls.yaml");
    std::fs::write(
        &model,
        "controls:\n  - id: X-HIPAA-ONLY\n    title: Control mapped only to HIPAA\n    cadence: continuous\n    maps:\n      hipaa: [\"164.312(d)\"]\n  - id: X-SOC2-ONLY\n    title: Control mapped only to SOC 2\n    cadence: continuous\n    maps:\n      soc2: [CC6.1]\n",
    )
    .unwrap();
    let ws = Ws::new(
        "evidence_retention_years = 3\n\n[[source]]\nname = \"phi-access-review\"\nkind = \"file\"\npath = \"review.txt\"\ncontrols = [\"X-HIPAA-ONLY\"]\n\n[[source]]\nname = \"access-review\"\nkind = \"file\"\npath = \"review.txt\"\ncontrols = [\"X-SOC2-ONLY\"]\n",
    );
    common::run(&ws.path, &["import", model.to_str().unwrap()]);
    std::fs::write(
        ws.path.join("review.txt"),
        "quarterly access review: done\n",
    )
    .unwrap();
    let mapped = |filter: &str| -> i64 {
        ws.query(&format!(
            "SELECT COUNT(*) FROM mappings WHERE control_id LIKE 'X-%'{filter}"
        ))
    };
    assert_eq!(mapped(""), 2);
    assert_eq!(
        mapped(" AND control_id = 'X-HIPAA-ONLY' AND framework = 'hipaa'"),
        1
    );
    assert_eq!(
        mapped(" AND control_id = 'X-SOC2-ONLY' AND framework = 'soc2'"),
        1
    );
    let p = ws.poll(&[]);
    assert_eq!(p.code, Some(0), "{}{}", p.stdout, p.stderr);

    let hipaa = ws.rows_of("phi-access-review").remove(0);
    let soc2 = ws.rows_of("access-review").remove(0);
    let effective = date(&hipaa.effective);
    let hipaa_keep = years_after(effective, 6);
    let soc2_keep = years_after(date(&soc2.effective), 3);
    assert_eq!(hipaa.keep_until.as_deref(), Some(&*hipaa_keep.to_string()));
    assert_eq!(
        soc2.keep_until.as_deref(),
        Some(&*soc2_keep.to_string()),
        "the workspace default (3 years) applies to a SOC 2-only control"
    );

    let purge = |as_of: NaiveDate, dry_run: bool| {
        let as_of = as_of.to_string();
        let mut args = vec!["evidence", "purge", "--as-of", &as_of];
        if dry_run {
            args.push("--dry-run");
        }
        common::run(&ws.path, &args)
    };
    let contents = || {
        (
            ws.rows_of("phi-access-review").remove(0),
            ws.rows_of("access-review").remove(0),
        )
    };
    let verify_ok = || {
        let (code, out, err) = ws.cmd(&["verify"], &[]);
        assert_eq!(code, Some(0), "{out}{err}");
    };

    for as_of in [years_after(effective, 1), soc2_keep] {
        let out = purge(as_of, false);
        assert!(out.starts_with("purged 0 "), "{out}");
        let (h, s) = contents();
        assert!(h.content.is_some() && h.purged.is_none(), "{h:?}");
        assert!(s.content.is_some() && s.purged.is_none(), "{s:?}");
    }

    let after_soc2 = soc2_keep + chrono::Days::new(1);
    let out = purge(after_soc2, true);
    assert!(out.starts_with("would purge 1 "), "{out}");
    let (_, s) = contents();
    assert!(s.content.is_some(), "a dry run changes nothing");

    let out = purge(after_soc2, false);
    assert!(out.starts_with("purged 1 "), "{out}");
    let (h, s) = contents();
    assert_eq!(s.content, None);
    assert_eq!(s.purged.as_deref(), Some(&*after_soc2.to_string()));
    assert!(
        h.content.is_some() && h.purged.is_none(),
        "HIPAA evidence is kept six years: {h:?}"
    );
    verify_ok();

    let out = purge(hipaa_keep, false);
    assert!(out.starts_with("purged 0 "), "{out}");
    let after_hipaa = hipaa_keep + chrono::Days::new(1);
    let out = purge(after_hipaa, false);
    assert!(out.starts_with("purged 1 "), "{out}");
    let (h, _) = contents();
    assert_eq!(h.content, None);
    assert_eq!(h.purged.as_deref(), Some(&*after_hipaa.to_string()));
    verify_ok();
    assert_eq!(common::evidence_rows(&ws.path), 2, "purge deletes no row");
}
