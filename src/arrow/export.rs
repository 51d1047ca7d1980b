//! Owned schema and array trees, and their hand-over as C structs whose `release` frees them.
//!
//! What the consumer receives points into memory the tree owns: buffers (column data moved out of a
//! block, not copied, where the layouts agree), format and name strings, children. The tree lives in
//! `private_data` until the consumer calls `release`, which drops it; children and dictionaries are
//! separate C structs with releases of their own, as the specification asks (a consumer may move a
//! child out and release it later).

use std::ffi::{CString, c_void};
use std::ptr::{null, null_mut};

use super::abi::{ArrowArray, ArrowSchema};

/// A field's type, as the Arrow C data interface writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaNode {
    pub format: String,
    pub name: String,
    pub flags: i64,
    pub children: Vec<SchemaNode>,
    pub dictionary: Option<Box<SchemaNode>>,
}

impl SchemaNode {
    pub fn new(format: impl Into<String>, name: impl Into<String>) -> SchemaNode {
        SchemaNode {
            format: format.into(),
            name: name.into(),
            flags: 0,
            children: Vec::new(),
            dictionary: None,
        }
    }

    /// Hands the tree over: `out` owns it until its `release` is called.
    pub fn export(self, out: &mut ArrowSchema) {
        // Strings with a NUL inside cannot be C strings; names keep what precedes it.
        let c_string = |text: &str| {
            let end = text.find('\0').unwrap_or(text.len());
            CString::new(&text[..end]).unwrap_or_default()
        };
        let format = c_string(&self.format);
        let name = c_string(&self.name);
        let mut children: Vec<*mut ArrowSchema> = self
            .children
            .into_iter()
            .map(|child| {
                let mut exported = Box::new(ArrowSchema::empty());
                child.export(&mut exported);
                Box::into_raw(exported)
            })
            .collect();
        let dictionary = self.dictionary.map_or(null_mut(), |dictionary| {
            let mut exported = Box::new(ArrowSchema::empty());
            dictionary.export(&mut exported);
            Box::into_raw(exported)
        });
        *out = ArrowSchema {
            format: format.as_ptr(),
            name: name.as_ptr(),
            metadata: null(),
            flags: self.flags,
            n_children: children.len() as i64,
            children: if children.is_empty() {
                null_mut()
            } else {
                children.as_mut_ptr()
            },
            dictionary,
            release: Some(release_schema),
            private_data: null_mut(),
        };
        out.private_data = Box::into_raw(Box::new(SchemaPrivate {
            _format: format,
            _name: name,
            children,
        }))
        .cast();
    }
}

/// What an exported schema's pointers point into.
struct SchemaPrivate {
    _format: CString,
    _name: CString,
    children: Vec<*mut ArrowSchema>,
}

unsafe extern "C" fn release_schema(schema: *mut ArrowSchema) {
    // SAFETY: the consumer passes a schema this module exported and has not released yet; a
    // released one (release NULL) is left alone.
    unsafe {
        let Some(schema) = schema.as_mut() else { return };
        if schema.release.is_none() {
            return;
        }
        let private = Box::from_raw(schema.private_data.cast::<SchemaPrivate>());
        for child in private.children {
            release_boxed_schema(child);
        }
        release_boxed_schema(schema.dictionary);
        schema.release = None;
    }
}

/// Releases a child the parent allocated (unless the consumer released it already) and frees it.
///
/// # Safety
/// `schema` is null or came from `Box::into_raw` in [`SchemaNode::export`].
unsafe fn release_boxed_schema(schema: *mut ArrowSchema) {
    if schema.is_null() {
        return;
    }
    // SAFETY: as promised by the caller.
    unsafe {
        if let Some(release) = (*schema).release {
            release(schema);
        }
        drop(Box::from_raw(schema));
    }
}

/// One buffer of an array: owned bytes of whatever element type, or absent.
#[derive(Debug)]
pub enum Buffer {
    Absent,
    Bytes(Vec<u8>),
    I32(Vec<i32>),
    I64(Vec<i64>),
}

impl Buffer {
    fn pointer(&self) -> *const c_void {
        match self {
            Buffer::Absent => null(),
            Buffer::Bytes(bytes) => bytes.as_ptr().cast(),
            Buffer::I32(values) => values.as_ptr().cast(),
            Buffer::I64(values) => values.as_ptr().cast(),
        }
    }
}

/// An array's data: its buffers in the order its format asks for, its children and dictionary.
#[derive(Debug)]
pub struct ArrayNode {
    pub length: usize,
    pub null_count: usize,
    pub buffers: Vec<Buffer>,
    pub children: Vec<ArrayNode>,
    pub dictionary: Option<Box<ArrayNode>>,
}

impl ArrayNode {
    /// Hands the tree over: `out` owns it until its `release` is called.
    pub fn export(self, out: &mut ArrowArray) {
        let mut pointers: Vec<*const c_void> = self.buffers.iter().map(Buffer::pointer).collect();
        let mut children: Vec<*mut ArrowArray> = self
            .children
            .into_iter()
            .map(|child| {
                let mut exported = Box::new(ArrowArray::empty());
                child.export(&mut exported);
                Box::into_raw(exported)
            })
            .collect();
        let dictionary = self.dictionary.map_or(null_mut(), |dictionary| {
            let mut exported = Box::new(ArrowArray::empty());
            dictionary.export(&mut exported);
            Box::into_raw(exported)
        });
        *out = ArrowArray {
            length: self.length as i64,
            null_count: self.null_count as i64,
            offset: 0,
            n_buffers: pointers.len() as i64,
            n_children: children.len() as i64,
            buffers: if pointers.is_empty() {
                null_mut()
            } else {
                pointers.as_mut_ptr()
            },
            children: if children.is_empty() {
                null_mut()
            } else {
                children.as_mut_ptr()
            },
            dictionary,
            release: Some(release_array),
            private_data: null_mut(),
        };
        out.private_data = Box::into_raw(Box::new(ArrayPrivate {
            _buffers: self.buffers,
            _pointers: pointers,
            children,
        }))
        .cast();
    }
}

/// What an exported array's pointers point into. Moving the vectors here does not move their heap
/// memory, so the pointers taken before stay valid.
struct ArrayPrivate {
    _buffers: Vec<Buffer>,
    _pointers: Vec<*const c_void>,
    children: Vec<*mut ArrowArray>,
}

unsafe extern "C" fn release_array(array: *mut ArrowArray) {
    // SAFETY: the consumer passes an array this module exported and has not released yet; a
    // released one (release NULL) is left alone.
    unsafe {
        let Some(array) = array.as_mut() else { return };
        if array.release.is_none() {
            return;
        }
        let private = Box::from_raw(array.private_data.cast::<ArrayPrivate>());
        for child in private.children {
            release_boxed_array(child);
        }
        release_boxed_array(array.dictionary);
        array.release = None;
    }
}

/// # Safety
/// `array` is null or came from `Box::into_raw` in [`ArrayNode::export`].
unsafe fn release_boxed_array(array: *mut ArrowArray) {
    if array.is_null() {
        return;
    }
    // SAFETY: as promised by the caller.
    unsafe {
        if let Some(release) = (*array).release {
            release(array);
        }
        drop(Box::from_raw(array));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exported_trees_point_at_their_data_and_release_once() {
        let mut schema = SchemaNode::new("+s", "");
        schema.children.push(SchemaNode::new("l", "id\0ignored"));
        let mut exported = ArrowSchema::empty();
        schema.export(&mut exported);
        unsafe {
            let child = &**exported.children;
            assert_eq!(std::ffi::CStr::from_ptr(child.format).to_str(), Ok("l"));
            assert_eq!(std::ffi::CStr::from_ptr(child.name).to_str(), Ok("id"));
            let release = exported.release.unwrap();
            release(&mut exported);
            assert!(exported.release.is_none());
            release(&mut exported);
        }

        let values: Vec<u8> = 7i64.to_le_bytes().to_vec();
        let address = values.as_ptr();
        let array = ArrayNode {
            length: 1,
            null_count: 0,
            buffers: vec![Buffer::Absent, Buffer::Bytes(values)],
            children: Vec::new(),
            dictionary: None,
        };
        let mut exported = ArrowArray::empty();
        array.export(&mut exported);
        unsafe {
            assert_eq!(*exported.buffers.add(1), address.cast());
            assert!((*exported.buffers).is_null());
            exported.release.unwrap()(&mut exported);
            assert!(exported.release.is_none());
        }
    }
}
