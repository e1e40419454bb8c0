-- plan(): the seed example, metadata questions, bad input, privileges.
CREATE SCHEMA shop;
CREATE TABLE shop.customers (id int PRIMARY KEY, name text NOT NULL, city text, state text);
CREATE TABLE shop.orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES shop.customers (id),
                          total numeric(10,2), ordered_at date);
CREATE TABLE shop.secrets (id int PRIMARY KEY, customer_id int REFERENCES shop.customers (id), pin text);
INSERT INTO shop.customers
SELECT i, 'customer ' || i, (ARRAY['New York', 'Boston', 'Chicago'])[1 + i % 3],
       (ARRAY['NY', 'MA', 'IL'])[1 + i % 3]
  FROM generate_series(1, 300) i;
INSERT INTO shop.orders SELECT i, 1 + i % 300, i % 97, date '2024-01-01' + i % 365 FROM generate_series(1, 1000) i;
INSERT INTO shop.secrets SELECT i, i, 'pin ' || (i % 4) FROM generate_series(1, 300) i;
ANALYZE shop.customers, shop.orders, shop.secrets;

-- The seed example: orders JOIN customers, filtered on the city.
SELECT p ->> 'query_type' AS query_type,
       p ->> 'primary_table_or_datasource' AS datasource,
       p ->> 'filtering_conditions' AS filters,
       p -> 'joins' -> 0 ->> 'on' AS join_on,
       p -> 'filters' -> 0 ->> 'source' AS value_source,
       p -> 'sql_parses' AS sql_parses
  FROM planner_meta.plan('Show me all orders from customers in New York') p;
SELECT planner_meta.plan('Show me all orders from customers in New York') ->> 'sql' AS sql;
SELECT jsonb_pretty(planner_meta.plan('Show me all orders from customers in New York') -> 'tables') AS tables;

-- Options: a cap on the tables chosen; unknown options are refused.
SELECT planner_meta.plan('Show me all orders from customers in New York', '{"max_tables": 1}')
       ->> 'primary_table_or_datasource' AS one_table;
SELECT planner_meta.plan('orders', '{"max_rows": 3}');
\echo :LAST_ERROR_SQLSTATE
SELECT planner_meta.plan('orders', '[1]');
\echo :LAST_ERROR_SQLSTATE

-- A value absent from the most-common values (every name is distinct) is
-- still linked through the histogram of a column with few values.
CREATE TABLE shop.categories (id int PRIMARY KEY, label text UNIQUE);
INSERT INTO shop.categories SELECT i, 'category ' || chr(64 + i) FROM generate_series(1, 26) i;
ANALYZE shop.categories;
SELECT p ->> 'filtering_conditions' AS filters, p -> 'filters' -> 0 ->> 'source' AS source
  FROM planner_meta.plan('categories named category Q') p;

-- A synonym maps a word to a value ('Big Apple' -> 'New York').
INSERT INTO planner_meta.synonyms (term, schema_name, table_name, column_name, value)
VALUES ('Big Apple', 'shop', 'customers', 'city', 'New York');
SELECT planner_meta.plan('orders of customers from the Big Apple') ->> 'filtering_conditions' AS filters;

-- Intents: counting per group, superlatives, comparisons, averages.
SELECT p -> 'aggregations' AS aggregations, p -> 'group_by' AS group_by
  FROM planner_meta.plan('How many orders does each customer have?') p;
SELECT p -> 'order_by' AS order_by, p -> 'limit' AS lim
  FROM planner_meta.plan('Which order has the highest total?') p;
SELECT p ->> 'filtering_conditions' AS filters
  FROM planner_meta.plan('orders with a total more than 50') p;
SELECT p -> 'aggregations' AS aggregations FROM planner_meta.plan('average total of orders') p;

-- Questions about the database itself are answered from the cache.
SELECT p ->> 'query_type' AS query_type, p ->> 'sql' AS sql FROM planner_meta.plan('list all tables') p;
SELECT p ->> 'sql' AS sql FROM planner_meta.plan('what schemas are there') p;
SELECT p ->> 'sql' AS sql FROM planner_meta.plan('what columns does orders have') p;
SELECT p ->> 'sql' AS sql FROM planner_meta.plan('which tables reference customers') p;
SELECT p ->> 'sql' AS sql FROM planner_meta.plan('what changed since yesterday') p;

-- Bad input: a clear error, or a valid low-confidence plan.
SELECT planner_meta.plan(NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT planner_meta.plan(repeat('x', 1000000));
\echo :LAST_ERROR_SQLSTATE
SELECT p ->> 'query_type' AS query_type, p -> 'confidence' AS confidence, p -> 'tables' AS tables
  FROM planner_meta.plan('') p;
SELECT p -> 'confidence' AS confidence, p -> 'unmatched_terms' AS unmatched
  FROM planner_meta.plan('🦄🦄 zebra quantum ✓') p;
SELECT p -> 'sql_parses' AS sql_parses, p ->> 'filtering_conditions' AS filters
  FROM planner_meta.plan('customers named ''; DROP TABLE shop.customers; --') p;
SELECT count(*) AS customers_still_there FROM shop.customers;
SELECT planner_meta.plan(repeat('customers orders ', 500)) ->> 'primary_table_or_datasource' AS repeated;

-- A role without SELECT on a table never sees it, or its values, in a plan.
CREATE ROLE pm_analyst;
GRANT USAGE ON SCHEMA shop TO pm_analyst;
GRANT SELECT ON shop.orders TO pm_analyst;
GRANT SELECT (id, name) ON shop.customers TO pm_analyst;
SET ROLE pm_analyst;
SELECT p ->> 'primary_table_or_datasource' AS datasource, p ->> 'filtering_conditions' AS filters
  FROM planner_meta.plan('Show me all orders from customers in New York') p;
SELECT planner_meta.plan('pin of secrets') -> 'tables' AS tables;
SELECT position('secrets' IN planner_meta.context('pin of secrets')) AS secrets_in_context,
       position('New York' IN planner_meta.context('customers in New York')) AS city_values_in_context;
RESET ROLE;

-- context(): compact DDL with keys and typical values, within the budget.
SELECT planner_meta.context('orders from customers in New York', 200);
SELECT length(planner_meta.context('orders from customers in New York', 20)) <= 80 AS fits_budget;
SELECT planner_meta.context('orders', 0);
\echo :LAST_ERROR_SQLSTATE

DELETE FROM planner_meta.synonyms;
DROP SCHEMA shop CASCADE;
DROP ROLE pm_analyst;
