-- Every object kind the cache records, checked against describe() and \d+.
CREATE SCHEMA kinds;
COMMENT ON SCHEMA kinds IS 'all object kinds';
CREATE TYPE kinds.mood AS ENUM ('sad', 'ok', 'happy');
COMMENT ON TYPE kinds.mood IS 'how it feels';

CREATE TABLE kinds.customers (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email     text COLLATE "C" NOT NULL UNIQUE,
    name      text NOT NULL DEFAULT 'anonymous',
    mood      kinds.mood DEFAULT 'ok',
    name_len  int GENERATED ALWAYS AS (length(name)) STORED,
    CONSTRAINT name_not_blank CHECK (name <> '')
);
COMMENT ON TABLE kinds.customers IS 'people who buy';
COMMENT ON COLUMN kinds.customers.email IS 'login address';

CREATE TABLE kinds.profiles (
    customer_id bigint PRIMARY KEY REFERENCES kinds.customers (id) ON DELETE CASCADE,
    bio text
);

CREATE TABLE kinds.orders (
    region   text,
    order_no int,
    customer_id bigint NOT NULL REFERENCES kinds.customers (id) ON UPDATE CASCADE ON DELETE SET NULL,
    during   tstzrange,
    total    numeric(10, 2),
    PRIMARY KEY (region, order_no),
    EXCLUDE USING gist (during WITH &&)
);
CREATE INDEX orders_total_idx ON kinds.orders (total) INCLUDE (customer_id) WHERE total > 0;
CREATE INDEX orders_lower_region ON kinds.orders (lower(region));

CREATE TABLE kinds.order_lines (
    region   text,
    order_no int,
    line     int,
    PRIMARY KEY (region, order_no, line),
    FOREIGN KEY (region, order_no) REFERENCES kinds.orders (region, order_no) MATCH FULL
        DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE kinds.events (id int, at date NOT NULL, customer_id bigint REFERENCES kinds.customers (id))
    PARTITION BY RANGE (at);
CREATE TABLE kinds.events_2024 PARTITION OF kinds.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE kinds.events_2025 PARTITION OF kinds.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');

CREATE VIEW kinds.happy_customers AS SELECT id, email FROM kinds.customers WHERE mood = 'happy';
CREATE MATERIALIZED VIEW kinds.order_totals AS
    SELECT customer_id, sum(total) AS total FROM kinds.orders GROUP BY customer_id;
CREATE UNIQUE INDEX ON kinds.order_totals (customer_id);

CREATE FOREIGN DATA WRAPPER pm_dummy_fdw;
CREATE SERVER pm_dummy FOREIGN DATA WRAPPER pm_dummy_fdw;
CREATE FOREIGN TABLE kinds.remote_things (id int, label text) SERVER pm_dummy;

CREATE UNLOGGED TABLE kinds.scratch (x int);

-- A table that another extension owns is tracked but flagged.
CREATE EXTENSION pg_trgm SCHEMA kinds;
CREATE TABLE kinds.owned_by_trgm (x int);
ALTER EXTENSION pg_trgm ADD TABLE kinds.owned_by_trgm;

-- Temporary tables are never tracked.
CREATE TEMP TABLE not_tracked (x int);

SELECT count(*) AS differences FROM planner_meta.verify();

SELECT table_name, kind, columns, partitions, comment, extension_name
  FROM planner_meta.tables('kinds');
SELECT count(*) AS temp_rows FROM planner_meta.visible_relations WHERE schema_name LIKE 'pg_temp%';
SELECT type_name, labels, comment FROM planner_meta.visible_enums WHERE schema_name = 'kinds';

\d+ kinds.customers
SELECT jsonb_pretty(planner_meta.describe('kinds.customers') - 'last_updated' - 'total_bytes' - 'data');

\d kinds.orders
SELECT jsonb_pretty(d -> 'constraints') AS constraints, jsonb_pretty(d -> 'indexes') AS indexes
  FROM planner_meta.describe('kinds.orders') d;

-- Relationships in both directions, multi-column, one-to-one, actions.
SELECT jsonb_pretty(planner_meta.describe('kinds.order_lines') -> 'relationships');
SELECT jsonb_pretty(planner_meta.describe('kinds.profiles') -> 'relationships' -> 'outgoing');
SELECT r ->> 'name' AS fk, r -> 'referenced_by' ->> 'table' AS from_table, r -> 'one_to_one' AS one_to_one
  FROM jsonb_array_elements(planner_meta.describe('kinds.customers') -> 'relationships' -> 'incoming') r;

-- Partitions are folded under the parent, and know their parent.
SELECT d -> 'kind' AS kind, d -> 'partition_key' AS key, jsonb_pretty(d -> 'partitions') AS partitions
  FROM planner_meta.describe('kinds.events') d;
SELECT jsonb_pretty(planner_meta.describe('kinds.events_2024') -> 'partition_of');

-- Views, materialized views, foreign and unlogged tables.
SELECT d ->> 'kind' AS kind, d ->> 'view_definition' AS definition
  FROM planner_meta.describe('kinds.happy_customers') d;
SELECT d ->> 'kind' AS kind, d -> 'indexes' -> 0 ->> 'definition' AS index
  FROM planner_meta.describe('kinds.order_totals') d;
SELECT d ->> 'kind' AS kind, d ->> 'foreign_server' AS server
  FROM planner_meta.describe('kinds.remote_things') d;
SELECT planner_meta.describe('kinds.scratch') ->> 'persistence' AS persistence;

DROP TABLE not_tracked;
DROP EXTENSION pg_trgm CASCADE;
DROP SCHEMA kinds CASCADE;
DROP SERVER pm_dummy;
DROP FOREIGN DATA WRAPPER pm_dummy_fdw;
SELECT count(*) AS differences FROM planner_meta.verify();
SELECT count(*) AS differences FROM planner_meta.verify();
