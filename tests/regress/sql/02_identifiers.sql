-- Names that need quoting, Unicode, and the 63-byte limit.
CREATE SCHEMA "Sales Dept";
CREATE TABLE "Sales Dept"."Order Details" (
    "Order ID" int PRIMARY KEY,
    "Unit ""Price""" numeric,
    "Ünïcødé ✓" text
);
CREATE TABLE "Sales Dept"."表" ("列" int REFERENCES "Sales Dept"."Order Details" ("Order ID"));
CREATE TABLE "Sales Dept".a23456789012345678901234567890123456789012345678901234567890123 (
    b23456789012345678901234567890123456789012345678901234567890123 int
);
SELECT count(*) AS differences FROM planner_meta.verify();

SELECT schema_name FROM planner_meta.schemas() WHERE schema_name LIKE 'Sales%';
SELECT table_name, octet_length(table_name) AS bytes, columns FROM planner_meta.tables('Sales Dept');
SELECT d ->> 'identity' AS identity, jsonb_path_query_array(d, '$.columns[*].name') AS columns
  FROM planner_meta.describe('"Sales Dept"."Order Details"') d;
SELECT d ->> 'identity' AS identity,
       d -> 'relationships' -> 'outgoing' -> 0 -> 'references' AS references
  FROM planner_meta.describe('"Sales Dept"."表"') d;
SELECT d ->> 'identity' AS identity
  FROM planner_meta.describe('"Sales Dept".a23456789012345678901234567890123456789012345678901234567890123') d;
SELECT jsonb_object_keys(planner_meta.metadata('Sales Dept') -> current_database() -> 'schemas' -> 'Sales Dept' -> 'tables') AS tables;
-- A different case is a different name.
SELECT planner_meta.describe('"sales dept"."order details"');
DROP SCHEMA "Sales Dept" CASCADE;
SELECT count(*) AS differences FROM planner_meta.verify();
