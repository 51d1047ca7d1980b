//! Bound columns and block cursors: SQLFetch fills the ARD's buffers one rowset at a time
//! (SQL_ATTR_ROW_ARRAY_SIZE rows), column-wise or row-wise, with the bind offset, and reports rows
//! fetched and row statuses through the IRD's pointers.
//!
//! A rowset is converted a column at a time over the rows the current block holds, and a column
//! whose values already have the bound C type's representation (Int32 into SQL_C_SLONG, Float64
//! into SQL_C_DOUBLE, ...) is copied without building a value per cell.

use super::convert::{
    Outcome, Progress, Target, c_type, datetime_struct, default_c_type, get_data, odbc3_datetime_code,
};
use super::descriptor::{ArrayLayout, Record};
use super::diag::Diagnostic;
use super::handles::Stmt;
use super::statement::StatementState;
use crate::native::calendar::civil_from_days;
use crate::native::timezone::offset;
use crate::native::{Column, ColumnData, DataType};

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
        let (nulls, values, value_type) = match (&column.data, &column.data_type) {
            (ColumnData::Nullable { nulls, values }, DataType::Nullable(inner)) => (Some(nulls), &**values, &**inner),
            (data, data_type) => (None, data, data_type),
        };
        if let Some(fast) = FastPath::of(values, value_type, self.c_type) {
            if let FastPath::Copy { width, bytes } = &fast
                && self.layout.bind_type == 0
                && self.stride == *width
            {
                // SAFETY: forwarded from the caller.
                unsafe { self.copy_column(nulls, *width, bytes, span, statuses, outcome) };
                return;
            }
            let mut days = DayCache::default();
            for offset in 0..span.count {
                let (row, position) = (span.first_row + offset, span.first_position + offset);
                let null = nulls.is_some_and(|nulls| nulls[row] != 0);
                // SAFETY (both): forwarded from the caller.
                let written = unsafe { self.write_fast(&fast, row, position, null, &mut days) };
                unsafe { outcome.record(statuses, position, written) };
            }
            return;
        }
        for offset in 0..span.count {
            let (row, position) = (span.first_row + offset, span.first_position + offset);
            let target = Target {
                buffer: self.layout.element(self.record.data_ptr, position, self.stride) as *mut u8,
                capacity: self.record.octet_length,
                indicator: self.layout.length_element(self.record.indicator_ptr, position) as *mut isize,
                length: self.layout.length_element(self.record.octet_length_ptr, position) as *mut isize,
                numeric: self.record.numeric_format(),
            };
            let mut progress = Progress::Untouched;
            // SAFETY (both): forwarded from the caller.
            let written =
                unsafe { get_data(&column.value(row), self.c_type, &target, &mut progress) }.map(
                    |written| match written {
                        Outcome::Warning(warning) => Some(warning),
                        _ => None,
                    },
                );
            unsafe { outcome.record(statuses, position, written) };
        }
    }

    /// Column-wise cells already in the C type's layout: the span's values in one copy (NULL rows'
    /// too, whose cells the application does not read), then each row's indicator or length.
    ///
    /// # Safety
    /// The buffers must be valid for every position of the span.
    unsafe fn copy_column(
        &self,
        nulls: Option<&Vec<u8>>,
        width: usize,
        bytes: &[u8],
        span: Span,
        statuses: &RowStatuses,
        outcome: &mut RowsetOutcome,
    ) {
        let data = self.layout.element(self.record.data_ptr, span.first_position, width) as *mut u8;
        if !data.is_null() {
            let cells = &bytes[span.first_row * width..(span.first_row + span.count) * width];
            // SAFETY: the column-wise array holds the span's positions, as promised by the caller.
            unsafe { std::ptr::copy_nonoverlapping(cells.as_ptr(), data, cells.len()) };
        }
        for offset in 0..span.count {
            let (row, position) = (span.first_row + offset, span.first_position + offset);
            let null = nulls.is_some_and(|nulls| nulls[row] != 0);
            // SAFETY (both): forwarded from the caller.
            if let Err(error) = unsafe { self.mark(position, (!null).then_some(width)) } {
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

    /// Writes row `row` through a fast path into the buffers at `position`; a warning for text cut
    /// to fit.
    ///
    /// # Safety
    /// The buffers must be valid at `position`.
    unsafe fn write_fast(
        &self,
        fast: &FastPath<'_>,
        row: usize,
        position: usize,
        null: bool,
        days: &mut DayCache,
    ) -> Result<Option<Diagnostic>, Diagnostic> {
        if null {
            // SAFETY: as promised by the caller.
            return unsafe { self.mark(position, None) }.map(|()| None);
        }
        let data = self.layout.element(self.record.data_ptr, position, self.stride) as *mut u8;
        let (written, warning) = match fast {
            FastPath::Copy { width, bytes } => {
                let cell = &bytes[row * width..(row + 1) * width];
                if !data.is_null() {
                    // SAFETY: the C type is exactly `width` bytes, as promised by the caller.
                    unsafe { std::ptr::copy_nonoverlapping(cell.as_ptr(), data, *width) };
                }
                (*width, None)
            }
            FastPath::SignedFromUnsigned { bytes } => {
                let cell: [u8; 8] = bytes[row * 8..(row + 1) * 8].try_into().unwrap_or_default();
                if i64::try_from(u64::from_le_bytes(cell)).is_err() {
                    return Err(Diagnostic::new("22003", "numeric value out of range"));
                }
                if !data.is_null() {
                    // SAFETY: an SQLBIGINT is writable, as promised by the caller.
                    unsafe { std::ptr::copy_nonoverlapping(cell.as_ptr(), data, 8) };
                }
                (8, None)
            }
            FastPath::Text(column) => {
                let text = column.bytes_at(row);
                let room = usize::try_from(self.record.octet_length).unwrap_or(0);
                let fitting = text.len().min(room.saturating_sub(1));
                if !data.is_null() && room > 0 {
                    // SAFETY: `fitting + 1 <= room` bytes are writable, as promised by the caller.
                    unsafe {
                        std::ptr::copy_nonoverlapping(text.as_ptr(), data, fitting);
                        data.add(fitting).write(0);
                    }
                }
                (text.len(), (fitting < text.len()).then(Diagnostic::truncated))
            }
            FastPath::Timestamp { seconds, timezone } => {
                let at = row * 4;
                let utc = i64::from(u32::from_le_bytes([
                    seconds[at],
                    seconds[at + 1],
                    seconds[at + 2],
                    seconds[at + 3],
                ]));
                let seconds = utc + offset(*timezone, utc);
                let (year, month, day) = days.civil(seconds.div_euclid(86_400));
                let time = seconds.rem_euclid(86_400);
                let fields = [year, month, day, time / 3600, time / 60 % 60, time % 60];
                // SAFETY: an SQL_TIMESTAMP_STRUCT is writable, as promised by the caller.
                unsafe { write_datetime(data, &fields, 16) };
                (16, None)
            }
            FastPath::Date { days: stored } => {
                let number = i64::from(u16::from_le_bytes([stored[row * 2], stored[row * 2 + 1]]));
                let (year, month, day) = days.civil(number);
                // SAFETY: an SQL_DATE_STRUCT is writable, as promised by the caller.
                unsafe { write_datetime(data, &[year, month, day], 6) };
                (6, None)
            }
        };
        // SAFETY: as promised by the caller.
        unsafe { self.mark(position, Some(written)) }?;
        Ok(warning)
    }
}

/// Cells a bound column can take without a [`Value`](crate::native::Value) per cell.
enum FastPath<'a> {
    /// Little-endian values already laid out as the C type.
    Copy { width: usize, bytes: &'a [u8] },
    /// UInt64 into SQL_C_SBIGINT, the layout BIGINT columns are often bound with: values up to
    /// i64::MAX as they are, larger ones 22003.
    SignedFromUnsigned { bytes: &'a [u8] },
    /// String into SQL_C_CHAR: the bytes as they are.
    Text(&'a ColumnData),
    /// DateTime (UInt32 seconds) into SQL_C_TYPE_TIMESTAMP, as wall-clock time in its zone.
    Timestamp {
        seconds: &'a [u8],
        timezone: Option<&'a str>,
    },
    /// Date (UInt16 days) into SQL_C_TYPE_DATE.
    Date { days: &'a [u8] },
}

impl<'a> FastPath<'a> {
    fn of(values: &'a ColumnData, data_type: &'a DataType, c_type: i16) -> Option<FastPath<'a>> {
        let c_type = odbc3_datetime_code(c_type);
        Some(match (values, data_type) {
            (ColumnData::Fixed { width, bytes }, data_type) if same_representation(data_type, c_type) => {
                FastPath::Copy { width: *width, bytes }
            }
            (ColumnData::Fixed { bytes, .. }, DataType::UInt64) if c_type == c_type::SBIGINT => {
                FastPath::SignedFromUnsigned { bytes }
            }
            (ColumnData::Strings { .. }, DataType::String) if c_type == c_type::CHAR => FastPath::Text(values),
            (ColumnData::Fixed { bytes, .. }, DataType::DateTime { timezone }) if c_type == c_type::TYPE_TIMESTAMP => {
                FastPath::Timestamp {
                    seconds: bytes,
                    timezone: timezone.as_deref(),
                }
            }
            (ColumnData::Fixed { bytes, .. }, DataType::Date) if c_type == c_type::TYPE_DATE => {
                FastPath::Date { days: bytes }
            }
            _ => return None,
        })
    }
}

/// The calendar date of the last day number asked for: rows of a block are often of one day.
#[derive(Default)]
struct DayCache(Option<(i64, [i64; 3])>);

impl DayCache {
    fn civil(&mut self, days: i64) -> (i64, i64, i64) {
        let [year, month, day] = match self.0 {
            Some((cached, civil)) if cached == days => civil,
            _ => {
                let (year, month, day) = civil_from_days(days);
                let civil = [year, month.into(), day.into()];
                self.0 = Some((days, civil));
                civil
            }
        };
        (year, month, day)
    }
}

/// Writes the 16-bit fields of an SQL_DATE_STRUCT or SQL_TIMESTAMP_STRUCT (`size` bytes; a
/// timestamp's fraction is 0). Years of ClickHouse dates and times always fit.
///
/// # Safety
/// `data` must be null or valid for `size` bytes.
unsafe fn write_datetime(data: *mut u8, fields: &[i64], size: usize) {
    if data.is_null() {
        return;
    }
    let bytes = datetime_struct(fields.iter().map(|&field| field as u16), 0);
    // SAFETY: as promised by the caller; the buffer may be unaligned.
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), data, size) };
}

/// Whether values of `data_type` are stored exactly as the C type lays them out (this is a
/// little-endian target, like the Native format).
fn same_representation(data_type: &DataType, c_type: i16) -> bool {
    cfg!(target_endian = "little")
        && matches!(
            (data_type, c_type),
            (DataType::Int8, c_type::TINYINT | c_type::STINYINT)
                | (DataType::UInt8, c_type::UTINYINT)
                | (DataType::Int16, c_type::SHORT | c_type::SSHORT)
                | (DataType::UInt16, c_type::USHORT)
                | (DataType::Int32, c_type::LONG | c_type::SLONG)
                | (DataType::UInt32, c_type::ULONG)
                | (DataType::Int64, c_type::SBIGINT)
                | (DataType::UInt64, c_type::UBIGINT)
                | (DataType::Float32, c_type::FLOAT)
                | (DataType::Float64, c_type::DOUBLE)
        )
}
