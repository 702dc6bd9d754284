//! What the store's test suites share.

use serde_json::json;
use wabakit_core::{Event, EventBody, MessageStatus};

/// A Meta status event for message `id`, at `at` (Unix seconds).
pub fn status(id: &str, s: MessageStatus, at: i64) -> Event {
    Event::new(
        "meta",
        EventBody::MessageStatus {
            message_id: id.into(),
            client_ref: None,
            status: s,
            recipient: None,
            at: Some(at),
            errors: Vec::new(),
        },
        json!({"id": id, "at": at}),
    )
}

