//! Graph API answers: an error object (`{"error": {message, type, code, error_subcode,
//! error_user_title, error_user_msg, error_data, fbtrace_id}}`, spec §5.1) becomes a neutral
//! [`Error`] that keeps it whole in `details()`, with `fbtrace_id` as the request id. The kind
//! is decided by `code` and `error_subcode`, never by the HTTP status, which Meta says is not
//! reliable (a 200 with a top-level `error` is an error too).

use std::time::Duration;

use serde_json::Value;
use wabakit_core::{Error, ErrorKind};

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
    let mut err = Error::provider(kind, shown, message)
        .with_provider(NAME)
        .with_http_status(status)
        .with_transient(transient)
        .with_details(e.clone());
    if code == 131056 {
        err = err.with_retry_after(PAIR_WINDOW);
    }
    if let Some(t) = text("fbtrace_id") {
        err = err.with_request_id(t);
    }
    Some(err)
}
