//! What the fake NXCloud remembers: templates, accepted messages, every request, queued faults.

use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
pub struct FakeTemplate {
    pub id: String,
    pub name: String,
    pub language: String,
    pub category: String,
    pub components: Value,
    /// `message_send_ttl_seconds`, as created.
    pub ttl: Option<i64>,
    pub status: String,
    pub reason: String,
}

/// A message the fake accepted (and so "delivered").
#[derive(Clone, Debug, PartialEq)]
pub struct Delivered {
    pub message_id: String,
    pub cus_message_id: Option<String>,
    pub to: String,
    pub template: String,
    pub body: Value,
}

/// A request as received, whether or not it passed the checks.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    pub path: String,
    pub action: Option<String>,
    pub ts: Option<String>,
    pub sign: Option<String>,
    pub body: Vec<u8>,
    /// The NXCloud code answered (`None` when a fault cut the answer).
    pub code: Option<i64>,
}

#[derive(Debug, Default)]
pub struct State {
    pub templates: Vec<FakeTemplate>,
    pub next_id: u64,
    pub delivered: Vec<Delivered>,
    pub next_message: u64,
    pub requests: Vec<Recorded>,
    /// Every request exactly as it arrived (method, target, headers, body).
    pub raw: Vec<wabakit_core::raw::RecordedRequest>,
    pub faults: wabakit_core::fake::FaultQueue,
    pub webhook_url: Option<String>,
}

impl State {
    pub fn new_template_id(&mut self) -> String {
        self.next_id += 1;
        format!("15125{:08}", self.next_id)
    }
}
