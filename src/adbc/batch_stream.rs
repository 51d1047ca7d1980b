//! A stream of one batch built in memory (a metadata result), as an `ArrowArrayStream`.

use std::ffi::{c_char, c_int};
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::arrow::abi::{ArrowArray, ArrowArrayStream, ArrowSchema};
use crate::arrow::export::{ArrayNode, SchemaNode};

const EINVAL: c_int = 22;
const EIO: c_int = 5;

struct Private {
    schema: SchemaNode,
    /// Handed over by the first `get_next`; the stream ends after it.
    batch: Option<ArrayNode>,
}

/// Hands `batch` of `schema` (a struct) over as a stream in `out`, which owns it until released.
pub fn export_batch(schema: SchemaNode, batch: ArrayNode, out: &mut ArrowArrayStream) {
    let private = Box::new(Private {
        schema,
        batch: Some(batch),
    });
    *out = ArrowArrayStream {
        get_schema: Some(get_schema),
        get_next: Some(get_next),
        get_last_error: Some(get_last_error),
        release: Some(release),
        private_data: Box::into_raw(private).cast(),
    };
}

/// # Safety
/// `stream` is null or a stream exported by [`export_batch`].
unsafe fn private<'a>(stream: *mut ArrowArrayStream) -> Option<&'a mut Private> {
    // SAFETY: as promised by the caller; a released stream has a null release.
    unsafe {
        let stream = stream.as_mut()?;
        stream.release?;
        stream.private_data.cast::<Private>().as_mut()
    }
}

unsafe extern "C" fn get_schema(stream: *mut ArrowArrayStream, out: *mut ArrowSchema) -> c_int {
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the consumer passes our stream and a writable schema.
        let (Some(private), Some(out)) = (unsafe { private(stream) }, unsafe { out.as_mut() }) else {
            return EINVAL;
        };
        private.schema.clone().export(out);
        0
    }))
    .unwrap_or(EIO)
}

unsafe extern "C" fn get_next(stream: *mut ArrowArrayStream, out: *mut ArrowArray) -> c_int {
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the consumer passes our stream and a writable array.
        let (Some(private), Some(out)) = (unsafe { private(stream) }, unsafe { out.as_mut() }) else {
            return EINVAL;
        };
        match private.batch.take() {
            Some(batch) => batch.export(out),
            None => *out = ArrowArray::empty(),
        }
        0
    }))
    .unwrap_or(EIO)
}

unsafe extern "C" fn get_last_error(_stream: *mut ArrowArrayStream) -> *const c_char {
    std::ptr::null()
}

unsafe extern "C" fn release(stream: *mut ArrowArrayStream) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the consumer passes our stream; a released one has a null release.
        unsafe {
            let Some(stream) = stream.as_mut() else { return };
            if stream.release.is_none() {
                return;
            }
            drop(Box::from_raw(stream.private_data.cast::<Private>()));
            stream.release = None;
            stream.private_data = std::ptr::null_mut();
        }
    }));
}
