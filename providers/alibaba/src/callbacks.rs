//! cams receipts (HTTP batch push, each a JSON array) → neutral events: ChatAppStatus (message
//! statuses), ChatAppInbound (user messages), ChatAppAudit (template review). cams documents
//! that receipts may arrive more than once; pass the events through [`wabakit_core::Dedupe`].
//!
//! After a receipt is handled, answer HTTP 200 with [`ACK`], or cams pushes it again.

use serde_json::Value;
use wabakit_core::{Error, ErrorKind, Event, EventBody, MessageStatus, Result, TemplateId};

use crate::response::status_of;
use crate::NAME as PROVIDER;

/// The answer cams expects for a received push.
pub const ACK: &str = r#"{"code":0,"msg":"成功"}"#;

/// The registry's entry point. cams receipts carry no signature: a secret to verify with is
/// refused rather than silently ignored.
pub(crate) fn registered(
    _headers: &[(String, String)],
    body: &[u8],
    check: &wabakit_core::raw::CallbackCheck<'_>,
) -> Result<Vec<Event>> {
    if check.secret.is_some() {
        return Err(Error::new(
            ErrorKind::Config,
            "cams receipts carry no signature: there is no secret to verify them with",
        )
        .with_provider(PROVIDER));
    }
    parse(body)
}

/// The events of one receipt push.
pub fn parse(body: &[u8]) -> Result<Vec<Event>> {
    let v: Value = serde_json::from_slice(body).map_err(|e| {
        Error::new(
            ErrorKind::Validation,
            format!("receipt body is not JSON: {e}"),
        )
        .with_provider(PROVIDER)
    })?;
    let items = match v {
        Value::Array(a) => a,
        one @ Value::Object(_) => vec![one],
        _ => {
            return Err(Error::new(
                ErrorKind::Validation,
                "a receipt is a JSON array of objects",
            )
            .with_provider(PROVIDER))
        }
    };
    Ok(items.into_iter().map(event).collect())
}

fn text(v: &Value, k: &str) -> Option<String> {
    wabakit_core::raw::loose_text(v.get(k))
}

/// Unix seconds from a millisecond timestamp (one sample writes the key as "Timestamp ").
fn seconds(v: &Value) -> Option<i64> {
    let ms = wabakit_core::raw::loose_int(v.get("Timestamp").or_else(|| v.get("Timestamp ")))?;
    Some(ms / 1000)
}

fn event(v: Value) -> Event {
    let body = if v.get("AuditStatus").is_some() {
        match text(&v, "Type").filter(|t| t != "template") {
            Some(kind) => EventBody::Other { kind },
            None => EventBody::TemplateStatus {
                template_id: text(&v, "TemplateCode").map(TemplateId),
                name: text(&v, "TemplateName"),
                language: text(&v, "Language"),
                status: status_of(&text(&v, "AuditStatus").unwrap_or_default()),
                reason: text(&v, "Reason").filter(|r| !r.is_empty()),
                category: None,
                at: None,
                request_id: None,
            },
        }
    } else if let (Some(id), Some(status)) = (text(&v, "MessageId"), text(&v, "Status")) {
        let errors = match (text(&v, "ErrorCode"), text(&v, "ErrorDescription")) {
            (None, None) => Vec::new(),
            (c, d) => vec![
                format!("{} {}", c.unwrap_or_default(), d.unwrap_or_default())
                    .trim()
                    .to_owned(),
            ],
        };
        EventBody::MessageStatus {
            client_ref: text(&v, "TaskId").filter(|t| *t != id),
            message_id: id,
            status: MessageStatus::parse(&status),
            recipient: text(&v, "To"),
            at: seconds(&v),
            errors,
        }
    } else if let Some(id) = text(&v, "MessageId") {
        let kind = text(&v, "Type").unwrap_or_default().to_ascii_lowercase();
        // TEXT carries the words; media and replies carry a JSON string in Message.
        let message = text(&v, "Message");
        let t = match kind.as_str() {
            "text" => message,
            _ => message
                .as_deref()
                .and_then(|m| serde_json::from_str::<Value>(m).ok())
                .and_then(|m| {
                    text(&m, "caption")
                        .or_else(|| text(&m, "title"))
                        .or_else(|| text(&m, "text"))
                }),
        };
        EventBody::Inbound {
            message_id: id,
            from: text(&v, "From").unwrap_or_default(),
            kind,
            text: t,
            at: seconds(&v),
        }
    } else {
        EventBody::Other {
            kind: "unknown".into(),
        }
    };
    Event::new(PROVIDER, body, v)
}
