//! What differs between the PostgreSQL majors this library builds for
//! (cargo features `pg15`, `pg18`), in one place.
//!
//! Catalog queries are written for the newest major.  A column it added
//! reads, on an older major, as the constant it means there: before 18 no
//! key is temporal (`conperiod`) and every constraint is enforced
//! (`conenforced`).  Rows added by a newer major (NOT NULL constraints,
//! `contype = 'n'`; virtual generated columns, `attgenerated = 'v'`) need
//! nothing: an older catalog simply has none.

use std::borrow::Cow;

/// Catalog columns this build's server lacks, with the value they stand for.
#[cfg(not(feature = "pg18"))]
const ABSENT_COLUMNS: &[(&str, &str)] = &[("con.conperiod", "false"), ("con.conenforced", "true")];
#[cfg(feature = "pg18")]
const ABSENT_COLUMNS: &[(&str, &str)] = &[];

/// `sql` as this build's server can run it.
pub fn catalog_sql(sql: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(sql);
    for (column, meaning) in ABSENT_COLUMNS {
        if out.contains(column) {
            out = Cow::Owned(out.replace(column, meaning));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_sql_alone_when_nothing_is_absent() {
        assert_eq!(catalog_sql("SELECT 1"), "SELECT 1");
    }

    #[cfg(not(feature = "pg18"))]
    #[test]
    fn absent_columns_read_as_their_meaning() {
        let sql =
            catalog_sql("SELECT con.conperiod AS t, con.conenforced AS e FROM pg_constraint con");
        assert_eq!(sql, "SELECT false AS t, true AS e FROM pg_constraint con");
    }

    #[cfg(feature = "pg18")]
    #[test]
    fn newest_major_keeps_every_column() {
        let sql = "SELECT con.conperiod, con.conenforced FROM pg_constraint con";
        assert_eq!(catalog_sql(sql), sql);
    }
}
