//! cams answers: JSON with `Code` (`OK` on success), `Message`, `RequestId`,
//! `AccessDeniedDetail`. Both an HTTP error with a JSON body and an HTTP 200 whose `Code` is
//! not `OK` are errors.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;
use wabakit_core::raw::HttpResponse;
use wabakit_core::{
    Delivery, Error, ErrorKind, RefState, Result, TemplateId, TemplateInfo, TemplateRef,
    TemplateStatus,
};

/// The fields every cams answer may carry, read without building the rest of the answer.
#[derive(Default, Deserialize)]
struct Status {
    // The gateway writes `Code`/`RequestId`; some error bodies use `code`/`requestId` (and
    // NXCloud-shaped stubs a numeric `code`): a field is its first spelling present, if text.
    #[serde(rename = "Code")]
    code: Option<Value>,
    #[serde(rename = "code")]
    code_lc: Option<Value>,
    #[serde(rename = "Message")]
    message: Option<Value>,
    #[serde(rename = "message")]
    message_lc: Option<Value>,
    #[serde(rename = "RequestId")]
    request_id: Option<Value>,
    #[serde(rename = "requestId")]
    request_id_lc: Option<Value>,
    #[serde(rename = "AccessDeniedDetail")]
    denied: Option<Value>,
    #[serde(rename = "accessDeniedDetail")]
    denied_lc: Option<Value>,
}

fn text<'a>(first: &'a Option<Value>, second: &'a Option<Value>) -> Option<&'a str> {
    first.as_ref().or(second.as_ref()).and_then(Value::as_str)
}

/// What an operation reads of a successful answer: a `Value` (all of it), or [`Brief`]. Its
/// `Code` says whether it is a success.
pub trait Answer: DeserializeOwned {
    /// The answer's `Code` (`OK` on success).
    fn code(&self) -> Option<&str>;
}

impl Answer for Value {
    fn code(&self) -> Option<&str> {
        self.get("Code")
            .or_else(|| self.get("code"))
            .and_then(Value::as_str)
    }
}

/// An answer read for its code, `RequestId` and `MessageId` only (sends, and answers nothing
/// else is read from); the rest is skipped, not built.
#[derive(Debug, Deserialize)]
pub struct Brief {
    #[serde(rename = "Code")]
    code: Option<Value>,
    #[serde(rename = "code")]
    code_lc: Option<Value>,
    /// The answer's `RequestId`.
    #[serde(rename = "RequestId")]
    pub request_id: Option<String>,
    /// A send's `MessageId`.
    #[serde(rename = "MessageId")]
    pub message_id: Option<String>,
}

impl Answer for Brief {
    fn code(&self) -> Option<&str> {
        text(&self.code, &self.code_lc)
    }
}

/// What Create/ModifyChatappTemplate answer (seed 003): `Data.TemplateCode`,
/// `Data.TemplateName`, `RequestId`.
#[derive(Debug, Deserialize)]
pub struct Saved {
    #[serde(rename = "Code")]
    code: Option<Value>,
    #[serde(rename = "code")]
    code_lc: Option<Value>,
    /// The answer's `RequestId`.
    #[serde(rename = "RequestId")]
    pub request_id: Option<String>,
    /// The template cams saved.
    #[serde(rename = "Data")]
    pub data: Option<SavedTemplate>,
}

/// What Create/Modify answer about the template.
#[derive(Debug, Deserialize)]
pub struct SavedTemplate {
    /// Its `TemplateCode`.
    #[serde(rename = "TemplateCode")]
    pub template_code: Option<String>,
    /// Its `TemplateName`.
    #[serde(rename = "TemplateName")]
    pub template_name: Option<String>,
}

impl Answer for Saved {
    fn code(&self) -> Option<&str> {
        text(&self.code, &self.code_lc)
    }
}

/// A cams answer: a success is read once, as `T`; anything else is read again for its status
/// fields and becomes an error.
pub fn interpret<T: Answer>(resp: HttpResponse) -> Result<T> {
    let status = resp.status;
    if status < 400 {
        if let Ok(t) = serde_json::from_slice::<T>(&resp.body) {
            if t.code().is_none_or(|c| c == "OK") {
                return Ok(t);
            }
        }
    }
    let st: Option<Status> = serde_json::from_slice(&resp.body).ok();
    let st = st.as_ref();
    let code = st.and_then(|s| text(&s.code, &s.code_lc));
    if status < 400 && code.is_none_or(|c| c == "OK") {
        // A success that `T` cannot read.
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
    let (Some(st), Some(code)) = (st, code) else {
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
    let message = text(&st.message, &st.message_lc).unwrap_or_default();
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
    if let Some(r) = text(&st.request_id, &st.request_id_lc) {
        e = e.with_request_id(r);
    }
    if let Some(d) = text(&st.denied, &st.denied_lc).filter(|d| !d.is_empty()) {
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

/// A cams error code (and HTTP status) as a typed error.
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

/// cams' AuditStatus → the neutral status.
pub fn status_of(audit: &str) -> TemplateStatus {
    match audit.to_ascii_lowercase().as_str() {
        "pass" | "approved" => TemplateStatus::Approved,
        "fail" | "rejected" => TemplateStatus::Rejected,
        "auditing" | "pending" => TemplateStatus::Pending,
        "unaudit" => TemplateStatus::Other("UNAUDIT".into()),
        "disabled" => TemplateStatus::Disabled,
        "paused" => TemplateStatus::Paused,
        other => TemplateStatus::parse(other),
    }
}

/// The neutral status → cams' AuditStatus, where cams has one (a list filter).
pub fn audit_of(s: &TemplateStatus) -> Option<&'static str> {
    match s {
        TemplateStatus::Approved => Some("pass"),
        TemplateStatus::Rejected => Some("fail"),
        TemplateStatus::Pending => Some("auditing"),
        TemplateStatus::Other(o) if o == "UNAUDIT" => Some("unaudit"),
        _ => None,
    }
}

fn s(v: &Value, k: &str) -> Option<String> {
    wabakit_core::raw::loose_text(v.get(k))
}

/// `r` with what the answer says (seed 003): the `TemplateCode` and `TemplateName` cams gives
/// the template, and the `RequestId`.
pub fn saved_ref(mut r: TemplateRef, saved: Saved) -> TemplateRef {
    if let Some(d) = saved.data {
        if let Some(name) = d.template_name {
            r.name = name;
        }
        if let (Some(code), RefState::Created { id, .. } | RefState::Updated { id, .. }) =
            (d.template_code, &mut r.state)
        {
            *id = TemplateId(code);
        }
    }
    r.with_request_id(saved.request_id)
}

/// A template from GetChatappTemplateDetail's `Data` or a ListTemplate item.
pub fn info(v: &Value) -> Option<TemplateInfo> {
    Some(TemplateInfo {
        id: TemplateId(s(v, "TemplateCode")?),
        name: s(v, "TemplateName")
            .or_else(|| s(v, "Name"))
            .unwrap_or_default(),
        language: s(v, "Language").unwrap_or_default(),
        category: s(v, "Category").unwrap_or_default(),
        status: status_of(&s(v, "AuditStatus").unwrap_or_default()),
        reason: s(v, "Reason").filter(|r| !r.is_empty()),
        quality: s(v, "QualityScore"),
        template: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &'static str) -> HttpResponse {
        HttpResponse {
            status,
            headers: Default::default(),
            body: body.into(),
        }
    }

    #[test]
    fn a_typed_answer_reads_only_its_fields() {
        // The stub's answer: `Code` decides, the numeric NXCloud-style `code` is not text.
        let sent: Brief = interpret(answer(
            200,
            r#"{"RequestId":"R","Code":"OK","MessageId":"m1","Data":{"a":[1,{"b":null}]},"code":0}"#,
        ))
        .unwrap();
        assert_eq!(sent.message_id.as_deref(), Some("m1"));
        // No code at all, or a code that is not text: the answer stands.
        let v: Value = interpret(answer(200, r#"{"Code":5,"x":1}"#)).unwrap();
        assert_eq!(v["x"], 1);
    }

    #[test]
    fn lower_case_spellings_are_read() {
        let e = interpret::<Value>(answer(
            400,
            r#"{"code":"Throttling.User","message":"slow down","requestId":"r9","accessDeniedDetail":""}"#,
        ))
        .unwrap_err();
        assert_eq!(
            (e.kind(), e.code(), e.message(), e.request_id(), e.details()),
            (
                ErrorKind::RateLimited,
                Some("Throttling.User"),
                "slow down",
                Some("r9"),
                None
            )
        );
    }

    #[test]
    fn an_unreadable_success_may_have_been_delivered() {
        for body in ["<html>ok</html>", "[1,2]", r#"{"Code":"OK","MessageId":7}"#] {
            let e = interpret::<Brief>(answer(200, body)).unwrap_err();
            assert_eq!(
                (e.kind(), e.delivery()),
                (ErrorKind::Transport, Delivery::MayHaveBeenDelivered),
                "{body}"
            );
            assert!(e.message().starts_with("unreadable answer: "), "{e}");
        }
    }
}
