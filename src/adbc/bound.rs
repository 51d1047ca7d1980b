//! Data bound to a statement (AdbcStatementBind, AdbcStatementBindStream), owned by the statement
//! until it runs: the caller's structs are moved in, their `release` left NULL on the caller's side.
//! A bound batch is read as a stream of that one batch.

use std::ffi::{CStr, c_char, c_int};
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::error::Failure;
use crate::arrow::abi::{ArrowArray, ArrowArrayStream, ArrowSchema};

const EINVAL: c_int = 22;

pub enum Bound {
    Stream(ArrowArrayStream),
    Batch { schema: ArrowSchema, array: ArrowArray },
}

impl Bound {
    /// Takes over a stream.
    pub fn stream(stream: &mut ArrowArrayStream) -> Result<Bound, Failure> {
        if stream.release.is_none() {
            return Err(Failure::invalid_argument("the bound stream is released"));
        }
        Ok(Bound::Stream(std::mem::replace(stream, ArrowArrayStream::empty())))
    }

    /// Takes over a batch and its schema.
    pub fn batch(schema: &mut ArrowSchema, array: &mut ArrowArray) -> Result<Bound, Failure> {
        if schema.release.is_none() || array.release.is_none() {
            return Err(Failure::invalid_argument("the bound batch or its schema is released"));
        }
        Ok(Bound::Batch {
            schema: std::mem::replace(schema, ArrowSchema::empty()),
            array: std::mem::replace(array, ArrowArray::empty()),
        })
    }

    /// Calls `read` with the data's schema (asked of the stream, and released after).
    pub fn with_schema<R>(&mut self, read: impl FnOnce(&ArrowSchema) -> Result<R, Failure>) -> Result<R, Failure> {
        match self {
            Bound::Batch { schema, .. } => read(schema),
            Bound::Stream(stream) => {
                let get_schema = stream
                    .get_schema
                    .ok_or_else(|| Failure::invalid_argument("the bound stream has no get_schema"))?;
                let mut schema = ArrowSchema::empty();
                // SAFETY: a live stream the caller handed over.
                if unsafe { get_schema(stream, &mut schema) } != 0 || schema.release.is_none() {
                    return Err(Failure::invalid_argument("the bound stream's get_schema failed"));
                }
                let outcome = read(&schema);
                if let Some(release) = schema.release {
                    // SAFETY: the schema the producer just handed over, released once.
                    unsafe { release(&mut schema) };
                }
                outcome
            }
        }
    }

    /// The data as a stream, for [`crate::arrow::import::read_batches`].
    pub fn into_stream(mut self) -> ArrowArrayStream {
        match &mut self {
            Bound::Stream(stream) => std::mem::replace(stream, ArrowArrayStream::empty()),
            Bound::Batch { schema, array } => {
                let private = Box::new(OneBatch {
                    schema: std::mem::replace(schema, ArrowSchema::empty()),
                    array: std::mem::replace(array, ArrowArray::empty()),
                });
                ArrowArrayStream {
                    get_schema: Some(one_batch_schema),
                    get_next: Some(one_batch_next),
                    get_last_error: Some(one_batch_error),
                    release: Some(one_batch_release),
                    private_data: Box::into_raw(private).cast(),
                }
            }
        }
    }
}

impl Drop for Bound {
    fn drop(&mut self) {
        // SAFETY: structs the caller handed over, released once (a moved-out one reads as released).
        unsafe {
            match self {
                Bound::Stream(stream) => {
                    if let Some(release) = stream.release {
                        release(stream);
                    }
                }
                Bound::Batch { schema, array } => {
                    if let Some(release) = array.release {
                        release(array);
                    }
                    if let Some(release) = schema.release {
                        release(schema);
                    }
                }
            }
        }
    }
}

/// A bound batch read as a stream: the schema and the batch are each handed over once.
struct OneBatch {
    schema: ArrowSchema,
    array: ArrowArray,
}

/// # Safety
/// `stream` is null or made by [`Bound::into_stream`].
unsafe fn one_batch<'a>(stream: *mut ArrowArrayStream) -> Option<&'a mut OneBatch> {
    // SAFETY: as promised by the caller; a released stream has a null release.
    unsafe {
        let stream = stream.as_mut()?;
        stream.release?;
        stream.private_data.cast::<OneBatch>().as_mut()
    }
}

unsafe extern "C" fn one_batch_schema(stream: *mut ArrowArrayStream, out: *mut ArrowSchema) -> c_int {
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: our stream and a writable schema.
        let (Some(private), Some(out)) = (unsafe { one_batch(stream) }, unsafe { out.as_mut() }) else {
            return EINVAL;
        };
        if private.schema.release.is_none() {
            return EINVAL;
        }
        *out = std::mem::replace(&mut private.schema, ArrowSchema::empty());
        0
    }))
    .unwrap_or(EINVAL)
}

unsafe extern "C" fn one_batch_next(stream: *mut ArrowArrayStream, out: *mut ArrowArray) -> c_int {
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: our stream and a writable array.
        let (Some(private), Some(out)) = (unsafe { one_batch(stream) }, unsafe { out.as_mut() }) else {
            return EINVAL;
        };
        // After the batch, a released array: the end of the stream.
        *out = std::mem::replace(&mut private.array, ArrowArray::empty());
        0
    }))
    .unwrap_or(EINVAL)
}

unsafe extern "C" fn one_batch_error(_stream: *mut ArrowArrayStream) -> *const c_char {
    const MESSAGE: &CStr = c"a bound batch is read once";
    MESSAGE.as_ptr()
}

unsafe extern "C" fn one_batch_release(stream: *mut ArrowArrayStream) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: our stream; a released one has a null release.
        unsafe {
            let Some(stream) = stream.as_mut() else { return };
            if stream.release.is_none() {
                return;
            }
            let private = Box::from_raw(stream.private_data.cast::<OneBatch>());
            drop(Bound::Batch {
                schema: private.schema,
                array: private.array,
            });
            stream.release = None;
            stream.private_data = std::ptr::null_mut();
        }
    }));
}
