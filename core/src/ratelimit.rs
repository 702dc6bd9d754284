//! A token bucket per operation: at most `qps` requests a second, bursts up to one second's
//! worth. Callers reserve a token and, when the bucket is empty, wait their turn in order.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

#[derive(Debug)]
struct Bucket {
    rate: f64,
    capacity: f64,
    tokens: f64,
    last: Instant,
}

/// Requests-per-second limits by operation name, each a token bucket.
#[derive(Debug, Default)]
pub struct RateLimiter {
    limits: HashMap<String, u32>,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    /// Limits in requests per second, by operation name.
    pub fn new(limits: impl IntoIterator<Item = (String, u32)>) -> Self {
        RateLimiter {
            limits: limits.into_iter().filter(|(_, q)| *q > 0).collect(),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// The limit of `op`, if it has one.
    pub fn limit(&self, op: &str) -> Option<u32> {
        self.limits.get(op).copied()
    }

    /// Wait until `op` may make one more request (at once when it has no limit).
    pub async fn acquire(&self, op: &str) {
        let Some(qps) = self.limit(op) else { return };
        let wait = {
            let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let b = buckets.entry(op.to_owned()).or_insert_with(|| Bucket {
                rate: f64::from(qps),
                capacity: f64::from(qps),
                tokens: f64::from(qps),
                last: now,
            });
            b.tokens =
                (b.tokens + now.duration_since(b.last).as_secs_f64() * b.rate).min(b.capacity);
            b.last = now;
            // Reserve now; a negative balance is the queue of callers already waiting.
            b.tokens -= 1.0;
            if b.tokens >= 0.0 {
                Duration::ZERO
            } else {
                Duration::from_secs_f64(-b.tokens / b.rate)
            }
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn holds_the_rate_after_a_one_second_burst() {
        let l = RateLimiter::new([("Send".to_owned(), 10)]);
        let start = Instant::now();
        for _ in 0..10 {
            l.acquire("Send").await;
        }
        assert!(
            start.elapsed() < Duration::from_millis(1),
            "the first second's worth goes at once"
        );
        for _ in 0..20 {
            l.acquire("Send").await;
        }
        let e = start.elapsed();
        assert!(
            e >= Duration::from_millis(1990) && e <= Duration::from_millis(2010),
            "{e:?}"
        );
        // Another operation has its own bucket; an unlimited one never waits.
        let t = Instant::now();
        l.acquire("Other").await;
        assert!(t.elapsed().is_zero());
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_share_the_rate() {
        let l = std::sync::Arc::new(RateLimiter::new([("Get".to_owned(), 5)]));
        let start = Instant::now();
        let tasks: Vec<_> = (0..15)
            .map(|_| {
                let l = l.clone();
                tokio::spawn(async move { l.acquire("Get").await })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        let e = start.elapsed();
        assert!(
            e >= Duration::from_millis(1990) && e <= Duration::from_millis(2010),
            "{e:?}"
        );
    }
}
