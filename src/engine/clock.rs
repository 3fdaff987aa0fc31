//! The engine's clock: real time, or an instant a test fixes so that flows' schedule
//! branches and idle limits can be tried without sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct Clock(Arc<AtomicI64>);

impl Clock {
    /// Unix milliseconds: the fixed instant if one is set, otherwise now.
    pub fn now(&self) -> i64 {
        match self.0.load(Ordering::Relaxed) {
            0 => crate::db::now_ms(),
            fixed => fixed,
        }
    }

    /// Fixes the clock at `at`; `None` goes back to real time.
    pub fn set(&self, at: Option<i64>) {
        self.0.store(at.unwrap_or(0), Ordering::Relaxed);
    }
}
