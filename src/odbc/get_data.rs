//! SQLGetData: one column of the current row into the application's buffer, in pieces for long
//! text and binary values.

use std::ffi::c_void;

use super::convert::{Outcome, Target, c_type, default_c_type, get_data};
use super::diag::Diagnostic;
use super::handles::Stmt;
use super::statement::Cursor;

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
        let (_, description) = cursor.column(column)?;
        // SQL_ARD_TYPE takes the type, and a numeric's precision and scale, from the ARD's record.
        let (target_type, numeric) = match target_type {
            c_type::ARD_TYPE => {
                let ard = self.ard().fields.lock();
                let record = ard.records.get(usize::from(column) - 1);
                record.map_or((c_type::DEFAULT, None), |record| {
                    (record.concise_type, record.numeric_format())
                })
            }
            other => (other, None),
        };
        let c_type = if target_type == c_type::DEFAULT {
            default_c_type(&description)
        } else {
            target_type
        };
        let index = usize::from(column) - 1;
        let value = cursor.value(index)?;
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
