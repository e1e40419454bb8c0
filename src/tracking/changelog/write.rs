//! Writing change rows (and statement texts) with NOTIFY.

use super::ChangeRow;

const INSERT_SQL: &str = include_str!("../../../sql/events/record_changes.sql");
const STATEMENT_SQL: &str = "\
    INSERT INTO planner_meta.change_statements (txid, statement_md5, statement) \
    SELECT txid_current(), md5(q), q FROM (SELECT current_query() AS q) s WHERE q IS NOT NULL \
    ON CONFLICT DO NOTHING";

/// Writes the rows (and, if enabled, the statement text) and notifies
/// listeners; NOTIFY is delivered only if the transaction commits.
pub fn write(rows: &[ChangeRow], command_tag: Option<&str>) -> crate::error::Result<()> {
    write_as(rows, command_tag, &crate::roles::acting_role())
}

/// As write(), for changes made by `acting_role` (a statement noted earlier
/// in the transaction, logged at pre-commit).
pub fn write_as(
    rows: &[ChangeRow],
    command_tag: Option<&str>,
    acting_role: &str,
) -> crate::error::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let notify = crate::guc::NOTIFY.get();
    crate::spi::execute_kept(
        INSERT_SQL,
        &[
            pgrx::JsonB(serde_json::to_value(rows)?).into(),
            acting_role.into(),
            command_tag.into(),
            notify.into(),
        ],
    )?;
    if crate::guc::LOG_STATEMENTS.get() {
        crate::spi::execute_kept(STATEMENT_SQL, &[])?;
    }
    Ok(())
}
