//! Tampering with a workspace as an attacker with the database file would, one case per SQL
//! statement: each is caught by `verify` (chains over every field, run extensions and purges
//! replayed from the change log, derived tables recomputed, files rehashed), and everything
//! the chain alone cannot show (truncation, a rebuilt chain) by `verify --checkpoint`. Runs on
//! SQLite here and on PostgreSQL as `pg_matrix_integrity` (the attacker then has the database
//! instead of the file; backup and restore are SQLite's, refused on PostgreSQL).

mod common;

use certready::store::db::{Connection, ValueRef};
use common::{Backend, backend, bin_for};
use std::path::{Path, PathBuf};

const CONTROL: &str = "GW-AVAIL-01";

/// A demo workspace with an attached file, collected rows (one extended three times) and a
/// signed checkpoint; the key lives in its own folder.
struct Fixture {
    _dir: tempfile::TempDir,
    ws: PathBuf,
    keys: PathBuf,
    cp: PathBuf,
}

fn observation(at: i64, ok: bool, content: &str) -> certready::domain::Observation {
    certready::domain::Observation {
        source: "health".into(),
        kind: "http",
        controls: vec![CONTROL.into()],
        at,
        ok,
        summary: format!("HTTP {}", if ok { 200 } else { 500 }),
        content: content.into(),
        latency_ms: 3,
        attempts: 1,
        gateway: None,
        fail_after: 3,
        interval_s: 15,
    }
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("ws");
        let keys = dir.path().join("keys");
        let f = Self {
            ws: ws.clone(),
            keys,
            cp: dir.path().join("cp.json"),
            _dir: dir,
        };
        f.ok(&["demo", ws.to_str().unwrap(), "--as-of", "2026-11-26"]);
        let file = f.ws.join("../report.txt");
        std::fs::write(&file, b"quarterly restore test: passed\n").unwrap();
        f.ok_ws(&[
            "evidence",
            "add",
            CONTROL,
            file.to_str().unwrap(),
            "--effective",
            "2026-11-20",
            "--result",
            "pass",
        ]);
        let mut store = common::workspace(&ws).open().unwrap();
        let t = 1_795_000_000;
        let batch = [
            observation(t, true, "{\"status\":\"ok\"}"),
            observation(t + 15, true, "{\"status\":\"ok\"}"),
            observation(t + 30, true, "{\"status\":\"ok\"}"),
            observation(t + 45, false, "{\"status\":\"down\"}"),
        ];
        store.ingest(&batch).unwrap();
        drop(store);
        f.ok_ws(&["checkpoint", "--out", f.cp.to_str().unwrap()]);
        f
    }

    fn cmd(&self, args: &[&str]) -> std::process::Output {
        bin_for(&self.ws)
            .env("CERTREADY_KEY_DIR", &self.keys)
            .args(args)
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn ok_ws(&self, args: &[&str]) -> String {
        let mut all = vec!["--workspace", self.ws.to_str().unwrap()];
        all.extend(args);
        self.ok(&all)
    }

    /// `verify [--checkpoint]`: (success, the error line).
    fn verify(&self, checkpoint: bool) -> (bool, String) {
        let mut args = vec!["--workspace", self.ws.to_str().unwrap(), "verify"];
        if checkpoint {
            args.extend(["--checkpoint", self.cp.to_str().unwrap()]);
        }
        let out = self.cmd(&args);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.success(), err)
    }

    fn sql(&self, statements: &str) {
        self.db().execute_batch(statements).unwrap();
    }

    fn db(&self) -> Connection {
        common::db(&self.ws)
    }
}

/// Runs `statements` on a fresh fixture; `verify` must name `plain` (or pass when `None`),
/// and `verify --checkpoint` must always fail naming `with_cp`.
fn caught(statements: &str, plain: Option<&str>, with_cp: &str) {
    let f = Fixture::new();
    assert!(f.verify(true).0, "the untouched fixture verifies");
    f.sql(statements);
    let (ok, err) = f.verify(false);
    match plain {
        Some(words) => {
            assert!(!ok, "{statements}: verify passed");
            assert!(err.contains(words), "{statements}: {err}");
            assert_eq!(err.trim().lines().count(), 1, "{err}");
        }
        None => assert!(ok, "{statements}: {err}"),
    }
    let (ok, err) = f.verify(true);
    assert!(!ok, "{statements}: verify --checkpoint passed");
    assert!(err.contains(with_cp), "{statements}: {err}");
}

#[test]
fn deleting_the_last_evidence_rows_is_caught() {
    caught(
        "DELETE FROM evidence WHERE seq > (SELECT MAX(seq) - 2 FROM evidence)",
        Some("rows were removed or added outside certready"),
        "were removed",
    );
}

#[test]
fn deleting_the_last_change_log_rows_is_caught() {
    // The last row is the checkpoint's own record; cut into what the checkpoint signed (the
    // collectors' append).
    caught(
        "DELETE FROM change_log WHERE seq > (SELECT MAX(seq) - 2 FROM change_log)",
        Some("recorded head"),
        "change log: the checkpoint holds",
    );
}

#[test]
fn deleting_the_whole_evidence_table_is_caught() {
    caught(
        "DELETE FROM evidence",
        Some("the evidence log ends at 0000000000000000"),
        "rows 1..",
    );
}

#[test]
fn changing_columns_outside_the_old_chain_is_caught() {
    for (sql, words) in [
        (
            "UPDATE evidence SET summary = 'all good' WHERE seq = 3",
            "chain hash does not match",
        ),
        (
            "UPDATE evidence SET keep_until = '2000-01-01' WHERE seq = 3",
            "chain hash does not match",
        ),
        (
            "UPDATE evidence SET file_ref = 'evidence/other.pdf' WHERE file_ref IS NOT NULL",
            "chain hash does not match",
        ),
        (
            "UPDATE evidence SET run_count = 40 WHERE run_count = 3",
            "differ from the change log",
        ),
        (
            "UPDATE evidence SET run_last = '2030-01-01T00:00:00Z' WHERE run_count = 3",
            "differ from the change log",
        ),
        (
            "UPDATE evidence SET content = NULL WHERE content IS NOT NULL AND purged IS NULL",
            "never purged",
        ),
        (
            "UPDATE evidence SET purged = '2026-01-01', content = NULL WHERE seq = 4",
            "no purge in the change log records",
        ),
    ] {
        caught(sql, Some(words), words);
    }
}

#[test]
fn editing_the_facts_scoring_reads_is_caught() {
    caught(
        &format!("UPDATE evidence_facts SET n = n + 5 WHERE control_id = '{CONTROL}'"),
        Some("evidence_facts differs from the evidence"),
        "evidence_facts differs",
    );
    caught(
        "INSERT INTO evidence_facts (control_id, effective, expires, result, n)
         VALUES ('GW-MFA-01', 20500, -1, 0, 9)",
        Some("control GW-MFA-01"),
        "evidence_facts differs",
    );
}

/// Changes one row's title and recomputes every link after it, as a forger with the file
/// would: the chains hold again, so only the signed checkpoint can tell.
#[test]
fn a_rebuilt_chain_passes_verify_but_not_the_checkpoint() {
    let f = Fixture::new();
    let c = f.db();
    c.execute(
        "UPDATE evidence SET collected = '2026-01-01T00:00:00Z', run_last = '2026-01-01T00:00:00Z'
         WHERE seq = 1000",
        [],
    )
    .unwrap();
    relink(&c);
    drop(c);
    let (ok, err) = f.verify(false);
    assert!(ok, "a rebuilt chain is internally consistent: {err}");
    let (ok, err) = f.verify(true);
    assert!(!ok);
    assert!(
        err.contains("evidence: rows 1..2048 differ from the checkpoint"),
        "{err}"
    );
}

/// Recomputes every evidence link and the change log's recorded heads and links (in one
/// transaction, touching only the log rows that hold a replaced hash: on PostgreSQL each
/// statement is otherwise its own commit).
fn relink(c: &Connection) {
    let tx = c.unchecked_transaction().unwrap();
    let rows: Vec<Vec<Option<String>>> = c
        .prepare(
            "SELECT seq, control_id, natural_key, title, source, result, effective, collected,
               expires, content_digest, summary, file_ref, keep_until, chain_hash
             FROM evidence ORDER BY seq",
        )
        .unwrap()
        .query_map([], |r| {
            (0..14)
                .map(|i| {
                    Ok(match r.get_ref(i)? {
                        ValueRef::Integer(n) => Some(n.to_string()),
                        ValueRef::Null => None,
                        v => Some(v.as_str()?.to_owned()),
                    })
                })
                .collect()
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut prev = certready::store::chain::GENESIS.to_owned();
    let mut heads = Vec::new();
    for r in &rows {
        let s = |i: usize| r[i].as_deref().unwrap_or("");
        let fields = certready::store::StoredFields {
            control: s(1),
            natural_key: s(2),
            title: s(3),
            source: s(4),
            result: s(5),
            effective: s(6),
            collected: s(7),
            expires: r[8].as_deref(),
            content_digest: s(9),
            summary: s(10),
            file_ref: r[11].as_deref(),
            keep_until: s(12),
        };
        let seq: i64 = s(0).parse().unwrap();
        let old = s(13).to_owned();
        prev = certready::store::evidence_link(&prev, seq, &fields);
        if old != prev {
            c.execute(
                "UPDATE evidence SET chain_hash = ?1 WHERE seq = ?2",
                rusqlite::params![prev, seq],
            )
            .unwrap();
        }
        heads.push((old, prev.clone()));
    }
    for (old, new) in heads.into_iter().filter(|(old, new)| old != new) {
        c.execute(
            "UPDATE change_log SET after = replace(after, ?1, ?2), before = replace(before, ?1, ?2)
             WHERE after LIKE '%' || ?1 || '%' OR before LIKE '%' || ?1 || '%'",
            [old, new],
        )
        .unwrap();
    }
    let log: Vec<(i64, Vec<String>)> = c
        .prepare("SELECT seq, at, who, action, entity, entity_id, COALESCE(before, ''), COALESCE(after, '') FROM change_log ORDER BY seq")
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, (1..8).map(|i| r.get(i)).collect::<Result<_, _>>()?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut prev = certready::store::chain::GENESIS.to_owned();
    for (seq, f) in log {
        let seq_s = seq.to_string();
        let mut fields = vec![seq_s.as_str()];
        fields.extend(f.iter().map(String::as_str));
        prev = certready::store::chain::link(&prev, &fields);
        c.execute(
            "UPDATE change_log SET chain_hash = ?1 WHERE seq = ?2",
            rusqlite::params![prev, seq],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

fn attached(f: &Fixture) -> PathBuf {
    let r: String = f
        .db()
        .query_row(
            "SELECT file_ref FROM evidence WHERE file_ref IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    f.ws.join(r)
}

#[test]
fn overwriting_an_attached_file_is_caught_and_the_bundle_refuses_it() {
    let f = Fixture::new();
    std::fs::write(attached(&f), b"quarterly restore test: FAILED\n").unwrap();
    let (ok, err) = f.verify(false);
    assert!(!ok);
    assert!(err.contains("does not match its recorded SHA-256"), "{err}");
    let out = f.cmd(&[
        "--workspace",
        f.ws.to_str().unwrap(),
        "export",
        "bundle",
        f.ws.join("../bundle").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no checkpoint is signed"));
}

/// Points a row's `file_ref` outside the workspace and re-links the chain so it verifies.
fn escape_row(f: &Fixture, victim: &Path) {
    let c = f.db();
    let rel = format!(
        "evidence/../../{}",
        victim.file_name().unwrap().to_str().unwrap()
    );
    c.execute(
        "UPDATE evidence SET file_ref = ?1 WHERE file_ref IS NOT NULL",
        [&rel],
    )
    .unwrap();
    relink(&c);
}

#[test]
fn a_file_reference_outside_the_evidence_folder_is_never_read_restored_or_deleted() {
    let f = Fixture::new();
    let victim = f.ws.join("../victim.txt");
    std::fs::write(&victim, b"not evidence").unwrap();
    // A crafted backup: restore refuses it and leaves the live database as it was. Backups
    // are SQLite files; on PostgreSQL the copy comes from `db pull` and `restore` is refused
    // outright (PostgreSQL has its own backups), which must change nothing either.
    let crafted = f.ws.join("../crafted.db");
    match backend() {
        Backend::Sqlite => f.ok_ws(&["backup", crafted.to_str().unwrap()]),
        Backend::Postgres => f.ok_ws(&["db", "pull", crafted.to_str().unwrap()]),
    };
    {
        let c = Connection::Sqlite(rusqlite::Connection::open(&crafted).unwrap());
        let rel = "evidence/../../victim.txt";
        c.execute(
            "UPDATE evidence SET file_ref = ?1 WHERE file_ref IS NOT NULL",
            [rel],
        )
        .unwrap();
        relink(&c);
    }
    let before = common::backend::fingerprint(&f.ws);
    let out = f.cmd(&[
        "--workspace",
        f.ws.to_str().unwrap(),
        "restore",
        crafted.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let refusal = match backend() {
        Backend::Sqlite => "is not a plain file name under evidence/",
        Backend::Postgres => "restore works on a SQLite workspace",
    };
    assert!(err.contains(refusal), "{err}");
    assert_eq!(common::backend::fingerprint(&f.ws), before);
    // The same row in the live database: verify names it, the bundle and purge leave the
    // victim alone.
    escape_row(&f, &victim);
    let (ok, err) = f.verify(false);
    assert!(!ok && err.contains("not a plain file name"), "{err}");
    let bundle = f.ws.join("../bundle");
    let out = f.cmd(&[
        "--workspace",
        f.ws.to_str().unwrap(),
        "export",
        "bundle",
        bundle.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(!walk_has(&bundle, b"not evidence"));
    let out = f.cmd(&[
        "--workspace",
        f.ws.to_str().unwrap(),
        "evidence",
        "purge",
        "--as-of",
        "2999-01-01",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a plain file name"));
    assert_eq!(std::fs::read(&victim).unwrap(), b"not evidence");
}

fn walk_has(dir: &Path, needle: &[u8]) -> bool {
    std::fs::read_dir(dir).is_ok_and(|rd| {
        rd.flatten().any(|e| {
            let p = e.path();
            if p.is_dir() {
                walk_has(&p, needle)
            } else {
                std::fs::read(&p).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle))
            }
        })
    })
}

#[test]
fn a_bundle_verifies_alone_and_names_an_edited_item() {
    let f = Fixture::new();
    let bundle = f.ws.join("../bundle");
    f.ok_ws(&["export", "bundle", bundle.to_str().unwrap()]);
    let out = f.ok(&["verify-bundle", bundle.to_str().unwrap()]);
    assert!(out.contains("item(s) verified against it"), "{out}");
    let n: u64 = out
        .split("; ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|s| s.parse().ok())
        .unwrap();
    let rows: i64 = f
        .db()
        .query_row("SELECT COUNT(*) FROM evidence", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, rows as u64);
    // One sampled item by sequence number.
    let one = f.ok(&["verify-bundle", bundle.to_str().unwrap(), "7"]);
    assert!(one.contains("; 1 item(s) verified"), "{one}");
    // The attached copy edited: named.
    let copy = std::fs::read_dir(bundle.join("controls").join(CONTROL))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_none_or(|x| x != "json"))
        .unwrap();
    std::fs::write(&copy, b"edited").unwrap();
    let out = f.cmd(&["verify-bundle", bundle.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not match its digest"));
    // A checkpoint signed by another key: refused.
    let cp = bundle.join("checkpoint.json");
    let text = std::fs::read_to_string(&cp).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["evidence"]["size"] = serde_json::json!(1);
    std::fs::write(&cp, v.to_string()).unwrap();
    let out = f.cmd(&["verify-bundle", bundle.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("signature does not verify"));
}

#[test]
fn checkpoint_keys_stay_outside_the_workspace_and_private() {
    let f = Fixture::new();
    let keys: Vec<_> = std::fs::read_dir(&f.keys).unwrap().flatten().collect();
    assert_eq!(keys.len(), 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = keys[0].metadata().unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let seed = std::fs::read_to_string(keys[0].path()).unwrap();
        assert!(!walk_has(&f.ws, seed.trim().as_bytes()));
        std::fs::set_permissions(keys[0].path(), std::fs::Permissions::from_mode(0o644)).unwrap();
        let out = f.cmd(&["--workspace", f.ws.to_str().unwrap(), "checkpoint"]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("chmod 600"));
    }
    // The newest evidence row is covered by the checkpoint, so it can no longer be undone.
    let text = std::fs::read_to_string(&f.cp).unwrap();
    assert!(text.contains("\"signature\""));
}

/// A second checkpoint re-links only the rows since the first (the rows before are proven by
/// their hashes): a row appended since and then edited is refused; an old row edited under its
/// unchanged hash is signed over only as that hash, and `verify` still names it.
#[test]
fn a_later_checkpoint_re_links_what_came_since_and_verify_still_names_old_edits() {
    let f = Fixture::new();
    let mut store = common::workspace(&f.ws).open().unwrap();
    store
        .ingest(&[observation(1_796_000_000, true, "{\"status\":\"new\"}")])
        .unwrap();
    drop(store);
    f.sql("UPDATE evidence SET summary = 'edited' WHERE seq = (SELECT MAX(seq) FROM evidence)");
    let out = f.cmd(&["--workspace", f.ws.to_str().unwrap(), "checkpoint"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no checkpoint is signed") && err.contains("chain hash does not match"),
        "{err}"
    );
    let g = Fixture::new();
    g.sql("UPDATE evidence SET summary = 'edited' WHERE seq = 3");
    let out = g.cmd(&["--workspace", g.ws.to_str().unwrap(), "checkpoint"]);
    assert!(
        out.status.success(),
        "the old row's hash is unchanged, so the heads are"
    );
    let (ok, err) = g.verify(false);
    assert!(!ok && err.contains("evidence seq 3"), "{err}");
}
