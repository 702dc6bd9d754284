//! Graph API answers: an error object (`{"error": {message, type, code, error_subcode,
//! error_user_title, error_user_msg, error_data, fbtrace_id}}`, spec §5.1) becomes a neutral
//! [`Error`] that keeps it whole in `details()`, with `fbtrace_id` as the request id. The kind
//! is decided by `code` and `error_subcode`, never by the HTTP status, which Meta says is not
//! reliable (a 200 with a top-level `error` is an error too).

use std::time::Duration;

use serde_json::Value;
use wabakit_core::raw::HttpResponse;
use wabakit_core::{Delivery, Error, ErrorKind, Result};

use crate::NAME;

/// How long a send to one recipient waits after the pair rate limit (131056): one message per
/// six seconds to the same user (spec §6.2). Only that send waits; other recipients do not.
pub const PAIR_WINDOW: Duration = Duration::from_secs(6);

/// What a Graph error code (and subcode) means for a caller, spec §5.2: WhatsApp's one table,
/// kept in core (NXCloud passes the same codes through).
pub fn kind_of(code: i64, subcode: Option<i64>) -> (ErrorKind, bool) {
    wabakit_core::raw::whatsapp_error_kind(code, subcode)
}

/// The error a Graph answer carries, if it carries one (whatever its HTTP status).
pub fn graph_error(status: u16, body: &Value) -> Option<Error> {
    let e = body.get("error")?;
    let int = |k: &str| e.get(k).and_then(Value::as_i64);
    let text = |k: &str| e.get(k).and_then(Value::as_str);
    let code = int("code").unwrap_or(-1);
    let subcode = int("error_subcode");
    let (kind, transient) = kind_of(code, subcode);
    // What a person can act on: the user message, else the message, and the details.
    let mut message = text("error_user_msg")
        .or_else(|| text("message"))
        .unwrap_or("Graph API error")
        .to_owned();
    let details = e
        .get("error_data")
        .and_then(|d| d.get("details").or(Some(d)).filter(|d| d.is_string()))
        .and_then(Value::as_str);
    if let Some(d) = details.filter(|d| !message.contains(d)) {
        message = format!("{message}: {d}");
    }
    let shown = match subcode {
        Some(s) => format!("{code}/{s}"),
        None => code.to_string(),
    };
    // Meta answered with an error: the request did nothing (a throttled one may be repeated).
    let delivery = if kind == ErrorKind::RateLimited {
        Delivery::Throttled
    } else {
        Delivery::NotSent
    };
    let mut err = Error::provider(kind, shown, message)
        .with_provider(NAME)
        .with_http_status(status)
        .with_transient(transient)
        .with_delivery(delivery)
        .with_details(e.clone());
    if code == 131056 {
        err = err.with_retry_after(PAIR_WINDOW);
    }
    if let Some(t) = text("fbtrace_id") {
        err = err.with_request_id(t);
    }
    Some(err)
}

/// A successful answer: its JSON, and the `x-fb-trace-id` Meta gives every request (its
/// support asks for it).
#[derive(Debug)]
pub struct Reply {
    /// The answer.
    pub data: Value,
    /// The `x-fb-trace-id` header (or `x-fb-request-id`).
    pub trace_id: Option<String>,
}

/// The answer's JSON, or the error it means: a Graph error object whatever the HTTP status
/// (Meta's SDK notes a 200 that carries one), else the status alone.
pub fn interpret(resp: HttpResponse) -> Result<Reply> {
    let trace_id = resp
        .header("x-fb-trace-id")
        .or_else(|| resp.header("x-fb-request-id"))
        .map(str::to_owned);
    let parsed: Option<Value> = serde_json::from_slice(&resp.body).ok();
    if let Some(mut e) = parsed.as_ref().and_then(|v| graph_error(resp.status, v)) {
        if e.kind() == ErrorKind::RateLimited && e.retry_after().is_none() {
            if let Some(d) = regain_access(&resp) {
                e = e.with_retry_after(d);
            }
        }
        if e.request_id().is_none() {
            if let Some(t) = trace_id {
                e = e.with_request_id(t);
            }
        }
        return Err(e);
    }
    match parsed {
        Some(data) if resp.status < 300 => Ok(Reply { data, trace_id }),
        _ => Err(without_error(&resp)),
    }
}

/// An answer with no Graph error object and no JSON success: judged by the HTTP status.
fn without_error(resp: &HttpResponse) -> Error {
    let status = resp.status;
    let snippet: String = String::from_utf8_lossy(&resp.body)
        .chars()
        .take(200)
        .collect();
    let e = Error::new(
        if status == 429 {
            ErrorKind::RateLimited
        } else if status >= 500 {
            ErrorKind::Provider
        } else {
            ErrorKind::Transport
        },
        format!("HTTP {status} without a Graph answer: {snippet:?}"),
    )
    .with_provider(NAME)
    .with_http_status(status);
    if status == 429 {
        // Throttled before anything was done: a later attempt may go through.
        let e = e.with_transient(true).with_delivery(Delivery::Throttled);
        return match regain_access(resp) {
            Some(d) => e.with_retry_after(d),
            None => e,
        };
    }
    // Nobody can say what the server did before failing to answer properly.
    e.with_transient(status >= 500)
        .with_delivery(Delivery::MayHaveBeenDelivered)
}

/// The longest `estimated_time_to_regain_access` (minutes) of the
/// `x-business-use-case-usage` header (spec §6.4), when it says to wait.
pub fn regain_access(resp: &HttpResponse) -> Option<Duration> {
    let usage: Value = serde_json::from_str(resp.header("x-business-use-case-usage")?).ok()?;
    let minutes = usage
        .as_object()?
        .values()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|u| u.get("estimated_time_to_regain_access")?.as_u64())
        .max()?;
    (minutes > 0).then(|| Duration::from_secs(minutes * 60))
}
