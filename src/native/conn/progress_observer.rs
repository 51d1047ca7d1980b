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
        OBSERVING.set(true);
        (self.0)(progress);
        OBSERVING.set(false);
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
