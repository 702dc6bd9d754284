//! Neutral events from webhooks and receipts: template status changes, message statuses,
//! inbound messages. Each keeps the provider's raw body, unknown fields included.

use serde::Serialize;

use crate::types::{TemplateId, TemplateStatus};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    pub provider: String,
    #[serde(flatten)]
    pub body: EventBody,
    /// The event as the provider sent it.
    pub raw: serde_json::Value,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventBody {
    TemplateStatus {
        #[serde(skip_serializing_if = "Option::is_none")]
        template_id: Option<TemplateId>,
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        language: Option<String>,
        status: TemplateStatus,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// Unix seconds, where the provider says.
        #[serde(skip_serializing_if = "Option::is_none")]
        at: Option<i64>,
    },
    MessageStatus {
        message_id: String,
        status: MessageStatus,
        #[serde(skip_serializing_if = "Option::is_none")]
        recipient: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        at: Option<i64>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        errors: Vec<String>,
    },
    Inbound {
        message_id: String,
        from: String,
        /// `text`, `button`, `image` … as the provider names it.
        kind: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        at: Option<i64>,
    },
}

/// Message status. Open: new values are kept as `Other`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    Accepted,
    Sent,
    Delivered,
    Read,
    Failed,
    Deleted,
    #[serde(untagged)]
    Other(String),
}

impl MessageStatus {
    pub fn parse(s: &str) -> MessageStatus {
        match s.to_ascii_lowercase().as_str() {
            "accepted" => MessageStatus::Accepted,
            "sent" => MessageStatus::Sent,
            "delivered" => MessageStatus::Delivered,
            "read" => MessageStatus::Read,
            "failed" => MessageStatus::Failed,
            "deleted" => MessageStatus::Deleted,
            _ => MessageStatus::Other(s.to_owned()),
        }
    }
}
