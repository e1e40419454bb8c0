//! Comparing two snapshots of the same scope: what the cache holds and what
//! the catalog says.  Pure Rust, no server needed.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::knowledge::rows::{
    CacheRow, ColumnRow, ConstraintRow, EnumRow, IndexRow, PolicyRow, RelationRow, RelationshipRow,
    SchemaRow, TriggerRow,
};

/// Every cached object of one scope, one vector per cache table.
#[derive(Debug, Default, Clone, PartialEq, serde::Deserialize)]
pub struct Snapshot {
    pub schemas: Vec<SchemaRow>,
    pub relations: Vec<RelationRow>,
    pub columns: Vec<ColumnRow>,
    pub constraints: Vec<ConstraintRow>,
    pub relationships: Vec<RelationshipRow>,
    pub indexes: Vec<IndexRow>,
    pub triggers: Vec<TriggerRow>,
    pub policies: Vec<PolicyRow>,
    pub enums: Vec<EnumRow>,
}

/// Rows of one cache table that differ between two snapshots.
#[derive(Debug, Clone, PartialEq)]
pub struct RowDelta<T> {
    pub added: Vec<T>,
    pub removed: Vec<T>,
    /// (before, after) pairs with the same key.
    pub changed: Vec<(T, T)>,
}

impl<T> Default for RowDelta<T> {
    fn default() -> Self {
        RowDelta {
            added: Vec::new(),
            removed: Vec::new(),
            changed: Vec::new(),
        }
    }
}

impl<T: CacheRow> RowDelta<T> {
    pub fn between(before: &[T], after: &[T]) -> Self {
        let old: BTreeMap<T::Key, &T> = before.iter().map(|r| (r.key(), r)).collect();
        let new: BTreeMap<T::Key, &T> = after.iter().map(|r| (r.key(), r)).collect();
        let mut delta = RowDelta::default();
        for (key, row) in &new {
            match old.get(key) {
                None => delta.added.push((*row).clone()),
                Some(prev) if *prev != *row => {
                    delta.changed.push(((*prev).clone(), (*row).clone()))
                }
                Some(_) => {}
            }
        }
        delta.removed = old
            .iter()
            .filter(|(key, _)| !new.contains_key(*key))
            .map(|(_, row)| (*row).clone())
            .collect();
        delta
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// Rows to delete from the cache: removed ones and the old side of changes.
    pub fn stale_rows(&self) -> Vec<T> {
        let changed = self.changed.iter().map(|(before, _)| before.clone());
        self.removed.iter().cloned().chain(changed).collect()
    }

    /// Rows to insert into the cache: added ones and the new side of changes.
    pub fn fresh_rows(&self) -> Vec<T> {
        let changed = self.changed.iter().map(|(_, after)| after.clone());
        self.added.iter().cloned().chain(changed).collect()
    }

    pub(crate) fn touch(&self, relations: &mut BTreeSet<u32>, schemas: &mut BTreeSet<u32>) {
        let all = self
            .added
            .iter()
            .chain(&self.removed)
            .chain(self.changed.iter().flat_map(|(a, b)| [a, b]));
        for row in all {
            relations.extend(row.relations());
            schemas.extend(row.schema());
        }
    }

    /// One line per differing field, for verify().
    pub fn differences(&self, rel: &dyn Fn(u32) -> String) -> Vec<Difference> {
        let mut out = Vec::new();
        for row in &self.added {
            out.push(Difference::new::<T>(
                row.identity(rel),
                "missing_in_cache",
                None,
            ));
        }
        for row in &self.removed {
            out.push(Difference::new::<T>(
                row.identity(rel),
                "not_in_catalog",
                None,
            ));
        }
        for (before, after) in &self.changed {
            for field in changed_fields(before, after) {
                out.push(Difference::new::<T>(
                    after.identity(rel),
                    "different",
                    Some(field),
                ));
            }
        }
        out
    }

    /// Number of cache rows this delta rewrites.
    pub fn rows_written(&self) -> usize {
        self.added.len() + self.removed.len() + self.changed.len()
    }

    pub fn summary(&self) -> serde_json::Value {
        serde_json::json!({
            "added": self.added.len(),
            "removed": self.removed.len(),
            "changed": self.changed.len(),
        })
    }
}

/// A single disagreement between the cache and the catalog.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub object_type: &'static str,
    pub object_identity: String,
    pub difference: &'static str,
    pub field: Option<String>,
}

impl Difference {
    fn new<T: CacheRow>(identity: String, difference: &'static str, field: Option<String>) -> Self {
        Difference {
            object_type: T::OBJECT_TYPE,
            object_identity: identity,
            difference,
            field,
        }
    }
}

/// Names of the fields whose values differ between two rows of one table.
pub fn changed_fields<T: Serialize>(before: &T, after: &T) -> Vec<String> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return Vec::new();
    };
    a.iter()
        .filter(|(k, v)| b.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect()
}

/// Differences between two snapshots, table by table.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Delta {
    pub schemas: RowDelta<SchemaRow>,
    pub relations: RowDelta<RelationRow>,
    pub columns: RowDelta<ColumnRow>,
    pub constraints: RowDelta<ConstraintRow>,
    pub relationships: RowDelta<RelationshipRow>,
    pub indexes: RowDelta<IndexRow>,
    pub triggers: RowDelta<TriggerRow>,
    pub policies: RowDelta<PolicyRow>,
    pub enums: RowDelta<EnumRow>,
}

impl Delta {
    pub fn between(cache: &Snapshot, catalog: &Snapshot) -> Self {
        Delta {
            schemas: RowDelta::between(&cache.schemas, &catalog.schemas),
            relations: RowDelta::between(&cache.relations, &catalog.relations),
            columns: RowDelta::between(&cache.columns, &catalog.columns),
            constraints: RowDelta::between(&cache.constraints, &catalog.constraints),
            relationships: RowDelta::between(&cache.relationships, &catalog.relationships),
            indexes: RowDelta::between(&cache.indexes, &catalog.indexes),
            triggers: RowDelta::between(&cache.triggers, &catalog.triggers),
            policies: RowDelta::between(&cache.policies, &catalog.policies),
            enums: RowDelta::between(&cache.enums, &catalog.enums),
        }
    }

    pub fn rows_written(&self) -> usize {
        self.schemas.rows_written()
            + self.relations.rows_written()
            + self.columns.rows_written()
            + self.constraints.rows_written()
            + self.relationships.rows_written()
            + self.indexes.rows_written()
            + self.triggers.rows_written()
            + self.policies.rows_written()
            + self.enums.rows_written()
    }

    pub fn is_empty(&self) -> bool {
        self.schemas.is_empty()
            && self.relations.is_empty()
            && self.columns.is_empty()
            && self.constraints.is_empty()
            && self.relationships.is_empty()
            && self.indexes.is_empty()
            && self.triggers.is_empty()
            && self.policies.is_empty()
            && self.enums.is_empty()
    }

    /// Relations and schemas whose knowledge changed, so their
    /// `last_updated` moves.  A changed relation also touches its schema.
    pub fn touched(&self, catalog: &Snapshot, cache: &Snapshot) -> (Vec<u32>, Vec<u32>) {
        let mut relations = BTreeSet::new();
        let mut schemas = BTreeSet::new();
        self.schemas.touch(&mut relations, &mut schemas);
        self.relations.touch(&mut relations, &mut schemas);
        self.columns.touch(&mut relations, &mut schemas);
        self.constraints.touch(&mut relations, &mut schemas);
        self.relationships.touch(&mut relations, &mut schemas);
        self.indexes.touch(&mut relations, &mut schemas);
        self.triggers.touch(&mut relations, &mut schemas);
        self.policies.touch(&mut relations, &mut schemas);
        self.enums.touch(&mut relations, &mut schemas);
        for rel in catalog.relations.iter().chain(&cache.relations) {
            if relations.contains(&rel.rel_oid) {
                schemas.insert(rel.schema_oid);
            }
        }
        (
            relations.into_iter().collect(),
            schemas.into_iter().collect(),
        )
    }

    /// Every difference, naming relations as the catalog (or, for dropped
    /// ones, the cache) knows them.
    pub fn differences(&self, catalog: &Snapshot, cache: &Snapshot) -> Vec<Difference> {
        let names: BTreeMap<u32, String> = cache
            .relations
            .iter()
            .chain(&catalog.relations)
            .map(|r| (r.rel_oid, r.identity(&|oid| oid.to_string())))
            .collect();
        let rel = |oid: u32| names.get(&oid).cloned().unwrap_or_else(|| oid.to_string());
        let mut out = self.schemas.differences(&rel);
        out.extend(self.relations.differences(&rel));
        out.extend(self.columns.differences(&rel));
        out.extend(self.constraints.differences(&rel));
        out.extend(self.relationships.differences(&rel));
        out.extend(self.indexes.differences(&rel));
        out.extend(self.triggers.differences(&rel));
        out.extend(self.policies.differences(&rel));
        out.extend(self.enums.differences(&rel));
        out
    }

    pub fn summary(&self) -> serde_json::Value {
        serde_json::json!({
            "schemas": self.schemas.summary(),
            "relations": self.relations.summary(),
            "columns": self.columns.summary(),
            "constraints": self.constraints.summary(),
            "relationships": self.relationships.summary(),
            "indexes": self.indexes.summary(),
            "triggers": self.triggers.summary(),
            "policies": self.policies.summary(),
            "enums": self.enums.summary(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(rel: u32, attnum: i16, name: &str, ty: &str) -> ColumnRow {
        ColumnRow {
            rel_oid: rel,
            attnum,
            column_name: name.into(),
            data_type: ty.into(),
            type_oid: 23,
            not_null: false,
            default_expr: None,
            identity: None,
            generated_expr: None,
            collation_name: None,
            comment: None,
            generated_kind: None,
        }
    }

    #[test]
    fn detects_added_removed_and_changed_rows() {
        let before = vec![column(1, 1, "id", "integer"), column(1, 2, "name", "text")];
        let after = vec![column(1, 1, "id", "bigint"), column(1, 3, "email", "text")];
        let delta = RowDelta::between(&before, &after);
        assert_eq!(delta.added, vec![column(1, 3, "email", "text")]);
        assert_eq!(delta.removed, vec![column(1, 2, "name", "text")]);
        assert_eq!(delta.changed.len(), 1);
        assert_eq!(
            changed_fields(&delta.changed[0].0, &delta.changed[0].1),
            vec!["data_type".to_string()]
        );
        assert_eq!(delta.stale_rows().len(), 2);
        assert_eq!(delta.fresh_rows().len(), 2);
    }

    #[test]
    fn identical_snapshots_give_an_empty_delta() {
        let snap = Snapshot {
            columns: vec![column(7, 1, "id", "integer")],
            ..Snapshot::default()
        };
        let delta = Delta::between(&snap, &snap.clone());
        assert!(delta.is_empty());
        assert!(delta.differences(&snap, &snap).is_empty());
    }

    #[test]
    fn a_column_change_touches_its_relation_and_schema() {
        let rel = RelationRow {
            rel_oid: 7,
            schema_oid: 2200,
            schema_name: "public".into(),
            rel_name: "t".into(),
            kind: "table".into(),
            owner: "o".into(),
            persistence: "permanent".into(),
            comment: None,
            parent_oid: None,
            partition_bound: None,
            partition_key: None,
            view_definition: None,
            foreign_server: None,
            extension_name: None,
            row_security: None,
        };
        let cache = Snapshot {
            relations: vec![rel.clone()],
            columns: vec![column(7, 1, "id", "integer")],
            ..Snapshot::default()
        };
        let catalog = Snapshot {
            relations: vec![rel],
            columns: vec![column(7, 1, "id", "bigint")],
            ..Snapshot::default()
        };
        let delta = Delta::between(&cache, &catalog);
        assert_eq!(delta.touched(&catalog, &cache), (vec![7], vec![2200]));
        assert_eq!(
            delta.differences(&catalog, &cache),
            vec![Difference {
                object_type: "column",
                object_identity: "public.t.id".into(),
                difference: "different",
                field: Some("data_type".into()),
            }]
        );
    }
}
