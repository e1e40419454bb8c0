//! Who is making a change.  Tracking runs SECURITY DEFINER, so SQL's
//! current_user would name the extension owner; the role in effect outside
//! the definer function is the one set by login or SET ROLE.

use pgrx::pg_sys;
use std::ffi::CStr;

/// current_user of the statement that fired the event trigger.
pub fn acting_role() -> String {
    // SAFETY: GetOuterUserId reads backend-local state, and the name is
    // copied out before anything else runs; missing_ok keeps a role dropped
    // concurrently from raising.
    unsafe {
        let oid = pg_sys::GetOuterUserId();
        let name = pg_sys::GetUserNameFromId(oid, true);
        if name.is_null() {
            return format!("role {}", u32::from(oid));
        }
        CStr::from_ptr(name).to_string_lossy().into_owned()
    }
}
