//! Dropping duplicate events: receipts arrive at least once (NXCloud retries webhooks, Alibaba
//! documents duplicates), so a receiver keeps the keys it has seen, up to a bound.

use std::collections::{HashSet, VecDeque};

use crate::event::Event;

/// Remembers the last `capacity` event keys; memory stays bounded however long it runs.
#[derive(Debug)]
pub struct Dedupe {
    seen: HashSet<String>,
    order: VecDeque<String>,
    capacity: usize,
}

impl Dedupe {
    /// Remember the keys of the last `capacity` events.
    pub fn new(capacity: usize) -> Self {
        Dedupe {
            seen: HashSet::with_capacity(capacity.min(1 << 16)),
            order: VecDeque::with_capacity(capacity.min(1 << 16)),
            capacity: capacity.max(1),
        }
    }

    /// True the first time an event is seen (by its [`Event::dedupe_key`]), false for a repeat.
    pub fn first_time(&mut self, e: &Event) -> bool {
        let key = e.dedupe_key();
        if self.seen.contains(&key) {
            return false;
        }
        if self.order.len() == self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.seen.remove(&old);
            }
        }
        self.seen.insert(key.clone());
        self.order.push_back(key);
        true
    }

    /// The events of `batch` not seen before, in order.
    pub fn filter(&mut self, batch: Vec<Event>) -> Vec<Event> {
        batch.into_iter().filter(|e| self.first_time(e)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{EventBody, MessageStatus};

    fn status(id: &str, s: MessageStatus) -> Event {
        Event {
            provider: "acme".into(),
            body: EventBody::MessageStatus {
                message_id: id.into(),
                client_ref: None,
                status: s,
                recipient: None,
                at: None,
                errors: vec![],
            },
            raw: serde_json::Value::Null,
        }
    }

    #[test]
    fn keyed_on_message_and_status_and_bounded() {
        let mut d = Dedupe::new(2);
        assert!(d.first_time(&status("m1", MessageStatus::Sent)));
        assert!(!d.first_time(&status("m1", MessageStatus::Sent)));
        assert!(d.first_time(&status("m1", MessageStatus::Delivered)));
        // Capacity 2: the oldest key ("m1 sent") is forgotten.
        assert!(d.first_time(&status("m2", MessageStatus::Sent)));
        assert!(d.first_time(&status("m1", MessageStatus::Sent)));
        assert_eq!(d.seen.len(), 2);
    }
}
