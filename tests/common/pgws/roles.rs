//! A demo workspace pushed into a fresh PostgreSQL database with the three roles created and
//! granted to login users `alice` (editor), `bob` (reader) and `svc` (collector); commands run
//! as one of them, and URLs for a chosen user.
//!
//! Users and roles are the cluster's, shared by every test: they are created under one lock
//! per test process and only if missing, so parallel tests and reruns agree.

use super::super::{bin, pg::connect};
use super::{Pushed, demo_pushed, stderr};
use std::path::PathBuf;
use std::process::Output;
use std::sync::Mutex;

/// A demo workspace in PostgreSQL.
pub struct PgWs {
    _tmp: tempfile::TempDir,
    /// The workspace folder (certready.toml, evidence/, and the SQLite file it was pushed from).
    pub dir: PathBuf,
    /// The database as the superuser.
    pub url: String,
}

/// `url` with its `user` query parameter set to `user`.
pub fn as_user(url: &str, user: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut params: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("user="))
        .map(str::to_owned)
        .collect();
    params.push(format!("user={user}"));
    format!("{base}?{}", params.join("&"))
}

impl PgWs {
    /// The demo pushed into a new database, `db roles` run and the users granted their roles.
    pub fn new(label: &str) -> Self {
        let Pushed { dir: tmp, ws, url } = demo_pushed(label);
        let ws = Self {
            _tmp: tmp,
            dir: ws,
            url,
        };
        ws.roles();
        ws
    }

    /// `db roles` as the superuser (under the lock), then the users and their grants.
    pub fn roles(&self) -> Output {
        static LOCK: Mutex<()> = Mutex::new(());
        let _held = LOCK
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let out = bin()
            .arg("--workspace")
            .arg(&self.dir)
            .arg("--database")
            .arg(&self.url)
            .args(["db", "roles"])
            .output()
            .unwrap();
        assert!(out.status.success(), "db roles: {}", stderr(&out));
        connect(&self.url)
            .batch_execute(
                "DO $$ BEGIN
                   IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'alice') THEN CREATE ROLE alice LOGIN; END IF;
                   IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bob') THEN CREATE ROLE bob LOGIN; END IF;
                   IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'svc') THEN CREATE ROLE svc LOGIN; END IF;
                 END $$;
                 GRANT certready_editor TO alice;
                 GRANT certready_reader TO bob;
                 GRANT certready_collector TO svc;",
            )
            .expect("create the login users");
        out
    }

    /// The database as `user`.
    pub fn url_as(&self, user: &str) -> String {
        as_user(&self.url, user)
    }

    /// `certready --workspace DIR --database URL-as-USER ARGS`.
    pub fn cmd(&self, user: &str, args: &[&str]) -> Output {
        bin()
            .arg("--workspace")
            .arg(&self.dir)
            .arg("--database")
            .arg(self.url_as(user))
            .args(args)
            .output()
            .unwrap()
    }

    /// The same, which must succeed; its standard output.
    pub fn ok(&self, user: &str, args: &[&str]) -> String {
        let out = self.cmd(user, args);
        assert!(
            out.status.success(),
            "{user}: {args:?} failed: {}",
            stderr(&out)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// The same, which must fail with exactly one line on stderr; that line.
    pub fn refused(&self, user: &str, args: &[&str]) -> String {
        let out = self.cmd(user, args);
        let err = stderr(&out);
        assert!(!out.status.success(), "{user}: {args:?} succeeded: {err}");
        assert_eq!(
            err.lines().count(),
            1,
            "{user}: {args:?}: one line: {err:?}"
        );
        err.trim_end().to_owned()
    }

    /// One value from the database as the superuser.
    pub fn count(&self, sql: &str) -> i64 {
        connect(&self.url).query_one(sql, &[]).unwrap().get(0)
    }
}
