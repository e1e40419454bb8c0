//! The tuples a bitmap-only index (GIN) finds: the index fills a TID
//! bitmap and the pages are read back from it.  The bitmap iterator
//! changed shape in PostgreSQL 18; both forms give the same pages.

use pgrx::pg_sys;

/// A heap page the index found: its offsets, or None when the bitmap
/// lost them (a lossy page: every tuple on it must be read and tested).
pub(super) type FoundPage = (pg_sys::BlockNumber, Option<Vec<pg_sys::OffsetNumber>>);

/// Line pointers a heap page can hold, the bound of a lossy page.
pub(super) fn max_tuples_per_page() -> pg_sys::OffsetNumber {
    const PAGE_HEADER: usize = 24;
    const TUPLE_HEADER: usize = 24;
    const LINE_POINTER: usize = 4;
    ((pg_sys::BLCKSZ as usize - PAGE_HEADER) / (TUPLE_HEADER + LINE_POINTER)) as u16
}

/// The pages of a filled bitmap, in block order.
#[cfg(not(feature = "pg18"))]
pub(super) unsafe fn pages(tbm: *mut pg_sys::TIDBitmap) -> Vec<FoundPage> {
    let mut out = Vec::new();
    let iterator = pg_sys::tbm_begin_iterate(tbm);
    loop {
        let page = pg_sys::tbm_iterate(iterator);
        if page.is_null() {
            break;
        }
        let n = (*page).ntuples;
        let offsets = (n >= 0).then(|| (*page).offsets.as_slice(n as usize).to_vec());
        out.push(((*page).blockno, offsets));
    }
    pg_sys::tbm_end_iterate(iterator);
    out
}

#[cfg(feature = "pg18")]
pub(super) unsafe fn pages(tbm: *mut pg_sys::TIDBitmap) -> Vec<FoundPage> {
    let mut out = Vec::new();
    let iterator = pg_sys::tbm_begin_private_iterate(tbm);
    let mut page = pg_sys::TBMIterateResult::default();
    let mut offsets = vec![0 as pg_sys::OffsetNumber; max_tuples_per_page() as usize];
    while pg_sys::tbm_private_iterate(iterator, &mut page) {
        let found = if page.lossy {
            None
        } else {
            let n = pg_sys::tbm_extract_page_tuple(
                &mut page,
                offsets.as_mut_ptr(),
                offsets.len() as u32,
            );
            Some(offsets[..n.max(0) as usize].to_vec())
        };
        out.push((page.blockno, found));
    }
    pg_sys::tbm_end_private_iterate(iterator);
    out
}
