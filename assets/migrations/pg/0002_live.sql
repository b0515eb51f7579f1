-- certready PostgreSQL schema, version 2: live updates and the JSON helper.
--
-- Every change to a workspace table announces itself on the `certready_change` channel (one
-- notification per table and transaction, delivered at commit), which open dashboards LISTEN
-- on. `certready_json` is SQLite's `json(text)`, which the store's change-log snapshots use.

CREATE FUNCTION certready_json(t TEXT) RETURNS json
  LANGUAGE sql IMMUTABLE AS $$ SELECT t::json $$;

CREATE FUNCTION certready_notify() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('certready_change', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT tablename FROM pg_tables
           WHERE schemaname = current_schema() AND tablename <> 'certready_schema'
  LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
         FOR EACH STATEMENT EXECUTE FUNCTION certready_notify()',
      t || '_notify', t);
  END LOOP;
END
$$;
