//! `db roles`: the three PostgreSQL roles that say who may do what, enforced by the server.
//!
//! - reader (reviewers, auditors): reads every table, writes none.
//! - editor (the compliance team): reads and edits the model; the hash-chained logs
//!   (`evidence`, `change_log`) only grow: no `UPDATE`/`DELETE` of the change log, and of
//!   evidence only the run, purge columns and the undo of an item.
//! - collector (pollers on a server): reads the model, appends evidence and the change log,
//!   keeps source state, runs and gateway runs, and opens monitoring findings with their notes.
//!   `poll` also records the config's `evidence_retention_years` in `meta` when it changed: a
//!   row-level policy lets the collector write that one `meta` row and no other (the workspace
//!   id, checkpoint key and organisation stay the editor's).
//!
//! What a role may not do the server refuses (SQLSTATE 42501); the command line turns that into
//! one line naming the user and its role, and the command's transaction leaves nothing behind.
//! A reader's `review` shows a week already recorded (it writes nothing then); recording a new
//! week is the editor's act (the pack is the meeting's signed record), so a reader is refused.
//!
//! The editor's `DELETE` on evidence (the undo of the newest item needs it) reaches only the
//! newest row: a trigger (PostgreSQL migration 4) refuses any other with the same SQLSTATE.
//! Repeating that undo still shortens the log; a signed checkpoint is what catches it. The
//! prefixes are kept in `certready_roles`, and opening a database that a migration has just
//! brought forward grants them again, so tables a later migration adds are covered.
//!
//! Invariants: the roles are `NOLOGIN` groups (people and services log in as their own users
//! and are granted one); running it again changes nothing; only grants, never a password.

use super::Store;
use super::db::Connection;
use anyhow::{Result, bail};

/// The roles' names under `prefix`: reader, editor, collector.
pub fn role_names(prefix: &str) -> [String; 3] {
    ["reader", "editor", "collector"].map(|r| format!("{prefix}_{r}"))
}

/// Tables the collector appends to or keeps (beyond reading everything).
const COLLECTOR_WRITES: &str = "GRANT INSERT ON evidence, change_log, findings, notes TO {c};
GRANT UPDATE (run_last, run_count) ON evidence TO {c};
GRANT INSERT, UPDATE ON source_runs, meta TO {c};
GRANT INSERT, UPDATE, DELETE ON source_state, gateway_runs, evidence_facts TO {c};";

/// `meta` under row-level security: everyone who may select reads every row, the editor writes
/// any, the collector only the retention row. The table's owner (who ran the migrations) is
/// not bound by the policies.
fn meta_policies(prefix: &str, e: &str, c: &str) -> String {
    let key = super::RETENTION_META;
    format!(
        "ALTER TABLE meta ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {prefix}_read ON meta;
CREATE POLICY {prefix}_read ON meta FOR SELECT USING (true);
DROP POLICY IF EXISTS {prefix}_editor_write ON meta;
CREATE POLICY {prefix}_editor_write ON meta FOR ALL TO {e} USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS {prefix}_collector_retention ON meta;
CREATE POLICY {prefix}_collector_retention ON meta FOR ALL TO {c}
  USING (key = '{key}') WITH CHECK (key = '{key}');
"
    )
}

impl Store {
    /// Creates (or completes) the three roles; returns their names.
    pub fn create_roles(&self, prefix: &str) -> Result<[String; 3]> {
        let Connection::Pg(pg) = &self.conn else {
            bail!(
                "roles are PostgreSQL's: run `db roles` with --database or CERTREADY_DATABASE_URL"
            );
        };
        if prefix.is_empty()
            || !prefix
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            bail!("--prefix {prefix:?}: use lower-case letters, digits and _");
        }
        let names = role_names(prefix);
        let [r, e, c] = &names;
        let mut sql = String::from("DO $$ BEGIN\n");
        for n in &names {
            sql.push_str(&format!(
                "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{n}') THEN
  BEGIN CREATE ROLE {n} NOLOGIN;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- created meanwhile
  END;
END IF;\n"
            ));
        }
        sql.push_str("END $$;\n");
        let db: String = self
            .conn
            .query_row("SELECT current_database()::text", [], |r| r.get(0))?;
        sql.push_str(&format!(
            "GRANT CONNECT ON DATABASE \"{db}\" TO {r}, {e}, {c};
GRANT USAGE ON SCHEMA public TO {r}, {e}, {c};
GRANT SELECT ON ALL TABLES IN SCHEMA public TO {r}, {e}, {c};
GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {e};
REVOKE UPDATE, DELETE ON change_log FROM {e};
REVOKE INSERT, UPDATE, DELETE ON certready_schema, certready_roles FROM {e};
INSERT INTO certready_roles (prefix) VALUES ('{prefix}') ON CONFLICT DO NOTHING;
REVOKE UPDATE ON evidence FROM {e};
GRANT UPDATE (run_last, run_count, content, purged) ON evidence TO {e};
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {e}, {c};
{}
{}",
            COLLECTOR_WRITES.replace("{c}", c),
            meta_policies(prefix, e, c)
        ));
        pg.batch(&sql)?;
        Ok(names)
    }

    /// Grants again every role set `db roles` created (after a migration).
    pub(crate) fn regrant_roles(&self) -> Result<()> {
        let mut stmt = self.conn.prepare("SELECT prefix FROM certready_roles")?;
        let prefixes = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<crate::store::db::Result<Vec<_>>>()?;
        for p in prefixes {
            self.create_roles(&p)?;
        }
        Ok(())
    }
}
