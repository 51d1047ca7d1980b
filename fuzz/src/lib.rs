//! What the fuzz targets share: an allocator that fails the run on any single allocation much
//! larger than the input, which is how a target checks that lengths read from the input cannot make
//! the driver allocate far ahead of the bytes that back them.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// What any input may allocate at once: room reserved ahead of the bytes (512 KiB for columns) and
/// buffers of fixed size.
pub const FIXED_ALLOWANCE: usize = 1 << 20;
/// Per input byte: LZ4 expands at most 255 to 1, and a growing buffer may double once more.
pub const ALLOWANCE_PER_INPUT_BYTE: usize = 2 * 256;

static LIMIT: AtomicUsize = AtomicUsize::new(usize::MAX);

/// The system allocator, with a ceiling on single allocations while [`bounded`] runs.
pub struct BoundedAllocator;

impl BoundedAllocator {
    fn check(size: usize) {
        let limit = LIMIT.load(Ordering::Relaxed);
        if size > limit {
            // Lift the ceiling first: printing may allocate.
            LIMIT.store(usize::MAX, Ordering::Relaxed);
            eprintln!("a single allocation of {size} bytes exceeds the bound of {limit} bytes for this input");
            std::process::abort();
        }
    }
}

unsafe impl GlobalAlloc for BoundedAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Self::check(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        Self::check(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        Self::check(new_size);
        unsafe { System.realloc(pointer, layout, new_size) }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) }
    }
}

/// Runs `work` on an input of `input_len` bytes with single allocations capped in proportion to it.
pub fn bounded<T>(input_len: usize, work: impl FnOnce() -> T) -> T {
    let limit = FIXED_ALLOWANCE.saturating_add(input_len.saturating_mul(ALLOWANCE_PER_INPUT_BYTE));
    LIMIT.store(limit, Ordering::Relaxed);
    let result = work();
    LIMIT.store(usize::MAX, Ordering::Relaxed);
    result
}

/// Declares [`BoundedAllocator`] as the target's global allocator.
#[macro_export]
macro_rules! use_bounded_allocator {
    () => {
        #[global_allocator]
        static ALLOCATOR: $crate::BoundedAllocator = $crate::BoundedAllocator;
    };
}
