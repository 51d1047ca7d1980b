//! Faulting in a buffer's fresh pages with one system call instead of one fault per page.
//!
//! Column buffers of a streamed result are often handed on (to Arrow) rather than reused, so each
//! block lands on fresh memory. On the virtual machines we measured, a first touch costs a few
//! microseconds a page; `MADV_POPULATE_WRITE` over 390 MB took about 30% less time than touching
//! the same pages one by one.

/// Room smaller than this is left to ordinary faults: the system call would cost more than it saves.
const MIN_BYTES: usize = 256 * 1024;

/// Makes the pages under `items`' spare capacity resident and writable, without changing any byte.
/// Failures (an older kernel, another OS) are ignored: the pages then fault in as they are written.
pub fn spare_capacity<T>(items: &mut Vec<T>) {
    #[cfg(target_os = "linux")]
    {
        let spare = items.spare_capacity_mut();
        let bytes = size_of_val(spare);
        if bytes < MIN_BYTES {
            return;
        }
        // SAFETY: sysconf only reads a constant of the process.
        let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(0);
        if page == 0 {
            return;
        }
        let start = spare.as_mut_ptr() as usize;
        let first = start.next_multiple_of(page);
        let end = (start + bytes) / page * page;
        if end > first {
            // SAFETY: [first, end) lies inside the allocation `items` owns and borrows mutably here,
            // and MADV_POPULATE_WRITE makes pages resident without changing their contents.
            unsafe { libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_POPULATE_WRITE) };
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = items;
}
