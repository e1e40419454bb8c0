-- What PostgreSQL 18 adds to the catalog rows planner_meta reads: NOT NULL
-- as named constraints, virtual generated columns, temporal keys (WITHOUT
-- OVERLAPS, PERIOD), NOT ENFORCED constraints.  Runs on 18 and later only
-- (scripts/regress.sh skips files named *pg18* on older majors).
CREATE TEMP VIEW recent AS
SELECT command_tag, object_identity, details
  FROM planner_meta.changelog
 WHERE id > coalesce(current_setting('pm.mark', true), '0')::bigint
 ORDER BY id;
CREATE FUNCTION pg_temp.mark() RETURNS void LANGUAGE sql AS
$$ SELECT set_config('pm.mark', (SELECT coalesce(max(id), 0)::text FROM planner_meta.change_log), false) $$;
CREATE FUNCTION pg_temp.constraints(rel text) RETURNS TABLE (name text, type text, columns jsonb,
    validated boolean, enforced boolean, temporal boolean, inherited boolean, no_inherit boolean)
LANGUAGE sql AS $$
    SELECT c ->> 'name', c ->> 'type', c -> 'columns', (c ->> 'validated')::boolean,
           (c ->> 'enforced')::boolean, (c ->> 'temporal')::boolean,
           (c ->> 'inherited')::boolean, (c ->> 'no_inherit')::boolean
      FROM jsonb_array_elements(planner_meta.describe(rel::regclass) -> 'constraints') c
     ORDER BY 1 $$;

CREATE SCHEMA pg18;
SELECT pg_temp.mark();

-- NOT NULL constraints: named or not, renamed, NOT VALID then validated,
-- NO INHERIT, inherited by a child, dropped.
CREATE TABLE pg18.books (
    id     int PRIMARY KEY,
    title  text CONSTRAINT title_required NOT NULL,
    isbn   text NOT NULL,
    note   text
);
SELECT * FROM pg_temp.constraints('pg18.books');
ALTER TABLE pg18.books RENAME CONSTRAINT books_isbn_not_null TO isbn_required;
ALTER TABLE pg18.books ADD CONSTRAINT note_required NOT NULL note NOT VALID;
SELECT name, validated FROM pg_temp.constraints('pg18.books') WHERE name = 'note_required';
ALTER TABLE pg18.books VALIDATE CONSTRAINT note_required;
ALTER TABLE pg18.books DROP CONSTRAINT title_required;
SELECT c ->> 'name' AS column_name, (c ->> 'nullable')::boolean AS nullable
  FROM jsonb_array_elements(planner_meta.describe('pg18.books') -> 'columns') c;
CREATE TABLE pg18.ebooks (url text CONSTRAINT url_required NOT NULL NO INHERIT) INHERITS (pg18.books);
SELECT * FROM pg_temp.constraints('pg18.ebooks');
ALTER TABLE pg18.ebooks ALTER CONSTRAINT url_required INHERIT;
SELECT name, no_inherit FROM pg_temp.constraints('pg18.ebooks') WHERE name = 'url_required';
SELECT command_tag, object_identity, details FROM recent;
SELECT count(*) AS differences FROM planner_meta.verify();

-- Generated columns: virtual (PostgreSQL 18's default) and stored, with
-- their expressions; the expression changed in place (SET EXPRESSION).
SELECT pg_temp.mark();
CREATE TABLE pg18.lines (
    qty      int NOT NULL,
    price    numeric NOT NULL,
    total    numeric GENERATED ALWAYS AS (qty * price),
    taxed    numeric GENERATED ALWAYS AS (qty * price * 1.2) STORED
);
SELECT c ->> 'name' AS column_name, c ->> 'generated' AS expression, c ->> 'generated_kind' AS kind,
       c ->> 'default' AS default_expr
  FROM jsonb_array_elements(planner_meta.describe('pg18.lines') -> 'columns') c;
ALTER TABLE pg18.lines ALTER COLUMN total SET EXPRESSION AS (qty * price - 1);
ALTER TABLE pg18.lines ALTER COLUMN taxed DROP EXPRESSION;
SELECT command_tag, object_identity, details FROM recent;
SELECT count(*) AS differences FROM planner_meta.verify();

-- Temporal keys: a primary key WITHOUT OVERLAPS and a PERIOD foreign key.
-- plan() joins the periods by overlap, context() writes the key as DDL does.
SELECT pg_temp.mark();
CREATE EXTENSION btree_gist;
CREATE TABLE pg18.rooms (
    id        int,
    valid_at  daterange,
    name      text,
    PRIMARY KEY (id, valid_at WITHOUT OVERLAPS)
);
CREATE TABLE pg18.bookings (
    id        int PRIMARY KEY,
    room_id   int,
    booked    daterange,
    guest     text,
    FOREIGN KEY (room_id, PERIOD booked) REFERENCES pg18.rooms (id, PERIOD valid_at)
);
SELECT name, type, columns, temporal FROM pg_temp.constraints('pg18.rooms') WHERE type = 'primary_key';
SELECT jsonb_pretty(planner_meta.describe('pg18.bookings') #> '{relationships,outgoing}');
SELECT command_tag, object_identity, details FROM recent;
SELECT planner_meta.plan('guests of bookings with the room name') ->> 'sql' AS sql;
SELECT line FROM regexp_split_to_table(planner_meta.context('bookings of rooms'), E'\n') AS line
 WHERE line LIKE '%FOREIGN KEY%';
SELECT count(*) AS differences FROM planner_meta.verify();

-- NOT ENFORCED (PostgreSQL 18): kept as declared, changed in place.
SELECT pg_temp.mark();
CREATE TABLE pg18.guests (id int PRIMARY KEY, name text);
CREATE TABLE pg18.visits (
    id        int PRIMARY KEY,
    guest_id  int,
    nights    int,
    CONSTRAINT guest_known FOREIGN KEY (guest_id) REFERENCES pg18.guests (id) NOT ENFORCED,
    CONSTRAINT nights_positive CHECK (nights > 0) NOT ENFORCED
);
SELECT name, type, enforced FROM pg_temp.constraints('pg18.visits') WHERE type = 'check';
SELECT r ->> 'name' AS name, (r ->> 'enforced')::boolean AS enforced
  FROM jsonb_array_elements(planner_meta.describe('pg18.visits') #> '{relationships,outgoing}') r;
ALTER TABLE pg18.visits ALTER CONSTRAINT guest_known ENFORCED;
SELECT command_tag, object_identity, details FROM recent;
SELECT count(*) AS differences FROM planner_meta.verify();

-- REINDEX fires event triggers since PostgreSQL 17: an index rebuilt
-- CONCURRENTLY (a new oid) is followed without refresh().
CREATE INDEX visits_nights ON pg18.visits (nights);
REINDEX INDEX CONCURRENTLY pg18.visits_nights;
SELECT count(*) AS differences FROM planner_meta.verify();

-- MAINTAIN (PostgreSQL 17) is a table privilege: it makes the table known.
CREATE ROLE pg18_maintainer;
GRANT USAGE ON SCHEMA pg18 TO pg18_maintainer;
GRANT MAINTAIN ON pg18.guests TO pg18_maintainer;
SET ROLE pg18_maintainer;
SELECT planner_meta.describe('pg18.guests') ->> 'name' AS maintained_table;
SELECT planner_meta.describe('pg18.visits') ->> 'name' AS other_table;
RESET ROLE;
REVOKE ALL ON pg18.guests FROM pg18_maintainer;
REVOKE USAGE ON SCHEMA pg18 FROM pg18_maintainer;
DROP ROLE pg18_maintainer;

DROP EXTENSION btree_gist CASCADE;
DROP SCHEMA pg18 CASCADE;
SELECT count(*) AS differences FROM planner_meta.verify();
