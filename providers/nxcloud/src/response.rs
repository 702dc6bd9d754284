//! NXCloud's answers: `{code, message, data}`. The JSON `code` decides, whatever the HTTP
//! status; every documented code becomes a typed error that keeps code and message.

use std::time::Duration;

use serde_json::Value;
use wabakit_core::raw::HttpResponse;
use wabakit_core::{Delivery, Error, ErrorKind, Result};

/// A successful answer: its `data`, and the `traceId` NXCloud gives a request (the SAAS API
/// documents it; its support desk asks for it).
#[derive(Debug)]
pub struct Reply {
    /// The answer's `data`.
    pub data: Value,
    /// The SAAS API's `traceId`, where it gives one.
    pub trace_id: Option<String>,
}

/// The request's trace id, wherever the answer puts it.
fn trace_id(v: &Value) -> Option<String> {
    v.get("traceId")
        .or_else(|| v.get("requestId"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The `data` of a successful answer, or the error it means.
pub fn interpret(resp: HttpResponse) -> Result<Reply> {
    let status = resp.status;
    let parsed: Option<Value> = serde_json::from_slice(&resp.body).ok();
    let code = parsed
        .as_ref()
        .and_then(|v| v.get("code"))
        .and_then(code_of);
    let Some(code) = code else {
        return Err(without_code(&resp));
    };
    let mut v = parsed.unwrap_or_default();
    if code == 0 {
        return Ok(Reply {
            trace_id: trace_id(&v),
            data: v.get_mut("data").map(Value::take).unwrap_or(Value::Null),
        });
    }
    let message = v
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut e = from_code(code, &message, v.get("data")).with_http_status(status);
    if let Some(t) = trace_id(&v) {
        e = e.with_request_id(t);
    }
    Err(e)
}

/// `code` as written: NXCloud sends numbers; accept numeric strings too.
fn code_of(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

/// An answer with no readable `code`: judged by the HTTP status alone.
fn without_code(resp: &HttpResponse) -> Error {
    let status = resp.status;
    let snippet: String = String::from_utf8_lossy(&resp.body)
        .chars()
        .take(200)
        .collect();
    if status == 429 {
        let mut e = Error::new(ErrorKind::RateLimited, format!("HTTP 429: {snippet}"))
            .with_http_status(429);
        if let Some(d) = retry_after(resp) {
            e = e.with_retry_after(d);
        }
        return e;
    }
    // Nobody can say what the server did before failing to answer properly.
    let kind = if status >= 500 {
        ErrorKind::Provider
    } else {
        ErrorKind::Transport
    };
    Error::new(
        kind,
        format!("HTTP {status} with no NXCloud result code: {snippet:?}"),
    )
    .with_http_status(status)
    .with_transient(!(400..500).contains(&status))
    .with_delivery(Delivery::MayHaveBeenDelivered)
}

fn retry_after(resp: &HttpResponse) -> Option<Duration> {
    let secs: f64 = resp.header("retry-after")?.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(300.0)))
}

/// The error an NXCloud result code means (spec §2.11, §3).
pub fn from_code(code: i64, message: &str, data: Option<&Value>) -> Error {
    use ErrorKind::*;
    let msg = if message.is_empty() {
        default_message(code)
    } else {
        message.to_owned()
    };
    let (kind, transient, delivery) = match code {
        // "这种语言的内容已存在": a template of this name and language exists (seed 002).
        -1 if message.contains("已存在") => (AlreadyExists, false, Delivery::NotSent),
        // 1000~100X, "鉴权问题": the request's authentication (seeds 000–002, 004).
        1000 | 1001 | 1003 | 1005 => (Auth, false, Delivery::NotSent),
        // Wrong bizType or action: the endpoint table (or its overrides) is wrong.
        1002 => (Config, false, Delivery::NotSent),
        1004 => (ClockSkew, false, Delivery::NotSent),
        9002 | 9003 | 9004 | 9006 => (Config, false, Delivery::NotSent),
        // Insufficient balance (seed 004: 22125 账号余额不足).
        9005 | 22125 => (Billing, false, Delivery::NotSent),
        // An invalid number, not a WhatsApp user (seed 004): the recipient, not the request.
        22090 | 22091 => (Recipient, false, Delivery::NotSent),
        9001 => (Provider, true, Delivery::NotSent),
        // "Downstream communication endpoint exception": Meta may or may not have the message.
        9007 => (Provider, true, Delivery::MayHaveBeenDelivered),
        9099 => return graph_error(data, &msg),
        21058..=21063 => (Provider, false, Delivery::NotSent),
        22020 | 22049 | 22089 | 22123 | 22124 | 22126 => (Config, false, Delivery::NotSent),
        22092 | 22093 => (NotFound, false, Delivery::NotSent),
        _ => (Provider, false, Delivery::NotSent),
    };
    let mut e = Error::provider(kind, code.to_string(), msg)
        .with_transient(transient)
        .with_delivery(delivery);
    if let Some(d) = data.filter(|d| !d.is_null()) {
        e = e.with_details(d.clone());
    }
    e
}

/// 9099: Meta's own error object in `data.error`, kept whole.
fn graph_error(data: Option<&Value>, msg: &str) -> Error {
    let err = data
        .and_then(|d| d.get("error"))
        .cloned()
        .unwrap_or(Value::Null);
    let graph_code = err.get("code").and_then(Value::as_i64).unwrap_or(0);
    let subcode = err.get("error_subcode").and_then(Value::as_i64);
    let graph_msg = err.get("message").and_then(Value::as_str).unwrap_or(msg);
    let (kind, transient) = wabakit_core::raw::whatsapp_error_kind(graph_code, subcode);
    let delivery = if kind == ErrorKind::RateLimited {
        Delivery::Throttled
    } else {
        Delivery::NotSent
    };
    Error::provider(
        kind,
        "9099",
        format!("WhatsApp error {graph_code}: {graph_msg}"),
    )
    .with_transient(transient)
    .with_delivery(delivery)
    .with_details(err)
}

fn default_message(code: i64) -> String {
    match code {
        -1 => "request failed",
        1000 => "authentication failed",
        1001 => "missing parameters",
        1002 => "parameter error (bizType or action)",
        1003 => "invalid signature",
        1004 => "timestamp expired: this machine's clock differs from NXCloud's by more than 60 s",
        1005 => "insufficient permissions",
        9000 => "parameter exception",
        9001 => "system business error",
        9002 => "merchant phone number error",
        9003 => "application does not exist or is unavailable",
        9004 => "no country pricing for the application",
        9005 => "insufficient balance",
        9006 => "WhatsApp number not bound to the application",
        9007 => "downstream communication exception",
        22090 => "invalid number",
        22091 => "not a WhatsApp user",
        22125 => "insufficient balance",
        _ => "NXCloud error",
    }
    .to_owned()
}
