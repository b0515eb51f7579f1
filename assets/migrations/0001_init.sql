-- certready schema, version 1: every entity of DESIGN's model table.
-- Dates are ISO 8601 text (YYYY-MM-DD); times are RFC 3339 text in UTC.
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE frameworks (
  key TEXT PRIMARY KEY, name TEXT NOT NULL, version TEXT NOT NULL, source TEXT NOT NULL,
  notes TEXT NOT NULL DEFAULT '[]', ord INTEGER NOT NULL);
CREATE TABLE framework_groups (
  framework TEXT NOT NULL REFERENCES frameworks(key) ON DELETE CASCADE,
  id TEXT NOT NULL, title TEXT NOT NULL, ord INTEGER NOT NULL, PRIMARY KEY (framework, id));
CREATE TABLE requirements (
  framework TEXT NOT NULL REFERENCES frameworks(key) ON DELETE CASCADE,
  ref_id TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL, group_id TEXT NOT NULL,
  parent TEXT, assessable INTEGER NOT NULL, hipaa TEXT, note TEXT, left_to_org TEXT,
  ord INTEGER NOT NULL, PRIMARY KEY (framework, ref_id));

CREATE TABLE scope (
  framework TEXT PRIMARY KEY REFERENCES frameworks(key), categories TEXT NOT NULL DEFAULT '[]',
  role TEXT);
CREATE TABLE scope_exclusions (
  framework TEXT NOT NULL REFERENCES scope(framework) ON DELETE CASCADE,
  ref_id TEXT NOT NULL, justification TEXT NOT NULL, PRIMARY KEY (framework, ref_id),
  FOREIGN KEY (framework, ref_id) REFERENCES requirements(framework, ref_id));

CREATE TABLE controls (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
  domain TEXT NOT NULL DEFAULT '', owner TEXT NOT NULL DEFAULT '', status TEXT NOT NULL,
  cadence TEXT NOT NULL, evidence_expected TEXT NOT NULL DEFAULT '[]',
  note TEXT NOT NULL DEFAULT '', origin TEXT NOT NULL DEFAULT 'import');
CREATE TABLE mappings (
  control_id TEXT NOT NULL REFERENCES controls(id) ON DELETE CASCADE,
  framework TEXT NOT NULL, ref_id TEXT NOT NULL, relationship TEXT NOT NULL,
  rationale TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (control_id, framework, ref_id),
  FOREIGN KEY (framework, ref_id) REFERENCES requirements(framework, ref_id));
CREATE INDEX mappings_req ON mappings(framework, ref_id);

CREATE TABLE evidence (
  seq INTEGER PRIMARY KEY,
  control_id TEXT NOT NULL REFERENCES controls(id),
  natural_key TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL, source TEXT NOT NULL, result TEXT NOT NULL,
  effective TEXT NOT NULL, collected TEXT NOT NULL, expires TEXT,
  summary TEXT NOT NULL DEFAULT '', content TEXT, content_digest TEXT NOT NULL,
  file_ref TEXT, chain_hash TEXT NOT NULL);
CREATE INDEX evidence_by_control ON evidence(control_id, effective, expires, result);

CREATE TABLE risks (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL, likelihood INTEGER NOT NULL, impact INTEGER NOT NULL,
  residual_likelihood INTEGER, residual_impact INTEGER, treatment TEXT NOT NULL,
  owner TEXT NOT NULL DEFAULT '');
CREATE TABLE risk_controls (
  risk_id TEXT NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
  control_id TEXT NOT NULL REFERENCES controls(id), PRIMARY KEY (risk_id, control_id));

CREATE TABLE findings (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL, severity TEXT NOT NULL, status TEXT NOT NULL,
  control_id TEXT REFERENCES controls(id) DEFERRABLE INITIALLY DEFERRED,
  requirement TEXT, opened TEXT, due TEXT, closed TEXT);

CREATE TABLE tasks (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, owner TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL, due TEXT, estimate_days INTEGER,
  finding_id TEXT REFERENCES findings(id) DEFERRABLE INITIALLY DEFERRED,
  control_id TEXT REFERENCES controls(id) DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE task_deps (
  task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  depends_on TEXT NOT NULL REFERENCES tasks(id) DEFERRABLE INITIALLY DEFERRED,
  PRIMARY KEY (task_id, depends_on));

CREATE TABLE audits (
  id TEXT PRIMARY KEY, framework TEXT NOT NULL REFERENCES frameworks(key), kind TEXT NOT NULL,
  status TEXT NOT NULL, point_in_time TEXT, window_start TEXT, window_end TEXT,
  fieldwork_start TEXT, fieldwork_end TEXT, report_date TEXT, auditor TEXT NOT NULL DEFAULT '');

CREATE TABLE vendors (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, service TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL,
  criticality TEXT, data TEXT NOT NULL DEFAULT '[]', region TEXT NOT NULL DEFAULT '',
  subprocessors TEXT NOT NULL DEFAULT '[]', owner TEXT NOT NULL DEFAULT '',
  controls TEXT NOT NULL DEFAULT '[]');
CREATE TABLE agreements (
  id INTEGER PRIMARY KEY, vendor_id TEXT NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
  kind TEXT NOT NULL, signed TEXT, issued TEXT, period_start TEXT, period_end TEXT,
  expires TEXT, file_digest TEXT);

CREATE TABLE exercises (
  id TEXT PRIMARY KEY, scenario TEXT NOT NULL, started TEXT NOT NULL, ended TEXT,
  facilitator TEXT NOT NULL DEFAULT '', participants TEXT NOT NULL DEFAULT '[]',
  log TEXT NOT NULL DEFAULT '[]');
CREATE TABLE review_snapshots (as_of TEXT PRIMARY KEY, taken TEXT NOT NULL, metrics TEXT NOT NULL);
CREATE TABLE notes (
  id INTEGER PRIMARY KEY, entity TEXT NOT NULL, entity_id TEXT NOT NULL, text TEXT NOT NULL,
  at TEXT NOT NULL, author TEXT NOT NULL);

CREATE TABLE change_log (
  seq INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL,
  entity TEXT NOT NULL, entity_id TEXT NOT NULL, before TEXT, after TEXT,
  chain_hash TEXT NOT NULL);
