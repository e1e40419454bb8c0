-- The lexicon (WordNet, loaded at CREATE EXTENSION) and naming
-- conventions: plan() links the words a user says to the names a schema
-- uses, and says how.
SELECT relation, count(*) > 1000 AS loaded
  FROM planner_meta.lexicon GROUP BY relation ORDER BY relation;
SELECT related, relation FROM planner_meta.lexicon
 WHERE phrase = 'vocalist' AND related IN ('singer', 'musician') ORDER BY related;

CREATE SCHEMA lx;
CREATE TABLE lx.singer (singer_id int PRIMARY KEY, name text, country text, age int);
CREATE TABLE lx.concert (concert_id int PRIMARY KEY, concert_name text, year int);
CREATE TABLE lx.singer_in_concert (concert_id int REFERENCES lx.concert, singer_id int REFERENCES lx.singer);

-- A synonym links its table, and the reason names the word and the source.
SELECT t ->> 'table' AS table, r AS reason
  FROM jsonb_array_elements(planner_meta.plan('names and ages of all vocalists') -> 'tables') t,
       jsonb_array_elements_text(t -> 'reasons') r
 WHERE r LIKE '%WordNet%';
-- A broader word reaches the narrower name: musicians are singers here.
SELECT jsonb_path_query_array(planner_meta.plan('how many musicians are there'), '$.tables[*].table') AS tables;
-- The schema's own names come first: vocalist is a table now.
CREATE TABLE lx.vocalist (vocalist_id int PRIMARY KEY, name text);
SELECT jsonb_path_query_array(planner_meta.plan('names of all vocalists'), '$.tables[*].table') AS tables;
DROP TABLE lx.vocalist;

-- Naming conventions: marker prefixes and abbreviations.
CREATE TABLE lx.tbl_customer (id int PRIMARY KEY, cust_addr text, dob date);
CREATE TABLE lx."sbOrder" (id int PRIMARY KEY, order_qty int, customer_id int REFERENCES lx.tbl_customer);
SELECT jsonb_path_query_array(planner_meta.plan('address and date of birth of each customer'),
                              '$.relevant_columns[*]') AS columns;
SELECT jsonb_path_query_array(planner_meta.plan('total quantity of orders per customer'),
                              '$.tables[*].table') AS tables;

-- Loading is the administrator's: the server reads files for it.
CREATE ROLE lx_reader;
SET ROLE lx_reader;
SELECT planner_meta.load_lexicon();
SET planner_meta.lexicon_path = '/tmp';
SELECT count(*) > 0 AS reader_sees_lexicon FROM planner_meta.lexicon;
RESET ROLE;
DROP ROLE lx_reader;

-- A folder without WordNet's files is an error, or nothing with missing_ok.
\set VERBOSITY default
SELECT planner_meta.load_lexicon('/nonexistent/wordnet');
\set VERBOSITY terse
SELECT planner_meta.load_lexicon('/nonexistent/wordnet', missing_ok => true) AS loaded;

-- Without a lexicon plan() still links by spelling alone.
BEGIN;
DELETE FROM planner_meta.lexicon;
SELECT jsonb_path_query_array(planner_meta.plan('list all vocalists'), '$.tables[*].table') AS without_lexicon;
SELECT jsonb_path_query_array(planner_meta.plan('list all singers'), '$.tables[*].table') AS by_spelling;
ROLLBACK;
SELECT jsonb_path_query_array(planner_meta.plan('list all vocalists'), '$.tables[*].table') AS with_lexicon;
-- Reloading replaces the WordNet links and keeps other sources'.
INSERT INTO planner_meta.lexicon VALUES ('kpopstar', 'singer', 'synonym', 1, 'house words');
SELECT planner_meta.load_lexicon() > 100000 AS reloaded;
SELECT source FROM planner_meta.lexicon WHERE phrase = 'kpopstar';
SELECT t ->> 'table' AS table, r AS reason
  FROM jsonb_array_elements(planner_meta.plan('list the kpopstars') -> 'tables') t,
       jsonb_array_elements_text(t -> 'reasons') r
 WHERE r LIKE '%house words%';

-- Weights: a session may try others than the shipped ones.
SELECT jsonb_array_length(planner_meta.plan('singers in each concert') -> 'tables') AS tables_shipped;
SET planner_meta.weights = '{"relative_table_score": 5}';
SELECT jsonb_array_length(planner_meta.plan('singers in each concert') -> 'tables') AS tables_only_best;
SET planner_meta.weights = '{"no_such_weight": 1}';
SELECT planner_meta.plan('singers');
\echo :LAST_ERROR_SQLSTATE
RESET planner_meta.weights;
DROP SCHEMA lx CASCADE;
