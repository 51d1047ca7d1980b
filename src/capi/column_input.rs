//! Whole columns from C for INSERT: a [`bh_column`] describing the caller's memory (the same struct
//! the block views use) checked against a target column's type and appended to its pending data.
//!
//! Every pointer and length is the caller's and is treated as hostile: counts are checked before a
//! slice is made of them, offsets must not decrease or pass the bytes or elements they index, and a
//! value the type cannot hold (an enum number it does not name, a Bool other than 0 or 1, a null map
//! byte other than 0 or 1, a dictionary key past the dictionary) is an error at its index. The
//! caller undoes a failed append: this module may leave a partly appended column behind.

use super::column_view::{bh_column, bh_column_kind};
use crate::native::{ColumnData, DataType};

/// What went wrong, at which value of the view being appended (a row at the top, an element or a
/// dictionary entry further down, mapped back to the row by the caller of each level).
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    pub index: usize,
    pub message: String,
}

impl Problem {
    fn at(index: usize, message: impl Into<String>) -> Problem {
        Problem {
            index,
            message: message.into(),
        }
    }
}

/// Appends the `rows` values `view` describes to `data`, a column of `data_type`.
///
/// # Safety
/// Every pointer of `view` and its children is NULL or valid for the counts it gives.
pub unsafe fn append(
    view: &bh_column,
    data_type: &DataType,
    data: &mut ColumnData,
    rows: usize,
) -> Result<(), Problem> {
    if view.rows != rows {
        return Err(Problem::at(
            0,
            format!("the view has {} values where {rows} were expected", view.rows),
        ));
    }
    // The kind is read as the integer it is: a value outside the enum is refused, not trusted.
    // SAFETY: `kind` is a u32-sized field of a readable struct.
    let kind = unsafe { std::ptr::from_ref(&view.kind).cast::<u32>().read() };
    let data_type = match data_type {
        DataType::SimpleAggregateFunction { inner, .. } => inner.as_ref(),
        other => other,
    };
    let expected = expected_kind(data_type);
    if kind != expected as u32 {
        return Err(Problem::at(
            0,
            format!("a view of kind {kind} for {data_type}, which takes {expected:?}"),
        ));
    }
    // SAFETY: as promised by the caller, for each kind below.
    unsafe {
        match data {
            ColumnData::Fixed { width, bytes } => append_fixed(view, data_type, *width, bytes, rows),
            ColumnData::Strings { ends, bytes } => append_strings(view, ends, bytes, rows),
            ColumnData::Nullable { nulls, values } => {
                let flags = slice(view.nulls, rows, "nulls")?;
                if let Some(row) = flags.iter().position(|flag| *flag > 1) {
                    return Err(Problem::at(
                        row,
                        format!("null map byte {} is neither 0 nor 1", flags[row]),
                    ));
                }
                let DataType::Nullable(inner) = data_type else {
                    unreachable!("a Nullable column has a Nullable type")
                };
                append(child(view, 0, 1)?, inner, values, rows)?;
                nulls.extend_from_slice(flags);
                Ok(())
            }
            ColumnData::Array { ends, values } => {
                let view_ends = slice(view.array_ends, rows, "array_ends")?;
                let elements = check_ends(view_ends.iter().map(|end| *end as usize), None)?;
                let element_type = element_type(data_type);
                append(child(view, 0, 1)?, &element_type, values, elements).map_err(|problem| Problem {
                    index: view_ends.partition_point(|end| *end as usize <= problem.index),
                    message: problem.message,
                })?;
                let base = ends.last().copied().unwrap_or(0);
                ends.extend(view_ends.iter().map(|end| base + end));
                Ok(())
            }
            ColumnData::Tuple(elements) => {
                let DataType::Tuple(types) = data_type else {
                    unreachable!("a Tuple column has a Tuple type")
                };
                for (index, (element, (_, element_type))) in elements.iter_mut().zip(types).enumerate() {
                    append(child(view, index, types.len())?, element_type, element, rows)?;
                }
                Ok(())
            }
            ColumnData::LowCardinality { dictionary, keys } => {
                let DataType::LowCardinality(inner) = data_type else {
                    unreachable!("a LowCardinality column has a LowCardinality type")
                };
                let dictionary_type = match inner.as_ref() {
                    DataType::Nullable(value_type) => value_type.as_ref(),
                    value_type => value_type,
                };
                let view_keys = slice(view.keys, rows, "keys")?;
                let entries = child(view, 0, 1)?;
                if let Some(row) = view_keys.iter().position(|key| *key as usize >= entries.rows) {
                    return Err(Problem::at(
                        row,
                        format!("key {} is past the {} dictionary entries", view_keys[row], entries.rows),
                    ));
                }
                if inner.is_nullable() && dictionary.is_empty() {
                    // Key 0 is NULL: the dictionary's first entry is its placeholder.
                    dictionary.push_default(dictionary_type);
                }
                let base = dictionary.len();
                append(entries, dictionary_type, dictionary, entries.rows).map_err(|problem| Problem {
                    index: view_keys
                        .iter()
                        .position(|key| *key as usize == problem.index)
                        .unwrap_or(0),
                    message: format!("dictionary entry {}: {}", problem.index, problem.message),
                })?;
                let nullable = inner.is_nullable();
                let rebased = view_keys.iter().map(|key| {
                    if nullable && *key == 0 {
                        Ok(0)
                    } else {
                        u32::try_from(base + *key as usize)
                    }
                });
                for (row, key) in rebased.enumerate() {
                    keys.push(key.map_err(|_| Problem::at(row, "the dictionary grew past 2^32 entries"))?);
                }
                Ok(())
            }
        }
    }
}

/// The view kind a column of `data_type` is described by.
fn expected_kind(data_type: &DataType) -> bh_column_kind {
    match data_type {
        _ if data_type.fixed_width().is_some() => bh_column_kind::BH_FIXED,
        DataType::Nullable(_) => bh_column_kind::BH_NULLABLE,
        DataType::Array(_) | DataType::Map(..) => bh_column_kind::BH_ARRAY,
        DataType::Tuple(_) => bh_column_kind::BH_TUPLE,
        DataType::LowCardinality(_) => bh_column_kind::BH_LOW_CARDINALITY,
        _ => bh_column_kind::BH_STRINGS,
    }
}

/// The elements' type of an Array, or the (key, value) tuple of a Map.
fn element_type(data_type: &DataType) -> DataType {
    match data_type {
        DataType::Map(key, value) => DataType::Tuple(vec![(None, (**key).clone()), (None, (**value).clone())]),
        DataType::Array(element) => (**element).clone(),
        other => other.clone(),
    }
}

/// # Safety
/// As for [`append`].
unsafe fn append_fixed(
    view: &bh_column,
    data_type: &DataType,
    width: usize,
    bytes: &mut Vec<u8>,
    rows: usize,
) -> Result<(), Problem> {
    if view.width != width {
        return Err(Problem::at(
            0,
            format!(
                "values of {} bytes for {data_type}, whose values have {width}",
                view.width
            ),
        ));
    }
    let total = rows
        .checked_mul(width)
        .ok_or_else(|| Problem::at(0, format!("{rows} values cannot be")))?;
    // SAFETY: as promised by the caller.
    let values = unsafe { slice(view.data, total, "data") }?;
    let allowed: Option<Vec<i16>> = match data_type {
        DataType::Enum8(names) | DataType::Enum16(names) => Some(names.iter().map(|(_, number)| *number).collect()),
        DataType::Bool => Some(vec![0, 1]),
        _ => None,
    };
    if let Some(allowed) = allowed {
        for (row, value) in values.chunks_exact(width).enumerate() {
            let number = match value {
                [byte] if matches!(data_type, DataType::Bool) => i16::from(*byte),
                [byte] => i16::from(*byte as i8),
                [low, high] => i16::from_le_bytes([*low, *high]),
                _ => unreachable!("enums and Bool are 1 or 2 bytes wide"),
            };
            if !allowed.contains(&number) {
                return Err(Problem::at(row, format!("{number} is not a value of {data_type}")));
            }
        }
    }
    bytes.extend_from_slice(values);
    Ok(())
}

/// # Safety
/// As for [`append`]; `view.width` is the length of `view.data`.
unsafe fn append_strings(
    view: &bh_column,
    ends: &mut Vec<usize>,
    bytes: &mut Vec<u8>,
    rows: usize,
) -> Result<(), Problem> {
    // SAFETY: as promised by the caller.
    let view_ends = unsafe { slice(view.ends, rows, "ends") }?;
    let length = check_ends(view_ends.iter().copied(), Some(view.width))?;
    // SAFETY: as promised by the caller: `width` bytes at `data`, of which the ends use `length`.
    let view_bytes = unsafe { slice(view.data, length, "data") }?;
    let base = bytes.len();
    bytes.extend_from_slice(view_bytes);
    ends.extend(view_ends.iter().map(|end| base + end));
    Ok(())
}

/// Checks that `ends` never decrease (nor pass `limit`); returns the last one, 0 for none.
fn check_ends(ends: impl Iterator<Item = usize>, limit: Option<usize>) -> Result<usize, Problem> {
    let mut previous = 0;
    for (row, end) in ends.enumerate() {
        if end < previous {
            return Err(Problem::at(
                row,
                format!("end {end} is before the previous end {previous}"),
            ));
        }
        if let Some(limit) = limit.filter(|limit| end > *limit) {
            return Err(Problem::at(row, format!("end {end} is past the {limit} bytes of data")));
        }
        previous = end;
    }
    Ok(previous)
}

/// Child `index` of a view that must have `count` children.
///
/// # Safety
/// As for [`append`].
unsafe fn child(view: &bh_column, index: usize, count: usize) -> Result<&bh_column, Problem> {
    if view.n_children != count || view.children.is_null() {
        return Err(Problem::at(
            0,
            format!("{count} children expected, the view has {}", view.n_children),
        ));
    }
    // SAFETY: as promised by the caller: `n_children` children at `children`.
    Ok(unsafe { &*view.children.add(index) })
}

/// `count` items at `pointer`; NULL only when there are none.
///
/// # Safety
/// `pointer` is NULL or valid for `count` items.
unsafe fn slice<'a, T>(pointer: *const T, count: usize, what: &str) -> Result<&'a [T], Problem> {
    if count == 0 {
        return Ok(&[]);
    }
    if pointer.is_null() {
        return Err(Problem::at(0, format!("`{what}` is NULL")));
    }
    if count > isize::MAX as usize / size_of::<T>().max(1) {
        return Err(Problem::at(0, format!("{count} items of `{what}` cannot be")));
    }
    // SAFETY: as promised by the caller.
    Ok(unsafe { std::slice::from_raw_parts(pointer, count) })
}

#[cfg(test)]
mod tests {
    use std::ptr::null;

    use super::*;

    fn view(kind: bh_column_kind, rows: usize) -> bh_column {
        bh_column {
            kind,
            name: null(),
            type_name: null(),
            rows,
            data: null(),
            width: 0,
            ends: null(),
            array_ends: null(),
            nulls: null(),
            keys: null(),
            n_children: 0,
            children: null(),
        }
    }

    fn strings<'a>(bytes: &'a [u8], ends: &'a [usize]) -> bh_column {
        bh_column {
            data: bytes.as_ptr(),
            width: bytes.len(),
            ends: ends.as_ptr(),
            ..view(bh_column_kind::BH_STRINGS, ends.len())
        }
    }

    fn column(type_name: &str) -> (DataType, ColumnData) {
        let data_type = DataType::parse(type_name).unwrap();
        let data = ColumnData::new(&data_type);
        (data_type, data)
    }

    #[test]
    fn strings_and_arrays_are_rebased_onto_what_is_pending() {
        let (data_type, mut data) = column("Array(String)");
        let ends = [1usize, 3];
        let elements = strings(b"abc", &ends);
        let array_ends = [1u64, 2];
        let array = bh_column {
            array_ends: array_ends.as_ptr(),
            n_children: 1,
            children: &elements,
            ..view(bh_column_kind::BH_ARRAY, 2)
        };
        for _ in 0..2 {
            // SAFETY: the views point into live arrays of the counts they give.
            unsafe { append(&array, &data_type, &mut data, 2) }.unwrap();
        }
        let ColumnData::Array { ends, values } = &data else {
            panic!("{data:?}")
        };
        assert_eq!(ends, &[1, 2, 3, 4]);
        assert_eq!(values.len(), 4);
        assert_eq!(data.value(&data_type, 3).to_string(), "['bc']");
    }

    #[test]
    fn hostile_offsets_and_values_are_problems_at_their_index() {
        let (data_type, mut data) = column("String");
        let backwards = [2usize, 1];
        // SAFETY: as above.
        let problem = unsafe { append(&strings(b"ab", &backwards), &data_type, &mut data, 2) }.unwrap_err();
        assert_eq!(problem.index, 1);
        let past = [2usize, 9];
        // SAFETY: as above; the end past the bytes is refused before they are read.
        let problem = unsafe { append(&strings(b"ab", &past), &data_type, &mut data, 2) }.unwrap_err();
        assert!(problem.message.contains("past the 2 bytes"), "{problem:?}");

        let (data_type, mut data) = column("Enum8('a' = 1, 'b' = -2)");
        let numbers = [1i8, -2, 3];
        let enums = bh_column {
            data: numbers.as_ptr().cast(),
            width: 1,
            ..view(bh_column_kind::BH_FIXED, 3)
        };
        // SAFETY: as above.
        let problem = unsafe { append(&enums, &data_type, &mut data, 3) }.unwrap_err();
        assert_eq!(
            (problem.index, problem.message.as_str()),
            (2, "3 is not a value of Enum8('a' = 1, 'b' = -2)")
        );

        let (data_type, mut data) = column("UInt32");
        // SAFETY: the kind is refused before any pointer is read.
        let problem = unsafe { append(&strings(b"", &[]), &data_type, &mut data, 0) }.unwrap_err();
        assert!(problem.message.contains("takes BH_FIXED"), "{problem:?}");
    }

    #[test]
    fn nullable_low_cardinality_keeps_key_zero_for_null() {
        let (data_type, mut data) = column("LowCardinality(Nullable(String))");
        let ends = [0usize, 1];
        let dictionary = strings(b"x", &ends);
        let keys = [1u32, 0, 1];
        let low_cardinality = bh_column {
            keys: keys.as_ptr(),
            n_children: 1,
            children: &dictionary,
            ..view(bh_column_kind::BH_LOW_CARDINALITY, 3)
        };
        for _ in 0..2 {
            // SAFETY: as above.
            unsafe { append(&low_cardinality, &data_type, &mut data, 3) }.unwrap();
        }
        let printed: Vec<String> = (0..6).map(|row| data.value(&data_type, row).to_string()).collect();
        assert_eq!(printed, ["x", "NULL", "x", "x", "NULL", "x"]);
    }
}
