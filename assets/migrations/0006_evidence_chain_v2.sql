-- Evidence chain version 2: every row's link now covers the summary, the attached file's
-- reference and the keep-until date too. The hook re-links existing rows (after checking the
-- version-1 chain) and records the upgrade in the change log.
CREATE INDEX IF NOT EXISTS change_log_by_entity ON change_log(entity, action);
