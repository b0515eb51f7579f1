-- certready PostgreSQL schema, version 4: the database itself keeps the evidence chain's
-- middle intact for the roles, and remembers which roles `db roles` created.
--
-- Removing an evidence item is the undo of the newest one (the chain must stay whole). A row
-- trigger refuses, with SQLSTATE 42501 as a missing grant would, the deletion of any other row
-- by a user who does not own the table (the roles' members); the owner, who ran the
-- migrations, is left to the application's own check. `certready_roles` lists the prefixes
-- `db roles` ran with, so a later migration re-grants them (new tables included).
-- Written to be re-runnable: every object is created if missing or replaced.

CREATE TABLE IF NOT EXISTS certready_roles (prefix TEXT PRIMARY KEY);

CREATE OR REPLACE FUNCTION certready_evidence_newest_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.seq < (SELECT max(seq) FROM evidence)
     AND NOT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER')
  THEN
    RAISE EXCEPTION 'permission denied for table evidence: only the newest item may be removed (seq % of %)',
      OLD.seq, (SELECT max(seq) FROM evidence)
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN OLD;
END $$;

DROP TRIGGER IF EXISTS evidence_newest_only ON evidence;
CREATE TRIGGER evidence_newest_only BEFORE DELETE ON evidence
  FOR EACH ROW EXECUTE FUNCTION certready_evidence_newest_only();
