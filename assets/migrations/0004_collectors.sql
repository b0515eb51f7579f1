-- certready schema, version 4: collected evidence.
-- Runs: an unchanged result of a polled source extends the day's row (run_last, run_count)
-- instead of adding one; a change of result, of content or of day starts a new, chained row.
-- Retention: keep_until from the frameworks a control serves (HIPAA 6 years, PCI DSS 1 year,
-- otherwise the workspace default, 7 years); purge clears content past it, keeps the digest.
ALTER TABLE evidence ADD COLUMN keep_until TEXT;
ALTER TABLE evidence ADD COLUMN run_last TEXT;
ALTER TABLE evidence ADD COLUMN run_count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE evidence ADD COLUMN purged TEXT;

UPDATE evidence SET keep_until = date(effective, '+' || (
  CASE
    WHEN NOT EXISTS (SELECT 1 FROM mappings m WHERE m.control_id = evidence.control_id)
      OR EXISTS (SELECT 1 FROM mappings m WHERE m.control_id = evidence.control_id
                 AND m.framework NOT IN ('hipaa', 'pci-dss')) THEN 7
    WHEN EXISTS (SELECT 1 FROM mappings m WHERE m.control_id = evidence.control_id
                 AND m.framework = 'hipaa') THEN 6
    ELSE 1
  END) || ' years');

-- One row per configured source: what the Sources view shows.
CREATE TABLE source_state (
  name TEXT PRIMARY KEY, kind TEXT NOT NULL, controls TEXT NOT NULL DEFAULT '[]',
  last_at INTEGER, last_ok INTEGER, last_summary TEXT NOT NULL DEFAULT '',
  latency_ms INTEGER, interval_s INTEGER NOT NULL DEFAULT 0,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  checks INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0,
  finding_id TEXT);

-- The open run per source and control: the evidence row an unchanged result extends.
CREATE TABLE source_runs (
  name TEXT NOT NULL, control_id TEXT NOT NULL, seq INTEGER NOT NULL, day TEXT NOT NULL,
  result TEXT NOT NULL, digest TEXT NOT NULL, PRIMARY KEY (name, control_id));

-- Gateway health as runs of one state within one hour: availability, outages, latency.
CREATE TABLE gateway_runs (
  gateway TEXT NOT NULL, state TEXT NOT NULL, first_at INTEGER NOT NULL,
  last_at INTEGER NOT NULL, n INTEGER NOT NULL, latency_sum INTEGER NOT NULL,
  latency_max INTEGER NOT NULL, version TEXT, PRIMARY KEY (gateway, first_at));
