//! The clock signers read, injected so tests pin it (and can put it off by minutes).

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

/// The clock a provider signs with: the system's, or one a test pins or puts off.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Milliseconds since the Unix epoch.
    fn unix_millis(&self) -> u64;
}

/// The system clock.
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
    /// A clock at `unix_millis`.
    pub fn new(unix_millis: u64) -> Self {
        FixedClock(AtomicU64::new(unix_millis))
    }

    /// Move the clock to `unix_millis`.
    pub fn set(&self, unix_millis: u64) {
        self.0.store(unix_millis, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn unix_millis(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// Where single-use nonces come from, injected like the clock so that a test can pin them
/// (a signed request is then reproducible byte for byte).
pub trait Nonces: Send + Sync + fmt::Debug {
    /// A nonce never handed out before by this source.
    fn next(&self) -> String;
}

/// Nonces unique per process and across processes: 8 random bytes drawn once per process, then
/// a counter, in hex (32 digits). A nonce only has to be unique per credential within the
/// vendor's window (cams: 15 minutes): the random prefix keeps processes apart, the counter
/// keeps every attempt apart, and no attempt pays a system call for randomness.
#[derive(Clone, Copy, Debug, Default)]
pub struct RandomNonces;

impl Nonces for RandomNonces {
    fn next(&self) -> String {
        static PREFIX: OnceLock<u64> = OnceLock::new();
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let prefix = *PREFIX.get_or_init(|| {
            let mut b = [0u8; 8];
            if getrandom::fill(&mut b).is_err() {
                // No OS randomness: the clock still differs between processes.
                let t = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(0);
                b = (t ^ u64::from(std::process::id()).rotate_left(32)).to_le_bytes();
            }
            u64::from_le_bytes(b)
        });
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&prefix.to_be_bytes());
        b[8..].copy_from_slice(&n.to_be_bytes());
        hex::encode(b)
    }
}

/// A pinned nonce (tests: the nonce a render is pinned to). The first nonce after [`set`] is
/// the one set; any later one (the second request of an operation that makes two, a retry) is
/// it with a counter appended (`…-2`, `…-3`), so that none is ever handed out twice.
///
/// [`set`]: FixedNonce::set
#[derive(Debug, Default)]
pub struct FixedNonce(Mutex<(String, u64)>);

impl FixedNonce {
    /// A source whose first nonce is `nonce`.
    pub fn new(nonce: impl Into<String>) -> Self {
        FixedNonce(Mutex::new((nonce.into(), 0)))
    }

    /// Pin the next nonce to `nonce`.
    pub fn set(&self, nonce: impl Into<String>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = (nonce.into(), 0);
    }
}

impl Nonces for FixedNonce {
    fn next(&self) -> String {
        let mut g = self.0.lock().unwrap_or_else(|e| e.into_inner());
        g.1 += 1;
        if g.1 == 1 {
            g.0.clone()
        } else {
            format!("{}-{}", g.0, g.1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_nonces_are_32_hex_digits_and_never_repeat() {
        let a: Vec<String> = (0..1000).map(|_| RandomNonces.next()).collect();
        assert!(a
            .iter()
            .all(|n| n.len() == 32 && n.bytes().all(|b| b.is_ascii_hexdigit())));
        let distinct: std::collections::HashSet<&String> = a.iter().collect();
        assert_eq!(distinct.len(), a.len());
        // One process prefix, then the counter.
        assert_eq!(a[0][..16], a[999][..16]);
    }

    #[test]
    fn a_fixed_nonce_is_the_one_set_first_then_never_repeats() {
        let n = FixedNonce::new("abc");
        assert_eq!([n.next(), n.next(), n.next()], ["abc", "abc-2", "abc-3"]);
        n.set("def");
        assert_eq!([n.next(), n.next()], ["def", "def-2"]);
    }
}
