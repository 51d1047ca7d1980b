//! A query's progress observer: called with the summed progress each time a Progress packet
//! arrives, on the thread reading the result, inside that read.

use std::cell::Cell;
use std::fmt;
use std::sync::Arc;

use super::Progress;

#[derive(Clone)]
pub struct ProgressObserver(Arc<dyn Fn(&Progress) + Send + Sync>);

impl ProgressObserver {
    pub fn new(observe: impl Fn(&Progress) + Send + Sync + 'static) -> ProgressObserver {
        ProgressObserver(Arc::new(observe))
    }

    pub fn observe(&self, progress: &Progress) {
        /// Clears the flag however the observer returns, unwinding included, so that a panicking
        /// observer does not leave its thread refused forever.
        struct Observing;
        impl Drop for Observing {
            fn drop(&mut self) {
                OBSERVING.set(false);
            }
        }
        OBSERVING.set(true);
        let _observing = Observing;
        (self.0)(progress);
    }

    /// True on a thread while it runs an observer, inside a read of that observer's connection:
    /// a call back into the connection would wait for itself.
    pub fn is_running() -> bool {
        OBSERVING.get()
    }
}

thread_local! {
    static OBSERVING: Cell<bool> = const { Cell::new(false) };
}

impl fmt::Debug for ProgressObserver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProgressObserver")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_observer_that_panics_leaves_its_thread_free() {
        let observer = ProgressObserver::new(|_| panic!("observer failed"));
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| observer.observe(&Progress::default())));
        assert!(outcome.is_err());
        assert!(!ProgressObserver::is_running());
    }
}
