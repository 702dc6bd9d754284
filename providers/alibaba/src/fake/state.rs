//! What the fake cams remembers: templates, accepted messages, every request, used nonces,
//! queued faults, and each operation's requests in the current second.

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use wabakit_core::fake::FaultQueue;
use wabakit_core::raw::RecordedRequest;

use super::api;
use crate::ops::Action;

/// A template the fake keeps.
#[derive(Clone, Debug, PartialEq)]
pub struct FakeTemplate {
    /// Its TemplateCode.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its language.
    pub language: String,
    /// Its category.
    pub category: String,
    /// `WHATSAPP` or `VIBER`.
    pub template_type: String,
    /// Its Components, as sent.
    pub components: Value,
    /// Its Example, as sent.
    pub example: Option<Value>,
    /// `MessageSendTtlSeconds` and `CategoryChangePaused`, as sent.
    pub ttl: Option<i64>,
    /// Its CategoryChangePaused, as sent.
    pub category_change_paused: Option<bool>,
    /// `auditing`, `pass`, `fail` or `unaudit`.
    pub audit: String,
    /// A rejection's reason.
    pub reason: String,
}

/// A message the fake accepted.
#[derive(Clone, Debug, PartialEq)]
pub struct Delivered {
    /// The MessageId it answered.
    pub message_id: String,
    /// The TaskId (the client_ref), as sent.
    pub task_id: Option<String>,
    /// The recipient.
    pub to: String,
    /// The template's name or code.
    pub template: String,
    /// The TemplateParams, as sent.
    pub params: Value,
    /// The Payload, as sent.
    pub payload: Option<Value>,
}

/// A request as received (signature checks passed or not).
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    /// The action called.
    pub action: Option<String>,
    /// The signature nonce.
    pub nonce: Option<String>,
    /// The request's date.
    pub date: Option<String>,
    /// The signature.
    pub signature: Option<String>,
    /// Every parameter, decoded.
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
