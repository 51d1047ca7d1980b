//! Small Arrow arrays built in memory, for the metadata results ADBC defines (GetInfo, GetObjects,
//! GetTableTypes): values in, [`ArrayNode`]s and their [`SchemaNode`] fields out.

use crate::arrow::abi::ARROW_FLAG_NULLABLE;
use crate::arrow::export::{ArrayNode, Buffer, SchemaNode};

/// A field of `format` named `name`, nullable or not, with `children`.
pub fn field(format: &str, name: &str, nullable: bool, children: Vec<SchemaNode>) -> SchemaNode {
    let mut node = SchemaNode::new(format, name);
    if nullable {
        node.flags |= ARROW_FLAG_NULLABLE;
    }
    node.children = children;
    node
}

/// A validity bitmap (absent when every slot is valid) and the null count.
fn validity(valid: impl ExactSizeIterator<Item = bool>) -> (Buffer, usize) {
    let mut bits = vec![0u8; valid.len().div_ceil(8)];
    let mut nulls = 0;
    for (index, is_valid) in valid.enumerate() {
        if is_valid {
            bits[index / 8] |= 1 << (index % 8);
        } else {
            nulls += 1;
        }
    }
    if nulls == 0 {
        (Buffer::Absent, 0)
    } else {
        (Buffer::Bytes(bits), nulls)
    }
}

fn leaf(length: usize, null_count: usize, buffers: Vec<Buffer>) -> ArrayNode {
    ArrayNode {
        length,
        null_count,
        buffers,
        children: Vec::new(),
        dictionary: None,
    }
}

/// A utf8 array.
pub fn utf8<S: AsRef<str>>(values: &[Option<S>]) -> ArrayNode {
    let (valid, nulls) = validity(values.iter().map(Option::is_some));
    let mut offsets = Vec::with_capacity(values.len() + 1);
    let mut data = Vec::new();
    offsets.push(0i32);
    for value in values {
        data.extend_from_slice(value.as_ref().map_or("", AsRef::as_ref).as_bytes());
        offsets.push(i32::try_from(data.len()).unwrap_or(i32::MAX));
    }
    leaf(
        values.len(),
        nulls,
        vec![valid, Buffer::I32(offsets), Buffer::Bytes(data)],
    )
}

/// Fixed-width values written little-endian.
pub trait Primitive: Copy + Default {
    fn append_to(self, out: &mut Vec<u8>);
}

macro_rules! primitive {
    ($($type:ty),*) => {$(
        impl Primitive for $type {
            fn append_to(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
        }
    )*};
}

primitive!(i8, i16, i32, i64, u32);

/// An array of fixed-width numbers.
pub fn numbers<T: Primitive>(values: &[Option<T>]) -> ArrayNode {
    let (valid, nulls) = validity(values.iter().map(Option::is_some));
    let mut data = Vec::with_capacity(values.len() * std::mem::size_of::<T>());
    for value in values {
        value.unwrap_or_default().append_to(&mut data);
    }
    leaf(values.len(), nulls, vec![valid, Buffer::Bytes(data)])
}

/// A boolean array (bit-packed values).
pub fn booleans(values: &[Option<bool>]) -> ArrayNode {
    let (valid, nulls) = validity(values.iter().map(Option::is_some));
    let mut packed = vec![0u8; values.len().div_ceil(8)];
    for (index, value) in values.iter().enumerate() {
        if value.unwrap_or(false) {
            packed[index / 8] |= 1 << (index % 8);
        }
    }
    leaf(values.len(), nulls, vec![valid, Buffer::Bytes(packed)])
}

/// A list array: entry `i` holds `lengths[i]` items of `items` (in order), or is null.
pub fn list(lengths: &[Option<usize>], items: ArrayNode) -> ArrayNode {
    let (valid, nulls) = validity(lengths.iter().map(Option::is_some));
    let mut offsets = Vec::with_capacity(lengths.len() + 1);
    let mut end = 0i32;
    offsets.push(end);
    for length in lengths {
        end += i32::try_from(length.unwrap_or(0)).unwrap_or(i32::MAX);
        offsets.push(end);
    }
    ArrayNode {
        length: lengths.len(),
        null_count: nulls,
        buffers: vec![valid, Buffer::I32(offsets)],
        children: vec![items],
        dictionary: None,
    }
}

/// A struct array of `length` rows, none null.
pub fn structure(length: usize, children: Vec<ArrayNode>) -> ArrayNode {
    ArrayNode {
        length,
        null_count: 0,
        buffers: vec![Buffer::Absent],
        children,
        dictionary: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nulls_are_counted_and_offsets_run_over_the_values() {
        let array = utf8(&[Some("ab"), None, Some("c")]);
        assert_eq!((array.length, array.null_count), (3, 1));
        assert!(matches!(&array.buffers[0], Buffer::Bytes(bits) if bits == &[0b101]));
        assert!(matches!(&array.buffers[1], Buffer::I32(offsets) if offsets == &[0, 2, 2, 3]));
        let flags = booleans(&[Some(true), Some(false), Some(true)]);
        assert!(matches!(&flags.buffers[1], Buffer::Bytes(bits) if bits == &[0b101]));
        let lists = list(&[Some(2), None, Some(0)], numbers(&[Some(1i32), Some(2)]));
        assert!(matches!(&lists.buffers[1], Buffer::I32(offsets) if offsets == &[0, 2, 2, 2]));
        assert_eq!(lists.null_count, 1);
    }
}
