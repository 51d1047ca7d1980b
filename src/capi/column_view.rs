//! Typed views of a block's columns for C: pointers into the column data as received, no copies.
//!
//! A [`BlockView`] owns a block and the view tree built over it; the pointers in every
//! [`bh_column`] stay valid while the view lives (moving the block into the view does not move the
//! heap buffers the pointers point into).
#![allow(non_camel_case_types)]

use std::ffi::{CString, c_char};
use std::ptr::null;

use crate::native::{Block, ColumnData, DataType};

/// What a column view holds; the fields of [`bh_column`] that apply to each kind are listed there.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum bh_column_kind {
    /// `data`: `rows * width` bytes, value `i` at `data + i * width`, by the view's `type_name`:
    /// - (U)Int8/16/32/64/128/256 and Float32/64: little-endian, width 1 to 32; Bool: 1 byte, 0 or 1;
    /// - Decimal(P, S): the unscaled integer, little-endian two's complement, width 4 (P <= 9), 8
    ///   (P <= 18), 16 (P <= 38) or 32; the value is that integer / 10^S;
    /// - Date: UInt16 days since 1970-01-01; Date32: Int32 days (negative before 1970);
    /// - DateTime('zone'): UInt32 seconds since the epoch (UTC; the zone, in `type_name`, is only for
    ///   display); DateTime64(P, 'zone'): Int64 ticks of 10^-P seconds since the epoch;
    /// - UUID: 16 bytes, two little-endian UInt64 halves, the high half (the first 8 hex digits and
    ///   the next 8) first;
    /// - Enum8/Enum16: the Int8/Int16 number; the names are in `type_name`;
    /// - FixedString(N): N bytes, zero-padded;
    /// - IPv4: UInt32, little-endian (1.2.3.4 is 0x01020304); IPv6: 16 bytes in network order;
    /// - Nothing (only under Nullable or as the elements of an empty Array): 1-byte placeholders.
    BH_FIXED = 0,
    /// String: `data` and `ends`: value `i` is `data[ends[i - 1] .. ends[i]]` (from 0 for the
    /// first), bytes that need not be UTF-8, without a terminating NUL.
    BH_STRINGS = 1,
    /// `nulls` (1 = NULL, one byte per row) and one child: the values, with placeholders under NULL.
    BH_NULLABLE = 2,
    /// `array_ends` and one child, the elements: row `i` holds elements `array_ends[i - 1] ..
    /// array_ends[i]`. A Map is an array of Tuple(key, value).
    BH_ARRAY = 3,
    /// One child per element, each with `rows` values.
    BH_TUPLE = 4,
    /// `keys` (one per row) into the one child, the dictionary; with LowCardinality(Nullable(T)),
    /// key 0 means NULL.
    BH_LOW_CARDINALITY = 5,
}

/// A typed view of one column (or a part of one), valid while its block lives.
#[repr(C)]
#[derive(Debug)]
pub struct bh_column {
    pub kind: bh_column_kind,
    /// The column's name; "" for the parts of a column.
    pub name: *const c_char,
    /// The server's type name, e.g. `Nullable(Int32)`.
    pub type_name: *const c_char,
    /// Values in this view: the block's rows at the top, elements further down.
    pub rows: usize,
    /// BH_FIXED: the values; BH_STRINGS: all the bytes.
    pub data: *const u8,
    /// BH_FIXED: bytes per value; BH_STRINGS: the length of `data` (the last end, in a view read
    /// from a block; the ends of a column given to `bh_insert_append_columns` must not pass it).
    pub width: usize,
    /// BH_STRINGS: the end of each value in `data`.
    pub ends: *const usize,
    /// BH_ARRAY: the end of each row's elements in the child.
    pub array_ends: *const u64,
    /// BH_NULLABLE: one byte per row, 1 for NULL.
    pub nulls: *const u8,
    /// BH_LOW_CARDINALITY: one dictionary index per row.
    pub keys: *const u32,
    pub n_children: usize,
    pub children: *const bh_column,
}

/// A block and the views of its columns.
pub struct BlockView {
    block: Block,
    columns: Vec<bh_column>,
    /// Children lists and texts the views point into.
    children: Vec<Vec<bh_column>>,
    texts: Vec<CString>,
}

// SAFETY: the raw pointers point into data the view owns and never mutates.
unsafe impl Send for BlockView {}

impl BlockView {
    pub fn new(block: Block) -> BlockView {
        let mut view = BlockView {
            block,
            columns: Vec::new(),
            children: Vec::new(),
            texts: Vec::new(),
        };
        let mut columns = Vec::with_capacity(view.block.columns.len());
        for column in &view.block.columns {
            let name = text(&mut view.texts, &column.name);
            let type_name = text(&mut view.texts, &column.type_name);
            let mut built = build(&column.data_type, &column.data, &mut view.children, &mut view.texts);
            built.name = name;
            built.type_name = type_name;
            columns.push(built);
        }
        view.columns = columns;
        view
    }

    pub fn rows(&self) -> usize {
        self.block.rows()
    }

    pub fn columns(&self) -> &[bh_column] {
        &self.columns
    }
}

/// A C string kept in `texts`; its heap memory does not move when `texts` grows.
fn text(texts: &mut Vec<CString>, value: &str) -> *const c_char {
    let end = value.find('\0').unwrap_or(value.len());
    texts.push(CString::new(&value[..end]).unwrap_or_default());
    texts.last().map_or(null(), |text| text.as_ptr())
}

fn build(
    data_type: &DataType,
    data: &ColumnData,
    children: &mut Vec<Vec<bh_column>>,
    texts: &mut Vec<CString>,
) -> bh_column {
    let data_type = match data_type {
        DataType::SimpleAggregateFunction { inner, .. } => inner.as_ref(),
        other => other,
    };
    let mut view = bh_column {
        kind: bh_column_kind::BH_FIXED,
        name: c"".as_ptr(),
        type_name: text(texts, &data_type.to_string()),
        rows: data.len(),
        data: null(),
        width: 0,
        ends: null(),
        array_ends: null(),
        nulls: null(),
        keys: null(),
        n_children: 0,
        children: null(),
    };
    let mut parts: Vec<(&DataType, &ColumnData)> = Vec::new();
    let tuple_types: Vec<DataType>;
    match data {
        ColumnData::Fixed { width, bytes } => {
            view.data = bytes.as_ptr();
            view.width = *width;
        }
        ColumnData::Strings { ends, bytes } => {
            view.kind = bh_column_kind::BH_STRINGS;
            view.data = bytes.as_ptr();
            view.width = bytes.len();
            view.ends = ends.as_ptr();
        }
        ColumnData::Nullable { nulls, values } => {
            view.kind = bh_column_kind::BH_NULLABLE;
            view.nulls = nulls.as_ptr();
            let inner = match data_type {
                DataType::Nullable(inner) => inner.as_ref(),
                other => other,
            };
            parts.push((inner, values));
        }
        ColumnData::Array { ends, values } => {
            view.kind = bh_column_kind::BH_ARRAY;
            view.array_ends = ends.as_ptr();
            tuple_types = match data_type {
                DataType::Map(key, value) => vec![DataType::Tuple(vec![
                    (None, (**key).clone()),
                    (None, (**value).clone()),
                ])],
                DataType::Array(element) => vec![(**element).clone()],
                other => vec![other.clone()],
            };
            parts.push((&tuple_types[0], values));
        }
        ColumnData::Tuple(elements) => {
            view.kind = bh_column_kind::BH_TUPLE;
            view.rows = elements.first().map_or(0, ColumnData::len);
            if let DataType::Tuple(types) = data_type {
                parts.extend(types.iter().map(|(_, element)| element).zip(elements));
            }
        }
        ColumnData::LowCardinality { dictionary, keys } => {
            view.kind = bh_column_kind::BH_LOW_CARDINALITY;
            view.keys = keys.as_ptr();
            view.rows = keys.len();
            let value_type = match data_type {
                DataType::LowCardinality(inner) => match inner.as_ref() {
                    DataType::Nullable(value_type) => value_type.as_ref(),
                    value_type => value_type,
                },
                other => other,
            };
            parts.push((value_type, dictionary));
        }
    }
    if !parts.is_empty() {
        let built: Vec<bh_column> = parts
            .into_iter()
            .map(|(part_type, part)| build(part_type, part, children, texts))
            .collect();
        view.n_children = built.len();
        view.children = built.as_ptr();
        children.push(built);
    }
    view
}
