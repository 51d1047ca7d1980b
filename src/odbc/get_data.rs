//! SQLGetData: one column of the current row into the application's buffer, in pieces for long
//! text and binary values.

use std::ffi::c_void;

use super::convert::{Cells, DayCache, Direct, Outcome, Progress, Target, c_type, default_c_type, get_data};
use super::diag::Diagnostic;
use super::handles::Stmt;
use super::statement::Cursor;
use crate::native::ColumnData;

impl Stmt {
    /// Converts column `column` (from 1) of the cursor's current row to `target_type`, carrying on
    /// from where an earlier call on the same column stopped.
    ///
    /// # Safety
    /// `target` valid for the C type (or `buffer_length` bytes for text and binary); `indicator`
    /// null or valid for a write.
    pub unsafe fn column_data(
        &self,
        cursor: &mut Cursor,
        column: u16,
        target_type: i16,
        target: *mut c_void,
        buffer_length: isize,
        indicator: *mut isize,
    ) -> Result<Outcome, Diagnostic> {
        let index = cursor.column_index(column)?;
        // SQL_ARD_TYPE takes the type, and a numeric's precision and scale, from the ARD's record.
        let (target_type, numeric) = match target_type {
            c_type::ARD_TYPE => {
                let ard = self.ard().fields.lock();
                let record = ard.records.get(index);
                record.map_or((c_type::DEFAULT, None), |record| {
                    (record.concise_type, record.numeric_format())
                })
            }
            other => (other, None),
        };
        let c_type = if target_type == c_type::DEFAULT {
            default_c_type(&cursor.descriptions[index])
        } else {
            target_type
        };
        let row = cursor.current_row()?;
        if cursor.progress[index] == Progress::Untouched
            && !target.is_null()
            && let Some((direct, data)) = cursor.direct(index, c_type)
            // SAFETY: forwarded from the caller.
            && let Some(outcome) = unsafe { direct_cell(direct, data, row, target, buffer_length, indicator) }
        {
            cursor.progress[index] = Progress::Done;
            return Ok(outcome);
        }
        let value = cursor.block.columns[index].value(row);
        let target = Target {
            buffer: target.cast(),
            capacity: buffer_length,
            indicator,
            length: indicator,
            numeric,
        };
        let mut progress = cursor.progress[index];
        // SAFETY: forwarded from the caller.
        let outcome = unsafe { get_data(&value, c_type, &target, &mut progress) };
        cursor.progress[index] = progress;
        outcome
    }
}

/// Row `row` of a column's data through its direct path, when it takes this cell; `None` leaves it
/// to `get_data`.
///
/// # Safety
/// As for [`Stmt::column_data`], with `target` not null.
unsafe fn direct_cell(
    direct: &Direct,
    data: &ColumnData,
    row: usize,
    target: *mut c_void,
    buffer_length: isize,
    indicator: *mut isize,
) -> Option<Outcome> {
    let cells = Cells::of(data);
    let length = if cells.is_null(row) {
        if indicator.is_null() {
            return None;
        }
        odbc_sys::NULL_DATA
    } else {
        // SAFETY: forwarded from the caller.
        let written = unsafe {
            direct.write(
                cells.values,
                row,
                target.cast(),
                buffer_length,
                &mut DayCache::default(),
            )
        }?;
        written as isize
    };
    if !indicator.is_null() {
        // SAFETY: forwarded from the caller.
        unsafe { indicator.write_unaligned(length) };
    }
    Some(Outcome::Complete)
}
