//! The addresses of boxed objects handed across the C boundary and not freed yet: how a pointer
//! handed back is known to be ours and alive before it is dereferenced, so that a freed, foreign
//! or made-up pointer is an error rather than a crash.

use std::collections::HashSet;

use once_cell::sync::Lazy;
use parking_lot::Mutex;

pub struct LiveSet(Lazy<Mutex<HashSet<usize>>>);

impl LiveSet {
    pub const fn new() -> LiveSet {
        LiveSet(Lazy::new(Mutex::default))
    }

    /// Boxes `object` and registers its address.
    pub fn register<T>(&self, object: T) -> *mut T {
        let pointer = Box::into_raw(Box::new(object));
        self.0.lock().insert(pointer as usize);
        pointer
    }

    /// Whether `pointer` came from [`LiveSet::register`] and has not been freed.
    pub fn contains<T>(&self, pointer: *const T) -> bool {
        self.0.lock().contains(&(pointer as usize))
    }

    /// Unregisters and frees a live object; returns false (and does nothing) for any other pointer.
    ///
    /// # Safety
    /// `pointer`, when registered here, was registered as a box of `T`.
    pub unsafe fn free<T>(&self, pointer: *mut T) -> bool {
        let registered = self.0.lock().remove(&(pointer as usize));
        if registered {
            // SAFETY: it came from `register` as a box of T (as promised) and is unregistered now.
            drop(unsafe { Box::from_raw(pointer) });
        }
        registered
    }
}

impl Default for LiveSet {
    fn default() -> LiveSet {
        LiveSet::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_registered_live_objects_are_known_and_freed() {
        let set = LiveSet::new();
        let object = set.register(7u64);
        let mut other = 7u64;
        assert!(set.contains(object) && !set.contains(&raw const other));
        // SAFETY: both pointers are registered boxes of u64 or not registered at all.
        unsafe {
            assert!(!set.free(&raw mut other));
            assert!(set.free(object));
            assert!(!set.free(object));
        }
        assert!(!set.contains(object));
    }
}
