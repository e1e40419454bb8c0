//! What the calling role may see of the cache, decided in Rust for the
//! native reads (`scan`): the same rules as the `can_see_*` functions of
//! sql/bootstrap.sql behind the `visible_*` views, from the same ACL
//! checks those SQL functions make.  A missing object is invisible, as the
//! SQL functions' NULL is.  Answers are kept for one read only: grants
//! change between statements.

use std::collections::HashMap;

use pgrx::pg_sys;

/// MAINTAIN is a table privilege from PostgreSQL 17 on.
#[cfg(not(feature = "pg18"))]
const ACL_MAINTAIN: u32 = 0;
#[cfg(feature = "pg18")]
const ACL_MAINTAIN: u32 = pg_sys::ACL_MAINTAIN;

/// Any table privilege lets a role see a relation (as `can_see_relation`).
const ANY_TABLE_PRIVILEGE: u32 = pg_sys::ACL_SELECT
    | pg_sys::ACL_INSERT
    | pg_sys::ACL_UPDATE
    | pg_sys::ACL_DELETE
    | pg_sys::ACL_TRUNCATE
    | pg_sys::ACL_REFERENCES
    | pg_sys::ACL_TRIGGER
    | ACL_MAINTAIN;

/// The privileges a column can be granted that let a role see it.
const ANY_COLUMN_PRIVILEGE: u32 =
    pg_sys::ACL_SELECT | pg_sys::ACL_INSERT | pg_sys::ACL_UPDATE | pg_sys::ACL_REFERENCES;

pub struct Visibility {
    role: pg_sys::Oid,
    schemas: HashMap<pg_sys::Oid, bool>,
    relations: HashMap<pg_sys::Oid, bool>,
    columns: HashMap<(pg_sys::Oid, i16, u32), bool>,
    row_security: HashMap<pg_sys::Oid, bool>,
}

#[cfg(not(feature = "pg18"))]
fn schema_usage(schema: pg_sys::Oid, role: pg_sys::Oid) -> bool {
    // SAFETY: the existence test first, as has_schema_privilege does: the
    // ACL check itself raises an error for a missing schema.
    unsafe {
        pg_sys::SearchSysCacheExists(
            pg_sys::SysCacheIdentifier::NAMESPACEOID as i32,
            pg_sys::Datum::from(schema),
            pg_sys::Datum::from(0),
            pg_sys::Datum::from(0),
            pg_sys::Datum::from(0),
        ) && pg_sys::pg_namespace_aclcheck(schema, role, pg_sys::ACL_USAGE as pg_sys::AclMode)
            == pg_sys::AclResult::ACLCHECK_OK
    }
}

#[cfg(feature = "pg18")]
fn schema_usage(schema: pg_sys::Oid, role: pg_sys::Oid) -> bool {
    let mut missing = false;
    // SAFETY: an ACL check that reports a missing schema instead of failing.
    let result = unsafe {
        pg_sys::object_aclcheck_ext(
            pg_sys::NamespaceRelationId,
            schema,
            role,
            pg_sys::ACL_USAGE as pg_sys::AclMode,
            &mut missing,
        )
    };
    !missing && result == pg_sys::AclResult::ACLCHECK_OK
}

impl Visibility {
    pub fn for_caller() -> Visibility {
        Visibility {
            // SAFETY: reads the backend's current user id.
            role: unsafe { pg_sys::GetUserId() },
            schemas: HashMap::new(),
            relations: HashMap::new(),
            columns: HashMap::new(),
            row_security: HashMap::new(),
        }
    }

    /// USAGE on the schema (`can_see_schema`).
    pub fn schema(&mut self, schema: pg_sys::Oid) -> bool {
        let role = self.role;
        *self
            .schemas
            .entry(schema)
            .or_insert_with(|| schema_usage(schema, role))
    }

    /// Whether the role holds any of `mask` on the table itself; None
    /// when the relation no longer exists.
    fn table_privilege(&self, rel: pg_sys::Oid, mask: u32) -> Option<bool> {
        let mut missing = false;
        // SAFETY: an ACL check that reports a missing relation; it passes
        // when any privilege of `mask` is held.
        let result = unsafe {
            pg_sys::pg_class_aclcheck_ext(rel, self.role, mask as pg_sys::AclMode, &mut missing)
        };
        (!missing).then_some(result == pg_sys::AclResult::ACLCHECK_OK)
    }

    /// Any privilege on the table or on one of its columns
    /// (`can_see_relation`).
    pub fn relation(&mut self, rel: pg_sys::Oid) -> bool {
        if let Some(&known) = self.relations.get(&rel) {
            return known;
        }
        let seen = match self.table_privilege(rel, ANY_TABLE_PRIVILEGE) {
            None => false,
            Some(true) => true,
            // SAFETY: the relation exists (checked just above), which the
            // per-column check requires.
            Some(false) => unsafe {
                pg_sys::pg_attribute_aclcheck_all(
                    rel,
                    self.role,
                    ANY_COLUMN_PRIVILEGE as pg_sys::AclMode,
                    pg_sys::AclMaskHow::ACLMASK_ANY,
                ) == pg_sys::AclResult::ACLCHECK_OK
            },
        };
        self.relations.insert(rel, seen);
        seen
    }

    fn column_privilege(&mut self, rel: pg_sys::Oid, attnum: i16, mask: u32) -> bool {
        if let Some(&known) = self.columns.get(&(rel, attnum, mask)) {
            return known;
        }
        let held = self.table_privilege(rel, mask) == Some(true) || {
            let mut missing = false;
            // SAFETY: an ACL check that reports a missing column.
            let result = unsafe {
                pg_sys::pg_attribute_aclcheck_ext(
                    rel,
                    attnum,
                    self.role,
                    mask as pg_sys::AclMode,
                    &mut missing,
                )
            };
            !missing && result == pg_sys::AclResult::ACLCHECK_OK
        };
        self.columns.insert((rel, attnum, mask), held);
        held
    }

    /// Any privilege on the column, or one on the table covering it
    /// (`can_see_column`).
    pub fn column(&mut self, rel: pg_sys::Oid, attnum: i16) -> bool {
        self.column_privilege(rel, attnum, ANY_COLUMN_PRIVILEGE)
    }

    /// Whether the role may read the column's values where no row-level
    /// security hides rows (`can_read_column` and not
    /// `row_security_active`, as pg_stats decides).
    pub fn column_values(&mut self, rel: pg_sys::Oid, attnum: i16) -> bool {
        self.column_privilege(rel, attnum, pg_sys::ACL_SELECT) && !self.row_security(rel)
    }

    fn row_security(&mut self, rel: pg_sys::Oid) -> bool {
        *self.row_security.entry(rel).or_insert_with(|| {
            // SAFETY: noError: a missing relation reads as no row security.
            let status = unsafe { pg_sys::check_enable_rls(rel, pg_sys::InvalidOid, true) };
            status == pg_sys::CheckEnableRlsResult::RLS_ENABLED as i32
        })
    }
}
