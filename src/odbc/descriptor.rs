//! Descriptors: the ARD (bound columns), APD (bound parameters), IRD (result columns) and IPD
//! (parameter SQL types) of a statement, and explicit descriptors an application allocates and
//! installs as a statement's ARD or APD.
//!
//! SQLBindCol, SQLBindParameter and the array statement attributes are shorthands for descriptor
//! fields, so they all write here and fetching and execution read only from here. The IRD is not
//! stored: its records describe the open result and are computed from the cursor (the same values
//! SQLColAttribute returns); only its two header pointers (row status, rows fetched) are kept.

use super::convert::{NumericFormat, c_type, default_parameter_c_type, fixed_size};
use super::diag::Diagnostic;
use super::statement::Cursor;
use super::types::sql_type;

/// Descriptor field identifiers (SQL_DESC_*); SQLColAttribute shares the record ones.
pub mod field {
    pub const ARRAY_SIZE: i16 = 20;
    pub const ARRAY_STATUS_PTR: i16 = 21;
    pub const BIND_OFFSET_PTR: i16 = 24;
    pub const BIND_TYPE: i16 = 25;
    pub const ROWS_PROCESSED_PTR: i16 = 34;
    pub const ALLOC_TYPE: i16 = 1099;
    pub const COUNT: i16 = 1001;

    pub const COLUMN_NAME: i16 = 1;
    pub const CONCISE_TYPE: i16 = 2;
    pub const COLUMN_LENGTH: i16 = 3;
    pub const COLUMN_PRECISION: i16 = 4;
    pub const COLUMN_SCALE: i16 = 5;
    pub const DISPLAY_SIZE: i16 = 6;
    pub const COLUMN_NULLABLE: i16 = 7;
    pub const UNSIGNED: i16 = 8;
    pub const FIXED_PREC_SCALE: i16 = 9;
    pub const UPDATABLE: i16 = 10;
    pub const AUTO_UNIQUE_VALUE: i16 = 11;
    pub const CASE_SENSITIVE: i16 = 12;
    pub const SEARCHABLE: i16 = 13;
    pub const TYPE_NAME: i16 = 14;
    pub const TABLE_NAME: i16 = 15;
    pub const SCHEMA_NAME: i16 = 16;
    pub const CATALOG_NAME: i16 = 17;
    pub const LABEL: i16 = 18;
    pub const BASE_COLUMN_NAME: i16 = 22;
    pub const BASE_TABLE_NAME: i16 = 23;
    pub const DATETIME_INTERVAL_PRECISION: i16 = 26;
    pub const LITERAL_PREFIX: i16 = 27;
    pub const LITERAL_SUFFIX: i16 = 28;
    pub const LOCAL_TYPE_NAME: i16 = 29;
    pub const NUM_PREC_RADIX: i16 = 32;
    pub const PARAMETER_TYPE: i16 = 33;
    pub const ROWVER: i16 = 35;
    pub const TYPE: i16 = 1002;
    pub const LENGTH: i16 = 1003;
    pub const OCTET_LENGTH_PTR: i16 = 1004;
    pub const PRECISION: i16 = 1005;
    pub const SCALE: i16 = 1006;
    pub const DATETIME_INTERVAL_CODE: i16 = 1007;
    pub const NULLABLE: i16 = 1008;
    pub const INDICATOR_PTR: i16 = 1009;
    pub const DATA_PTR: i16 = 1010;
    pub const NAME: i16 = 1011;
    pub const UNNAMED: i16 = 1012;
    pub const OCTET_LENGTH: i16 = 1013;
}

/// Which of a statement's four descriptors this is; `Explicit` for one the application allocated
/// (usable as an ARD or an APD).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    AppRow,
    AppParam,
    ImpRow,
    ImpParam,
    Explicit,
}

impl Role {
    pub fn is_application(self) -> bool {
        matches!(self, Role::AppRow | Role::AppParam | Role::Explicit)
    }
}

/// SQL_DESC_COUNT is an SQLSMALLINT: no descriptor has more records.
const MAX_RECORDS: usize = i16::MAX as usize;

/// The largest row or parameter array an application may bind (SQL_DESC_ARRAY_SIZE): far beyond
/// any batch, and small enough that element addresses and per-row buffers stay within reach.
const MAX_ARRAY_SIZE: usize = 1 << 24;

/// SQL_DATETIME, the verbose type of every date and time type.
const DATETIME: i16 = 9;
/// SQL_PARAM_INPUT.
pub const PARAM_INPUT: i16 = 1;
/// SQL_NULLABLE.
const NULLABLE: i16 = 1;

/// One record: a bound column or parameter (application descriptors) or a parameter's SQL type
/// (IPD). Addresses belong to the application and are kept as integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// A C type in application descriptors, an SQL type in the IPD.
    pub concise_type: i16,
    pub data_ptr: usize,
    /// Bytes of the buffer at `data_ptr` (SQLBindCol's BufferLength).
    pub octet_length: isize,
    pub indicator_ptr: usize,
    pub octet_length_ptr: usize,
    /// Characters of a text type (the IPD's column size).
    pub length: usize,
    pub precision: i16,
    pub scale: i16,
    pub parameter_type: i16,
}

impl Record {
    fn new(role: Role) -> Record {
        Record {
            concise_type: if role.is_application() {
                c_type::DEFAULT
            } else {
                sql_type::VARCHAR
            },
            data_ptr: 0,
            octet_length: 0,
            indicator_ptr: 0,
            octet_length_ptr: 0,
            length: 0,
            precision: 0,
            scale: 0,
            parameter_type: PARAM_INPUT,
        }
    }

    /// SQLBindCol and SQLFetch treat a record without any buffer as unbound.
    pub fn is_bound(&self) -> bool {
        self.data_ptr != 0 || self.indicator_ptr != 0 || self.octet_length_ptr != 0
    }

    /// SQL_DESC_TYPE: date and time types are SQL_DATETIME with a subcode.
    pub fn verbose_type(&self) -> i16 {
        datetime_code(self.concise_type).map_or(self.concise_type, |_| DATETIME)
    }

    /// The precision and scale of an SQL_C_NUMERIC buffer if the application set SQL_DESC_PRECISION
    /// (0, the default, leaves them to the value or, for a parameter, to the structure).
    pub fn numeric_format(&self) -> Option<NumericFormat> {
        (self.precision > 0).then(|| NumericFormat {
            precision: self.precision.min(u8::MAX.into()) as u8,
            scale: self.scale.clamp(i8::MIN.into(), i8::MAX.into()) as i8,
        })
    }

    /// Bytes between the values of a column-wise bound array of `c_type` (the concise type, or
    /// what SQL_C_DEFAULT resolved to): the size of a fixed-size type, else the buffer length.
    pub fn data_stride(&self, c_type: i16) -> usize {
        match fixed_size(c_type) {
            0 => self.octet_length.max(0) as usize,
            size => size,
        }
    }
}

/// SQL_DESC_DATETIME_INTERVAL_CODE of a date or time type (C and SQL codes coincide).
fn datetime_code(concise_type: i16) -> Option<i16> {
    match concise_type {
        91..=93 => Some(concise_type - 90),
        _ => None,
    }
}

/// Where the elements of bound arrays are: the header's bind type and the value behind its bind
/// offset pointer, read once per fetch or execution.
#[derive(Debug, Clone, Copy, Default)]
pub struct ArrayLayout {
    /// 0 for column-wise binding, else the size of one row's (or parameter set's) structure.
    pub bind_type: usize,
    pub offset: isize,
}

impl ArrayLayout {
    /// The address of element `index` of an array bound at `base` whose column-wise stride is
    /// `column_stride`; a null base stays null (nothing bound there).
    pub fn element(&self, base: usize, index: usize, column_stride: usize) -> usize {
        if base == 0 {
            return 0;
        }
        let stride = if self.bind_type == 0 {
            column_stride
        } else {
            self.bind_type
        };
        (base as isize + self.offset) as usize + index * stride
    }

    /// The address of element `index` of an SQLLEN array (indicators, lengths) bound at `base`.
    pub fn length_element(&self, base: usize, index: usize) -> usize {
        self.element(base, index, size_of::<isize>())
    }
}

/// The contents of a descriptor: header fields and records (index 0 is record 1; bookmarks are
/// not supported).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    pub role: Role,
    pub array_size: usize,
    pub bind_type: usize,
    pub bind_offset_ptr: usize,
    pub array_status_ptr: usize,
    pub rows_processed_ptr: usize,
    pub records: Vec<Record>,
}

/// A descriptor field's value, or a column attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attribute {
    Text(String),
    Number(isize),
}

fn invalid_field(field: i16) -> Diagnostic {
    Diagnostic::new("HY091", format!("invalid descriptor field identifier {field}"))
}

fn invalid_record(number: i16) -> Diagnostic {
    Diagnostic::new("07009", format!("invalid descriptor index {number}"))
}

impl Fields {
    pub fn new(role: Role) -> Fields {
        Fields {
            role,
            array_size: 1,
            bind_type: 0,
            bind_offset_ptr: 0,
            array_status_ptr: 0,
            rows_processed_ptr: 0,
            records: Vec::new(),
        }
    }

    /// The array layout, reading the bind offset the application points at.
    ///
    /// # Safety
    /// The bind offset pointer, if set, must be readable.
    pub unsafe fn layout(&self) -> ArrayLayout {
        let offset = if self.bind_offset_ptr == 0 {
            0
        } else {
            // SAFETY: as promised by the caller; application memory may be unaligned.
            unsafe { (self.bind_offset_ptr as *const isize).read_unaligned() }
        };
        ArrayLayout {
            bind_type: self.bind_type,
            offset,
        }
    }

    /// Record `number` (1-based), created with its defaults (and SQL_DESC_COUNT raised) if needed.
    pub fn record_mut(&mut self, number: u16) -> Result<&mut Record, Diagnostic> {
        let index = usize::from(number)
            .checked_sub(1)
            .ok_or_else(|| Diagnostic::new("07009", "bookmark records are not supported"))?;
        if index >= MAX_RECORDS {
            return Err(Diagnostic::new(
                "07009",
                format!("invalid descriptor index {number}: a descriptor has at most {MAX_RECORDS} records"),
            ));
        }
        if self.records.len() <= index {
            self.resize(index + 1)?;
        }
        Ok(&mut self.records[index])
    }

    /// Sets SQL_DESC_COUNT: records beyond it are dropped, new ones have their defaults. Memory
    /// that cannot be had is an error (HY001), never an abort.
    fn resize(&mut self, count: usize) -> Result<(), Diagnostic> {
        let more = count.saturating_sub(self.records.len());
        self.records
            .try_reserve_exact(more)
            .map_err(|_| Diagnostic::new("HY001", format!("no memory for {count} descriptor records")))?;
        self.records.resize(count, Record::new(self.role));
        Ok(())
    }

    /// What SQLBindCol and SQLBindParameter set in an application descriptor: the C type, the
    /// buffer and its length, and one pointer for both the indicator and the length.
    pub fn bind(
        &mut self,
        number: u16,
        c_type: i16,
        data_ptr: usize,
        octet_length: isize,
        length_or_indicator: usize,
    ) -> Result<(), Diagnostic> {
        check_type(self.role, c_type)?;
        let record = self.record_mut(number)?;
        record.concise_type = c_type;
        record.data_ptr = data_ptr;
        record.octet_length = octet_length;
        record.indicator_ptr = length_or_indicator;
        record.octet_length_ptr = length_or_indicator;
        Ok(())
    }

    /// A copy of this APD in which each SQL_C_DEFAULT is the C type it stands for with the SQL type
    /// the IPD `ipd` declares for that parameter.
    pub fn with_default_c_types(&self, ipd: &Fields) -> Fields {
        let mut resolved = self.clone();
        for (index, record) in resolved.records.iter_mut().enumerate() {
            record.concise_type = resolved_c_type(record, index, ipd);
        }
        resolved
    }

    /// What SQLBindCol with a null buffer and indicator does: column `number` (from 1) is unbound,
    /// and trailing unbound records go.
    pub fn unbind(&mut self, number: u16) {
        if let Some(record) = usize::from(number)
            .checked_sub(1)
            .and_then(|index| self.records.get_mut(index))
        {
            record.data_ptr = 0;
            record.indicator_ptr = 0;
            record.octet_length_ptr = 0;
        }
        self.trim_unbound();
    }

    /// Drops trailing records that have no buffer, as unbinding the last column does.
    fn trim_unbound(&mut self) {
        while self.records.last().is_some_and(|record| !record.is_bound()) {
            self.records.pop();
        }
    }

    /// SQLGetDescField on a stored descriptor (not the IRD's records); `None` for a record beyond
    /// SQL_DESC_COUNT (SQL_NO_DATA).
    pub fn get(&self, number: i16, field: i16) -> Result<Option<Attribute>, Diagnostic> {
        let header = match field {
            field::ALLOC_TYPE => Some(if self.role == Role::Explicit { 2 } else { 1 }),
            field::ARRAY_SIZE => Some(self.array_size as isize),
            field::ARRAY_STATUS_PTR => Some(self.array_status_ptr as isize),
            field::BIND_OFFSET_PTR => Some(self.bind_offset_ptr as isize),
            field::BIND_TYPE => Some(self.bind_type as isize),
            field::ROWS_PROCESSED_PTR => Some(self.rows_processed_ptr as isize),
            field::COUNT => Some(self.records.len() as isize),
            _ => None,
        };
        if let Some(value) = header {
            return Ok(Some(Attribute::Number(value)));
        }
        let record = usize::try_from(number)
            .ok()
            .and_then(|number| number.checked_sub(1))
            .ok_or_else(|| invalid_record(number))?;
        let Some(record) = self.records.get(record) else {
            return Ok(None);
        };
        let value = match field {
            field::CONCISE_TYPE => record.concise_type.into(),
            field::TYPE => record.verbose_type().into(),
            field::DATETIME_INTERVAL_CODE => datetime_code(record.concise_type).unwrap_or(0).into(),
            field::DATA_PTR => record.data_ptr as isize,
            field::INDICATOR_PTR => record.indicator_ptr as isize,
            field::OCTET_LENGTH_PTR => record.octet_length_ptr as isize,
            field::OCTET_LENGTH => record.octet_length,
            field::LENGTH => record.length as isize,
            field::PRECISION => record.precision.into(),
            field::SCALE => record.scale.into(),
            field::PARAMETER_TYPE if self.role == Role::ImpParam => record.parameter_type.into(),
            field::NULLABLE if self.role == Role::ImpParam => NULLABLE.into(),
            field::UNNAMED if self.role == Role::ImpParam => 1,
            field::NAME if self.role == Role::ImpParam => return Ok(Some(Attribute::Text(String::new()))),
            field::DATETIME_INTERVAL_PRECISION => 0,
            other => return Err(invalid_field(other)),
        };
        Ok(Some(Attribute::Number(value)))
    }

    /// SQLSetDescField on a stored descriptor; `value` is the integer or pointer the application
    /// passed (text fields are not settable here).
    pub fn set(&mut self, number: i16, field: i16, value: isize) -> Result<(), Diagnostic> {
        let unsigned = value as usize;
        match field {
            field::ARRAY_SIZE if self.role.is_application() => {
                if !(1..=MAX_ARRAY_SIZE).contains(&unsigned) {
                    return Err(Diagnostic::new(
                        "HY024",
                        format!("the array size must be from 1 to {MAX_ARRAY_SIZE}, not {unsigned}"),
                    ));
                }
                self.array_size = unsigned;
            }
            field::ARRAY_STATUS_PTR => self.array_status_ptr = unsigned,
            field::BIND_OFFSET_PTR if self.role.is_application() => self.bind_offset_ptr = unsigned,
            field::BIND_TYPE if self.role.is_application() => self.bind_type = unsigned,
            field::ROWS_PROCESSED_PTR if !self.role.is_application() => self.rows_processed_ptr = unsigned,
            field::COUNT => {
                let count = usize::try_from(value)
                    .ok()
                    .filter(|&count| count <= MAX_RECORDS)
                    .ok_or_else(|| {
                        Diagnostic::new(
                            "07009",
                            format!("SQL_DESC_COUNT must be from 0 to {MAX_RECORDS}, not {value}"),
                        )
                    })?;
                self.resize(count)?;
            }
            field::ALLOC_TYPE => return Err(Diagnostic::new("HY091", "SQL_DESC_ALLOC_TYPE is read-only")),
            _ => {
                let number = u16::try_from(number).map_err(|_| invalid_record(number))?;
                let role = self.role;
                let record = self.record_mut(number)?;
                match field {
                    field::CONCISE_TYPE | field::TYPE => {
                        let concise = i16::try_from(value).map_err(|_| invalid_type(value))?;
                        // SQL_DESC_TYPE SQL_DATETIME keeps the subcode already set.
                        if concise != DATETIME || datetime_code(record.concise_type).is_none() {
                            check_type(role, concise)?;
                            record.concise_type = concise;
                        }
                    }
                    field::DATETIME_INTERVAL_CODE => {
                        if record.verbose_type() == DATETIME && (1..=3).contains(&value) {
                            record.concise_type = 90 + value as i16;
                        }
                    }
                    field::DATA_PTR => record.data_ptr = unsigned,
                    field::INDICATOR_PTR => record.indicator_ptr = unsigned,
                    field::OCTET_LENGTH_PTR => record.octet_length_ptr = unsigned,
                    field::OCTET_LENGTH => record.octet_length = value,
                    field::LENGTH => record.length = unsigned,
                    field::PRECISION => record.precision = value as i16,
                    field::SCALE => record.scale = value as i16,
                    field::PARAMETER_TYPE if role == Role::ImpParam => {
                        if value != PARAM_INPUT.into() {
                            return Err(Diagnostic::new("HYC00", "only input parameters are supported"));
                        }
                    }
                    field::NAME | field::UNNAMED | field::NULLABLE if role == Role::ImpParam => {}
                    other => return Err(invalid_field(other)),
                }
            }
        }
        Ok(())
    }
}

fn invalid_type(value: isize) -> Diagnostic {
    Diagnostic::new("HY021", format!("inconsistent descriptor information: type {value}"))
}

/// Refuses a C type the driver cannot convert to or from (an IPD takes any SQL type).
fn check_type(role: Role, concise: i16) -> Result<(), Diagnostic> {
    let known = !role.is_application()
        || matches!(concise, c_type::DEFAULT | c_type::CHAR | c_type::WCHAR | c_type::BINARY)
        || fixed_size(concise) > 0;
    if known {
        Ok(())
    } else {
        Err(invalid_type(concise.into()))
    }
}

/// The C type of APD record `record` (parameter `index`): SQL_C_DEFAULT stands for the C type that
/// goes with the SQL type the IPD `ipd` declares.
pub fn resolved_c_type(record: &Record, index: usize, ipd: &Fields) -> i16 {
    if record.concise_type != c_type::DEFAULT {
        return record.concise_type;
    }
    let declared = ipd.records.get(index).map_or(sql_type::VARCHAR, |ipd| ipd.concise_type);
    default_parameter_c_type(declared)
}

/// SQL_PRED_SEARCHABLE.
const SEARCHABLE: isize = 3;
/// SQL_ATTR_READONLY.
const READ_ONLY: isize = 0;

/// An IRD field of result column `number` (1-based), as SQLColAttribute and SQLGetDescField on the
/// IRD report it.
pub fn column_attribute(cursor: &Cursor, number: u16, field: i16) -> Result<Attribute, Diagnostic> {
    if field == field::COUNT {
        return Ok(Attribute::Number(cursor.block.columns.len() as isize));
    }
    let index = usize::from(number)
        .checked_sub(1)
        .filter(|&index| index < cursor.block.columns.len())
        .ok_or_else(|| Diagnostic::new("07009", format!("invalid column number {number}")))?;
    let (column, description) = (&cursor.block.columns[index], cursor.descriptions[index]);
    let (is_text, is_numeric) = (description.is_text(), description.is_numeric());
    let size = description.column_size as isize;
    Ok(match field {
        field::NAME | field::COLUMN_NAME | field::LABEL | field::BASE_COLUMN_NAME => {
            Attribute::Text(column.name.clone())
        }
        field::TYPE_NAME | field::LOCAL_TYPE_NAME => Attribute::Text(column.type_name.clone()),
        field::CONCISE_TYPE => Attribute::Number(description.sql_type.into()),
        field::TYPE => Attribute::Number(match datetime_code(description.sql_type) {
            Some(_) => DATETIME.into(),
            None => description.sql_type.into(),
        }),
        field::DATETIME_INTERVAL_CODE => Attribute::Number(datetime_code(description.sql_type).unwrap_or(0).into()),
        // SQL_DESC_PRECISION of a timestamp counts fraction digits; the ODBC 2 field is the size.
        field::PRECISION if datetime_code(description.sql_type).is_some() => {
            Attribute::Number(description.decimal_digits.into())
        }
        field::LENGTH | field::COLUMN_LENGTH | field::OCTET_LENGTH | field::PRECISION | field::COLUMN_PRECISION => {
            Attribute::Number(size)
        }
        field::SCALE | field::COLUMN_SCALE => Attribute::Number(description.decimal_digits.into()),
        field::DISPLAY_SIZE => Attribute::Number(description.display_size as isize),
        field::NULLABLE | field::COLUMN_NULLABLE => Attribute::Number(isize::from(description.nullable)),
        field::UNSIGNED => Attribute::Number(isize::from(description.unsigned || !is_numeric)),
        // Fixed precision and scale in ODBC's sense means a money type; ClickHouse has none.
        field::FIXED_PREC_SCALE => Attribute::Number(0),
        field::UNNAMED | field::AUTO_UNIQUE_VALUE | field::ROWVER | field::DATETIME_INTERVAL_PRECISION => {
            Attribute::Number(0)
        }
        field::UPDATABLE => Attribute::Number(READ_ONLY),
        field::CASE_SENSITIVE => Attribute::Number(isize::from(is_text)),
        field::SEARCHABLE => Attribute::Number(SEARCHABLE),
        field::NUM_PREC_RADIX => Attribute::Number(if is_numeric { 10 } else { 0 }),
        field::LITERAL_PREFIX | field::LITERAL_SUFFIX => {
            Attribute::Text(if is_text { "'".into() } else { String::new() })
        }
        field::TABLE_NAME | field::SCHEMA_NAME | field::CATALOG_NAME | field::BASE_TABLE_NAME => {
            Attribute::Text(String::new())
        }
        other => return Err(invalid_field(other)),
    })
}

/// How SQLGetDescField writes a numeric field: the C type of its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// SQLSMALLINT.
    Small,
    /// SQLINTEGER.
    Integer,
    /// SQLLEN, SQLULEN or a pointer.
    Long,
}

impl Width {
    /// Bytes of a value of this width.
    pub fn size(self) -> usize {
        match self {
            Width::Small => size_of::<i16>(),
            Width::Integer => size_of::<i32>(),
            Width::Long => size_of::<isize>(),
        }
    }
}

/// The width of a numeric descriptor field (text fields are written as strings).
pub fn field_width(field: i16) -> Width {
    match field {
        field::ARRAY_SIZE
        | field::ARRAY_STATUS_PTR
        | field::BIND_OFFSET_PTR
        | field::ROWS_PROCESSED_PTR
        | field::DATA_PTR
        | field::INDICATOR_PTR
        | field::OCTET_LENGTH_PTR
        | field::DISPLAY_SIZE
        | field::LENGTH
        | field::OCTET_LENGTH => Width::Long,
        field::BIND_TYPE
        | field::AUTO_UNIQUE_VALUE
        | field::CASE_SENSITIVE
        | field::DATETIME_INTERVAL_PRECISION
        | field::NUM_PREC_RADIX => Width::Integer,
        _ => Width::Small,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_types_have_a_verbose_type_and_code() {
        let mut fields = Fields::new(Role::AppRow);
        fields
            .set(1, field::CONCISE_TYPE, c_type::TYPE_TIMESTAMP.into())
            .unwrap();
        assert_eq!(fields.get(1, field::TYPE), Ok(Some(Attribute::Number(9))));
        assert_eq!(
            fields.get(1, field::DATETIME_INTERVAL_CODE),
            Ok(Some(Attribute::Number(3)))
        );
        // Setting SQL_DESC_TYPE to SQL_DATETIME and the code to SQL_CODE_DATE makes it a date.
        fields.set(1, field::TYPE, 9).unwrap();
        fields.set(1, field::DATETIME_INTERVAL_CODE, 1).unwrap();
        assert_eq!(fields.get(1, field::CONCISE_TYPE), Ok(Some(Attribute::Number(91))));
        assert_eq!(fields.get(0, field::COUNT), Ok(Some(Attribute::Number(1))));
    }

    #[test]
    fn records_grow_and_shrink_with_count() {
        let mut fields = Fields::new(Role::AppParam);
        fields.set(3, field::DATA_PTR, 0x1000).unwrap();
        assert_eq!(fields.records.len(), 3);
        assert_eq!(fields.records[0].concise_type, c_type::DEFAULT);
        fields.set(0, field::COUNT, 1).unwrap();
        assert_eq!(fields.records.len(), 1);
        assert_eq!(fields.set(1, field::TYPE, 12345).unwrap_err().sqlstate, "HY021");
        assert_eq!(fields.set(0, field::ARRAY_SIZE, 0).unwrap_err().sqlstate, "HY024");
        assert_eq!(fields.get(1, field::PARAMETER_TYPE).unwrap_err().sqlstate, "HY091");
    }

    #[test]
    fn counts_and_array_sizes_out_of_range_are_refused() {
        let mut fields = Fields::new(Role::AppRow);
        for count in [-1, 1 << 42, isize::MIN, 32768] {
            assert_eq!(
                fields.set(0, field::COUNT, count).unwrap_err().sqlstate,
                "07009",
                "{count}"
            );
        }
        fields.set(0, field::COUNT, 32767).unwrap();
        assert_eq!(fields.records.len(), 32767);
        fields.set(0, field::COUNT, 0).unwrap();
        assert_eq!(fields.record_mut(32768).unwrap_err().sqlstate, "07009");
        assert_eq!(fields.record_mut(u16::MAX).unwrap_err().sqlstate, "07009");
        for size in [0, (1 << 24) + 1, 1 << 42, usize::MAX as isize] {
            assert_eq!(
                fields.set(0, field::ARRAY_SIZE, size).unwrap_err().sqlstate,
                "HY024",
                "{size}"
            );
        }
        fields.set(0, field::ARRAY_SIZE, 1 << 24).unwrap();
        assert_eq!(fields.array_size, 1 << 24);
    }

    #[test]
    fn array_elements_follow_the_binding_orientation() {
        let column_wise = ArrayLayout {
            bind_type: 0,
            offset: 8,
        };
        assert_eq!(column_wise.element(1000, 2, 4), 1016);
        assert_eq!(column_wise.element(0, 2, 4), 0);
        let row_wise = ArrayLayout {
            bind_type: 24,
            offset: 0,
        };
        assert_eq!(row_wise.element(1000, 2, 4), 1048);
        assert_eq!(row_wise.length_element(1000, 1), 1024);
    }

    #[test]
    fn default_parameter_types_come_from_the_ipd() {
        let mut apd = Fields::new(Role::AppParam);
        apd.bind(1, c_type::DEFAULT, 0x1000, 0, 0).unwrap();
        apd.bind(2, c_type::DEFAULT, 0x2000, 0, 0).unwrap();
        apd.bind(3, c_type::NUMERIC, 0x3000, 0, 0).unwrap();
        let mut ipd = Fields::new(Role::ImpParam);
        ipd.set(1, field::CONCISE_TYPE, sql_type::INTEGER.into()).unwrap();
        let resolved = apd.with_default_c_types(&ipd);
        let types: Vec<i16> = resolved.records.iter().map(|record| record.concise_type).collect();
        assert_eq!(
            types,
            [c_type::SLONG, c_type::CHAR, c_type::NUMERIC],
            "VARCHAR without an IPD record"
        );
        assert_eq!(
            apd.records[0].concise_type,
            c_type::DEFAULT,
            "the APD itself keeps SQL_C_DEFAULT"
        );
    }

    #[test]
    fn numeric_precision_and_scale_apply_once_set() {
        let mut ard = Fields::new(Role::AppRow);
        ard.bind(1, c_type::NUMERIC, 0x1000, 19, 0).unwrap();
        assert_eq!(ard.records[0].numeric_format(), None);
        ard.set(1, field::PRECISION, 5).unwrap();
        ard.set(1, field::SCALE, 3).unwrap();
        assert_eq!(
            ard.records[0].numeric_format(),
            Some(NumericFormat { precision: 5, scale: 3 })
        );
        for accepted in [c_type::TYPE_TIME, c_type::DATE, c_type::TIME, c_type::TIMESTAMP] {
            assert_eq!(ard.set(1, field::CONCISE_TYPE, accepted.into()), Ok(()));
        }
    }
}
