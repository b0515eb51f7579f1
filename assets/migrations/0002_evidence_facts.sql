-- certready schema, version 2: evidence reduced to what scoring reads, kept exact by triggers.
-- One row per distinct (control, effective day, expiry day, result) with how many items share
-- it; days are counted from 1970-01-01 (expires -1 when none), result 0 pass, 1 fail, 2 info.
-- Scoring a million evidence rows then reads a few hundred thousand integer rows.
CREATE TABLE evidence_facts (
  control_id TEXT NOT NULL,
  effective INTEGER NOT NULL,
  expires INTEGER NOT NULL,
  result INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (control_id, effective, expires, result)
) WITHOUT ROWID;

INSERT INTO evidence_facts (control_id, effective, expires, result, n)
SELECT control_id,
       CAST(julianday(effective) - 2440587.5 AS INTEGER),
       COALESCE(CAST(julianday(expires) - 2440587.5 AS INTEGER), -1),
       CASE result WHEN 'pass' THEN 0 WHEN 'fail' THEN 1 ELSE 2 END,
       COUNT(*)
FROM evidence GROUP BY 1, 2, 3, 4;

CREATE TRIGGER evidence_facts_insert AFTER INSERT ON evidence BEGIN
  INSERT INTO evidence_facts (control_id, effective, expires, result, n) VALUES (
    NEW.control_id,
    CAST(julianday(NEW.effective) - 2440587.5 AS INTEGER),
    COALESCE(CAST(julianday(NEW.expires) - 2440587.5 AS INTEGER), -1),
    CASE NEW.result WHEN 'pass' THEN 0 WHEN 'fail' THEN 1 ELSE 2 END,
    1)
  ON CONFLICT (control_id, effective, expires, result) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER evidence_facts_delete AFTER DELETE ON evidence BEGIN
  UPDATE evidence_facts SET n = n - 1
   WHERE control_id = OLD.control_id
     AND effective = CAST(julianday(OLD.effective) - 2440587.5 AS INTEGER)
     AND expires = COALESCE(CAST(julianday(OLD.expires) - 2440587.5 AS INTEGER), -1)
     AND result = CASE OLD.result WHEN 'pass' THEN 0 WHEN 'fail' THEN 1 ELSE 2 END;
  DELETE FROM evidence_facts WHERE control_id = OLD.control_id AND n <= 0;
END;
