//! Native reads of planner_meta's own tables: index scans through the
//! access methods, with no SQL parsed or planned.  plan() reads a few rows
//! per question; as SPI statements those reads cost more to parse and plan
//! in a fresh backend (whose catalog caches are cold) than to run, and
//! that cost was most of a backend's first plan().  Only rows are read
//! here; who may see them is `visibility`'s job.

use std::ffi::{CStr, CString};

use pgrx::pg_sys;
use pgrx::prelude::*;

use crate::error::PlannerError;

mod bitmap;

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
}

/// The columns of one row, deformed; valid until the next row is read.
pub struct Row {
    slot: *mut pg_sys::TupleTableSlot,
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
    pub fn open(name: &str) -> Result<Table, PlannerError> {
        let oid = relation_oid(name)?;
        // SAFETY: the oid names an existing table; the lock is released by
        // `drop` or, on error, by the transaction's resource owner.
        let rel = unsafe { pg_sys::table_open(oid, pg_sys::AccessShareLock as i32) };
        Ok(Table { rel })
    }

    /// A system catalog, by its relation oid.
    pub fn open_catalog(oid: pg_sys::Oid) -> Table {
        // SAFETY: catalogs always exist; the lock is released as in `open`.
        let rel = unsafe { pg_sys::table_open(oid, pg_sys::AccessShareLock as i32) };
        Table { rel }
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
        let index = relation_oid(index)?;
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
        let index = relation_oid(index)?;
        let _snapshot = CurrentSnapshot::push();
        // SAFETY: a bitmap scan of an open relation under the pushed
        // snapshot; the bitmap, slot and scan are released below, or by
        // the memory context and resource owner on error.
        unsafe {
            let snapshot = pg_sys::GetActiveSnapshot();
            let irel = pg_sys::index_open(index, pg_sys::AccessShareLock as i32);
            let mut scan_keys: Vec<pg_sys::ScanKeyData> =
                keys.iter().map(|k| scan_key(irel, k)).collect();
            let scan = begin_bitmap_scan(irel, snapshot, scan_keys.len());
            pg_sys::index_rescan(
                scan,
                scan_keys.as_mut_ptr(),
                scan_keys.len() as i32,
                std::ptr::null_mut(),
                0,
            );
            let tbm = pg_sys::tbm_create(
                (pg_sys::work_mem as usize * 1024) as _,
                std::ptr::null_mut(),
            );
            pg_sys::index_getbitmap(scan, tbm);
            pg_sys::index_endscan(scan);
            pg_sys::index_close(irel, pg_sys::AccessShareLock as i32);
            let pages = bitmap::pages(tbm);
            pg_sys::tbm_free(tbm);
            let slot = pg_sys::table_slot_create(self.rel, std::ptr::null_mut());
            let row = Row { slot };
            let mut result = Ok(());
            'pages: for (block, offsets) in pages {
                let offsets =
                    offsets.unwrap_or_else(|| (1..=bitmap::max_tuples_per_page()).collect());
                for offset in offsets {
                    let mut tid: pg_sys::ItemPointerData = std::mem::zeroed();
                    pgrx::itemptr::item_pointer_set_all(&mut tid, block, offset);
                    if !pg_sys::table_tuple_fetch_row_version(self.rel, &mut tid, snapshot, slot) {
                        continue;
                    }
                    match each(&row) {
                        Ok(true) => {}
                        Ok(false) => break 'pages,
                        Err(e) => {
                            result = Err(e);
                            break 'pages;
                        }
                    }
                }
            }
            pg_sys::ExecDropSingleTupleTableSlot(slot);
            result
        }
    }

    /// The last row in `index` order (a max() by index).
    pub fn last_by<T>(
        &self,
        index: &str,
        read: impl FnOnce(&Row) -> T,
    ) -> Result<Option<T>, PlannerError> {
        let index = relation_oid(index)?;
        let mut read = Some(read);
        let mut out = None;
        self.scan(Some((index, Direction::Backward)), &[], |row| {
            out = read.take().map(|f| f(row));
            Ok(false)
        })?;
        Ok(out)
    }

    fn scan(
        &self,
        index: Option<(pg_sys::Oid, Direction)>,
        keys: &[Key],
        mut each: impl FnMut(&Row) -> Result<bool, PlannerError>,
    ) -> Result<(), PlannerError> {
        let _snapshot = CurrentSnapshot::push();
        // SAFETY: a scan of an open relation under the pushed snapshot; the
        // slot and scan are released below, or by the resource owner and
        // memory context on error.
        unsafe {
            let snapshot = pg_sys::GetActiveSnapshot();
            let slot = pg_sys::table_slot_create(self.rel, std::ptr::null_mut());
            let row = Row { slot };
            let result = match index {
                Some((index_oid, direction)) => {
                    let irel = pg_sys::index_open(index_oid, pg_sys::AccessShareLock as i32);
                    let mut scan_keys: Vec<pg_sys::ScanKeyData> =
                        keys.iter().map(|k| scan_key(irel, k)).collect();
                    let scan = begin_index_scan(self.rel, irel, snapshot, scan_keys.len());
                    pg_sys::index_rescan(
                        scan,
                        scan_keys.as_mut_ptr(),
                        scan_keys.len() as i32,
                        std::ptr::null_mut(),
                        0,
                    );
                    let direction = match direction {
                        Direction::Forward => pg_sys::ScanDirection::ForwardScanDirection,
                        Direction::Backward => pg_sys::ScanDirection::BackwardScanDirection,
                    };
                    let mut result = Ok(());
                    while pg_sys::index_getnext_slot(scan, direction, slot) {
                        match each(&row) {
                            Ok(true) => continue,
                            Ok(false) => break,
                            Err(e) => {
                                result = Err(e);
                                break;
                            }
                        }
                    }
                    pg_sys::index_endscan(scan);
                    pg_sys::index_close(irel, pg_sys::AccessShareLock as i32);
                    result
                }
                None => {
                    let scan = pg_sys::table_beginscan(self.rel, snapshot, 0, std::ptr::null_mut());
                    let mut result = Ok(());
                    while pg_sys::table_scan_getnextslot(
                        scan,
                        pg_sys::ScanDirection::ForwardScanDirection,
                        slot,
                    ) {
                        match each(&row) {
                            Ok(true) => continue,
                            Ok(false) => break,
                            Err(e) => {
                                result = Err(e);
                                break;
                            }
                        }
                    }
                    pg_sys::table_endscan(scan);
                    result
                }
            };
            pg_sys::ExecDropSingleTupleTableSlot(slot);
            result
        }
    }
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

#[cfg(not(feature = "pg18"))]
unsafe fn begin_index_scan(
    heap: pg_sys::Relation,
    index: pg_sys::Relation,
    snapshot: pg_sys::Snapshot,
    nkeys: usize,
) -> pg_sys::IndexScanDesc {
    pg_sys::index_beginscan(heap, index, snapshot, nkeys as i32, 0)
}

#[cfg(not(feature = "pg18"))]
unsafe fn begin_bitmap_scan(
    index: pg_sys::Relation,
    snapshot: pg_sys::Snapshot,
    nkeys: usize,
) -> pg_sys::IndexScanDesc {
    pg_sys::index_beginscan_bitmap(index, snapshot, nkeys as i32)
}

#[cfg(feature = "pg18")]
unsafe fn begin_bitmap_scan(
    index: pg_sys::Relation,
    snapshot: pg_sys::Snapshot,
    nkeys: usize,
) -> pg_sys::IndexScanDesc {
    pg_sys::index_beginscan_bitmap(index, snapshot, std::ptr::null_mut(), nkeys as i32)
}

#[cfg(feature = "pg18")]
unsafe fn begin_index_scan(
    heap: pg_sys::Relation,
    index: pg_sys::Relation,
    snapshot: pg_sys::Snapshot,
    nkeys: usize,
) -> pg_sys::IndexScanDesc {
    pg_sys::index_beginscan(heap, index, snapshot, std::ptr::null_mut(), nkeys as i32, 0)
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

impl Row {
    /// The datum of column `attnum`, or None when it is NULL.
    fn datum(&self, attnum: usize) -> Option<pg_sys::Datum> {
        // SAFETY: the slot holds a row of the scanned table; attnum comes
        // from `Table::column`, so it is within the row's attributes.
        unsafe {
            pg_sys::slot_getsomeattrs(self.slot, attnum as i32);
            let i = attnum - 1;
            if *(*self.slot).tts_isnull.add(i) {
                None
            } else {
                Some(*(*self.slot).tts_values.add(i))
            }
        }
    }

    pub fn oid(&self, attnum: usize) -> Option<pg_sys::Oid> {
        self.datum(attnum)
            .map(|d| pg_sys::Oid::from(d.value() as u32))
    }

    pub fn int2(&self, attnum: usize) -> Option<i16> {
        self.datum(attnum).map(|d| d.value() as i16)
    }

    pub fn int8(&self, attnum: usize) -> Option<i64> {
        self.datum(attnum).map(|d| d.value() as i64)
    }

    /// A `real` column, as the f64 its shortest text reads as (the value
    /// SQL would pass on through JSON).
    pub fn float4(&self, attnum: usize) -> Option<f64> {
        self.datum(attnum)
            .and_then(|d| f32::from_bits(d.value() as u32).to_string().parse().ok())
    }

    /// A `timestamptz` column, in PostgreSQL's microseconds.
    pub fn timestamptz(&self, attnum: usize) -> Option<pg_sys::TimestampTz> {
        self.datum(attnum).map(|d| d.value() as pg_sys::TimestampTz)
    }

    pub fn bool(&self, attnum: usize) -> bool {
        self.datum(attnum).is_some_and(|d| d.value() != 0)
    }

    pub fn text(&self, attnum: usize) -> Option<String> {
        // SAFETY: the column is of type text; from_datum detoasts.
        self.datum(attnum)
            .and_then(|d| unsafe { String::from_datum(d, false) })
    }

    pub fn name(&self, attnum: usize) -> Option<String> {
        // SAFETY: the column is of type name: a NUL-terminated NameData.
        self.datum(attnum).map(|d| unsafe { name_string(d) })
    }

    /// A `text[]` column's elements (NULL elements left out).
    pub fn texts(&self, attnum: usize) -> Vec<String> {
        // SAFETY: the column is of type text[]; from_datum detoasts.
        self.datum(attnum)
            .and_then(|d| unsafe { Vec::<Option<String>>::from_datum(d, false) })
            .map(|v| v.into_iter().flatten().collect())
            .unwrap_or_default()
    }

    /// A `name[]` column's elements.
    pub fn names(&self, attnum: usize) -> Vec<String> {
        let Some(datum) = self.datum(attnum) else {
            return Vec::new();
        };
        // SAFETY: the column is of type name[]; the array is detoasted and
        // deconstructed into datums pointing at its NameData elements.
        unsafe {
            let array = pg_sys::pg_detoast_datum(datum.cast_mut_ptr()) as *mut pg_sys::ArrayType;
            let (mut elems, mut nulls, mut n) = (std::ptr::null_mut(), std::ptr::null_mut(), 0);
            pg_sys::deconstruct_array(
                array,
                pg_sys::NAMEOID,
                pg_sys::NAMEDATALEN as i32,
                false,
                pg_sys::TYPALIGN_CHAR as std::ffi::c_char,
                &mut elems,
                &mut nulls,
                &mut n,
            );
            (0..n as usize)
                .filter(|&i| !*nulls.add(i))
                .map(|i| name_string(*elems.add(i)))
                .collect()
        }
    }
}

unsafe fn name_string(datum: pg_sys::Datum) -> String {
    CStr::from_ptr(datum.cast_mut_ptr::<std::ffi::c_char>())
        .to_string_lossy()
        .into_owned()
}

/// Compares two texts as the database's default collation orders them
/// (as `ORDER BY value` does in SQL).
pub fn collate_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    // SAFETY: varstr_cmp reads both byte ranges only.
    let c = unsafe {
        pg_sys::varstr_cmp(
            a.as_ptr().cast(),
            a.len() as i32,
            b.as_ptr().cast(),
            b.len() as i32,
            pg_sys::DEFAULT_COLLATION_OID,
        )
    };
    c.cmp(&0)
}
