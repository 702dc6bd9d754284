//! The pair rate limit (spec §6.2): one business number may send one user about one message
//! per six seconds; beyond that Meta answers 131056 for that user only. After such an answer,
//! sends to that recipient wait out the window, each on its own task, and sends to everyone
//! else go on at the number's throughput.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Recipients told 131056, and until when they wait.
#[derive(Debug, Default)]
pub struct PairGate {
    until: Mutex<HashMap<String, Instant>>,
}

impl PairGate {
    /// Wait until `recipient` may be sent to again (at once for anyone not held).
    pub async fn wait(&self, recipient: &str) {
        let until = {
            let mut m = self.until.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            // Windows that are over are forgotten, so the map holds only recipients waiting.
            m.retain(|_, t| *t > now);
            m.get(recipient).copied()
        };
        if let Some(t) = until {
            tokio::time::sleep_until(t).await;
        }
    }

    /// Hold `recipient` for `window` from now (Meta answered 131056 for it).
    pub fn hold(&self, recipient: &str, window: Duration) {
        let t = Instant::now() + window;
        let mut m = self.until.lock().unwrap_or_else(|e| e.into_inner());
        let e = m.entry(recipient.to_owned()).or_insert(t);
        *e = (*e).max(t);
    }

    /// Whether `recipient` is held now.
    pub fn is_held(&self, recipient: &str) -> bool {
        let m = self.until.lock().unwrap_or_else(|e| e.into_inner());
        m.get(recipient).is_some_and(|t| *t > Instant::now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_held_recipient_waits_the_window_and_no_one_else_waits() {
        let g = PairGate::default();
        g.hold("8613600009759", Duration::from_secs(6));
        let start = Instant::now();
        g.wait("8613600000001").await;
        assert_eq!(start.elapsed(), Duration::ZERO);
        assert!(g.is_held("8613600009759"));
        g.wait("8613600009759").await;
        assert_eq!(start.elapsed(), Duration::from_secs(6));
        assert!(!g.is_held("8613600009759"));
        // Over: the next send goes at once.
        let again = Instant::now();
        g.wait("8613600009759").await;
        assert_eq!(again.elapsed(), Duration::ZERO);
    }
}
