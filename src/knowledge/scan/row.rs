//! One row of a native scan: its columns as Rust values.

use std::ffi::CStr;

use pgrx::pg_sys;
use pgrx::prelude::*;

/// The columns of one row, deformed; valid until the next row is read.
pub struct Row {
    pub(super) slot: *mut pg_sys::TupleTableSlot,
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
