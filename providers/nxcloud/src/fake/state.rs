//! What the fake NXCloud remembers: templates, accepted messages, every request, queued faults.

use std::collections::VecDeque;
use std::time::Duration;

use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
pub struct FakeTemplate {
    pub id: String,
    pub name: String,
    pub language: String,
    pub category: String,
    pub components: Value,
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

/// A fault to inject into the next matching request(s).
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    /// Only requests to this path (`/api/wa/mt`); all when `None`.
    pub path: Option<String>,
    pub kind: FaultKind,
    /// How many matching requests it applies to.
    pub times: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FaultKind {
    /// Answer with this NXCloud code (HTTP 200).
    Code { code: i64, message: String },
    /// Answer with this HTTP status and a non-JSON body, with `Retry-After` seconds if given.
    Http {
        status: u16,
        retry_after: Option<u32>,
    },
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// Close the connection without acting on the request.
    DropBefore,
    /// Act on the request, then close the connection without answering.
    DropAfter,
    /// Act on the request, then answer with malformed JSON.
    Malformed,
}

impl Fault {
    pub fn new(kind: FaultKind) -> Self {
        Fault {
            path: None,
            kind,
            times: 1,
        }
    }

    pub fn on(mut self, path: &str) -> Self {
        self.path = Some(path.to_owned());
        self
    }

    pub fn times(mut self, n: u32) -> Self {
        self.times = n;
        self
    }
}

#[derive(Debug, Default)]
pub struct State {
    pub templates: Vec<FakeTemplate>,
    pub next_id: u64,
    pub delivered: Vec<Delivered>,
    pub next_message: u64,
    pub requests: Vec<Recorded>,
    pub faults: VecDeque<Fault>,
    pub webhook_url: Option<String>,
}

impl State {
    /// Take the first queued fault that applies to `path`.
    pub fn take_fault(&mut self, path: &str) -> Option<FaultKind> {
        let i = self
            .faults
            .iter()
            .position(|f| f.path.as_deref().is_none_or(|p| p == path))?;
        let f = &mut self.faults[i];
        let kind = f.kind.clone();
        f.times = f.times.saturating_sub(1);
        if f.times == 0 {
            self.faults.remove(i);
        }
        Some(kind)
    }

    pub fn new_template_id(&mut self) -> String {
        self.next_id += 1;
        format!("15125{:08}", self.next_id)
    }
}
