//! Meta's webhooks (spec §7): the subscription challenge (`GET ?hub.mode=subscribe&
//! hub.challenge=…&hub.verify_token=…`), and deliveries (`POST`, signed with
//! `X-Hub-Signature-256` over the raw body) → neutral events, one per change, each keeping the
//! change as sent (the phone number id in its `metadata`, so one endpoint serves several
//! numbers). Deliveries come at least once: pass the events through [`wabakit_core::Dedupe`].

use percent_encoding::percent_decode_str;
use serde_json::Value;
use subtle::ConstantTimeEq;
// Meta writes ids and times as strings or as numbers.
use wabakit_core::raw::{header_value, loose_int as seconds, loose_text as text};
use wabakit_core::{
    Error, ErrorKind, Event, EventBody, MessageStatus, Result, TemplateId, TemplateStatus,
};

use crate::sign::signature_matches;
use crate::NAME;

/// The answer to a subscription challenge: the `hub.challenge` value, verbatim (send it as
/// `text/plain` with status 200). A wrong token is an `Auth` error (answer 403); a query that is
/// not a subscription challenge is a `Validation` error naming what is missing.
pub fn challenge(query: &str, verify_token: &str) -> Result<String> {
    // The names have dots (`hub.mode`): read the raw query, not a framework's rewrite of it.
    let mut mode = None;
    let mut token = None;
    let mut answer = None;
    for pair in query.trim_start_matches('?').split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = percent_decode_str(&v.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned();
        match k {
            "hub.mode" => mode = Some(v),
            "hub.verify_token" => token = Some(v),
            "hub.challenge" => answer = Some(v),
            _ => {}
        }
    }
    let missing: Vec<&str> = [
        ("hub.mode", mode.is_none()),
        ("hub.verify_token", token.is_none()),
        ("hub.challenge", answer.is_none()),
    ]
    .into_iter()
    .filter_map(|(k, absent)| absent.then_some(k))
    .collect();
    if !missing.is_empty() {
        return Err(Error::new(
            ErrorKind::Validation,
            format!(
                "not a subscription challenge: {} missing",
                missing.join(", ")
            ),
        )
        .with_provider(NAME));
    }
    if mode.as_deref() != Some("subscribe") {
        return Err(Error::new(
            ErrorKind::Validation,
            "not a subscription challenge: hub.mode is not subscribe",
        )
        .with_provider(NAME));
    }
    let token = token.unwrap_or_default();
    if !bool::from(token.as_bytes().ct_eq(verify_token.as_bytes())) {
        return Err(Error::new(ErrorKind::Auth, "wrong hub.verify_token").with_provider(NAME));
    }
    Ok(answer.unwrap_or_default())
}

/// Check a delivery's `X-Hub-Signature-256` (headers in any case) over the raw body.
pub fn verify(headers: &[(String, String)], body: &[u8], app_secret: &str) -> Result<()> {
    let fail = |why: &str| {
        Err(Error::new(ErrorKind::Auth, format!("webhook rejected: {why}")).with_provider(NAME))
    };
    match header_value(headers, "x-hub-signature-256") {
        None => fail("no X-Hub-Signature-256 header"),
        Some(h) if signature_matches(app_secret, body, h) => Ok(()),
        Some(_) => fail("the signature does not match the body"),
    }
}

/// The events of a delivery, verified first when an app secret is given.
pub fn parse_checked(
    headers: &[(String, String)],
    body: &[u8],
    app_secret: Option<&str>,
) -> Result<Vec<Event>> {
    if let Some(secret) = app_secret {
        verify(headers, body, secret)?;
    }
    parse(body)
}

/// The events of one delivery: one per status, inbound message and template change.
pub fn parse(body: &[u8]) -> Result<Vec<Event>> {
    let v: Value = serde_json::from_slice(body).map_err(|e| {
        Error::new(
            ErrorKind::Validation,
            format!("webhook body is not JSON: {e}"),
        )
        .with_provider(NAME)
    })?;
    let mut out = Vec::new();
    let entries = v.get("entry").and_then(Value::as_array);
    for entry in entries.into_iter().flatten() {
        let at = entry.get("time").and_then(Value::as_i64);
        let changes = entry.get("changes").and_then(Value::as_array);
        for change in changes.into_iter().flatten() {
            let field = change.get("field").and_then(Value::as_str).unwrap_or("");
            let value = change.get("value").unwrap_or(&Value::Null);
            match field {
                "messages" => messages(value, change, &mut out),
                "message_template_status_update" => {
                    out.push(Event::new(NAME, template_status(value, at), change.clone()))
                }
                "template_category_update" => out.push(Event::new(
                    NAME,
                    template_category(value, at),
                    change.clone(),
                )),
                "message_template_quality_update" => out.push(Event::new(
                    NAME,
                    template_quality(value, at),
                    change.clone(),
                )),
                other => out.push(Event::new(
                    NAME,
                    EventBody::Other {
                        kind: other.to_owned(),
                    },
                    change.clone(),
                )),
            }
        }
    }
    Ok(out)
}

fn messages(value: &Value, change: &Value, out: &mut Vec<Event>) {
    let list = |k: &str| value.get(k).and_then(Value::as_array).into_iter().flatten();
    for s in list("statuses") {
        let (Some(message_id), Some(status)) = (text(s.get("id")), text(s.get("status"))) else {
            let body = EventBody::Unreadable {
                error: "a status without its message id or status".into(),
            };
            out.push(Event::new(NAME, body, with_one(change, "statuses", s)));
            continue;
        };
        let errors = s
            .get("errors")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|e| {
                let code = text(e.get("code")).unwrap_or_default();
                let title = e.get("title").and_then(Value::as_str).unwrap_or_default();
                format!("{code}: {title}")
            })
            .collect();
        let body = EventBody::MessageStatus {
            message_id,
            // The send's `biz_opaque_callback_data`, which carries the client_ref.
            client_ref: text(s.get("biz_opaque_callback_data")),
            status: MessageStatus::parse(&status),
            recipient: text(s.get("recipient_id")),
            at: seconds(s.get("timestamp")),
            errors,
        };
        out.push(Event::new(NAME, body, with_one(change, "statuses", s)));
    }
    // Problems of the app or account, not of one message (spec §7.4).
    for e in list("errors") {
        let body = EventBody::Other {
            kind: "messages.errors".into(),
        };
        out.push(Event::new(NAME, body, with_one(change, "errors", e)));
    }
    for m in list("messages") {
        let kind = text(m.get("type")).unwrap_or_default();
        let body = EventBody::Inbound {
            message_id: text(m.get("id")).unwrap_or_default(),
            from: text(m.get("from")).unwrap_or_default(),
            text: m
                .pointer("/text/body")
                .or_else(|| m.pointer("/button/payload"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            kind,
            at: seconds(m.get("timestamp")),
        };
        out.push(Event::new(NAME, body, with_one(change, "messages", m)));
    }
}

/// The change as sent, with only `item` left in its `key` list: each event keeps its own part
/// of a batched delivery, and the metadata (the phone number id) with it.
/// Built field by field: cloning the change whole would copy the full list once per item (a
/// batch of n statuses cost n² copies), and the receiver parses every delivery.
fn with_one(change: &Value, key: &str, item: &Value) -> Value {
    let Value::Object(fields) = change else {
        return change.clone();
    };
    let one = |value: &Value| match value {
        Value::Object(v) if v.contains_key(key) => Value::Object(
            v.iter()
                .map(|(k, x)| {
                    let x = if k == key {
                        Value::Array(vec![item.clone()])
                    } else {
                        x.clone()
                    };
                    (k.clone(), x)
                })
                .collect(),
        ),
        other => other.clone(),
    };
    Value::Object(
        fields
            .iter()
            .map(|(k, x)| {
                let x = if k == "value" { one(x) } else { x.clone() };
                (k.clone(), x)
            })
            .collect(),
    )
}

/// Which template a template field names: its id (an integer in webhooks, compared as text),
/// name and language (some of Meta's samples write `en-US`: normalised to `en_US`).
fn which(value: &Value) -> (Option<TemplateId>, Option<String>, Option<String>) {
    let s = |k: &str| text(value.get(k));
    (
        s("message_template_id").map(TemplateId),
        s("message_template_name"),
        s("message_template_language").map(|l| l.replace('-', "_")),
    )
}

fn template_category(value: &Value, at: Option<i64>) -> EventBody {
    let s = |k: &str| text(value.get(k));
    let (template_id, name, language) = which(value);
    EventBody::TemplateCategory {
        template_id,
        name,
        language,
        category: s("new_category").unwrap_or_default(),
        previous: s("previous_category"),
        upcoming: s("correct_category"),
        at,
    }
}

fn template_quality(value: &Value, at: Option<i64>) -> EventBody {
    let s = |k: &str| text(value.get(k));
    let (template_id, name, language) = which(value);
    EventBody::TemplateQuality {
        template_id,
        name,
        language,
        quality: s("new_quality_score").unwrap_or_default(),
        previous: s("previous_quality_score"),
        at,
    }
}

fn template_status(value: &Value, at: Option<i64>) -> EventBody {
    let s = |k: &str| text(value.get(k));
    let (template_id, name, language) = which(value);
    EventBody::TemplateStatus {
        template_id,
        name,
        language,
        status: TemplateStatus::parse(&s("event").unwrap_or_default()),
        reason: s("reason").filter(|r| r != "NONE"),
        category: s("message_template_category"),
        at,
        request_id: None,
    }
}

/// The registry's entry point (no client config: the check says what to verify). Meta's
/// deliveries carry no timestamp of their own, so only the signature is checked.
pub(crate) fn registered(
    headers: &[(String, String)],
    body: &[u8],
    check: &wabakit_core::raw::CallbackCheck<'_>,
) -> Result<Vec<Event>> {
    parse_checked(headers, body, check.secret)
}
