//! The fake's operations: the Graph API's documented answers (spec §2–§4), over the state.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::state::{Delivered, FakeTemplate, State, Upload};
use super::verify::query_value;

/// An answer: HTTP status, JSON body, and webhook bodies to post afterwards.
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub webhooks: Vec<Value>,
}

impl Answer {
    fn ok(body: Value) -> Self {
        Answer {
            status: 200,
            body,
            webhooks: Vec::new(),
        }
    }

    /// A Graph error object (spec §5.1).
    pub fn error(
        status: u16,
        code: i64,
        subcode: Option<i64>,
        message: &str,
        details: Option<&str>,
    ) -> Self {
        let mut e = json!({
            "message": format!("(#{code}) {message}"), "type": "OAuthException", "code": code,
            "fbtrace_id": "AfakeTrace0123",
        });
        if let Some(s) = subcode {
            e["error_subcode"] = json!(s);
        }
        if let Some(d) = details {
            e["error_data"] = json!({"messaging_product": "whatsapp", "details": d});
        }
        Answer {
            status,
            body: json!({ "error": e }),
            webhooks: Vec::new(),
        }
    }

    fn invalid(message: &str) -> Self {
        Answer::error(400, 100, None, "Invalid parameter", Some(message))
    }

    fn no_object(id: &str, verb: &str) -> Self {
        Answer::error(
            400,
            100,
            Some(33),
            &format!("Unsupported {verb} request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation"),
            None,
        )
    }
}

/// Who the fake serves, and how it reviews and limits.
pub struct Account<'a> {
    pub waba_id: &'a str,
    pub phone_number_id: &'a str,
    pub display_phone_number: &'a str,
    pub app_id: &'a str,
    pub instant_review: bool,
    pub now_secs: i64,
    /// When the request arrived (Unix ms).
    pub now_millis: u64,
    /// Messages to one recipient allowed within the pair window before 131056.
    pub pair_burst: u32,
    /// The statuses a send's webhooks report.
    pub statuses: &'static [&'static str],
    pub pair_window: Duration,
}

/// Which Graph endpoint a request is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    CreateTemplate,
    ListTemplates,
    DeleteTemplate,
    GetTemplate(String),
    EditTemplate(String),
    Send,
    StartUpload,
    Upload(String),
}

impl Route {
    /// The route of `method` and `path` (the version already taken off), for this account.
    pub fn of(method: &str, rest: &[&str], a: &Account) -> Option<Route> {
        Some(match (method, rest) {
            ("POST", [w, "message_templates"]) if *w == a.waba_id => Route::CreateTemplate,
            ("GET", [w, "message_templates"]) if *w == a.waba_id => Route::ListTemplates,
            ("DELETE", [w, "message_templates"]) if *w == a.waba_id => Route::DeleteTemplate,
            ("POST", [p, "messages"]) if *p == a.phone_number_id => Route::Send,
            ("POST", [app, "uploads"]) if *app == a.app_id => Route::StartUpload,
            ("POST", [u]) if u.starts_with("upload:") => Route::Upload((*u).to_owned()),
            ("GET", [id]) => Route::GetTemplate((*id).to_owned()),
            ("POST", [id]) => Route::EditTemplate((*id).to_owned()),
            _ => return None,
        })
    }

    /// The neutral operation it serves: what a fault's `on` names.
    pub fn operation(&self) -> &'static str {
        match self {
            Route::CreateTemplate => "create_template",
            Route::ListTemplates => "list_templates",
            Route::DeleteTemplate => "delete_template",
            Route::GetTemplate(_) => "get_template",
            Route::EditTemplate(_) => "update_template",
            Route::Send => "send",
            Route::StartUpload | Route::Upload(_) => "upload_template_file",
        }
    }
}

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// The query's value of `key`, percent-decoded.
fn param(query: &str, key: &str) -> Option<String> {
    query_value(query, key).map(|v| {
        percent_encoding::percent_decode_str(v)
            .decode_utf8_lossy()
            .into_owned()
    })
}

/// The webhook envelope (spec §7.3) around one change.
fn envelope(a: &Account, field: &str, value: Value, with_time: bool) -> Value {
    let mut entry = json!({"id": a.waba_id, "changes": [{"value": value, "field": field}]});
    // `time` is on template fields, not on `messages`.
    if with_time {
        entry["time"] = json!(a.now_secs);
    }
    json!({"object": "whatsapp_business_account", "entry": [entry]})
}

/// The `message_template_status_update` a review decision sends (spec §7.5).
pub fn status_event(t: &FakeTemplate, a: &Account) -> Value {
    let id =
        t.id.parse::<u64>()
            .map_or_else(|_| json!(t.id), |n| json!(n));
    envelope(
        a,
        "message_template_status_update",
        json!({
            "event": t.status, "message_template_id": id, "message_template_name": t.name,
            "message_template_language": t.language, "reason": t.reason,
            "message_template_category": t.category,
        }),
        true,
    )
}

/// A `messages` change with one status of a sent message (spec §7.4).
fn message_status(d: &Delivered, status: &str, a: &Account, category: &str) -> Value {
    let mut st = json!({
        "id": d.message_id, "status": status, "timestamp": a.now_secs.to_string(),
        "recipient_id": d.to.trim_start_matches('+'),
        "pricing": {"billable": true, "pricing_model": "PMP", "category": category.to_lowercase(), "type": "regular"},
    });
    if let Some(c) = &d.callback_data {
        st["biz_opaque_callback_data"] = json!(c);
    }
    envelope(
        a,
        "messages",
        json!({
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": a.display_phone_number, "phone_number_id": a.phone_number_id},
            "statuses": [st],
        }),
        false,
    )
}

pub fn handle(route: &Route, query: &str, body: &[u8], st: &mut State, a: &Account) -> Answer {
    let json_body = || {
        serde_json::from_slice::<Value>(body).map_err(|_| Answer::invalid("the body is not JSON"))
    };
    let r = match route {
        Route::CreateTemplate => json_body().and_then(|v| create(&v, st, a)),
        Route::ListTemplates => Ok(list(query, st)),
        Route::DeleteTemplate => delete(query, st),
        Route::GetTemplate(id) => get(id, st),
        Route::EditTemplate(id) => json_body().and_then(|v| edit(id, &v, st, a)),
        Route::Send => json_body().and_then(|v| send(&v, st, a)),
        Route::StartUpload => start_upload(query, st),
        Route::Upload(id) => Ok(upload(id, body, st)),
    };
    r.unwrap_or_else(|e| e)
}

fn create(v: &Value, st: &mut State, a: &Account) -> Result<Answer, Answer> {
    for k in ["name", "language", "category", "components"] {
        if v.get(k).is_none_or(Value::is_null) {
            return Err(Answer::invalid(&format!("{k} is required")));
        }
    }
    let (name, language) = (
        s(v, "name").unwrap_or_default(),
        s(v, "language").unwrap_or_default(),
    );
    if !v["components"].is_array() {
        return Err(Answer::invalid("components must be a list"));
    }
    if st
        .templates
        .iter()
        .any(|t| t.name == name && t.language == language)
    {
        return Err(Answer::error(
            400,
            100,
            Some(2_388_024),
            "Invalid parameter",
            Some(&format!(
                "Content in this language already exists: {name} in {language}"
            )),
        ));
    }
    let id = (1_689_556_908_129_000 + st.new_id()).to_string();
    let mut t = FakeTemplate {
        id: id.clone(),
        name: name.into(),
        language: language.into(),
        category: s(v, "category").unwrap_or_default().to_uppercase(),
        parameter_format: s(v, "parameter_format").map(str::to_uppercase),
        components: v["components"].clone(),
        ttl: v.get("message_send_ttl_seconds").and_then(Value::as_i64),
        status: "PENDING".into(),
        reason: "NONE".into(),
    };
    let mut answer = Answer::ok(json!({"id": id, "status": "PENDING", "category": t.category}));
    if a.instant_review {
        t.status = "APPROVED".into();
        answer.webhooks.push(status_event(&t, a));
    }
    st.templates.push(t);
    Ok(answer)
}

/// A template as a read shows it (spec §2.4).
fn object(t: &FakeTemplate) -> Value {
    let mut v = json!({
        "id": t.id, "name": t.name, "language": t.language, "status": t.status,
        "category": t.category, "components": t.components, "rejected_reason": t.reason,
        "quality_score": {"score": "UNKNOWN"},
    });
    if let Some(f) = &t.parameter_format {
        v["parameter_format"] = json!(f);
    }
    if let Some(ttl) = t.ttl {
        v["message_send_ttl_seconds"] = json!(ttl);
    }
    v
}

/// Cursor paging: `after` is the id of the last template of the previous page. The name
/// filter matches part of a name, as Meta's does.
fn list(query: &str, st: &State) -> Answer {
    let limit = param(query, "limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(25)
        .clamp(1, 100);
    let name = param(query, "name");
    let language = param(query, "language");
    let status = param(query, "status");
    let after = param(query, "after");
    let all: Vec<&FakeTemplate> = st
        .templates
        .iter()
        .filter(|t| name.as_deref().is_none_or(|n| t.name.contains(n)))
        .filter(|t| language.as_deref().is_none_or(|l| l == t.language))
        .filter(|t| {
            status
                .as_deref()
                .is_none_or(|s| s.split(',').any(|s| s == t.status))
        })
        .collect();
    let start = after
        .and_then(|a| all.iter().position(|t| t.id == a).map(|i| i + 1))
        .unwrap_or(0);
    let page: Vec<&FakeTemplate> = all.iter().skip(start).take(limit).copied().collect();
    let mut paging = json!({"cursors": {
        "before": page.first().map(|t| t.id.clone()).unwrap_or_default(),
        "after": page.last().map(|t| t.id.clone()).unwrap_or_default(),
    }});
    if start + page.len() < all.len() {
        paging["next"] = json!(format!(
            "https://graph.facebook.com/v23.0/message_templates?after={}",
            page.last().map(|t| t.id.as_str()).unwrap_or_default()
        ));
    }
    Answer::ok(json!({
        "data": page.iter().map(|t| object(t)).collect::<Vec<_>>(),
        "paging": paging,
    }))
}

fn get(id: &str, st: &State) -> Result<Answer, Answer> {
    st.templates
        .iter()
        .find(|t| t.id == id)
        .map(|t| Answer::ok(object(t)))
        .ok_or_else(|| Answer::no_object(id, "get"))
}

/// Meta's edit rules (spec §2.3): approved, rejected or paused templates only; an approved
/// template's category stays; the components replace all; the template goes back to review.
fn edit(id: &str, v: &Value, st: &mut State, a: &Account) -> Result<Answer, Answer> {
    let t = st
        .templates
        .iter_mut()
        .find(|t| t.id == id)
        .ok_or_else(|| Answer::no_object(id, "post"))?;
    if !matches!(t.status.as_str(), "APPROVED" | "REJECTED" | "PAUSED") {
        return Err(Answer::invalid(&format!(
            "a {} template cannot be edited",
            t.status
        )));
    }
    if let Some(c) = s(v, "category").map(str::to_uppercase) {
        if c != t.category && t.status == "APPROVED" {
            return Err(Answer::invalid(
                "the category of an approved template cannot be changed",
            ));
        }
        t.category = c;
    }
    if let Some(c) = v.get("components") {
        if !c.is_array() {
            return Err(Answer::invalid("components must be a list"));
        }
        t.components = c.clone();
    }
    if let Some(ttl) = v.get("message_send_ttl_seconds").and_then(Value::as_i64) {
        t.ttl = Some(ttl);
    }
    t.status = "PENDING".into();
    t.reason = "NONE".into();
    let mut answer = Answer::ok(json!({"success": true}));
    if a.instant_review {
        t.status = "APPROVED".into();
        answer.webhooks.push(status_event(t, a));
    }
    Ok(answer)
}

/// By `name` (every language) or by `name` and `hsm_id` (that one).
fn delete(query: &str, st: &mut State) -> Result<Answer, Answer> {
    let name = param(query, "name").ok_or_else(|| Answer::invalid("name is required"))?;
    let id = param(query, "hsm_id");
    let before = st.templates.len();
    st.templates
        .retain(|t| !(t.name == name && id.as_deref().is_none_or(|i| i == t.id)));
    if st.templates.len() == before {
        return Err(Answer::error(
            400,
            100,
            Some(33),
            &format!("Message template \"{name}\" not found"),
            None,
        ));
    }
    Ok(Answer::ok(json!({"success": true})))
}

/// The number of `{{…}}` variables in a component's text.
fn variables(text: &str) -> usize {
    text.matches("{{").count()
}

fn send(v: &Value, st: &mut State, a: &Account) -> Result<Answer, Answer> {
    if s(v, "messaging_product") != Some("whatsapp") {
        return Err(Answer::invalid("messaging_product must be whatsapp"));
    }
    if s(v, "type") != Some("template") {
        return Err(Answer::invalid("the fake takes template messages only"));
    }
    let to = s(v, "to").ok_or_else(|| {
        Answer::error(
            400,
            131008,
            None,
            "Required parameter is missing",
            Some("to is required"),
        )
    })?;
    let name = v
        .pointer("/template/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let language = v
        .pointer("/template/language/code")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some(t) = st
        .templates
        .iter()
        .find(|t| t.name == name && t.language == language && t.status == "APPROVED")
    else {
        return Err(Answer::error(
            404,
            132001,
            None,
            "Template name does not exist in the translation",
            Some(&format!(
                "template name ({name}) does not exist in {language}"
            )),
        ));
    };
    // The body's parameter count must be the template's (132000).
    let wanted = t
        .components
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| s(c, "type").is_some_and(|k| k.eq_ignore_ascii_case("body")))
        .and_then(|c| s(c, "text"))
        .map_or(0, variables);
    let given = v
        .pointer("/template/components")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|c| s(c, "type") == Some("body"))
        .and_then(|c| c.get("parameters"))
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if wanted != given {
        return Err(Answer::error(
            400,
            132000,
            None,
            "Number of parameters does not match the expected number of params",
            Some(&format!("body: number of localizable_params ({given}) does not match the expected number of params ({wanted})")),
        ));
    }
    let category = t.category.clone();
    let digits = to.trim_start_matches('+').to_owned();
    // The pair rate limit: so many messages to one user within the window (spec §6.2).
    let now = Instant::now();
    let sends = st.pair_sends.entry(digits.clone()).or_default();
    while sends
        .front()
        .is_some_and(|t| now.duration_since(*t) >= a.pair_window)
    {
        sends.pop_front();
    }
    if sends.len() >= a.pair_burst as usize {
        return Err(Answer::error(
            400,
            131056,
            None,
            "(Business Account, Consumer Account) pair rate limit hit",
            Some("Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time."),
        ));
    }
    sends.push_back(now);
    let n = st.new_id();
    let message_id = format!("wamid.HBgLZmFrZS0{n:016X}AA");
    let d = Delivered {
        message_id: message_id.clone(),
        callback_data: s(v, "biz_opaque_callback_data").map(str::to_owned),
        to: to.to_owned(),
        template: name.to_owned(),
        body: v.clone(),
        received_at_millis: a.now_millis,
    };
    let webhooks = a
        .statuses
        .iter()
        .map(|status| message_status(&d, status, a, &category))
        .collect();
    st.delivered.push(d);
    Ok(Answer {
        webhooks,
        ..Answer::ok(json!({
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": digits}],
            "messages": [{"id": message_id, "message_status": "accepted"}],
        }))
    })
}

/// The MIME types the Resumable Upload API takes (spec §4).
const UPLOAD_TYPES: [&str; 5] = [
    "application/pdf",
    "image/jpeg",
    "image/jpg",
    "image/png",
    "video/mp4",
];

fn start_upload(query: &str, st: &mut State) -> Result<Answer, Answer> {
    let file_length = param(query, "file_length")
        .and_then(|l| l.parse::<usize>().ok())
        .filter(|l| *l > 0)
        .ok_or_else(|| Answer::invalid("file_length must be a positive number"))?;
    let file_type = param(query, "file_type").unwrap_or_default();
    if !UPLOAD_TYPES.contains(&file_type.as_str()) {
        return Err(Answer::invalid(&format!(
            "file_type {file_type:?} is not supported"
        )));
    }
    let id = format!("upload:MTphdHRhY2htZW50OmZha2Ut{:08}", st.new_id());
    st.uploads.insert(
        id.clone(),
        Upload {
            file_length,
            file_type,
            received: Vec::new(),
        },
    );
    Ok(Answer::ok(json!({ "id": id })))
}

/// The bytes of a session, from offset 0: the answer is the handle.
fn upload(id: &str, body: &[u8], st: &mut State) -> Answer {
    let Some(u) = st.uploads.get_mut(id) else {
        return Answer::no_object(id, "post");
    };
    if body.len() != u.file_length {
        return Answer::invalid(&format!(
            "{} bytes received for a file of {}",
            body.len(),
            u.file_length
        ));
    }
    u.received = body.to_vec();
    let digest = hex::encode(&Sha256::digest(body)[..12]);
    let mime = hex::encode(u.file_type.as_bytes());
    Answer::ok(json!({"h": format!("4::{mime}:{digest}")}))
}
