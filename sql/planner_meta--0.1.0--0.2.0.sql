-- planner_meta 0.1.0 -> 0.2.0.
--
-- Runs inside ALTER EXTENSION planner_meta UPDATE with search_path set to
-- the extension's schema.  It calls no function of the library: in a chain
-- of updates the library is already the newest release while these objects
-- are not.  The cache is marked stale instead, so the first read after the
-- update re-reads the whole catalog (filling what this release adds and
-- logging any DDL made while the library and the SQL objects differed).

UPDATE cache_state SET stale = true;
