//! Native reads of planner_meta's own tables: index scans through the
//! access methods, with no SQL parsed or planned.  plan() reads a few rows
//! per question; as SPI statements those reads cost more to parse and plan
//! in a fresh backend (whose catalog caches are cold) than to run, and
//! that cost was most of a backend's first plan().  Only rows are read
//! here; who may see them is `visibility`'s job.

use std::cell::RefCell;
use std::ffi::{CStr, CString};

use pgrx::pg_sys;
use pgrx::prelude::*;

use crate::error::PlannerError;

mod bitmap;
mod row;

pub use row::{collate_cmp, Row};

const SCHEMA: &CStr = c"planner_meta";

/// One comparison an index scan is keyed by: the index column (from 1)
/// equal to a value.
#[derive(Clone, Copy)]
pub enum Key<'a> {
    Oid(u16, pg_sys::Oid),
    /// Greater than the oid: where a sweep resumes.
    OidAfter(u16, pg_sys::Oid),
    Bool(u16, bool),
    Text(u16, &'a str),
    /// (GIN) the array column shares an element with the array.
    Overlaps(u16, &'a [String]),
}

/// GIN's strategy for `&&` on arrays (array_ops).
const GIN_OVERLAP_STRATEGY: u16 = 1;

/// A planner_meta table, open with AccessShareLock until dropped.
pub struct Table {
    rel: pg_sys::Relation,
    /// Index oids by name, looked up once per open table: a read probes
    /// the same index once per relation it reads about.
    indexes: RefCell<Vec<(String, pg_sys::Oid)>>,
}

fn relation_oid(name: &str) -> Result<pg_sys::Oid, PlannerError> {
    let cname = CString::new(name).map_err(|_| PlannerError::Corrupt(name.into()))?;
    // SAFETY: catalog lookups by name; both return InvalidOid when absent.
    let oid = unsafe {
        let schema = pg_sys::get_namespace_oid(SCHEMA.as_ptr(), true);
        pg_sys::get_relname_relid(cname.as_ptr(), schema)
    };
    if oid == pg_sys::InvalidOid {
        return Err(PlannerError::Corrupt(format!(
            "planner_meta.{name} is missing; reinstall the extension"
        )));
    }
    Ok(oid)
}

impl Table {
    fn of(rel: pg_sys::Relation) -> Table {
        Table {
            rel,
            indexes: RefCell::new(Vec::new()),
        }
    }

    fn index_oid(&self, name: &str) -> Result<pg_sys::Oid, PlannerError> {
        if let Some(&(_, oid)) = self.indexes.borrow().iter().find(|(n, _)| n == name) {
            return Ok(oid);
        }
        let oid = relation_oid(name)?;
        self.indexes.borrow_mut().push((name.to_string(), oid));
        Ok(oid)
    }

    pub fn open(name: &str) -> Result<Table, PlannerError> {
        let oid = relation_oid(name)?;
        // SAFETY: the oid names an existing table; the lock is released by
        // `drop` or, on error, by the transaction's resource owner.
        let rel = unsafe { pg_sys::table_open(oid, pg_sys::AccessShareLock as i32) };
        Ok(Table::of(rel))
    }

    /// A system catalog, by its relation oid.
    pub fn open_catalog(oid: pg_sys::Oid) -> Table {
        // SAFETY: catalogs always exist; the lock is released as in `open`.
        let rel = unsafe { pg_sys::table_open(oid, pg_sys::AccessShareLock as i32) };
        Table::of(rel)
    }

    /// The role owning the table.
    pub fn owner(&self) -> pg_sys::Oid {
        // SAFETY: rd_rel is the open relation's pg_class row.
        unsafe { (*(*self.rel).rd_rel).relowner }
    }

    /// The attribute number of `column`.
    pub fn column(&self, column: &str) -> Result<usize, PlannerError> {
        let cname = CString::new(column).map_err(|_| PlannerError::Corrupt(column.into()))?;
        // SAFETY: a syscache lookup on an open relation.
        let attnum = unsafe { pg_sys::get_attnum((*self.rel).rd_id, cname.as_ptr()) };
        if attnum <= 0 {
            return Err(PlannerError::Corrupt(format!("column {column} is missing")));
        }
        Ok(attnum as usize)
    }

    /// Every row, in no particular order.
    pub fn scan_all(
        &self,
        each: impl FnMut(&Row) -> Result<bool, PlannerError>,
    ) -> Result<(), PlannerError> {
        self.scan(None, &[], each)
    }

    /// The rows `index` finds for `keys`, in index order; `each` returns
    /// false to stop early.
    pub fn scan_index(
        &self,
        index: &str,
        keys: &[Key],
        each: impl FnMut(&Row) -> Result<bool, PlannerError>,
    ) -> Result<(), PlannerError> {
        let index = self.index_oid(index)?;
        self.scan(Some((index, Direction::Forward)), keys, each)
    }

    /// Like [`Table::scan_index`], with the index given by oid (a
    /// catalog's).
    pub fn scan_index_oid(
        &self,
        index: pg_sys::Oid,
        keys: &[Key],
        each: impl FnMut(&Row) -> Result<bool, PlannerError>,
    ) -> Result<(), PlannerError> {
        self.scan(Some((index, Direction::Forward)), keys, each)
    }

    /// The rows a bitmap-only index (GIN) may have found for `keys`, in
    /// physical order.  Such an index can return rows that do not match
    /// (lossy pages, recheck), so `each` must test the condition itself.
    pub fn scan_bitmap(
        &self,
        index: &str,
        keys: &[Key],
        mut each: impl FnMut(&Row) -> Result<bool, PlannerError>,
    ) -> Result<(), PlannerError> {
        let index = self.index_oid(index)?;
        self.with_slot(|snapshot, row| {
            // SAFETY: a bitmap scan of an open index under the pushed
            // snapshot, ended before the pages are read back.
            let pages = unsafe {
                let irel = pg_sys::index_open(index, pg_sys::AccessShareLock as i32);
                let mut scan_keys: Vec<pg_sys::ScanKeyData> =
                    keys.iter().map(|k| scan_key(irel, k)).collect();
                let scan = begin_bitmap_scan(irel, snapshot, scan_keys.len());
                rescan(scan, &mut scan_keys);
                let tbm = pg_sys::tbm_create(
                    (pg_sys::work_mem as usize * 1024) as _,
                    std::ptr::null_mut(),
                );
                pg_sys::index_getbitmap(scan, tbm);
                pg_sys::index_endscan(scan);
                pg_sys::index_close(irel, pg_sys::AccessShareLock as i32);
                let pages = bitmap::pages(tbm);
                pg_sys::tbm_free(tbm);
                pages
            };
            let mut tids = pages.into_iter().flat_map(|(block, offsets)| {
                let offsets =
                    offsets.unwrap_or_else(|| (1..=bitmap::max_tuples_per_page()).collect());
                offsets.into_iter().map(move |offset| (block, offset))
            });
            let next = || {
                for (block, offset) in tids.by_ref() {
                    // SAFETY: fetches one tuple version into the slot; an
                    // offset past the page's last line pointer finds none.
                    let found = unsafe {
                        let mut tid: pg_sys::ItemPointerData = std::mem::zeroed();
                        pgrx::itemptr::item_pointer_set_all(&mut tid, block, offset);
                        pg_sys::table_tuple_fetch_row_version(
                            self.rel, &mut tid, snapshot, row.slot,
                        )
                    };
                    if found {
                        return true;
                    }
                }
                false
            };
            feed(row, next, &mut each)
        })
    }

    /// The last row in `index` order (a max() by index).
    pub fn last_by<T>(
        &self,
        index: &str,
        read: impl FnOnce(&Row) -> T,
    ) -> Result<Option<T>, PlannerError> {
        let index = self.index_oid(index)?;
        let mut read = Some(read);
        let mut out = None;
        self.scan(Some((index, Direction::Backward)), &[], |row| {
            out = read.take().map(|f| f(row));
            Ok(false)
        })?;
        Ok(out)
    }

    /// Runs `read` with a slot for this table's rows and the snapshot SPI
    /// would give a statement run now.
    fn with_slot(
        &self,
        read: impl FnOnce(pg_sys::Snapshot, &Row) -> Result<(), PlannerError>,
    ) -> Result<(), PlannerError> {
        let _snapshot = CurrentSnapshot::push();
        // SAFETY: the slot is created for the open relation and dropped
        // after the read (or with the memory context on error).
        unsafe {
            let slot = pg_sys::table_slot_create(self.rel, std::ptr::null_mut());
            let result = read(pg_sys::GetActiveSnapshot(), &Row { slot });
            pg_sys::ExecDropSingleTupleTableSlot(slot);
            result
        }
    }

    fn scan(
        &self,
        index: Option<(pg_sys::Oid, Direction)>,
        keys: &[Key],
        mut each: impl FnMut(&Row) -> Result<bool, PlannerError>,
    ) -> Result<(), PlannerError> {
        self.with_slot(|snapshot, row| match index {
            Some((index, direction)) => {
                self.index_rows(index, direction, keys, snapshot, row, &mut each)
            }
            None => self.heap_rows(snapshot, row, &mut each),
        })
    }

    fn index_rows(
        &self,
        index: pg_sys::Oid,
        direction: Direction,
        keys: &[Key],
        snapshot: pg_sys::Snapshot,
        row: &Row,
        each: &mut dyn FnMut(&Row) -> Result<bool, PlannerError>,
    ) -> Result<(), PlannerError> {
        let direction = match direction {
            Direction::Forward => pg_sys::ScanDirection::ForwardScanDirection,
            Direction::Backward => pg_sys::ScanDirection::BackwardScanDirection,
        };
        // SAFETY: an index scan of the open relation under `snapshot`,
        // ended and closed before returning.
        unsafe {
            let irel = pg_sys::index_open(index, pg_sys::AccessShareLock as i32);
            let mut scan_keys: Vec<pg_sys::ScanKeyData> =
                keys.iter().map(|k| scan_key(irel, k)).collect();
            let scan = begin_index_scan(self.rel, irel, snapshot, scan_keys.len());
            rescan(scan, &mut scan_keys);
            let result = feed(
                row,
                || pg_sys::index_getnext_slot(scan, direction, row.slot),
                each,
            );
            pg_sys::index_endscan(scan);
            pg_sys::index_close(irel, pg_sys::AccessShareLock as i32);
            result
        }
    }

    fn heap_rows(
        &self,
        snapshot: pg_sys::Snapshot,
        row: &Row,
        each: &mut dyn FnMut(&Row) -> Result<bool, PlannerError>,
    ) -> Result<(), PlannerError> {
        // SAFETY: a sequential scan of the open relation under `snapshot`,
        // ended before returning.
        unsafe {
            let scan = pg_sys::table_beginscan(self.rel, snapshot, 0, std::ptr::null_mut());
            let forward = pg_sys::ScanDirection::ForwardScanDirection;
            let result = feed(
                row,
                || pg_sys::table_scan_getnextslot(scan, forward, row.slot),
                each,
            );
            pg_sys::table_endscan(scan);
            result
        }
    }
}

/// Passes each row `next` puts in the slot to `each`, until either stops.
fn feed(
    row: &Row,
    mut next: impl FnMut() -> bool,
    each: &mut dyn FnMut(&Row) -> Result<bool, PlannerError>,
) -> Result<(), PlannerError> {
    while next() {
        if !each(row)? {
            break;
        }
    }
    Ok(())
}

unsafe fn rescan(scan: pg_sys::IndexScanDesc, keys: &mut [pg_sys::ScanKeyData]) {
    pg_sys::index_rescan(
        scan,
        keys.as_mut_ptr(),
        keys.len() as i32,
        std::ptr::null_mut(),
        0,
    );
}

impl Drop for Table {
    fn drop(&mut self) {
        // SAFETY: closes the relation opened in `open`, keeping the lock to
        // the end of the transaction as SQL reads do.
        unsafe { pg_sys::table_close(self.rel, pg_sys::NoLock as i32) };
    }
}

#[derive(Clone, Copy)]
enum Direction {
    Forward,
    Backward,
}

/// The snapshot SPI would give a statement run now: the calling
/// statement's, advanced to see what this transaction wrote since (a
/// refresh earlier in the same plan(), DDL earlier in a migration).
struct CurrentSnapshot;

impl CurrentSnapshot {
    fn push() -> CurrentSnapshot {
        // SAFETY: the pushed snapshot is popped in `drop`.
        unsafe {
            pg_sys::CommandCounterIncrement();
            if pg_sys::ActiveSnapshotSet() {
                pg_sys::PushCopiedSnapshot(pg_sys::GetActiveSnapshot());
                pg_sys::UpdateActiveSnapshotCommandId();
            } else {
                pg_sys::PushActiveSnapshot(pg_sys::GetTransactionSnapshot());
            }
        }
        CurrentSnapshot
    }
}

impl Drop for CurrentSnapshot {
    fn drop(&mut self) {
        // SAFETY: pops the snapshot pushed in `push`.
        unsafe { pg_sys::PopActiveSnapshot() };
    }
}

unsafe fn begin_index_scan(
    heap: pg_sys::Relation,
    index: pg_sys::Relation,
    snapshot: pg_sys::Snapshot,
    nkeys: usize,
) -> pg_sys::IndexScanDesc {
    #[cfg(not(feature = "pg18"))]
    return pg_sys::index_beginscan(heap, index, snapshot, nkeys as i32, 0);
    // PostgreSQL 18 takes where to count the scan's statistics (none).
    #[cfg(feature = "pg18")]
    return pg_sys::index_beginscan(heap, index, snapshot, std::ptr::null_mut(), nkeys as i32, 0);
}

unsafe fn begin_bitmap_scan(
    index: pg_sys::Relation,
    snapshot: pg_sys::Snapshot,
    nkeys: usize,
) -> pg_sys::IndexScanDesc {
    #[cfg(not(feature = "pg18"))]
    return pg_sys::index_beginscan_bitmap(index, snapshot, nkeys as i32);
    #[cfg(feature = "pg18")]
    return pg_sys::index_beginscan_bitmap(index, snapshot, std::ptr::null_mut(), nkeys as i32);
}

/// The scan key of `key` on `index`; texts compare under the index
/// column's collation, as the index is ordered by it.
unsafe fn scan_key(index: pg_sys::Relation, key: &Key) -> pg_sys::ScanKeyData {
    let bt_equal = pg_sys::BTEqualStrategyNumber as u16;
    let (attno, strategy, proc, datum) = match *key {
        Key::Oid(a, v) => (a, bt_equal, pg_sys::F_OIDEQ, pg_sys::Datum::from(v)),
        Key::OidAfter(a, v) => (
            a,
            pg_sys::BTGreaterStrategyNumber as u16,
            pg_sys::F_OIDGT,
            pg_sys::Datum::from(v),
        ),
        Key::Bool(a, v) => (a, bt_equal, pg_sys::F_BOOLEQ, pg_sys::Datum::from(v)),
        Key::Text(a, v) => (
            a,
            bt_equal,
            pg_sys::F_TEXTEQ,
            v.into_datum().unwrap_or(pg_sys::Datum::from(0)),
        ),
        Key::Overlaps(a, v) => (
            a,
            GIN_OVERLAP_STRATEGY,
            pg_sys::F_ARRAYOVERLAP,
            v.to_vec().into_datum().unwrap_or(pg_sys::Datum::from(0)),
        ),
    };
    let collation = *(*index).rd_indcollation.add(attno as usize - 1);
    let mut sk: pg_sys::ScanKeyData = std::mem::zeroed();
    pg_sys::ScanKeyEntryInitialize(
        &mut sk,
        0,
        attno as pg_sys::AttrNumber,
        strategy,
        pg_sys::InvalidOid,
        collation,
        pg_sys::Oid::from(proc),
        datum,
    );
    sk
}
