-- certready schema: catalog editions.
-- A requirement a new edition dropped is kept for history but no longer assessed; `retired`
-- names the edition that dropped it (NULL while the installed edition lists it), so a diff
-- against the installed edition leaves it out and applying the same edition twice is a no-op.
ALTER TABLE requirements ADD COLUMN retired TEXT;
