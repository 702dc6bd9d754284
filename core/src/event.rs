//! Neutral events from webhooks and receipts: template status changes, message statuses,
//! inbound messages. Each keeps the provider's raw body, unknown fields included.

use serde::Serialize;

use crate::error::ErrorKind;
use crate::types::{TemplateId, TemplateStatus};

/// One event of a callback: the provider that sent it, what it says, and the body as sent.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Event {
    /// The provider's registry name.
    pub provider: String,
    /// What the event says.
    #[serde(flatten)]
    pub body: EventBody,
    /// The event as the provider sent it.
    pub raw: serde_json::Value,
}

/// What an event says.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventBody {
    /// A template's review or status changed (approved, rejected, paused …), or an asynchronous creation finished.
    TemplateStatus {
        /// The provider's id of the template.
        #[serde(skip_serializing_if = "Option::is_none")]
        template_id: Option<TemplateId>,
        /// The template's name.
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// The template's language.
        #[serde(skip_serializing_if = "Option::is_none")]
        language: Option<String>,
        /// Its status now.
        status: TemplateStatus,
        /// Why (a rejection's reason).
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// The template's category, where the event says (NXCloud's createTemplateAsync
        /// callback does).
        #[serde(skip_serializing_if = "Option::is_none")]
        category: Option<String>,
        /// Unix seconds, where the provider says.
        #[serde(skip_serializing_if = "Option::is_none")]
        at: Option<i64>,
        /// The asynchronous creation this answers (NXCloud createTemplateAsync).
        #[serde(skip_serializing_if = "Option::is_none")]
        request_id: Option<String>,
    },
    /// A template's category changed, or is about to (Meta's `template_category_update`: the
    /// notice a day ahead names the category it will get; the change names the one it had).
    TemplateCategory {
        /// The provider's id of the template.
        #[serde(skip_serializing_if = "Option::is_none")]
        template_id: Option<TemplateId>,
        /// The template's name.
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// The template's language.
        #[serde(skip_serializing_if = "Option::is_none")]
        language: Option<String>,
        /// Its category now.
        category: String,
        /// The category it had, once changed.
        #[serde(skip_serializing_if = "Option::is_none")]
        previous: Option<String>,
        /// The category it is to get (a notice ahead of the change).
        #[serde(skip_serializing_if = "Option::is_none")]
        upcoming: Option<String>,
        /// Unix seconds, where the provider says.
        #[serde(skip_serializing_if = "Option::is_none")]
        at: Option<i64>,
    },
    /// A template's quality rating changed (`GREEN`, `YELLOW`, `RED`, `UNKNOWN`).
    TemplateQuality {
        /// The provider's id of the template.
        #[serde(skip_serializing_if = "Option::is_none")]
        template_id: Option<TemplateId>,
        /// The template's name.
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// The template's language.
        #[serde(skip_serializing_if = "Option::is_none")]
        language: Option<String>,
        /// Its rating now.
        quality: String,
        /// Its rating before.
        #[serde(skip_serializing_if = "Option::is_none")]
        previous: Option<String>,
        /// Unix seconds, where the provider says.
        #[serde(skip_serializing_if = "Option::is_none")]
        at: Option<i64>,
    },
    /// An asynchronous template creation failed before review.
    TemplateCreateFailed {
        /// The request id the creation's answer gave ([`crate::TemplateRef::request_id`]).
        request_id: String,
        /// What the failure means, as the same code would mean in an answer
        /// (`already_exists` for NXCloud's 这种语言的内容已存在).
        kind: ErrorKind,
        /// The provider's code.
        code: String,
        /// The provider's message.
        message: String,
    },
    /// What became of a sent message: sent, delivered, read, failed.
    MessageStatus {
        /// The provider's message id ([`crate::Receipt::message_id`]).
        message_id: String,
        /// The sender's own id for the message, where the provider echoes it apart from the
        /// message id (Alibaba `TaskId`).
        #[serde(skip_serializing_if = "Option::is_none")]
        client_ref: Option<String>,
        /// The message's status now.
        status: MessageStatus,
        /// The recipient's number.
        #[serde(skip_serializing_if = "Option::is_none")]
        recipient: Option<String>,
        /// When, in Unix seconds.
        #[serde(skip_serializing_if = "Option::is_none")]
        at: Option<i64>,
        /// The provider's errors, for a failed message.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        errors: Vec<String>,
    },
    /// A message a user sent to the business.
    Inbound {
        /// The provider's id of the message.
        message_id: String,
        /// The sender's number.
        from: String,
        /// `text`, `button`, `image` … as the provider names it.
        kind: String,
        /// The text, for a text message (or a button's payload).
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        /// When, in Unix seconds.
        #[serde(skip_serializing_if = "Option::is_none")]
        at: Option<i64>,
    },
    /// A part of a callback that could not be read (a status without a message id, say): kept
    /// whole in `raw`, with why, so that one bad part does not lose the others.
    Unreadable {
        /// What is wrong with it.
        error: String,
    },
    /// An event wabakit does not model (account updates …), kept whole.
    Other {
        /// What the provider calls it.
        kind: String,
    },
}

impl Event {
    /// An event from `provider` (its registry name), with the body as it was sent.
    pub fn new(provider: impl Into<String>, body: EventBody, raw: serde_json::Value) -> Self {
        Event {
            provider: provider.into(),
            body,
            raw,
        }
    }

    /// What makes two deliveries of this event the same event: providers deliver receipts at
    /// least once, so the same key twice means a duplicate.
    pub fn dedupe_key(&self) -> String {
        match &self.body {
            EventBody::MessageStatus {
                message_id, status, ..
            } => {
                format!("{}:msg:{message_id}:{}", self.provider, status.as_str())
            }
            EventBody::TemplateStatus {
                template_id,
                name,
                language,
                status,
                ..
            } => {
                let who = template_id
                    .as_ref()
                    .map(|i| i.0.clone())
                    .unwrap_or_else(|| {
                        format!(
                            "{}/{}",
                            name.as_deref().unwrap_or(""),
                            language.as_deref().unwrap_or("")
                        )
                    });
                format!("{}:tpl:{who}:{}", self.provider, status.as_str())
            }
            // A rating or category may come back to what it was: the time tells the changes apart.
            EventBody::TemplateCategory {
                template_id,
                category,
                upcoming,
                at,
                ..
            } => format!(
                "{}:tplcat:{}:{category}:{}:{}",
                self.provider,
                template_id.as_ref().map_or("", |i| i.as_str()),
                upcoming.as_deref().unwrap_or(""),
                at.unwrap_or_default()
            ),
            EventBody::TemplateQuality {
                template_id,
                quality,
                at,
                ..
            } => format!(
                "{}:tplq:{}:{quality}:{}",
                self.provider,
                template_id.as_ref().map_or("", |i| i.as_str()),
                at.unwrap_or_default()
            ),
            EventBody::TemplateCreateFailed { request_id, .. } => {
                format!("{}:create:{request_id}", self.provider)
            }
            EventBody::Inbound { message_id, .. } => format!("{}:in:{message_id}", self.provider),
            EventBody::Unreadable { .. } => format!("{}:unreadable:{}", self.provider, self.raw),
            EventBody::Other { kind } => format!("{}:other:{kind}:{}", self.provider, self.raw),
        }
    }
}

/// Message status. Open: new values are kept as `Other`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    /// The provider took the message.
    Accepted,
    /// WhatsApp sent it.
    Sent,
    /// It reached the phone.
    Delivered,
    /// The user read it.
    Read,
    /// It could not be delivered (see the event's errors).
    Failed,
    /// The user deleted it.
    Deleted,
    /// A status wabakit does not model, as the provider wrote it.
    #[serde(untagged)]
    Other(String),
}

impl MessageStatus {
    /// The status as written (`delivered`).
    pub fn as_str(&self) -> &str {
        match self {
            MessageStatus::Accepted => "accepted",
            MessageStatus::Sent => "sent",
            MessageStatus::Delivered => "delivered",
            MessageStatus::Read => "read",
            MessageStatus::Failed => "failed",
            MessageStatus::Deleted => "deleted",
            MessageStatus::Other(s) => s,
        }
    }

    /// The status a provider's word names (case-insensitive; `Other` otherwise).
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
