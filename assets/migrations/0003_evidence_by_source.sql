-- certready schema, version 3: evidence by source, so the timeline can list tabletop exercises
-- (and the collectors their own items) without scanning every row.
CREATE INDEX evidence_by_source ON evidence(source, effective);
