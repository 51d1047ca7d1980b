//! Bound columns and block cursors: SQLFetch fills the ARD's buffers one rowset at a time
//! (SQL_ATTR_ROW_ARRAY_SIZE rows), column-wise or row-wise, with the bind offset, and reports rows
//! fetched and row statuses through the IRD's pointers.
//!
//! A rowset is converted a column at a time over the rows the current block holds, and a column
//! whose values already have the bound C type's representation (Int32 into SQL_C_SLONG, Float64
//! into SQL_C_DOUBLE, ...) is copied without building a value per cell.

use super::convert::{Cells, DayCache, Direct, Outcome, Progress, Target, c_type, default_c_type, get_data};
use super::descriptor::{ArrayLayout, Record};
use super::diag::Diagnostic;
use super::handles::Stmt;
use super::statement::StatementState;
use crate::native::{Column, ColumnData};

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

impl RowsetOutcome {
    /// Records how the cell at `position` went: a warning or an error, in the row's status too.
    ///
    /// # Safety
    /// As for [`RowStatuses::worsen`].
    unsafe fn record(&mut self, statuses: &RowStatuses, position: usize, cell: Result<Option<Diagnostic>, Diagnostic>) {
        let (status, diagnostic) = match cell {
            Ok(None) => return,
            Ok(Some(warning)) => (ROW_SUCCESS_WITH_INFO, warning),
            Err(error) => {
                self.errors += 1;
                (ROW_ERROR, error)
            }
        };
        // SAFETY: forwarded from the caller.
        unsafe { statuses.worsen(position, status) };
        self.warnings.push(diagnostic);
    }
}

/// The application's row status array, if it set one.
struct RowStatuses(usize);

impl RowStatuses {
    /// # Safety
    /// The array must hold `position + 1` entries.
    unsafe fn set(&self, position: usize, status: u16) {
        if self.0 != 0 {
            // SAFETY: as promised by the caller; application memory may be unaligned.
            unsafe { (self.0 as *mut u16).add(position).write_unaligned(status) };
        }
    }

    /// Records a cell's warning or error; an error outranks a warning.
    ///
    /// # Safety
    /// As for [`RowStatuses::set`].
    unsafe fn worsen(&self, position: usize, status: u16) {
        if self.0 == 0 {
            return;
        }
        let slot = (self.0 as *mut u16).wrapping_add(position);
        // SAFETY: as promised by the caller.
        let current = unsafe { slot.read_unaligned() };
        if current != ROW_ERROR {
            // SAFETY: as above.
            unsafe { slot.write_unaligned(status) };
        }
    }
}

/// The rows of one block a rowset takes, and where in the rowset they go.
#[derive(Clone, Copy)]
struct Span {
    first_row: usize,
    count: usize,
    first_position: usize,
}

impl Stmt {
    /// Fetches the next rowset into the bound buffers.
    ///
    /// # Safety
    /// Every bound buffer and rowset pointer must be valid for the rowset the application set up.
    pub unsafe fn fetch_rowset(&self, state: &mut StatementState) -> Result<RowsetOutcome, Diagnostic> {
        let ard = self.ard().fields.lock();
        let (status_array, rows_fetched) = {
            let ird = self.ird().fields.lock();
            (ird.array_status_ptr, ird.rows_processed_ptr)
        };
        let statuses = RowStatuses(status_array);
        // SAFETY: forwarded from the caller.
        let layout = unsafe { ard.layout() };
        let mut outcome = RowsetOutcome {
            rows: 0,
            warnings: Vec::new(),
            errors: 0,
        };
        while outcome.rows < ard.array_size && self.fetch(state)? {
            // Rows SQL_ATTR_MAX_ROWS still allows, the one just fetched included.
            let allowed = match state.max_rows {
                0 => usize::MAX,
                max_rows => max_rows,
            };
            let cursor = state
                .cursor
                .as_mut()
                .ok_or_else(|| Diagnostic::new("24000", "no result set is open"))?;
            let first_row = cursor.row.unwrap_or(0);
            let span = Span {
                first_row,
                count: (ard.array_size - outcome.rows)
                    .min(cursor.block.rows() - first_row)
                    .min(allowed - (cursor.delivered - 1)),
                first_position: outcome.rows,
            };
            cursor.row = Some(first_row + span.count - 1);
            cursor.delivered += span.count - 1;
            for position in span.first_position..span.first_position + span.count {
                // SAFETY: forwarded from the caller.
                unsafe { statuses.set(position, ROW_SUCCESS) };
            }
            for (index, record) in ard.records.iter().enumerate().filter(|(_, record)| record.is_bound()) {
                let column = cursor.block.columns.get(index).ok_or_else(|| {
                    Diagnostic::new(
                        "07009",
                        format!(
                            "column {} is bound but the result has {}",
                            index + 1,
                            cursor.block.columns.len()
                        ),
                    )
                })?;
                let c_type = match record.concise_type {
                    c_type::DEFAULT => default_c_type(&cursor.descriptions[index]),
                    bound => bound,
                };
                let target = ColumnTarget {
                    record,
                    c_type,
                    layout: &layout,
                    stride: record.data_stride(c_type),
                };
                // SAFETY: forwarded from the caller.
                unsafe { target.fill(column, span, &statuses, &mut outcome) };
            }
            outcome.rows += span.count;
        }
        for position in outcome.rows..ard.array_size {
            // SAFETY: forwarded from the caller.
            unsafe { statuses.set(position, ROW_NOROW) };
        }
        if rows_fetched != 0 {
            // SAFETY: the application promises room for an SQLULEN.
            unsafe { (rows_fetched as *mut usize).write_unaligned(outcome.rows) };
        }
        Ok(outcome)
    }
}

/// One bound column's buffers for a rowset.
struct ColumnTarget<'a> {
    record: &'a Record,
    c_type: i16,
    layout: &'a ArrayLayout,
    /// Bytes between values in a column-wise array (`Record::data_stride` of `c_type`).
    stride: usize,
}

impl ColumnTarget<'_> {
    /// Converts the span's rows of `column` into the buffers.
    ///
    /// # Safety
    /// The buffers must be valid for every position of the span.
    unsafe fn fill(&self, column: &Column, span: Span, statuses: &RowStatuses, outcome: &mut RowsetOutcome) {
        let direct = Direct::of(&column.data_type, self.c_type);
        let cells = Cells::of(&column.data);
        if let Some(direct) = &direct
            && let Some((width, bytes)) = self.copyable(direct, cells.values, span)
        {
            // SAFETY: forwarded from the caller.
            unsafe { self.copy_column(&cells, width, bytes, span, statuses, outcome) };
            return;
        }
        let mut days = DayCache::default();
        for offset in 0..span.count {
            let (row, position) = (span.first_row + offset, span.first_position + offset);
            // SAFETY (all): forwarded from the caller.
            let written = match &direct {
                Some(_) if cells.is_null(row) => unsafe { self.mark(position, None) }.map(|()| None),
                Some(direct) if unsafe { self.write_direct(direct, cells.values, row, position, &mut days) } => {
                    Ok(None)
                }
                _ => unsafe { self.write_converted(column, row, position) },
            };
            unsafe { outcome.record(statuses, position, written) };
        }
    }

    /// The width and values of a column whose span can be copied as a whole into a
    /// column-wise array: values already in the C type's layout, or integers into the other sign
    /// of their width (UInt64 into SQL_C_SBIGINT, for one) when every value of the span fits (a
    /// span with one that does not goes cell by cell, leaving it to `get_data`'s 22003).
    fn copyable<'a>(&self, direct: &Direct, values: &'a ColumnData, span: Span) -> Option<(usize, &'a [u8])> {
        let ColumnData::Fixed { width, bytes } = values else {
            return None;
        };
        let width = *width;
        match direct {
            Direct::Copy => {}
            // Of one width, a value fits the other sign when its top bit is clear: on this
            // little-endian layout, the top bit of its last byte.
            Direct::Integer { from, to } if from.width == width && to.width == width => {
                let span_values = &bytes[span.first_row * width..(span.first_row + span.count) * width];
                if !span_values.chunks_exact(width).all(|value| value[width - 1] < 0x80) {
                    return None;
                }
            }
            _ => return None,
        }
        (self.layout.bind_type == 0 && self.stride == width).then_some((width, bytes))
    }

    /// Column-wise cells already in the C type's layout: the span's values in one copy (NULL rows'
    /// too, whose cells the application does not read), then each row's indicator or length.
    ///
    /// # Safety
    /// The buffers must be valid for every position of the span.
    unsafe fn copy_column(
        &self,
        cells: &Cells<'_>,
        width: usize,
        bytes: &[u8],
        span: Span,
        statuses: &RowStatuses,
        outcome: &mut RowsetOutcome,
    ) {
        let data = self.layout.element(self.record.data_ptr, span.first_position, width) as *mut u8;
        if !data.is_null() {
            let span_bytes = &bytes[span.first_row * width..(span.first_row + span.count) * width];
            // SAFETY: the column-wise array holds the span's positions, as promised by the caller.
            unsafe { std::ptr::copy_nonoverlapping(span_bytes.as_ptr(), data, span_bytes.len()) };
        }
        for offset in 0..span.count {
            let (row, position) = (span.first_row + offset, span.first_position + offset);
            // SAFETY (both): forwarded from the caller.
            if let Err(error) = unsafe { self.mark(position, (!cells.is_null(row)).then_some(width)) } {
                unsafe { outcome.record(statuses, position, Err(error)) };
            }
        }
    }

    /// Writes the indicator of a NULL cell (`None`), or the length of one `Some(written)` bytes
    /// long, at `position`.
    ///
    /// # Safety
    /// The buffers must be valid at `position`.
    unsafe fn mark(&self, position: usize, written: Option<usize>) -> Result<(), Diagnostic> {
        let Some(written) = written else {
            let indicator = self.layout.length_element(self.record.indicator_ptr, position) as *mut isize;
            if indicator.is_null() {
                return Err(Diagnostic::new("22002", "indicator variable required but not supplied"));
            }
            // SAFETY: as promised by the caller.
            unsafe { indicator.write_unaligned(odbc_sys::NULL_DATA) };
            return Ok(());
        };
        let length = self.layout.length_element(self.record.octet_length_ptr, position) as *mut isize;
        if !length.is_null() {
            // SAFETY: as promised by the caller.
            unsafe { length.write_unaligned(written as isize) };
        }
        Ok(())
    }

    /// Writes non-NULL row `row` through the direct path into the buffers at `position`; `false`
    /// leaves the cell to `get_data`.
    ///
    /// # Safety
    /// The buffers must be valid at `position`.
    unsafe fn write_direct(
        &self,
        direct: &Direct,
        values: &ColumnData,
        row: usize,
        position: usize,
        days: &mut DayCache,
    ) -> bool {
        let data = self.layout.element(self.record.data_ptr, position, self.stride) as *mut u8;
        // SAFETY: as promised by the caller.
        let Some(written) = (unsafe { direct.write(values, row, data, self.record.octet_length, days) }) else {
            return false;
        };
        // SAFETY: as promised by the caller; marking a length, unlike a NULL, cannot fail.
        unsafe { self.mark(position, Some(written)) }.is_ok()
    }

    /// Converts row `row` through `get_data` into the buffers at `position`.
    ///
    /// # Safety
    /// The buffers must be valid at `position`.
    unsafe fn write_converted(
        &self,
        column: &Column,
        row: usize,
        position: usize,
    ) -> Result<Option<Diagnostic>, Diagnostic> {
        let target = Target {
            buffer: self.layout.element(self.record.data_ptr, position, self.stride) as *mut u8,
            capacity: self.record.octet_length,
            indicator: self.layout.length_element(self.record.indicator_ptr, position) as *mut isize,
            length: self.layout.length_element(self.record.octet_length_ptr, position) as *mut isize,
            numeric: self.record.numeric_format(),
        };
        let mut progress = Progress::Untouched;
        // SAFETY: as promised by the caller.
        unsafe { get_data(&column.value(row), self.c_type, &target, &mut progress) }.map(|written| match written {
            Outcome::Warning(warning) => Some(warning),
            _ => None,
        })
    }
}
