-- certready schema, version 5: mapping review.
-- An `inherited` mapping names whom it is carved out to (`vendor:ID` or `kind:cloud`).
-- A mapping a workspace's model file changed records what the built-in set said
-- (`full`, `partial`, `inherited`, or `none` when the workspace added it).
-- A requirement the catalog marks as usually not applicable to an API platform says why.
ALTER TABLE mappings ADD COLUMN carve_out TEXT;
ALTER TABLE mappings ADD COLUMN overrides TEXT;
ALTER TABLE requirements ADD COLUMN usually_na TEXT;
