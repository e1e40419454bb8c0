//! The knowledge of the retrieved relations, read natively (see
//! `knowledge::scan`) with the caller's privileges: what
//! sql/planner/knowledge.sql reads through the `visible_*` views, row for
//! row and in the same order, without parsing or planning a statement.
//! knowledge.sql stays the reader of whole databases (erd()), and the
//! in-server tests compare the two.

mod relations;
mod values;

use std::collections::HashSet;

use crate::error::PlannerError;
use crate::knowledge::visibility::Visibility;
use crate::planning::model::{Knowledge, TableInfo};

/// What plan() may use of the relations `scope`, for the calling role;
/// `stems` are the question's, which pick the value-index entries kept.
pub fn read(scope: &[u32], stems: &[String]) -> Result<Knowledge, PlannerError> {
    let mut vis = Visibility::for_caller();
    let (rels, members) = relations::relations(scope, &mut vis)?;
    let columns = relations::columns(&rels, &mut vis)?;
    let keys = relations::primary_keys(&rels)?;
    let stems: HashSet<&str> = stems.iter().map(String::as_str).collect();
    let values = values::values(&rels, &columns, &stems, &mut vis)?;
    let foreign_keys = relations::foreign_keys(&rels, &members)?;
    let tables = rels
        .iter()
        .zip(columns)
        .zip(keys)
        .map(|((r, cols), primary_key)| TableInfo {
            schema: r.schema.clone(),
            name: r.name.clone(),
            kind: r.kind.clone(),
            comment: r.comment.clone(),
            primary_key,
            columns: cols.into_values().collect(),
        })
        .collect();
    Ok(Knowledge {
        tables,
        foreign_keys,
        values,
        synonyms: values::synonyms()?,
    })
}

#[cfg(any(test, feature = "pg_test"))]
#[pgrx::pg_schema]
mod tests {
    use pgrx::prelude::*;

    use crate::planning::model::Knowledge;
    use crate::spi::{oid_array, select_json};

    const SETUP: &str = "
        CREATE ROLE pm_native_reader;
        CREATE SCHEMA shop; CREATE SCHEMA vault;
        CREATE TYPE shop.mood AS ENUM ('happy', 'sad');
        CREATE TABLE shop.customer (id int PRIMARY KEY, name text NOT NULL, secret text,
                                    mood shop.mood);
        COMMENT ON TABLE shop.customer IS 'people who buy';
        COMMENT ON COLUMN shop.customer.name IS 'full name';
        CREATE TABLE shop.orders (id int, customer_id int REFERENCES shop.customer,
                                  placed date, PRIMARY KEY (id, placed)) PARTITION BY RANGE (placed);
        CREATE TABLE shop.orders_2024 PARTITION OF shop.orders
            FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
        CREATE TABLE shop.note (id int, customer_id int REFERENCES shop.customer,
                                also_customer int REFERENCES shop.customer);
        ALTER TABLE shop.note ADD CONSTRAINT a_second_name FOREIGN KEY (customer_id)
            REFERENCES shop.customer;
        CREATE TABLE vault.ledger (id int PRIMARY KEY, customer_id int REFERENCES shop.customer);
        ALTER TABLE shop.orders ENABLE ROW LEVEL SECURITY;
        GRANT USAGE ON SCHEMA shop TO pm_native_reader;
        GRANT SELECT (id, name, mood) ON shop.customer TO pm_native_reader;
        GRANT SELECT ON shop.orders TO pm_native_reader;
        GRANT REFERENCES (id) ON shop.note TO pm_native_reader;
        GRANT SELECT ON vault.ledger TO pm_native_reader;
        INSERT INTO planner_meta.synonyms (term, schema_name, table_name, column_name, value)
        VALUES ('buyer', 'shop', 'customer', NULL, NULL), ('glad', 'shop', 'customer', 'mood', 'happy');";

    /// Value rows as the refreshes write them: five value-index entries of
    /// one column (three are shown, plus the one whose stem is asked),
    /// statistics values of a column the reader may not read, and values
    /// of a table under row-level security.
    const VALUES: &str = "
        INSERT INTO planner_meta.link_values (rel_oid, attnum, source, first_stem, phrase, value)
        SELECT 'shop.customer'::regclass, 2, 'value index', lower(v), lower(v), v
          FROM unnest(ARRAY['Eve', 'bob', 'Dan', 'Carol', 'alice']) AS v
        UNION ALL
        SELECT 'shop.customer'::regclass, 3, 'pg_stats', lower(v), lower(v), v
          FROM unnest(ARRAY['pin', 'code']) AS v
        UNION ALL
        SELECT 'shop.customer'::regclass, 4, 'enum', v, v, v FROM unnest(ARRAY['sad', 'happy']) AS v
        UNION ALL
        SELECT 'shop.orders'::regclass, 3, 'pg_stats', '2024', '2024', '2024-05-01'";

    fn oid_of(name: &str) -> u32 {
        let sql = format!("SELECT '{name}'::regclass::oid");
        let oid = Spi::get_one::<pg_sys::Oid>(&sql)
            .expect("query runs")
            .expect("relation exists");
        u32::from(oid)
    }

    fn through_views(scope: &[u32], stems: &[String]) -> Knowledge {
        let json = select_json(
            super::super::KNOWLEDGE_SQL,
            &[oid_array(Some(scope)), stems.to_vec().into()],
        )
        .expect("knowledge.sql runs");
        serde_json::from_value(json).expect("knowledge.sql gives a knowledge document")
    }

    fn assert_same_as_views(scope: &[u32], stems: &[String]) -> Knowledge {
        let native = super::read(scope, stems).expect("native read runs");
        assert_eq!(
            format!("{native:#?}"),
            format!("{:#?}", through_views(scope, stems))
        );
        native
    }

    #[pg_test]
    fn native_knowledge_read_matches_the_privilege_filtered_views() {
        Spi::run(SETUP).expect("setup runs");
        crate::tracking::pending::flush();
        Spi::run(VALUES).expect("values are written");
        let scope: Vec<u32> = [
            "shop.customer",
            "shop.orders",
            "shop.orders_2024",
            "shop.note",
            "vault.ledger",
        ]
        .iter()
        .map(|n| oid_of(n))
        .collect();
        let stems = vec!["alice".to_string(), "eve".to_string()];
        let owner = assert_same_as_views(&scope, &stems);
        assert_eq!(owner.tables.len(), 4, "partitions fold under their parent");
        // In the collation's order Carol, Dan and Eve are the examples;
        // alice is asked for, and bob neither.
        assert!(
            owner.values.iter().any(|v| v.value == "alice"),
            "an asked value is kept"
        );
        assert!(
            !owner.values.iter().any(|v| v.value == "bob"),
            "a fourth example is not"
        );
        Spi::run("SET ROLE pm_native_reader").expect("role is set");
        let reader = assert_same_as_views(&scope, &stems);
        Spi::run("RESET ROLE").expect("role is reset");
        let names: Vec<&str> = reader.tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            ["customer", "note", "orders"],
            "no schema usage hides vault"
        );
        let customer = &reader.tables[0];
        let columns: Vec<&str> = customer.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            columns,
            ["id", "name", "mood"],
            "ungranted columns stay hidden"
        );
        assert!(
            !reader.values.iter().any(|v| v.table == "orders"),
            "row security hides values"
        );
        assert!(
            reader.values.iter().any(|v| v.value == "happy"),
            "enum labels are shown"
        );
    }
}
