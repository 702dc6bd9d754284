//! NXCloud's webhooks → neutral events, and verification of signed callbacks.
//!
//! Parsing is lenient where NXCloud's pages disagree: `business_phone` or `merchant_phone`,
//! numbers or strings for ids, timestamps and coordinates, optional blocks absent. Each event
//! keeps its raw JSON, unknown fields included.

use serde_json::Value;
// NXCloud's pages write ids, times and coordinates as strings or as numbers.
use wabakit_core::raw::{header_value, loose_int as seconds, loose_text as text};
use wabakit_core::{
    Error, ErrorKind, Event, EventBody, MessageStatus, Result, TemplateId, TemplateStatus,
};

use crate::sign::{sign, signature_matches, Algorithm, SignInput};

use crate::NAME as PROVIDER;

/// How far a signed callback's `ts` may be from now by default: a replayed callback older than
/// this is refused.
pub const DEFAULT_WINDOW_MILLIS: u64 = 60_000;

/// The events of a callback, verified first when a `secret` is given (and, with `now_millis`,
/// its `ts` within `window_millis`): what [`crate::NxcloudProvider`] and the registry both call.
pub fn parse_checked(
    headers: &[(String, String)],
    body: &[u8],
    secret: Option<&str>,
    access_key: Option<&str>,
    now_millis: Option<u64>,
    window_millis: u64,
) -> Result<Vec<Event>> {
    if let Some(secret) = secret {
        verify(
            headers,
            body,
            &Verify {
                secret,
                access_key,
                now_millis,
                window_millis,
            },
        )?;
    }
    parse(body)
}

/// The registry's entry point (no client config: the check says what to verify).
pub(crate) fn registered(
    headers: &[(String, String)],
    body: &[u8],
    check: &wabakit_core::raw::CallbackCheck<'_>,
) -> Result<Vec<Event>> {
    let window = check.window_millis.unwrap_or(DEFAULT_WINDOW_MILLIS);
    parse_checked(headers, body, check.secret, None, check.now_millis, window)
}

/// The events in one webhook body.
pub fn parse(body: &[u8]) -> Result<Vec<Event>> {
    let v: Value = serde_json::from_slice(body).map_err(|e| {
        Error::new(
            ErrorKind::Validation,
            format!("webhook body is not JSON: {e}"),
        )
        .with_provider(PROVIDER)
    })?;
    let mut out = Vec::new();
    if let Some(statuses) = v.get("statuses").and_then(Value::as_array) {
        out.extend(statuses.iter().filter_map(message_status));
    }
    if let Some(messages) = v.get("messages").and_then(Value::as_array) {
        out.extend(messages.iter().filter_map(inbound));
    }
    if let Some(field) = v.get("field").and_then(Value::as_str) {
        out.push(template_event(field, &v));
    }
    if v.get("requestId").is_some() && v.get("code").is_some() {
        out.push(async_create_result(&v));
    }
    if out.is_empty() {
        out.push(event(
            EventBody::Other {
                kind: "unknown".into(),
            },
            v,
        ));
    }
    Ok(out)
}

fn event(body: EventBody, raw: Value) -> Event {
    Event::new(PROVIDER, body, raw)
}

fn message_status(s: &Value) -> Option<Event> {
    let errors = s
        .get("errors")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|e| {
                    let code = text(e.get("code")).unwrap_or_default();
                    let title = text(e.get("title")).unwrap_or_default();
                    format!("{code} {title}").trim().to_owned()
                })
                .collect()
        })
        .unwrap_or_default();
    Some(event(
        EventBody::MessageStatus {
            message_id: text(s.get("id"))?,
            // NXCloud's message id is the cus_message_id itself when one was given.
            client_ref: None,
            status: MessageStatus::parse(&text(s.get("status")).unwrap_or_default()),
            recipient: text(s.get("recipient_id")),
            at: seconds(s.get("timestamp")),
            errors,
        },
        s.clone(),
    ))
}

fn inbound(m: &Value) -> Option<Event> {
    let kind = text(m.get("type")).unwrap_or_default();
    let body = m.get(&kind);
    let t = match kind.as_str() {
        "text" => body.and_then(|b| text(b.get("body"))),
        "button" => body.and_then(|b| text(b.get("text")).or_else(|| text(b.get("payload")))),
        _ => body.and_then(|b| text(b.get("caption"))),
    };
    Some(event(
        EventBody::Inbound {
            message_id: text(m.get("id"))?,
            from: text(m.get("from")).unwrap_or_default(),
            kind,
            text: t,
            at: seconds(m.get("timestamp")),
        },
        m.clone(),
    ))
}

fn template_event(field: &str, v: &Value) -> Event {
    let value = v.get("value").cloned().unwrap_or(Value::Null);
    if field != "message_template_status_update" {
        return event(
            EventBody::Other {
                kind: field.to_owned(),
            },
            v.clone(),
        );
    }
    let reason = text(value.get("reason")).filter(|r| r != "NONE");
    event(
        EventBody::TemplateStatus {
            template_id: text(value.get("message_template_id")).map(TemplateId),
            name: text(value.get("message_template_name")),
            language: text(value.get("message_template_language")),
            status: TemplateStatus::parse(&text(value.get("event")).unwrap_or_default()),
            reason,
            category: None,
            at: seconds(value.get("time")),
            request_id: None,
        },
        v.clone(),
    )
}

/// The callback of createTemplateAsync (seed 002): the created template, or why it was not
/// created, read as the same code would be in an answer.
fn async_create_result(v: &Value) -> Event {
    let request_id = text(v.get("requestId")).unwrap_or_default();
    let code = text(v.get("code")).unwrap_or_default();
    let data = v.get("data").filter(|d| d.is_object());
    match data {
        Some(d) if code == "0" => event(
            EventBody::TemplateStatus {
                template_id: text(d.get("id")).map(TemplateId),
                name: None,
                language: None,
                status: TemplateStatus::parse(&text(d.get("status")).unwrap_or_default()),
                reason: None,
                category: text(d.get("category")),
                at: None,
                request_id: Some(request_id),
            },
            v.clone(),
        ),
        _ => {
            let message = text(v.get("message")).unwrap_or_default();
            let kind =
                crate::response::from_code(code.parse().unwrap_or(-1), &message, None).kind();
            event(
                EventBody::TemplateCreateFailed {
                    request_id,
                    kind,
                    code,
                    message,
                },
                v.clone(),
            )
        }
    }
}

/// What a signed callback is checked against.
#[derive(Clone, Copy)]
pub struct Verify<'a> {
    /// The secret the callback is signed with.
    pub secret: &'a str,
    /// The access key the callback must name, if known.
    pub access_key: Option<&'a str>,
    /// With a clock value: reject callbacks whose `ts` is more than `window_millis` away.
    pub now_millis: Option<u64>,
    /// How far `ts` may be from `now_millis` ([`DEFAULT_WINDOW_MILLIS`] unless configured).
    pub window_millis: u64,
}

/// Check a signed callback: headers read case-insensitively, the raw body bytes as received,
/// constant-time comparison.
pub fn verify(headers: &[(String, String)], body: &[u8], v: &Verify) -> Result<()> {
    let get = |name: &str| {
        header_value(headers, name)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let fail = |why: &str| {
        Err(Error::new(ErrorKind::Auth, format!("webhook rejected: {why}")).with_provider(PROVIDER))
    };
    let (Some(ak), Some(action), Some(biz), Some(ts), Some(received)) = (
        get("accessKey"),
        get("action"),
        get("bizType"),
        get("ts"),
        get("sign"),
    ) else {
        return fail("the accesskey, action, biztype, ts and sign headers are required");
    };
    if v.access_key.is_some_and(|want| want != ak) {
        return fail("unknown access key");
    }
    let algorithm = match get("algorithm") {
        None => Algorithm::Md5,
        Some(a) => match Algorithm::parse(a) {
            Some(a) => a,
            None => return fail("unknown signature algorithm"),
        },
    };
    if let Some(now) = v.now_millis {
        match ts.parse::<u64>() {
            Ok(t) if t.abs_diff(now) <= v.window_millis => {}
            _ => {
                return fail(&format!(
                    "ts is more than {} s away from now (a replay, or this machine's clock is off)",
                    v.window_millis / 1000
                ))
            }
        }
    }
    let expected = sign(&SignInput {
        access_key: ak,
        access_secret: v.secret,
        ts,
        biz_type: biz,
        action,
        body: Some(body),
        algorithm,
    });
    if !signature_matches(&expected.sign, received) {
        return fail("the signature does not match");
    }
    Ok(())
}
