-- certready PostgreSQL schema, version 3: evidence_facts read by an index-only scan.
--
-- Scoring reads the whole of evidence_facts in key order. With `n` carried in the primary key's
-- index (INCLUDE), that read is an index-only scan instead of one heap visit per row: about
-- three times faster on the 1,000,000-row benchmark workspace. The key itself is unchanged,
-- so the trigger's ON CONFLICT still finds it.

ALTER TABLE evidence_facts
  DROP CONSTRAINT evidence_facts_pkey,
  ADD CONSTRAINT evidence_facts_pkey PRIMARY KEY (control_id, effective, expires, result) INCLUDE (n);
