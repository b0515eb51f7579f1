//! Copying a workspace's data between backends (`db push`: SQLite to PostgreSQL; `db pull`:
//! PostgreSQL to a new SQLite file), table by table, rows exactly as stored.
//!
//! Invariants: the destination must hold no workspace; the whole copy is one transaction on
//! the destination (nothing half-copied stays); tables derived by triggers (`evidence_facts`)
//! are not copied but rebuilt on the destination, so `verify` there checks them afresh: on
//! PostgreSQL, when the pushing user owns `evidence`, its per-row facts trigger is switched off
//! for the COPY (inside the transaction) and the facts are built by one aggregate with the
//! trigger's own expressions (a million trigger calls made a push take minutes), else the
//! trigger builds them row by row; PostgreSQL identity sequences continue after the copied ids.
//! Rows go to PostgreSQL through `COPY ... FROM STDIN` (CSV), to SQLite through one prepared
//! insert. Progress is reported as (table, rows copied in all, rows to copy in all) every few
//! thousand rows and at each table's end.

use super::Store;
use super::db::{Connection, TransactionBehavior, Value};
use anyhow::{Context, Result, bail};
use std::io::Write;

/// Tables kept by triggers: rebuilt, never copied.
const DERIVED: [&str; 1] = ["evidence_facts"];

/// `evidence_facts` from the copied evidence: what the per-row `evidence_facts_insert` trigger
/// (assets/migrations/pg/0001_init.sql) computes, as one aggregate.
const FACTS_FROM_EVIDENCE: &str =
    "INSERT INTO evidence_facts (control_id, effective, expires, result, n)
   SELECT control_id, certready_day(effective), COALESCE(certready_day(expires), -1),
          CASE result WHEN 'pass' THEN 0 WHEN 'fail' THEN 1 ELSE 2 END, COUNT(*)
     FROM evidence GROUP BY 1, 2, 3, 4";

/// Rows between two progress reports.
const STEP: u64 = 2_000;

/// A progress report: (table, rows copied so far in all tables, rows to copy in all).
pub type Progress<'a> = &'a dyn Fn(&str, u64, u64);

/// What a copy moved.
#[derive(Debug, Default)]
pub struct CopyReport {
    /// (table, rows) in copy order.
    pub tables: Vec<(String, u64)>,
}

impl CopyReport {
    /// Rows copied in all.
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.1).sum()
    }
}

impl Store {
    /// The workspace tables in creation order (parents before the tables that refer to them),
    /// each with its columns in order.
    fn tables(&self) -> Result<Vec<(String, Vec<String>)>> {
        let c = self.sqlite("listing tables")?;
        let names: Vec<String> = c
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table'
                 AND name NOT LIKE 'sqlite%' ORDER BY rowid",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        names
            .into_iter()
            .filter(|n| !DERIVED.contains(&n.as_str()))
            .map(|n| {
                let cols = c
                    .prepare(&format!(
                        "SELECT name FROM pragma_table_info('{n}') ORDER BY cid"
                    ))?
                    .query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                Ok((n, cols))
            })
            .collect()
    }

    /// Rows in `tables` of this store (either backend).
    fn rows_in(&self, tables: &[(String, Vec<String>)]) -> Result<u64> {
        let mut n = 0i64;
        for (t, _) in tables {
            n += self
                .conn
                .query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| {
                    r.get::<_, i64>(0)
                })?;
        }
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Copies every row of this (SQLite) store into `dest` (PostgreSQL), which must be empty.
    pub fn copy_into(&self, dest: &Store, progress: Progress<'_>) -> Result<CopyReport> {
        let tables = self.tables()?;
        let total = self.rows_in(&tables)?;
        let mut done = 0u64;
        let Connection::Pg(pg) = &dest.conn else {
            bail!("the destination of a push is a PostgreSQL database");
        };
        dest.refuse_nonempty()?;
        let mut report = CopyReport::default();
        let mut client = pg.client();
        let mut tx = client.transaction()?;
        // The copy's commit waits for its WAL to be flushed even where the server commits
        // asynchronously: a push is durable when it reports, and only then can the VACUUM
        // below mark the new rows visible to all.
        tx.batch_execute(&format!(
            "SET LOCAL synchronous_commit = on; SELECT pg_advisory_xact_lock({})",
            super::db::pg::WRITER_LOCK
        ))?;
        let owner: bool = tx
            .query_one(
                "SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class
                 WHERE oid = 'evidence'::regclass",
                &[],
            )?
            .get(0);
        if owner {
            tx.batch_execute("ALTER TABLE evidence DISABLE TRIGGER evidence_facts_insert")?;
        }
        for (table, cols) in &tables {
            let list = cols.join(", ");
            let mut sink = tx
                .copy_in(&format!("COPY {table} ({list}) FROM STDIN (FORMAT csv)"))
                .with_context(|| format!("cannot copy into {table}"))?;
            let mut n = 0u64;
            let mut line = Vec::with_capacity(512);
            let mut st = self.conn.prepare(&format!("SELECT {list} FROM {table}"))?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                line.clear();
                for i in 0..cols.len() {
                    if i > 0 {
                        line.push(b',');
                    }
                    csv_cell(&mut line, r.get_ref(i)?);
                }
                line.push(b'\n');
                sink.write_all(&line)?;
                n += 1;
                if n.is_multiple_of(STEP) {
                    progress(table, done + n, total);
                }
            }
            sink.finish()
                .with_context(|| format!("cannot copy into {table}"))?;
            done += n;
            progress(table, done, total);
            report.tables.push((table.clone(), n));
        }
        if owner {
            tx.batch_execute(FACTS_FROM_EVIDENCE)?;
            tx.batch_execute("ALTER TABLE evidence ENABLE TRIGGER evidence_facts_insert")?;
        }
        // Identity columns continue after the copied ids.
        tx.batch_execute(
            "DO $$ DECLARE r record; BEGIN
               FOR r IN SELECT table_name, column_name FROM information_schema.columns
                        WHERE table_schema = current_schema() AND is_identity = 'YES' LOOP
                 EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L),
                   COALESCE((SELECT MAX(%I) FROM %I), 0) + 1, false)',
                   r.table_name, r.column_name, r.column_name, r.table_name);
               END LOOP; END $$",
        )?;
        tx.commit()?;
        // Fresh statistics and visibility map: scoring's read of the facts is an index-only
        // scan from the first `status` on (best effort: autovacuum does it later anyway).
        // One statement per call: VACUUM refuses to run in the implicit transaction that a
        // multi-statement batch is.
        for sql in ["VACUUM (ANALYZE) evidence_facts", "ANALYZE"] {
            if let Err(e) = client.batch_execute(sql) {
                tracing::warn!("after the push, {sql} failed: {e}");
            }
        }
        Ok(report)
    }

    /// Copies every row of this (PostgreSQL) store into `dest`, a new SQLite store.
    pub fn copy_to_sqlite(&self, dest: &Store, progress: Progress<'_>) -> Result<CopyReport> {
        let tables = dest.tables()?;
        dest.refuse_nonempty()?;
        let total = self.rows_in(&tables)?;
        let mut done = 0u64;
        let mut report = CopyReport::default();
        let tx = dest
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (table, cols) in &tables {
            let list = cols.join(", ");
            let marks = (1..=cols.len())
                .map(|i| format!("?{i}"))
                .collect::<Vec<_>>();
            let mut ins = tx.prepare(&format!(
                "INSERT INTO {table} ({list}) VALUES ({})",
                marks.join(", ")
            ))?;
            let mut st = self.conn.prepare(&format!("SELECT {list} FROM {table}"))?;
            let mut rows = st.query([])?;
            let mut n = 0u64;
            while let Some(r) = rows.next()? {
                let vals: Vec<Value> = (0..cols.len())
                    .map(|i| r.get::<_, Value>(i))
                    .collect::<super::db::Result<_>>()?;
                ins.execute(vals.as_slice())?;
                n += 1;
                if n.is_multiple_of(STEP) {
                    progress(table, done + n, total);
                }
            }
            done += n;
            progress(table, done, total);
            report.tables.push((table.clone(), n));
        }
        tx.commit()?;
        Ok(report)
    }

    /// Refuses a destination that already holds data.
    fn refuse_nonempty(&self) -> Result<()> {
        let n: i64 = self.conn.query_row(
            "SELECT (SELECT COUNT(*) FROM frameworks) + (SELECT COUNT(*) FROM change_log)
                  + (SELECT COUNT(*) FROM evidence)",
            [],
            |r| r.get(0),
        )?;
        if n > 0 {
            bail!(
                "{} is not empty; copy into an empty database",
                self.describe()
            );
        }
        Ok(())
    }
}

/// One value as a PostgreSQL CSV cell: NULL empty and unquoted, text always quoted.
fn csv_cell(out: &mut Vec<u8>, v: super::db::ValueRef<'_>) {
    use super::db::ValueRef as V;
    match v {
        V::Null => {}
        V::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        V::Real(f) => out.extend_from_slice(format!("{f:?}").as_bytes()),
        V::Text(t) => quoted(out, t),
        V::Blob(b) => {
            out.extend_from_slice(b"\"\\x");
            out.extend_from_slice(hex::encode(b).as_bytes());
            out.push(b'"');
        }
    }
}

fn quoted(out: &mut Vec<u8>, t: &[u8]) {
    out.push(b'"');
    for &c in t {
        if c == b'"' {
            out.push(b'"');
        }
        out.push(c);
    }
    out.push(b'"');
}
