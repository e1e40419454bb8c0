-- Rewrites the term index (and enum-label values) of the relations $1 from
-- their cache rows, in one statement; a relation no longer cached loses
-- its terms.  Runs where the cache was written: in the DDL's transaction.
-- Follows terms_derive.sql, ends with terms_labels.sql and terms_write.sql.
), gone AS (
    DELETE FROM planner_meta.link_terms l WHERE (/*scope*/ l.rel_oid = ANY ($1::oid[]))
), gone_labels AS (
    DELETE FROM planner_meta.link_values l
     WHERE (/*scope*/ l.rel_oid = ANY ($1::oid[])) AND l.source = 'enum'
