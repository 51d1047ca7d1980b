//! Descriptor functions: SQLGetDescField(W), SQLSetDescField(W), SQLGetDescRec(W), SQLSetDescRec
//! and SQLCopyDesc, on a statement's implicit descriptors or explicit ones.

use std::ffi::c_void;

use super::{
    SQL_INVALID_HANDLE, SQL_NO_DATA, SQL_SUCCESS, entry, with_warning, write_if_given, write_number, write_text,
    write_text_in_bytes,
};
use crate::odbc::descriptor::{Attribute, Fields, Record, Role, column_attribute, field, field_width};
use crate::odbc::diag::Diagnostic;
use crate::odbc::handles::{Desc, Handle};
use crate::odbc::statement::Cursor;
use crate::odbc::text::{CodeUnit, Encoding};

fn no_result() -> Diagnostic {
    Diagnostic::new("HY007", "the statement has no open result to describe")
}

/// A field of `desc`, `None` for a record beyond the count (SQL_NO_DATA).
fn get_field(desc: &Desc, number: i16, field: i16) -> Result<Option<Attribute>, Diagnostic> {
    let fields = desc.fields.lock();
    if fields.role != Role::ImpRow {
        return fields.get(number, field);
    }
    // The IRD keeps only its two pointers; everything else describes the open result.
    if matches!(
        field,
        field::ARRAY_STATUS_PTR | field::ROWS_PROCESSED_PTR | field::ALLOC_TYPE
    ) {
        return fields.get(number, field);
    }
    drop(fields);
    let owner = desc.owner().ok_or_else(no_result)?;
    let mut state = owner.state.lock();
    // After SQLPrepare, the prepared statement's result is described before it runs.
    let Some(cursor) = owner.result_columns(&mut state)? else {
        return if field == field::COUNT {
            Ok(Some(Attribute::Number(0)))
        } else {
            Err(no_result())
        };
    };
    if field != field::COUNT && usize::try_from(number).is_ok_and(|number| number > cursor.block.columns.len()) {
        return Ok(None);
    }
    let column = u16::try_from(number).map_err(|_| Diagnostic::new("07009", "invalid descriptor index"))?;
    column_attribute(cursor, column, field).map(Some)
}

/// # Safety
/// `value` null or valid for the field's type (or `buffer_length` bytes for text); `length` null
/// or valid.
unsafe fn get_desc_field(
    descriptor: *mut c_void,
    number: i16,
    field: i16,
    value: *mut c_void,
    buffer_length: i32,
    length: *mut i32,
    encoding: Encoding,
) -> i16 {
    entry::<Desc>(descriptor, |desc| {
        let Some(attribute) = get_field(desc, number, field)? else {
            return Ok(SQL_NO_DATA);
        };
        match attribute {
            Attribute::Text(text) => {
                // SAFETY: forwarded from the caller.
                let warning = unsafe { write_text_in_bytes(&text, value, buffer_length, length, encoding) };
                Ok(with_warning(desc, warning))
            }
            Attribute::Number(number) => {
                // SAFETY: the caller promises room for the field's type.
                unsafe { write_number(value, field_width(field), number, length) };
                Ok(SQL_SUCCESS)
            }
        }
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlgetdescfield-function>
///
/// # Safety
/// As for [`get_desc_field`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetDescField(
    descriptor: *mut c_void,
    number: i16,
    field: i16,
    value: *mut c_void,
    buffer_length: i32,
    length: *mut i32,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { get_desc_field(descriptor, number, field, value, buffer_length, length, Encoding::Utf8) }
}

/// UTF-16 form of [`SQLGetDescField`]; lengths count bytes.
///
/// # Safety
/// As for [`get_desc_field`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetDescFieldW(
    descriptor: *mut c_void,
    number: i16,
    field: i16,
    value: *mut c_void,
    buffer_length: i32,
    length: *mut i32,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe {
        get_desc_field(
            descriptor,
            number,
            field,
            value,
            buffer_length,
            length,
            Encoding::wide(),
        )
    }
}

fn read_only_ird() -> Diagnostic {
    Diagnostic::new("HY016", "the implementation row descriptor cannot be modified")
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlsetdescfield-function>: integer and
/// pointer fields arrive in `value` itself.
///
/// # Safety
/// Pointers set as fields must stay valid while the descriptor uses them.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLSetDescField(
    descriptor: *mut c_void,
    number: i16,
    field: i16,
    value: *mut c_void,
    _buffer_length: i32,
) -> i16 {
    set_desc_field(descriptor, number, field, value)
}

/// The body of [`SQLSetDescField`] and [`SQLSetDescFieldW`].
fn set_desc_field(descriptor: *mut c_void, number: i16, field: i16, value: *mut c_void) -> i16 {
    entry::<Desc>(descriptor, |desc| {
        let mut fields = desc.fields.lock();
        if fields.role == Role::ImpRow && !matches!(field, field::ARRAY_STATUS_PTR | field::ROWS_PROCESSED_PTR) {
            return Err(read_only_ird());
        }
        fields.set(number, field, value as isize)?;
        Ok(SQL_SUCCESS)
    })
}

/// UTF-16 form of [`SQLSetDescField`] (the settable fields hold no text).
///
/// # Safety
/// As for [`SQLSetDescField`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLSetDescFieldW(
    descriptor: *mut c_void,
    number: i16,
    field: i16,
    value: *mut c_void,
    _buffer_length: i32,
) -> i16 {
    set_desc_field(descriptor, number, field, value)
}

/// # Safety
/// Output pointers null or valid; `name` for `buffer_length` characters.
#[allow(clippy::too_many_arguments)]
unsafe fn get_desc_rec<C: CodeUnit>(
    descriptor: *mut c_void,
    number: i16,
    name: *mut C,
    buffer_length: i16,
    name_length: *mut i16,
    data_type: *mut i16,
    subtype: *mut i16,
    length: *mut isize,
    precision: *mut i16,
    scale: *mut i16,
    nullable: *mut i16,
) -> i16 {
    entry::<Desc>(descriptor, |desc| {
        let number_of = |field| match get_field(desc, number, field) {
            Ok(Some(Attribute::Number(value))) => Ok(Some(value)),
            Ok(Some(Attribute::Text(_))) | Err(_) if field == field::NULLABLE => Ok(Some(1)),
            Ok(Some(Attribute::Text(_))) => Ok(Some(0)),
            Ok(None) => Ok(None),
            Err(error) => Err(error),
        };
        let Some(verbose) = number_of(field::TYPE)? else {
            return Ok(SQL_NO_DATA);
        };
        let text = match get_field(desc, number, field::NAME) {
            Ok(Some(Attribute::Text(text))) => text,
            _ => String::new(),
        };
        let values = [
            (data_type, verbose),
            (subtype, number_of(field::DATETIME_INTERVAL_CODE)?.unwrap_or(0)),
            (precision, number_of(field::PRECISION)?.unwrap_or(0)),
            (scale, number_of(field::SCALE)?.unwrap_or(0)),
            (nullable, number_of(field::NULLABLE)?.unwrap_or(1)),
        ];
        let octet_length = number_of(field::OCTET_LENGTH)?.unwrap_or(0);
        // SAFETY: the caller promises every non-null pointer is writable.
        unsafe {
            for (target, value) in values {
                write_if_given(target, value as i16);
            }
            write_if_given(length, octet_length);
            let warning = write_text(&text, name, buffer_length, name_length);
            Ok(with_warning(desc, warning))
        }
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlgetdescrec-function>
///
/// # Safety
/// As for [`get_desc_rec`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetDescRec(
    descriptor: *mut c_void,
    number: i16,
    name: *mut u8,
    buffer_length: i16,
    name_length: *mut i16,
    data_type: *mut i16,
    subtype: *mut i16,
    length: *mut isize,
    precision: *mut i16,
    scale: *mut i16,
    nullable: *mut i16,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe {
        get_desc_rec(
            descriptor,
            number,
            name,
            buffer_length,
            name_length,
            data_type,
            subtype,
            length,
            precision,
            scale,
            nullable,
        )
    }
}

/// UTF-16 form of [`SQLGetDescRec`]; `buffer_length` counts characters.
///
/// # Safety
/// As for [`get_desc_rec`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetDescRecW(
    descriptor: *mut c_void,
    number: i16,
    name: *mut u16,
    buffer_length: i16,
    name_length: *mut i16,
    data_type: *mut i16,
    subtype: *mut i16,
    length: *mut isize,
    precision: *mut i16,
    scale: *mut i16,
    nullable: *mut i16,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe {
        get_desc_rec(
            descriptor,
            number,
            name,
            buffer_length,
            name_length,
            data_type,
            subtype,
            length,
            precision,
            scale,
            nullable,
        )
    }
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlsetdescrec-function>
///
/// # Safety
/// The pointers set must stay valid while the descriptor uses them.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn SQLSetDescRec(
    descriptor: *mut c_void,
    number: i16,
    data_type: i16,
    subtype: i16,
    length: isize,
    precision: i16,
    scale: i16,
    data: *mut c_void,
    string_length: *mut isize,
    indicator: *mut isize,
) -> i16 {
    entry::<Desc>(descriptor, |desc| {
        let mut fields = desc.fields.lock();
        if fields.role == Role::ImpRow {
            return Err(read_only_ird());
        }
        fields.set(number, field::TYPE, data_type.into())?;
        fields.set(number, field::DATETIME_INTERVAL_CODE, subtype.into())?;
        for (field, value) in [
            (field::OCTET_LENGTH, length),
            (field::PRECISION, precision.into()),
            (field::SCALE, scale.into()),
            (field::DATA_PTR, data as isize),
            (field::OCTET_LENGTH_PTR, string_length as isize),
            (field::INDICATOR_PTR, indicator as isize),
        ] {
            fields.set(number, field, value)?;
        }
        Ok(SQL_SUCCESS)
    })
}

/// The contents of the IRD of an open result, for copying.
fn described_result(cursor: &Cursor, role: Role) -> Result<Fields, Diagnostic> {
    let mut fields = Fields::new(role);
    for (index, description) in cursor.descriptions.iter().enumerate() {
        let number = u16::try_from(index + 1).map_err(|_| Diagnostic::new("07009", "too many columns"))?;
        let record: &mut Record = fields.record_mut(number)?;
        record.concise_type = description.sql_type;
        record.length = description.column_size;
        record.octet_length = description.column_size as isize;
        record.precision = i16::try_from(description.column_size).unwrap_or(i16::MAX);
        record.scale = description.decimal_digits;
    }
    Ok(fields)
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlcopydesc-function>: every field but
/// SQL_DESC_ALLOC_TYPE; an IRD cannot be the target.
///
/// # Safety
/// Both must be descriptor handles.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLCopyDesc(source: *mut c_void, target: *mut c_void) -> i16 {
    // SAFETY: validated by the registry.
    let Some(source_desc) = (unsafe { Desc::from_handle(source) }) else {
        return SQL_INVALID_HANDLE;
    };
    entry::<Desc>(target, |target_desc| {
        let target_role = target_desc.fields.lock().role;
        if target_role == Role::ImpRow {
            return Err(read_only_ird());
        }
        let copied = {
            let source_fields = source_desc.fields.lock();
            if source_fields.role == Role::ImpRow {
                let owner = source_desc.owner().ok_or_else(no_result)?;
                drop(source_fields);
                let state = owner.state.lock();
                described_result(state.cursor.as_ref().ok_or_else(no_result)?, target_role)?
            } else {
                Fields {
                    role: target_role,
                    ..source_fields.clone()
                }
            }
        };
        *target_desc.fields.lock() = copied;
        Ok(SQL_SUCCESS)
    })
}
