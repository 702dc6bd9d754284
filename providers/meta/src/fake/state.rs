//! What the fake Graph API remembers: templates, accepted messages, upload sessions, every
//! request, queued faults, and when each recipient was last sent to (the pair rate limit).

use std::collections::{HashMap, VecDeque};
use std::time::Instant;

use serde_json::Value;

/// A template the fake keeps.
#[derive(Clone, Debug, PartialEq)]
pub struct FakeTemplate {
    /// Its id (numeric text, as REST writes it).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its language.
    pub language: String,
    /// Its category.
    pub category: String,
    /// `POSITIONAL` or `NAMED`, when given.
    pub parameter_format: Option<String>,
    /// Its components, as sent.
    pub components: Value,
    /// `message_send_ttl_seconds`, when given.
    pub ttl: Option<i64>,
    /// `PENDING`, `APPROVED`, `REJECTED` …
    pub status: String,
    /// A rejection's reason (`NONE` otherwise).
    pub reason: String,
}

/// A message the fake accepted.
#[derive(Clone, Debug, PartialEq)]
pub struct Delivered {
    /// The `wamid` the send answered.
    pub message_id: String,
    /// `biz_opaque_callback_data`, as sent.
    pub callback_data: Option<String>,
    /// The recipient, as sent.
    pub to: String,
    /// The template's name.
    pub template: String,
    /// The send's body.
    pub body: Value,
    /// When the send arrived (Unix ms): a test measures rates by it.
    pub received_at_millis: u64,
}

/// An upload session.
#[derive(Clone, Debug, PartialEq)]
pub struct Upload {
    pub file_length: usize,
    pub file_type: String,
    pub received: Vec<u8>,
}

#[derive(Debug, Default)]
pub struct State {
    pub templates: Vec<FakeTemplate>,
    pub next_id: u64,
    pub delivered: Vec<Delivered>,
    pub uploads: HashMap<String, Upload>,
    /// Every request exactly as it arrived (method, target, headers, body).
    pub raw: Vec<wabakit_core::raw::RecordedRequest>,
    pub faults: wabakit_core::fake::FaultQueue,
    pub webhook_url: Option<String>,
    /// When each recipient was sent to, within the pair window.
    pub pair_sends: HashMap<String, VecDeque<Instant>>,
}

impl State {
    pub fn new_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }
}
