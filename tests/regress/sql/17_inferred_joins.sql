-- A schema that declares no foreign keys gets join keys inferred from
-- naming conventions (paper.paperid, restaurant.id as restaurant_id,
-- citingpaperid); they are marked as inferred in plan() and shown as hints,
-- not constraints, in context().  A schema with declared keys keeps only
-- those.
CREATE DATABASE pm_no_keys;
\c pm_no_keys
SET client_min_messages = warning;
CREATE EXTENSION planner_meta;
CREATE TABLE author (authorid int NOT NULL, authorname text);
CREATE TABLE paper (paperid int NOT NULL, title text, year int);
CREATE TABLE writes (paperid int, authorid int);
CREATE TABLE cite (citingpaperid int, citedpaperid int);
CREATE TABLE restaurant (id int, name text, rating numeric);
CREATE TABLE location (restaurant_id int, street_name text);

SELECT j ->> 'from' AS "from", j ->> 'to' AS "to", j ->> 'on' AS "on", j -> 'inferred' AS inferred
  FROM jsonb_array_elements(planner_meta.plan('names of authors who wrote papers in 2020') -> 'joins') j;
SELECT planner_meta.plan('names of authors who wrote papers in 2020') ->> 'sql' AS sql;
SELECT planner_meta.plan('ratings of restaurants on each street') ->> 'primary_table_or_datasource' AS datasource;
SELECT planner_meta.context('papers cited by other papers', 200);

-- once a key is declared, only columns named after a table are inferred
CREATE TABLE venue (venueid int PRIMARY KEY, venuename text);
ALTER TABLE paper ADD COLUMN venueid int REFERENCES venue (venueid);
SELECT j ->> 'constraint' AS "constraint", j -> 'inferred' AS inferred
  FROM jsonb_array_elements(planner_meta.plan('papers at each venue') -> 'joins') j;
SELECT jsonb_array_length(planner_meta.plan('names of authors who wrote papers') -> 'joins') AS joins_without_inference;
CREATE TABLE award (awardid int PRIMARY KEY, title text);
CREATE TABLE nomination (award int, nominee text);
SELECT j ->> 'on' AS "on", j -> 'inferred' AS inferred
  FROM jsonb_array_elements(planner_meta.plan('nominees for each award title') -> 'joins') j;

\c planner_meta_regress
DROP DATABASE pm_no_keys;
