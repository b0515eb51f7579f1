//! Which backend this test binary runs its workspaces on, and the helpers that bind a
//! workspace folder to it: the library's `Workspace`, the built binary's command, and a
//! connection for the test's own queries.
//!
//! A suite `tests/X.rs` is compiled twice: as itself (SQLite) and as `tests/pg_matrix_X.rs`,
//! which includes the same file with `#[path]`; [`backend`] tells them apart by the crate's
//! name at compile time. On PostgreSQL every workspace folder gets its own fresh database the
//! first time a helper sees it, remembered for the rest of the process, so the library, the
//! binary and the test's queries all agree on where the folder's data is.
//!
//! Invariants: a SQLite command never sees `CERTREADY_DATABASE_URL` (removed from the child's
//! environment), a PostgreSQL one always has its folder's URL; nothing is skipped: a server
//! that cannot be reached fails the test (see `pg`).

use super::{bin, pg};
use assert_cmd::Command;
use certready::store::db::Connection;
use certready::workspace::Workspace;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Where the workspaces of this test binary keep their store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The workspace folder's `certready.db`.
    Sqlite,
    /// A fresh PostgreSQL database per workspace folder.
    Postgres,
}

pub use Backend::{Postgres, Sqlite};

/// This binary's backend: PostgreSQL for the `pg_matrix_*` copies of a suite.
pub const fn backend() -> Backend {
    if const_starts_with(env!("CARGO_CRATE_NAME").as_bytes(), b"pg_matrix_") {
        Postgres
    } else {
        Sqlite
    }
}

const fn const_starts_with(s: &[u8], prefix: &[u8]) -> bool {
    if s.len() < prefix.len() {
        return false;
    }
    let mut i = 0;
    while i < prefix.len() {
        if s[i] != prefix[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// `ws` in one spelling: absolute, its parent resolved when it exists (so `dir/ws` and
/// `dir/./ws` or a symlinked temp folder name the same database).
fn key(ws: &Path) -> PathBuf {
    let abs = std::path::absolute(ws).unwrap_or_else(|_| ws.to_owned());
    match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) => parent
            .canonicalize()
            .map_or_else(|_| abs.clone(), |p| p.join(name)),
        _ => abs,
    }
}

/// On PostgreSQL, the URL of the database the folder `ws` keeps its store in (created on first
/// use); `None` on SQLite.
pub fn database_url(ws: &Path) -> Option<String> {
    static DATABASES: Mutex<Option<HashMap<PathBuf, String>>> = Mutex::new(None);
    if backend() == Sqlite {
        return None;
    }
    // A SQLite file here would mean some command ran without the folder's database.
    assert!(
        !ws.join("certready.db").exists(),
        "{}: a SQLite file in a PostgreSQL workspace folder",
        ws.display()
    );
    let mut map = DATABASES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let url = map
        .get_or_insert_with(HashMap::new)
        .entry(key(ws))
        .or_insert_with(|| {
            let label = ws
                .file_name()
                .map_or_else(|| "ws".to_owned(), |n| n.to_string_lossy().into_owned());
            pg::fresh_database(&label)
        });
    Some(url.clone())
}

/// The library's workspace for the folder `ws`, on this binary's backend.
pub fn workspace(ws: &Path) -> Workspace {
    match database_url(ws) {
        Some(url) => Workspace::in_database(ws, &url),
        None => Workspace::new(ws),
    }
}

/// The built binary with the environment that puts the folder `ws` on this binary's backend
/// (no `--workspace`: for `init WS`, `demo WS` and the like).
pub fn bin_for(ws: &Path) -> Command {
    let mut c = bin();
    match database_url(ws) {
        Some(url) => c.env("CERTREADY_DATABASE_URL", url),
        None => c.env_remove("CERTREADY_DATABASE_URL"),
    };
    c
}

/// `certready --workspace WS` on this binary's backend (arguments still to add).
pub fn bin_in(ws: &Path) -> Command {
    let mut c = bin_for(ws);
    c.arg("--workspace").arg(ws);
    c
}

/// A connection to the folder's store, for the test's own queries (SQLite syntax; translated
/// on PostgreSQL).
pub fn db(ws: &Path) -> Connection {
    match database_url(ws) {
        Some(url) => Connection::Pg(
            certready::store::db::pg::connect_url(&url)
                .unwrap_or_else(|e| panic!("cannot connect to {}: {e}", ws.display())),
        ),
        None => Connection::Sqlite(
            rusqlite::Connection::open(ws.join("certready.db"))
                .unwrap_or_else(|e| panic!("cannot open {}/certready.db: {e}", ws.display())),
        ),
    }
}

/// One integer from the folder's store.
pub fn count(ws: &Path, sql: &str) -> i64 {
    db(ws)
        .query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The schema version a fresh store has on this backend: one per migration file.
pub fn latest_schema_version() -> i64 {
    let dir = match backend() {
        Sqlite => "assets/migrations",
        Postgres => "assets/migrations/pg",
    };
    let files = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "sql")
        })
        .count();
    i64::try_from(files).unwrap()
}

/// On PostgreSQL, every row of every table of the folder's database as text, `table|row`,
/// sorted within its table, tables by name; `None` on SQLite (whose file is in the folder).
pub fn database_rows(ws: &Path) -> Option<Vec<String>> {
    let url = database_url(ws)?;
    let mut c = pg::connect(&url);
    let mut out = Vec::new();
    for t in tables(&mut c) {
        let mut rows: Vec<String> = c
            .query(&format!("SELECT x::text FROM \"{t}\" x"), &[])
            .unwrap_or_else(|e| panic!("rows of {t}: {e}"))
            .iter()
            .map(|r| format!("{t}|{}", r.get::<_, &str>(0)))
            .collect();
        rows.sort();
        out.extend(rows);
    }
    Some(out)
}

/// [`database_rows`] as one text, a row a line.
pub fn database_text(ws: &Path) -> Option<String> {
    database_rows(ws).map(|rows| rows.join("\n"))
}

/// The tables of the database `c` is connected to, by name.
fn tables(c: &mut postgres::Client) -> Vec<String> {
    let tables: Vec<String> = c
        .query(
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(!tables.is_empty(), "no tables in the database");
    tables
}

/// Everything the folder's store holds, as bytes to compare before and after a command that
/// must change nothing: the SQLite file itself, or on PostgreSQL each table's name, row count
/// and a digest of its rows in a fixed order.
pub fn fingerprint(ws: &Path) -> Vec<u8> {
    let Some(url) = database_url(ws) else {
        return std::fs::read(ws.join("certready.db"))
            .unwrap_or_else(|e| panic!("{}/certready.db: {e}", ws.display()));
    };
    let mut c = pg::connect(&url);
    let mut out = String::new();
    for t in tables(&mut c) {
        let row = c
            .query_one(
                &format!(
                    "SELECT COUNT(*), COALESCE(md5(string_agg(x::text, E'\\n' ORDER BY x::text)), '') \
                     FROM \"{t}\" x"
                ),
                &[],
            )
            .unwrap_or_else(|e| panic!("fingerprint of {t}: {e}"));
        let (n, digest): (i64, String) = (row.get(0), row.get(1));
        out.push_str(&format!("{t} {n} {digest}\n"));
    }
    out.into_bytes()
}
