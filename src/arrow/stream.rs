//! A result handed over as an `ArrowArrayStream`: one struct array per block the server sends.
//!
//! The stream owns its [`BlockSource`] until the consumer releases it. Each block is read into a
//! fresh [`Block`] whose column data is then moved into the array, so the consumer holds at most
//! the blocks it has not released, and fixed-width columns are never copied.

use std::any::Any;
use std::ffi::{CString, c_char, c_int};
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::abi::{ArrowArray, ArrowArrayStream, ArrowSchema};
use super::mapping::{StringsAs, block_array, block_schema};
use crate::live_set::LiveSet;
use crate::native::{Block, Error, ProgressObserver, Result};

/// errno values the stream interface returns.
const EINVAL: c_int = 22;
const EIO: c_int = 5;

/// Where a stream's blocks come from.
pub trait BlockSource: Send {
    /// The result's columns (no rows).
    fn header(&self) -> &Block;
    /// Reads the next block with rows into `block`; `false` at the end of the result.
    fn next_block(&mut self, block: &mut Block) -> Result<bool>;
}

struct StreamPrivate {
    source: Box<dyn BlockSource>,
    strings: StringsAs,
    /// Set by the first failure, with its message; every later `get_next` repeats it.
    error: Option<(Error, CString)>,
    /// What the API that exported the stream made of its failure, kept as long as the stream.
    failure_annex: Option<Box<dyn Any>>,
}

/// The private data of every stream [`export_stream`] made and no one has released yet: how a
/// stream handed back to us is told from another library's (function addresses cannot tell).
static LIVE_STREAMS: LiveSet = LiveSet::new();

/// The failure of a stream [`export_stream`] made, and a slot that lives as long as the stream for
/// what the caller derives from it (ADBC hands out an error that the stream must own); `None` for a
/// stream made elsewhere, a released one, or one that has not failed.
///
/// # Safety
/// `stream` is null or points to a readable `ArrowArrayStream`.
pub unsafe fn stream_failure<'a>(stream: *mut ArrowArrayStream) -> Option<(&'a Error, &'a mut Option<Box<dyn Any>>)> {
    // SAFETY: as promised by the caller.
    let private_data = unsafe { stream.as_ref() }?.private_data;
    if !LIVE_STREAMS.contains(private_data.cast::<StreamPrivate>()) {
        return None;
    }
    // SAFETY: a live stream of ours (checked above).
    let private = unsafe { private(stream) }?;
    let (error, _) = private.error.as_ref()?;
    Some((error, &mut private.failure_annex))
}

/// Hands `source` over as a stream in `out`, which owns it until its `release` is called.
pub fn export_stream(source: Box<dyn BlockSource>, strings: StringsAs, out: &mut ArrowArrayStream) {
    let private_data = LIVE_STREAMS.register(StreamPrivate {
        source,
        strings,
        error: None,
        failure_annex: None,
    });
    *out = ArrowArrayStream {
        get_schema: Some(get_schema),
        get_next: Some(get_next),
        get_last_error: Some(get_last_error),
        release: Some(release),
        private_data: private_data.cast(),
    };
}

/// The stream's state, unless the stream is null or released.
///
/// # Safety
/// `stream` is null or a stream exported by [`export_stream`].
unsafe fn private<'a>(stream: *mut ArrowArrayStream) -> Option<&'a mut StreamPrivate> {
    // SAFETY: as promised by the caller; a released stream has a null release.
    unsafe {
        let stream = stream.as_mut()?;
        stream.release?;
        stream.private_data.cast::<StreamPrivate>().as_mut()
    }
}

unsafe extern "C" fn get_schema(stream: *mut ArrowArrayStream, out: *mut ArrowSchema) -> c_int {
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the consumer passes our stream and a writable schema.
        let (Some(private), Some(out)) = (unsafe { private(stream) }, unsafe { out.as_mut() }) else {
            return EINVAL;
        };
        block_schema(private.source.header(), private.strings).export(out);
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
        if private.error.is_some() {
            return EIO;
        }
        // From inside a progress callback the read would wait for itself.
        if ProgressObserver::is_running() {
            return EINVAL;
        }
        let mut block = Block::default();
        let outcome = private
            .source
            .next_block(&mut block)
            .and_then(|more| more.then(|| block_array(&mut block)).transpose());
        match outcome {
            Ok(Some(array)) => {
                array.export(out);
                0
            }
            Ok(None) => {
                // The end of the stream: a released array.
                *out = ArrowArray::empty();
                0
            }
            Err(error) => {
                let message = CString::new(error.to_string().replace('\0', " ")).unwrap_or_default();
                private.error = Some((error, message));
                EIO
            }
        }
    }))
    .unwrap_or(EIO)
}

unsafe extern "C" fn get_last_error(stream: *mut ArrowArrayStream) -> *const c_char {
    // SAFETY: the consumer passes our stream.
    match unsafe { private(stream) } {
        Some(StreamPrivate {
            error: Some((_, message)),
            ..
        }) => message.as_ptr(),
        _ => std::ptr::null(),
    }
}

unsafe extern "C" fn release(stream: *mut ArrowArrayStream) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the consumer passes our stream, released at most once (a second call sees a null
        // release and does nothing).
        unsafe {
            let Some(stream) = stream.as_mut() else { return };
            // From inside a progress callback, ending the result would wait for the read: ignored.
            if stream.release.is_none() || ProgressObserver::is_running() {
                return;
            }
            LIVE_STREAMS.free(stream.private_data.cast::<StreamPrivate>());
            stream.release = None;
            stream.private_data = std::ptr::null_mut();
        }
    }));
}
