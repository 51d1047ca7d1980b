//! Statement attributes (SQLSetStmtAttr/SQLGetStmtAttr): the array ones are descriptor fields;
//! the cursor ones accept what a forward-only, read-only cursor is and answer a changed value
//! (01S02) for the rest, as the specification allows, so that tools setting their preferences
//! before a query go on.

use std::time::Duration;

use super::descriptor::{Attribute, Role, field};
use super::diag::Diagnostic;
use super::handles::{Desc, Stmt};

mod id {
    pub const QUERY_TIMEOUT: i32 = 0;
    pub const MAX_ROWS: i32 = 1;
    pub const NOSCAN: i32 = 2;
    pub const MAX_LENGTH: i32 = 3;
    pub const ASYNC_ENABLE: i32 = 4;
    pub const ROW_BIND_TYPE: i32 = 5;
    pub const CURSOR_TYPE: i32 = 6;
    pub const CONCURRENCY: i32 = 7;
    pub const KEYSET_SIZE: i32 = 8;
    pub const SIMULATE_CURSOR: i32 = 10;
    pub const RETRIEVE_DATA: i32 = 11;
    pub const USE_BOOKMARKS: i32 = 12;
    pub const ROW_NUMBER: i32 = 14;
    pub const ENABLE_AUTO_IPD: i32 = 15;
    pub const FETCH_BOOKMARK_PTR: i32 = 16;
    pub const PARAM_BIND_OFFSET_PTR: i32 = 17;
    pub const PARAM_BIND_TYPE: i32 = 18;
    pub const PARAM_OPERATION_PTR: i32 = 19;
    pub const PARAM_STATUS_PTR: i32 = 20;
    pub const PARAMS_PROCESSED_PTR: i32 = 21;
    pub const PARAMSET_SIZE: i32 = 22;
    pub const ROW_BIND_OFFSET_PTR: i32 = 23;
    pub const ROW_OPERATION_PTR: i32 = 24;
    pub const ROW_STATUS_PTR: i32 = 25;
    pub const ROWS_FETCHED_PTR: i32 = 26;
    pub const ROW_ARRAY_SIZE: i32 = 27;
    pub const CURSOR_SCROLLABLE: i32 = -1;
    pub const CURSOR_SENSITIVITY: i32 = -2;
    pub const APP_ROW_DESC: i32 = 10010;
    pub const APP_PARAM_DESC: i32 = 10011;
    pub const IMP_ROW_DESC: i32 = 10012;
    pub const IMP_PARAM_DESC: i32 = 10013;
    pub const METADATA_ID: i32 = 10014;
}

/// The one value a fixed attribute has: cursor type forward-only, concurrency read-only,
/// retrieve data on, and off or zero for the others.
fn fixed_value(attribute: i32) -> Option<usize> {
    Some(match attribute {
        id::CONCURRENCY | id::RETRIEVE_DATA => 1,
        id::MAX_LENGTH
        | id::ASYNC_ENABLE
        | id::CURSOR_TYPE
        | id::KEYSET_SIZE
        | id::SIMULATE_CURSOR
        | id::USE_BOOKMARKS
        | id::ENABLE_AUTO_IPD
        | id::CURSOR_SCROLLABLE
        | id::CURSOR_SENSITIVITY => 0,
        _ => return None,
    })
}

/// The descriptor and field an array attribute stands for.
fn descriptor_field(stmt: &Stmt, attribute: i32) -> Option<(&Desc, i16)> {
    Some(match attribute {
        id::ROW_ARRAY_SIZE => (stmt.ard(), field::ARRAY_SIZE),
        id::ROW_BIND_TYPE => (stmt.ard(), field::BIND_TYPE),
        id::ROW_BIND_OFFSET_PTR => (stmt.ard(), field::BIND_OFFSET_PTR),
        id::ROW_OPERATION_PTR => (stmt.ard(), field::ARRAY_STATUS_PTR),
        id::ROW_STATUS_PTR => (stmt.ird(), field::ARRAY_STATUS_PTR),
        id::ROWS_FETCHED_PTR => (stmt.ird(), field::ROWS_PROCESSED_PTR),
        id::PARAMSET_SIZE => (stmt.apd(), field::ARRAY_SIZE),
        id::PARAM_BIND_TYPE => (stmt.apd(), field::BIND_TYPE),
        id::PARAM_BIND_OFFSET_PTR => (stmt.apd(), field::BIND_OFFSET_PTR),
        id::PARAM_OPERATION_PTR => (stmt.apd(), field::ARRAY_STATUS_PTR),
        id::PARAM_STATUS_PTR => (stmt.ipd(), field::ARRAY_STATUS_PTR),
        id::PARAMS_PROCESSED_PTR => (stmt.ipd(), field::ROWS_PROCESSED_PTR),
        _ => return None,
    })
}

fn not_supported(attribute: i32) -> Diagnostic {
    Diagnostic::new("HY092", format!("statement attribute {attribute} is not known"))
}

impl Stmt {
    /// Sets `attribute` to `value` (an integer or a pointer); `Some` warning (01S02) when the
    /// driver keeps another value.
    pub fn set_attribute(&self, attribute: i32, value: usize) -> Result<Option<Diagnostic>, Diagnostic> {
        if let Some((desc, field)) = descriptor_field(self, attribute) {
            desc.fields.lock().set(0, field, value as isize)?;
            return Ok(None);
        }
        if let Some(fixed) = fixed_value(attribute) {
            return Ok((value != fixed).then(|| {
                Diagnostic::new(
                    "01S02",
                    format!("option value changed: statement attribute {attribute} stays {fixed}"),
                )
            }));
        }
        let mut state = self.state.lock();
        match attribute {
            id::QUERY_TIMEOUT => state.query_timeout = (value > 0).then(|| Duration::from_secs(value as u64)),
            id::MAX_ROWS => state.max_rows = value,
            id::NOSCAN => state.no_scan = value != 0,
            id::METADATA_ID => state.metadata_id = value != 0,
            id::FETCH_BOOKMARK_PTR => return Err(Diagnostic::new("HYC00", "bookmarks are not supported")),
            id::APP_ROW_DESC => self.install(Role::AppRow, value)?,
            id::APP_PARAM_DESC => self.install(Role::AppParam, value)?,
            id::IMP_ROW_DESC | id::IMP_PARAM_DESC | id::ROW_NUMBER => {
                return Err(Diagnostic::new(
                    "HY024",
                    format!("statement attribute {attribute} is read-only"),
                ));
            }
            other => return Err(not_supported(other)),
        }
        Ok(None)
    }

    /// The value of `attribute` (an integer or a pointer).
    pub fn attribute(&self, attribute: i32) -> Result<usize, Diagnostic> {
        if let Some((desc, field)) = descriptor_field(self, attribute) {
            return Ok(match desc.fields.lock().get(0, field)? {
                Some(Attribute::Number(number)) => number as usize,
                _ => 0,
            });
        }
        if let Some(fixed) = fixed_value(attribute) {
            return Ok(fixed);
        }
        let state = self.state.lock();
        Ok(match attribute {
            id::QUERY_TIMEOUT => state.query_timeout.map_or(0, |timeout| timeout.as_secs() as usize),
            id::MAX_ROWS => state.max_rows,
            id::NOSCAN => usize::from(state.no_scan),
            id::METADATA_ID => usize::from(state.metadata_id),
            id::ROW_NUMBER => match state.cursor.as_ref() {
                Some(cursor) if cursor.row.is_some() => cursor.delivered,
                _ => return Err(Diagnostic::new("24000", "no current row")),
            },
            id::FETCH_BOOKMARK_PTR => 0,
            id::APP_ROW_DESC => self.descriptor_handle(Role::AppRow),
            id::APP_PARAM_DESC => self.descriptor_handle(Role::AppParam),
            id::IMP_ROW_DESC => self.descriptor_handle(Role::ImpRow),
            id::IMP_PARAM_DESC => self.descriptor_handle(Role::ImpParam),
            other => return Err(not_supported(other)),
        })
    }
}
