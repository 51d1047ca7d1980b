//! Bound columns and block cursors: SQLBindCol buffers filled by SQLFetch, one rowset at a time
//! (SQL_ATTR_ROW_ARRAY_SIZE rows), column-wise or row-wise (SQL_ATTR_ROW_BIND_TYPE), with the bind
//! offset, rows-fetched and row-status pointers applications set as statement attributes.

use super::convert::{Outcome, Progress, Target, default_c_type, get_data};
use super::diag::Diagnostic;
use super::handles::Stmt;
use super::statement::StatementState;

/// One column's buffers, as given to SQLBindCol. Addresses are kept as integers: they belong to
/// the application and are only written through during SQLFetch.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub c_type: i16,
    pub buffer: usize,
    /// Bytes per element of `buffer` (the stride for column-wise binding).
    pub length: isize,
    pub indicator: usize,
}

/// How rowsets are laid out and reported.
#[derive(Debug, Clone, Copy)]
pub struct RowsetLayout {
    pub array_size: usize,
    /// 0 for column-wise binding, else the size of one row's structure.
    pub bind_type: usize,
    /// Address of an SQLLEN added to every bound address (SQL_ATTR_ROW_BIND_OFFSET_PTR), or 0.
    pub bind_offset: usize,
    /// Address of an SQLULEN receiving the rows fetched, or 0.
    pub rows_fetched: usize,
    /// Address of an SQLUSMALLINT array receiving each row's status, or 0.
    pub row_status: usize,
}

impl Default for RowsetLayout {
    fn default() -> Self {
        RowsetLayout {
            array_size: 1,
            bind_type: 0,
            bind_offset: 0,
            rows_fetched: 0,
            row_status: 0,
        }
    }
}

/// Row statuses (SQL_ROW_*).
const ROW_SUCCESS: u16 = 0;
const ROW_NOROW: u16 = 3;
const ROW_ERROR: u16 = 5;
const ROW_SUCCESS_WITH_INFO: u16 = 6;

/// What a rowset fetch produced: rows fetched and whether any cell warned or failed.
pub struct RowsetOutcome {
    pub rows: usize,
    pub warnings: Vec<Diagnostic>,
    pub errors: usize,
}

impl Stmt {
    /// Fetches the next rowset into the bound buffers.
    ///
    /// # Safety
    /// Every bound buffer and layout pointer must be valid for the rowset the application set up.
    pub unsafe fn fetch_rowset(&self, state: &mut StatementState) -> Result<RowsetOutcome, Diagnostic> {
        let layout = state.layout;
        // SAFETY: the application promises the offset pointer, if set, is readable.
        let offset = if layout.bind_offset == 0 {
            0
        } else {
            unsafe { *(layout.bind_offset as *const isize) }
        };
        let mut outcome = RowsetOutcome {
            rows: 0,
            warnings: Vec::new(),
            errors: 0,
        };
        let mut statuses = Vec::with_capacity(layout.array_size);
        while outcome.rows < layout.array_size && self.fetch(state)? {
            let row = outcome.rows;
            let mut status = ROW_SUCCESS;
            let cursor = state
                .cursor
                .as_ref()
                .ok_or_else(|| Diagnostic::new("24000", "no result set is open"))?;
            for (column, binding) in state.bindings.iter().enumerate() {
                let Some(binding) = binding else { continue };
                let element = if layout.bind_type == 0 {
                    binding.length.max(0) as usize
                } else {
                    layout.bind_type
                };
                let indicator_stride = if layout.bind_type == 0 {
                    size_of::<isize>()
                } else {
                    layout.bind_type
                };
                let address = |base: usize, stride: usize| {
                    if base == 0 {
                        0
                    } else {
                        (base as isize + offset) as usize + row * stride
                    }
                };
                let target = Target {
                    buffer: address(binding.buffer, element) as *mut u8,
                    capacity: binding.length,
                    indicator: address(binding.indicator, indicator_stride) as *mut isize,
                };
                let c_type = if binding.c_type == super::convert::c_type::DEFAULT {
                    default_c_type(&cursor.descriptions[column])
                } else {
                    binding.c_type
                };
                let value = cursor.value(column)?;
                let mut progress = Progress::Untouched;
                // SAFETY: forwarded from the caller.
                match unsafe { get_data(&value, c_type, &target, &mut progress) } {
                    Ok(Outcome::Warning(warning)) => {
                        outcome.warnings.push(warning);
                        status = status.max(ROW_SUCCESS_WITH_INFO);
                    }
                    Ok(_) => {}
                    Err(error) => {
                        outcome.warnings.push(error);
                        outcome.errors += 1;
                        status = ROW_ERROR;
                    }
                }
            }
            statuses.push(status);
            outcome.rows += 1;
        }
        statuses.resize(layout.array_size, ROW_NOROW);
        // SAFETY: the application promises these pointers, if set, hold the rowset.
        unsafe {
            if layout.rows_fetched != 0 {
                (layout.rows_fetched as *mut usize).write_unaligned(outcome.rows);
            }
            if layout.row_status != 0 {
                let target = layout.row_status as *mut u16;
                for (index, status) in statuses.iter().enumerate() {
                    target.add(index).write_unaligned(*status);
                }
            }
        }
        Ok(outcome)
    }
}
