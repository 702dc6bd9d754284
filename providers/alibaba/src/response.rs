//! cams answers: JSON with `Code` (`OK` on success), `Message`, `RequestId`,
//! `AccessDeniedDetail`. Both an HTTP error with a JSON body and an HTTP 200 whose `Code` is
//! not `OK` are errors.

use std::time::Duration;

use serde_json::Value;
use wabakit_core::{Delivery, Error, ErrorKind, HttpResponse, Result};

pub fn interpret(resp: HttpResponse) -> Result<Value> {
    let status = resp.status;
    let v: Option<Value> = serde_json::from_slice(&resp.body).ok();
    // The gateway writes `Code`/`RequestId`; some error bodies use `code`/`requestId`.
    let field = |k: &str, lower: &str| {
        v.as_ref()
            .and_then(|v| v.get(k).or_else(|| v.get(lower)))
            .and_then(Value::as_str)
    };
    let code = field("Code", "code");
    if status < 400 && code.is_none_or(|c| c == "OK") {
        if let Some(v) = v {
            return Ok(v);
        }
        let snippet: String = String::from_utf8_lossy(&resp.body)
            .chars()
            .take(200)
            .collect();
        return Err(Error::new(
            ErrorKind::Transport,
            format!("unreadable answer: {snippet:?}"),
        )
        .with_http_status(status)
        .with_delivery(Delivery::MayHaveBeenDelivered));
    }
    let Some(code) = code else {
        let snippet: String = String::from_utf8_lossy(&resp.body)
            .chars()
            .take(200)
            .collect();
        let throttled = status == 429 || retry_after(&resp).is_some();
        let mut e = if throttled {
            Error::new(
                ErrorKind::RateLimited,
                format!("HTTP {status}: {snippet:?}"),
            )
        } else {
            Error::new(ErrorKind::Provider, format!("HTTP {status}: {snippet:?}"))
        }
        .with_http_status(status);
        if status >= 500 && !throttled {
            e = e
                .with_transient(true)
                .with_delivery(Delivery::MayHaveBeenDelivered);
        }
        if let Some(d) = retry_after(&resp) {
            e = e.with_retry_after(d);
        }
        return Err(e);
    };
    let message = field("Message", "message").unwrap_or_default();
    // An advised delay means throttling, whatever the code says (as the official SDK reads it).
    let code = if retry_after(&resp).is_some() && !code.starts_with("Throttling") {
        "Throttling"
    } else {
        code
    };
    let mut e = from_code(code, message, status).with_http_status(status);
    if let Some(d) = retry_after(&resp) {
        e = e.with_retry_after(d);
    }
    if let Some(r) = field("RequestId", "requestId") {
        e = e.with_request_id(r);
    }
    if let Some(d) = field("AccessDeniedDetail", "accessDeniedDetail").filter(|d| !d.is_empty()) {
        e = e.with_details(serde_json::json!({"AccessDeniedDetail": d}));
    }
    Err(e)
}

/// `x-acs-retry-after`: a positive whole number of seconds (spec §5.2).
fn retry_after(resp: &HttpResponse) -> Option<Duration> {
    let secs = resp
        .header("x-acs-retry-after")?
        .trim()
        .parse::<u64>()
        .ok()?;
    Some(Duration::from_secs(secs.min(300)))
}

pub fn from_code(code: &str, message: &str, status: u16) -> Error {
    use ErrorKind::*;
    let (kind, transient, delivery) =
        if code.starts_with("Throttling") || code == "System.LimitControl" {
            (RateLimited, true, Delivery::Throttled)
        } else if code.starts_with("InvalidTimeStamp") || code == "IllegalTimestamp" {
            (ClockSkew, false, Delivery::NotSent)
        } else if matches!(
            code,
            "SignatureDoesNotMatch"
                | "IncompleteSignature"
                | "SignatureNonceUsed"
                | "Forbidden.RAM"
                | "Ram.PermissionDeny"
                | "Authentication.NoAuth"
        ) || code.starts_with("InvalidAccessKeyId")
            || code.starts_with("InvalidSecurityToken")
        {
            (Auth, false, Delivery::NotSent)
        } else if code.ends_with("TemplateNotExist") {
            (NotFound, false, Delivery::NotSent)
        } else if code == "Product.Unsubscript" || code == "Unknown.ResourceOwnerId" {
            (Config, false, Delivery::NotSent)
        } else if status >= 500 || code == "InternalError" || code == "ServiceUnavailable" {
            (Provider, true, Delivery::MayHaveBeenDelivered)
        } else {
            (Provider, false, Delivery::NotSent)
        };
    let msg = if message.is_empty() { code } else { message };
    Error::provider(kind, code, msg)
        .with_transient(transient)
        .with_delivery(delivery)
}
