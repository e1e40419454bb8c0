-- metadata(): the seed's document shape, keyed by database name.
CREATE SCHEMA shop;
COMMENT ON SCHEMA shop IS 'the shop';
CREATE TABLE shop.customers (id int PRIMARY KEY, state text, city text);
CREATE TABLE shop.orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES shop.customers (id),
                          amount numeric);
COMMENT ON COLUMN shop.orders.amount IS 'in euros';
SELECT count(*) AS differences FROM planner_meta.verify();

SELECT jsonb_object_keys(planner_meta.metadata()) = current_database() AS keyed_by_db;
SELECT jsonb_object_keys(planner_meta.metadata() -> current_database()) AS db_level ORDER BY 1;
SELECT jsonb_object_keys(planner_meta.metadata('shop') -> current_database() -> 'schemas') AS schemas;
SELECT jsonb_object_keys(planner_meta.metadata('shop') #> ARRAY[current_database(), 'schemas', 'shop']) AS schema_level
 ORDER BY 1;
SELECT jsonb_pretty((planner_meta.metadata('shop') #> ARRAY[current_database()::text, 'schemas', 'shop', 'tables', 'orders']) - 'last_updated');
SELECT jsonb_pretty(planner_meta.metadata('shop') #> ARRAY[current_database(), 'schemas', 'shop', 'tables', 'customers', 'relationships']);
-- last_updated is present at all three levels.
SELECT (m #>> ARRAY[current_database(), 'last_updated'])::timestamptz IS NOT NULL AS db,
       (m #>> ARRAY[current_database(), 'schemas', 'shop', 'last_updated'])::timestamptz IS NOT NULL AS schema,
       (m #>> ARRAY[current_database(), 'schemas', 'shop', 'tables', 'orders', 'last_updated'])::timestamptz IS NOT NULL AS table
  FROM planner_meta.metadata('shop') m;
DROP SCHEMA shop CASCADE;
SELECT count(*) AS differences FROM planner_meta.verify();
