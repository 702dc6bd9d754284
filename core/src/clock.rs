//! The clock signers read, injected so tests pin it (and can put it off by minutes).

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

pub trait Clock: Send + Sync + fmt::Debug {
    /// Milliseconds since the Unix epoch.
    fn unix_millis(&self) -> u64;
}

#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn unix_millis(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0)
    }
}

/// The system clock put off by a fixed amount (a machine whose clock is wrong).
#[derive(Clone, Copy, Debug)]
pub struct OffsetClock(pub i64);

impl Clock for OffsetClock {
    fn unix_millis(&self) -> u64 {
        (SystemClock.unix_millis() as i64 + self.0).max(0) as u64
    }
}

/// A clock that stands still unless moved.
#[derive(Debug, Default)]
pub struct FixedClock(AtomicU64);

impl FixedClock {
    pub fn new(unix_millis: u64) -> Self {
        FixedClock(AtomicU64::new(unix_millis))
    }

    pub fn set(&self, unix_millis: u64) {
        self.0.store(unix_millis, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn unix_millis(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}
