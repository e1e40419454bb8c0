-- The linking index (link_terms, link_phrases, link_values) that plan()
-- reads: written in the DDL's own transaction for the relations the DDL
-- touched, never rebuilt, and read through the caller's privileges.
CREATE SCHEMA li;
CREATE TABLE li.customers (id int PRIMARY KEY, full_name text, city text);
COMMENT ON COLUMN li.customers.city IS 'home town';
CREATE TABLE li.orders (id int PRIMARY KEY, customer_id int REFERENCES li.customers (id), total numeric);
SELECT attnum, kind, phrase FROM planner_meta.link_terms
 WHERE rel_oid = 'li.customers'::regclass ORDER BY attnum, kind, phrase;
SELECT keys FROM planner_meta.link_phrases WHERE phrase = 'full name';

-- DDL on one table rewrites that table's terms only: the other table's
-- rows are the same tuples as before.
CREATE TEMP TABLE orders_terms AS
SELECT ctid::text AS at, xmin::text AS written, phrase
  FROM planner_meta.link_terms WHERE rel_oid = 'li.orders'::regclass;
ALTER TABLE li.customers RENAME COLUMN full_name TO given_name;
SELECT count(*) AS orders_terms_rewritten
  FROM planner_meta.link_terms t
  JOIN orders_terms o ON o.phrase = t.phrase
 WHERE t.rel_oid = 'li.orders'::regclass AND (t.ctid::text, t.xmin::text) <> (o.at, o.written);
SELECT phrase FROM planner_meta.link_terms
 WHERE rel_oid = 'li.customers'::regclass AND attnum = 2;
SELECT planner_meta.plan('given names of customers') -> 'relevant_columns' AS columns;

-- A migration sees its own DDL; a rolled-back one leaves nothing.
BEGIN;
ALTER TABLE li.customers ADD COLUMN loyalty_tier text;
SELECT planner_meta.plan('loyalty tier of customers') -> 'relevant_columns' AS columns_inside;
ROLLBACK;
SELECT count(*) AS loyalty_terms FROM planner_meta.link_terms WHERE phrase = 'loyalty tier';
SELECT planner_meta.plan('loyalty tier of customers') -> 'relevant_columns' AS columns_after_rollback;

-- Enum labels are values of the columns of that type, and follow the type.
CREATE TYPE li.tier AS ENUM ('gold', 'silver');
ALTER TABLE li.customers ADD COLUMN tier li.tier;
ALTER TYPE li.tier ADD VALUE 'platinum';
SELECT value FROM planner_meta.link_values
 WHERE rel_oid = 'li.customers'::regclass AND source = 'enum' ORDER BY value;
SELECT planner_meta.plan('platinum customers') ->> 'filtering_conditions' AS filters;

-- A column name most tables share finds its table only where the question
-- names the table.
DO $$
BEGIN
  FOR i IN 1..25 LOOP
    EXECUTE format('CREATE TABLE li.%I (id int PRIMARY KEY, label text)', 'shelf_' || i);
  END LOOP;
END $$;
CREATE TABLE li.widgets (id int PRIMARY KEY, label text, weight numeric);
SELECT planner_meta.plan('label and weight of widgets') ->> 'primary_table_or_datasource' AS datasource;
SELECT planner_meta.plan('every label') -> 'tables' AS tables_for_a_common_name;

-- Readers find only names they could see otherwise: the dictionary of
-- phrases is private, the terms are filtered.
CREATE TABLE li.vault (id int PRIMARY KEY, secret_code text);
CREATE ROLE pm_li_reader;
GRANT USAGE ON SCHEMA li TO pm_li_reader;
GRANT SELECT ON li.customers TO pm_li_reader;
SET ROLE pm_li_reader;
SELECT count(*) FROM planner_meta.link_phrases;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS vault_terms FROM planner_meta.visible_link_terms WHERE rel_oid = 'li.vault'::regclass;
SELECT count(*) AS customer_terms FROM planner_meta.visible_link_terms WHERE phrase = 'given name';
SELECT planner_meta.plan('secret codes in the vault') -> 'tables' AS tables;
RESET ROLE;

-- A new ANALYZE reaches the linked values through the readers' sweep,
-- even of a table no question reached: a session's first reads about
-- something else copy the new statistics (each read sweeps 50 relations).
CREATE TABLE li.depots (id int PRIMARY KEY, region text);
INSERT INTO li.depots SELECT g, (ARRAY['north', 'south'])[1 + g % 2] FROM generate_series(1, 40) g;
ANALYZE li.depots;
\c -
SELECT count(p.plan) AS planned
  FROM generate_series(1, 10), LATERAL (SELECT planner_meta.plan('label and weight of widgets')) p;
SELECT count(*) AS region_values FROM planner_meta.link_values
 WHERE rel_oid = 'li.depots'::regclass AND value = 'north';
DROP TABLE li.depots;

-- The DDL sync rewrites single objects (a column added, renamed, dropped
-- or re-commented, a table re-commented or renamed, a column moved to an
-- enum, labels added to it), and what it leaves equals a rebuilt index.
CREATE TYPE li.grade AS ENUM ('bronze', 'silver');
CREATE TABLE li.members (id int PRIMARY KEY, nick text, joined date);
ALTER TABLE li.members ADD COLUMN home_town text;
ALTER TABLE li.members RENAME COLUMN nick TO nickname;
COMMENT ON COLUMN li.members.joined IS 'date of first sign-up';
COMMENT ON TABLE li.members IS E'club members\nplanner: synonyms=affiliates';
ALTER TABLE li.members DROP COLUMN home_town;
ALTER TABLE li.members ADD COLUMN tier li.grade;
ALTER TYPE li.grade ADD VALUE 'golden';
ALTER TABLE li.members RENAME TO club_members;
-- what the index holds for the table, read again at each use
CREATE TEMP VIEW club_index AS
SELECT t.attnum, t.kind, t.phrase FROM planner_meta.link_terms t
 WHERE t.rel_oid = 'li.club_members'::regclass
UNION ALL
SELECT v.attnum, v.source, v.phrase FROM planner_meta.link_values v
 WHERE v.rel_oid = 'li.club_members'::regclass AND v.source = 'enum';
CREATE TEMP TABLE incremental AS SELECT * FROM club_index;
SELECT planner_meta.refresh(force => true) -> 'rebuilt' AS rebuilt;
CREATE TEMP TABLE rebuilt AS SELECT * FROM club_index;
SELECT (SELECT count(*) FROM incremental) AS terms,
       (SELECT count(*) FROM (SELECT * FROM incremental EXCEPT ALL SELECT * FROM rebuilt) x) AS only_incremental,
       (SELECT count(*) FROM (SELECT * FROM rebuilt EXCEPT ALL SELECT * FROM incremental) x) AS only_rebuilt;
SELECT phrase FROM incremental WHERE kind IN ('s', 'enum') ORDER BY 1;
-- The rebuild writes only where the index differs from what the cache
-- derives, and so repairs terms lost, stray terms and unused phrases.
DELETE FROM planner_meta.link_terms WHERE rel_oid = 'li.club_members'::regclass AND attnum = 0;
INSERT INTO planner_meta.link_terms VALUES ('li.club_members'::regclass, 1, 'n', 'stray phrase');
INSERT INTO planner_meta.link_phrases VALUES ('stray phrase', ARRAY['stray']);
SELECT planner_meta.refresh(force => true) -> 'rebuilt' AS rebuilt;
CREATE TEMP TABLE repaired AS SELECT * FROM club_index;
SELECT (SELECT count(*) FROM (SELECT * FROM rebuilt EXCEPT ALL SELECT * FROM repaired) x) AS lost,
       (SELECT count(*) FROM (SELECT * FROM repaired EXCEPT ALL SELECT * FROM rebuilt) x) AS stray,
       (SELECT count(*) FROM planner_meta.link_phrases WHERE phrase = 'stray phrase') AS stray_phrases;
DROP VIEW club_index;
DROP TABLE li.club_members;
DROP TYPE li.grade;

-- Dropping a table drops its terms; the cache and the index agree.
DROP TABLE li.vault;
SELECT count(*) AS vault_terms_after_drop FROM planner_meta.link_terms WHERE phrase = 'secret code';
SELECT * FROM planner_meta.verify();
SET client_min_messages = warning;
DROP SCHEMA li CASCADE;
RESET client_min_messages;
DROP ROLE pm_li_reader;
SELECT count(*) AS terms_left_in_li FROM planner_meta.link_terms t
 WHERE NOT EXISTS (SELECT 1 FROM planner_meta.cache_relations r WHERE r.rel_oid = t.rel_oid);
