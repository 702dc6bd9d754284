//! What the fake cams remembers: templates, accepted messages, every request, used nonces,
//! queued faults, and each operation's requests in the current second.

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use wabakit_core::fake::FaultQueue;
use wabakit_core::raw::RecordedRequest;

use super::api;
use crate::ops::Action;

#[derive(Clone, Debug, PartialEq)]
pub struct FakeTemplate {
    pub code: String,
    pub name: String,
    pub language: String,
    pub category: String,
    pub template_type: String,
    pub components: Value,
    pub example: Option<Value>,
    /// `MessageSendTtlSeconds` and `CategoryChangePaused`, as sent.
    pub ttl: Option<i64>,
    pub category_change_paused: Option<bool>,
    /// `auditing`, `pass`, `fail` or `unaudit`.
    pub audit: String,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Delivered {
    pub message_id: String,
    pub task_id: Option<String>,
    pub to: String,
    pub template: String,
    pub params: Value,
    pub payload: Option<Value>,
}

/// A request as received (signature checks passed or not).
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    pub action: Option<String>,
    pub nonce: Option<String>,
    pub date: Option<String>,
    pub signature: Option<String>,
    pub params: Vec<(String, String)>,
    /// The `Code` answered (`None` when a fault cut the answer).
    pub code: Option<String>,
}

#[derive(Default)]
pub(crate) struct State {
    pub store: api::Store,
    pub nonces: HashSet<String>,
    pub requests: Vec<Recorded>,
    /// Every request exactly as it arrived (method, target, headers, body).
    pub raw: Vec<RecordedRequest>,
    pub faults: FaultQueue,
    /// Per operation: the current second and how many requests it has seen.
    pub windows: HashMap<Action, (u64, u32)>,
}
