//! A query's progress observer: called with the summed progress each time a Progress packet
//! arrives, on the thread reading the result, inside that read.

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
        (self.0)(progress);
    }
}

impl fmt::Debug for ProgressObserver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProgressObserver")
    }
}
