//! What the fake NXCloud remembers: templates, accepted messages, every request, queued faults.

use serde_json::Value;

/// A template the fake keeps.
#[derive(Clone, Debug, PartialEq)]
pub struct FakeTemplate {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its language.
    pub language: String,
    /// Its category.
    pub category: String,
    /// Its components, as sent.
    pub components: Value,
    /// `message_send_ttl_seconds`, as created.
    pub ttl: Option<i64>,
    /// `PENDING`, `APPROVED` or `REJECTED`.
    pub status: String,
    /// A rejection's reason.
    pub reason: String,
}

/// A message the fake accepted (and so "delivered").
#[derive(Clone, Debug, PartialEq)]
pub struct Delivered {
    /// The id the send answered.
    pub message_id: String,
    /// The caller's id, as sent.
    pub cus_message_id: Option<String>,
    /// The recipient.
    pub to: String,
    /// The template's name.
    pub template: String,
    /// The send's body.
    pub body: Value,
}

/// A request as received, whether or not it passed the checks.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    /// The request's path.
    pub path: String,
    /// Its `action` header.
    pub action: Option<String>,
    /// Its `ts` header.
    pub ts: Option<String>,
    /// Its `sign` header.
    pub sign: Option<String>,
    /// Its body.
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
