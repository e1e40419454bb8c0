//! Reading the extension's private tables as their owner, from functions
//! that run as the caller (plan(), context()).  Only lookups whose results
//! never reach the caller directly go through here: the dictionary's
//! phrases (the caller learns of an object only through the
//! privilege-checked terms they lead to) and the checks for stale data
//! knowledge (which decide what a definer function refreshes).  Reading as
//! the owner also keeps those lookups off the caller's privilege checks,
//! so they neither lose their indexes behind a security barrier nor fill
//! the backend's catalog cache with every relation they pass.

use pgrx::prelude::*;

use crate::error::PlannerError;

/// Runs `read` with the extension's owner as the current user.
pub fn read_as_owner<T>(
    read: impl FnOnce() -> Result<T, PlannerError> + std::panic::UnwindSafe,
) -> Result<T, PlannerError> {
    let owner = crate::knowledge::scan::Table::open("link_phrases")?.owner();
    let (mut caller, mut context) = (pg_sys::InvalidOid, 0);
    // SAFETY: reads and sets backend-local state.  The caller's identity is
    // put back in `finally`, and PostgreSQL itself restores it when an
    // error aborts the (sub)transaction, as it does for SECURITY DEFINER.
    unsafe { pg_sys::GetUserIdAndSecContext(&mut caller, &mut context) };
    PgTryBuilder::new(|| {
        unsafe {
            pg_sys::SetUserIdAndSecContext(
                owner,
                context | pg_sys::SECURITY_LOCAL_USERID_CHANGE as i32,
            )
        };
        read()
    })
    .finally(|| unsafe { pg_sys::SetUserIdAndSecContext(caller, context) })
    .execute()
}
