-- Triggers, row-level security and policies are part of a relation's
-- structure: cached, tracked, shown by describe() and verified.
CREATE TEMP VIEW recent AS
SELECT command_tag, action, object_identity, details
  FROM planner_meta.changelog
 WHERE id > coalesce(current_setting('pm.mark', true), '0')::bigint
 ORDER BY id;
CREATE FUNCTION pg_temp.mark() RETURNS void LANGUAGE sql AS
$$ SELECT set_config('pm.mark', (SELECT coalesce(max(id), 0)::text FROM planner_meta.change_log), false) $$;

CREATE SCHEMA guard;
CREATE TABLE guard.accounts (id int PRIMARY KEY, holder text, balance numeric);
CREATE VIEW guard.account_list AS SELECT id, holder FROM guard.accounts;
CREATE FUNCTION guard.stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE FUNCTION guard.insert_account() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
SELECT pg_temp.mark();

-- triggers: every form of CREATE, then ALTER, COMMENT, ENABLE/DISABLE, and
-- renaming the function a trigger calls (reached through pg_depend)
CREATE TRIGGER stamp_balance BEFORE INSERT OR UPDATE OF balance ON guard.accounts
    FOR EACH ROW WHEN (NEW.balance IS NOT NULL) EXECUTE FUNCTION guard.stamp();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON guard.accounts
    FOR EACH STATEMENT EXECUTE FUNCTION guard.stamp();
CREATE CONSTRAINT TRIGGER check_later AFTER DELETE ON guard.accounts
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION guard.stamp();
CREATE TRIGGER add_through_view INSTEAD OF INSERT ON guard.account_list
    FOR EACH ROW EXECUTE FUNCTION guard.insert_account();
COMMENT ON TRIGGER stamp_balance ON guard.accounts IS 'keeps balances dated';
ALTER TRIGGER audit_truncate ON guard.accounts RENAME TO log_truncate;
ALTER TABLE guard.accounts DISABLE TRIGGER log_truncate;
ALTER TABLE guard.accounts ENABLE ALWAYS TRIGGER stamp_balance;
ALTER FUNCTION guard.stamp() RENAME TO stamp_row;
SELECT command_tag, action, object_identity, details FROM recent;
SELECT count(*) AS differences FROM planner_meta.verify();
SELECT jsonb_pretty(planner_meta.describe('guard.accounts') -> 'triggers');
SELECT planner_meta.describe('guard.account_list') -> 'triggers' -> 0 ->> 'timing' AS view_trigger;
-- the internal triggers behind a foreign key are the key's, not listed
CREATE TABLE guard.moves (id int PRIMARY KEY, account_id int REFERENCES guard.accounts (id));
SELECT jsonb_array_length(planner_meta.describe('guard.moves') -> 'triggers') AS moves_triggers;
SELECT pg_temp.mark();

-- row-level security and policies
ALTER TABLE guard.accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON guard.accounts FOR SELECT TO PUBLIC USING (holder = current_user);
CREATE POLICY no_overdraft ON guard.accounts AS RESTRICTIVE FOR UPDATE TO PUBLIC
    USING (true) WITH CHECK (balance >= 0);
ALTER POLICY own_rows ON guard.accounts RENAME TO holder_rows;
ALTER POLICY no_overdraft ON guard.accounts WITH CHECK (balance >= -100);
COMMENT ON POLICY holder_rows ON guard.accounts IS 'holders see their own';
ALTER TABLE guard.accounts FORCE ROW LEVEL SECURITY;
SELECT command_tag, action, object_identity, details FROM recent;
SELECT count(*) AS differences FROM planner_meta.verify();
SELECT planner_meta.describe('guard.accounts') ->> 'row_security' AS row_security;
SELECT jsonb_pretty(planner_meta.describe('guard.accounts') -> 'policies');
SELECT pg_temp.mark();

-- drops, and a rolled-back change leaves the cache as it was
BEGIN;
DROP POLICY no_overdraft ON guard.accounts;
ROLLBACK;
DROP TRIGGER check_later ON guard.accounts;
DROP POLICY holder_rows ON guard.accounts;
ALTER TABLE guard.accounts NO FORCE ROW LEVEL SECURITY;
ALTER TABLE guard.accounts DISABLE ROW LEVEL SECURITY;
SELECT command_tag, action, object_identity, details FROM recent;
SELECT count(*) AS differences FROM planner_meta.verify();
SELECT planner_meta.describe('guard.accounts') -> 'policies' -> 0 ->> 'name' AS remaining_policy;

-- a role without privileges on the table sees none of it
CREATE ROLE pm_trigger_reader;
GRANT USAGE ON SCHEMA guard TO pm_trigger_reader;
SET ROLE pm_trigger_reader;
SELECT count(*) AS triggers_seen FROM planner_meta.visible_triggers;
SELECT count(*) AS policies_seen FROM planner_meta.visible_policies;
SELECT count(*) AS raw_readable FROM planner_meta.cache_triggers;
RESET ROLE;
GRANT SELECT ON guard.accounts TO pm_trigger_reader;
SET ROLE pm_trigger_reader;
SELECT count(*) AS triggers_seen FROM planner_meta.visible_triggers WHERE rel_oid = 'guard.accounts'::regclass;
RESET ROLE;

DROP SCHEMA guard CASCADE;
DROP ROLE pm_trigger_reader;
SELECT count(*) AS differences FROM planner_meta.verify();
