//! The fake's operations: NXCloud's documented answers, over the state.

use serde_json::{json, Value};

use super::state::{Delivered, FakeTemplate, State};
use crate::ops::Op;

/// An answer: NXCloud code, message, data, and webhook bodies to post afterwards.
pub struct Answer {
    pub code: i64,
    pub message: String,
    pub data: Value,
    pub webhooks: Vec<Value>,
}

impl Answer {
    fn ok(data: Value) -> Self {
        Answer {
            code: 0,
            message: "请求成功".into(),
            data,
            webhooks: Vec::new(),
        }
    }

    fn err(code: i64, message: impl Into<String>) -> Self {
        Answer {
            code,
            message: message.into(),
            data: Value::Null,
            webhooks: Vec::new(),
        }
    }

    /// 9099: Meta's error object in `data.error`.
    fn graph(code: i64, subcode: Option<i64>, message: &str) -> Self {
        let mut error = json!({"code": code, "message": message, "type": "OAuthException", "fbtrace_id": "AfakeTrace"});
        if let Some(s) = subcode {
            error["error_subcode"] = json!(s);
        }
        Answer {
            code: 9099,
            message: "WhatsApp error".into(),
            data: json!({"error": error}),
            webhooks: Vec::new(),
        }
    }
}

/// Who the fake serves: the account's app key and sender number.
pub struct Account<'a> {
    pub app_key: &'a str,
    pub business_phone: &'a str,
    pub instant_review: bool,
    pub now_secs: i64,
}

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// The common body fields of every WhatsApp endpoint.
fn common(v: &Value, a: &Account, required: &[&str]) -> Result<(), Answer> {
    for k in ["appkey", "business_phone", "messaging_product"]
        .iter()
        .chain(required)
    {
        if v.get(*k).is_none_or(Value::is_null) {
            return Err(Answer::err(9000, format!("参数异常: {k} is required")));
        }
    }
    if s(v, "messaging_product") != Some("whatsapp") {
        return Err(Answer::err(
            9000,
            "参数异常: messaging_product must be whatsapp",
        ));
    }
    if s(v, "appkey") != Some(a.app_key) {
        return Err(Answer::err(
            9003,
            "application does not exist or is unavailable",
        ));
    }
    if s(v, "business_phone") != Some(a.business_phone) {
        return Err(Answer::err(9002, "merchant phone number error"));
    }
    Ok(())
}

/// The status webhook a review decision sends (template-webhook page).
pub fn status_event(t: &FakeTemplate, a: &Account) -> Value {
    json!({
        "field": "message_template_status_update",
        "value": {
            "business_phone": a.business_phone,
            "event": t.status,
            "message_template_id": t.id.parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::from(t.id.clone())),
            "message_template_language": t.language,
            "message_template_name": t.name,
            "reason": if t.reason.is_empty() { "NONE" } else { &t.reason },
            "time": a.now_secs,
            "wabaId": "1234567890",
        }
    })
}

pub fn handle(op: Op, v: &Value, st: &mut State, a: &Account) -> Answer {
    let r = match op {
        Op::CreateTemplate => create(v, st, a, None),
        Op::CreateTemplateAsync => create_async(v, st, a),
        Op::UpdateTemplate => update(v, st, a),
        Op::GetTemplate => get(v, st, a),
        Op::DeleteTemplate => delete(v, st, a),
        Op::Send | Op::SaasSend => send(op, v, st, a),
        Op::UploadTemplateFile => unreachable!("multipart is handled apart"),
    };
    r.unwrap_or_else(|e| e)
}

fn create(
    v: &Value,
    st: &mut State,
    a: &Account,
    request_id: Option<&str>,
) -> Result<Answer, Answer> {
    common(v, a, &["name", "category", "language", "components"])?;
    let (name, language) = (
        s(v, "name").unwrap_or_default(),
        s(v, "language").unwrap_or_default(),
    );
    if !v["components"].is_array() {
        return Err(Answer::err(9000, "参数异常: components must be a list"));
    }
    if st
        .templates
        .iter()
        .any(|t| t.name == name && t.language == language)
    {
        return Err(Answer::err(-1, "这种语言的内容已存在"));
    }
    let id = st.new_template_id();
    let mut t = FakeTemplate {
        id: id.clone(),
        name: name.into(),
        language: language.into(),
        category: s(v, "category").unwrap_or_default().to_uppercase(),
        components: v["components"].clone(),
        ttl: v.get("message_send_ttl_seconds").and_then(Value::as_i64),
        status: "PENDING".into(),
        reason: String::new(),
    };
    let mut answer = Answer::ok(json!({"id": id, "status": "PENDING", "category": t.category}));
    if let Some(r) = request_id {
        answer.webhooks.push(
            json!({"code": 0, "message": "请求成功", "data": answer.data.clone(), "requestId": r}),
        );
    }
    if a.instant_review {
        t.status = "APPROVED".into();
        answer.webhooks.push(status_event(&t, a));
    }
    st.templates.push(t);
    Ok(answer)
}

/// createTemplateAsync: acknowledged at once; the result arrives by webhook.
fn create_async(v: &Value, st: &mut State, a: &Account) -> Result<Answer, Answer> {
    common(v, a, &[])?;
    st.next_message += 1;
    let request_id = format!("{:032x}", 0xfa4e_0000_u64 + st.next_message);
    let webhooks = match create(v, st, a, Some(&request_id)) {
        Ok(created) => created.webhooks,
        Err(e) => {
            vec![json!({"code": e.code, "message": e.message, "data": [], "requestId": request_id})]
        }
    };
    Ok(Answer {
        webhooks,
        ..Answer::ok(json!({"requestId": request_id}))
    })
}

fn find_by_id<'a>(st: &'a mut State, id: &str) -> Result<&'a mut FakeTemplate, Answer> {
    st.templates.iter_mut().find(|t| t.id == id).ok_or_else(|| {
        Answer::graph(
            100,
            Some(33),
            &format!("Unsupported post request. Object with ID '{id}' does not exist"),
        )
    })
}

fn update(v: &Value, st: &mut State, a: &Account) -> Result<Answer, Answer> {
    common(v, a, &["template_id", "components"])?;
    let id = v["template_id"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| v["template_id"].to_string());
    let t = find_by_id(st, &id)?;
    if !matches!(t.status.as_str(), "APPROVED" | "REJECTED" | "PAUSED") {
        return Err(Answer::graph(
            100,
            None,
            &format!(
                "Invalid parameter: a {} template cannot be edited",
                t.status
            ),
        ));
    }
    t.components = v["components"].clone();
    if let Some(c) = s(v, "category") {
        t.category = c.to_uppercase();
    }
    t.status = "PENDING".into();
    t.reason.clear();
    let mut answer = Answer::ok(json!({"id": id, "success": true}));
    if a.instant_review {
        t.status = "APPROVED".into();
        answer.webhooks.push(status_event(t, a));
    }
    Ok(answer)
}

/// A template as getTemplate lists it: Meta's template object (with its TTL when it has one).
fn listing(t: &FakeTemplate) -> Value {
    let mut v = json!({
        "id": t.id, "name": t.name, "language": t.language, "category": t.category,
        "status": t.status, "rejected_reason": if t.reason.is_empty() { "NONE" } else { &t.reason },
        "quality_score": {"score": "UNKNOWN"}, "components": t.components,
    });
    if let Some(ttl) = t.ttl {
        v["message_send_ttl_seconds"] = json!(ttl);
    }
    v
}

/// Meta's cursor paging: `after` is the id of the last template of the previous page.
fn get(v: &Value, st: &mut State, a: &Account) -> Result<Answer, Answer> {
    common(v, a, &[])?;
    let limit = v
        .get("limit")
        .and_then(Value::as_u64)
        .unwrap_or(20)
        .clamp(1, 100) as usize;
    let name = s(v, "name");
    let all: Vec<&FakeTemplate> = st
        .templates
        .iter()
        .filter(|t| name.is_none_or(|n| n == t.name))
        .collect();
    let start = match s(v, "after") {
        Some(after) => all
            .iter()
            .position(|t| t.id == after)
            .map_or(all.len(), |i| i + 1),
        None => 0,
    };
    let page: Vec<&FakeTemplate> = all.iter().skip(start).take(limit).copied().collect();
    let mut paging = json!({"cursors": {
        "before": page.first().map(|t| t.id.clone()).unwrap_or_default(),
        "after": page.last().map(|t| t.id.clone()).unwrap_or_default(),
    }});
    if start + page.len() < all.len() {
        let after = page.last().map(|t| t.id.clone()).unwrap_or_default();
        paging["next"] = json!(format!("https://graph.facebook.com/v21.0/1234567890/message_templates?limit={limit}&after={after}"));
    }
    Ok(Answer::ok(
        json!({"data": page.into_iter().map(listing).collect::<Vec<_>>(), "paging": paging}),
    ))
}

fn delete(v: &Value, st: &mut State, a: &Account) -> Result<Answer, Answer> {
    common(v, a, &["name"])?;
    let name = s(v, "name").unwrap_or_default();
    let before = st.templates.len();
    st.templates.retain(|t| t.name != name);
    if st.templates.len() == before {
        return Err(Answer::graph(
            100,
            Some(33),
            &format!("template name {name:?} does not exist"),
        ));
    }
    Ok(Answer::ok(json!({"success": true})))
}

/// The fields of seed 004's SAAS send body, and nothing else.
const SAAS_FIELDS: [&str; 8] = [
    "tenant_id",
    "appkey",
    "business_phone",
    "messaging_product",
    "recipient_type",
    "to",
    "type",
    "template",
];

/// `{{n}}` variables of the stored template's BODY: distinct ones, or every occurrence (the
/// SAAS send takes a value per occurrence, seed 004).
fn body_variables(t: &FakeTemplate, per_occurrence: bool) -> usize {
    let body = t.components.as_array().and_then(|cs| {
        cs.iter()
            .find(|c| {
                c["type"]
                    .as_str()
                    .is_some_and(|k| k.eq_ignore_ascii_case("BODY"))
            })
            .and_then(|c| c["text"].as_str())
    });
    let mut nums: Vec<&str> = Vec::new();
    let text = body.unwrap_or_default();
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        let after = &rest[i + 2..];
        match after.find("}}") {
            Some(j) => {
                if per_occurrence || !nums.contains(&&after[..j]) {
                    nums.push(&after[..j]);
                }
                rest = &after[j + 2..];
            }
            None => break,
        }
    }
    nums.len()
}

fn send(op: Op, v: &Value, st: &mut State, a: &Account) -> Result<Answer, Answer> {
    if op == Op::SaasSend {
        if v.get("tenant_id").is_none_or(Value::is_null) {
            return Err(Answer::err(21058, "参数异常: tenant_id 必填"));
        }
        // Stricter than NXCloud may be: a field seed 004 does not list is our mistake.
        if let Some(k) = v
            .as_object()
            .and_then(|o| o.keys().find(|k| !SAAS_FIELDS.contains(&k.as_str())))
        {
            return Err(Answer::err(
                -1,
                format!("请求失败: {k} is not a field of the SAAS send"),
            ));
        }
    }
    common(v, a, &["recipient_type", "to", "type"])?;
    if s(v, "type") != Some("template") {
        return Err(Answer::err(
            9000,
            "参数异常: the fake sends template messages only",
        ));
    }
    let to = s(v, "to").unwrap_or_default();
    if !to.bytes().all(|b| b.is_ascii_digit()) || !(7..=15).contains(&to.len()) {
        return Err(Answer::graph(
            131009,
            None,
            "Parameter value is not valid: to",
        ));
    }
    let name = v
        .pointer("/template/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let code = v
        .pointer("/template/language/code")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some(t) = st
        .templates
        .iter()
        .find(|t| t.name == name && t.language == code)
    else {
        return Err(Answer::graph(
            132001,
            None,
            "Template name does not exist in the translation",
        ));
    };
    if t.status != "APPROVED" {
        return Err(Answer::graph(
            132001,
            None,
            &format!("Template is {} and cannot be sent", t.status),
        ));
    }
    let given = v
        .pointer("/template/components")
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| c["type"] == "body"))
        .and_then(|c| c["parameters"].as_array())
        .map_or(0, Vec::len);
    if given != body_variables(t, op == Op::SaasSend) {
        return Err(Answer::graph(
            132000,
            None,
            "Number of parameters does not match the expected number of params",
        ));
    }
    let cus = s(v, "cus_message_id").map(str::to_owned);
    st.next_message += 1;
    let message_id = cus
        .clone()
        .unwrap_or_else(|| format!("wamid.fake-{}", st.next_message));
    st.delivered.push(Delivered {
        message_id: message_id.clone(),
        cus_message_id: cus,
        to: to.to_owned(),
        template: name.to_owned(),
        body: v.clone(),
    });
    let mut answer = Answer::ok(if op == Op::SaasSend {
        json!({"message_id": message_id})
    } else {
        json!({"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to}], "messages": [{"id": message_id}]})
    });
    if op == Op::SaasSend {
        // As seed 004 answers: an empty message (and the envelope's traceId).
        answer.message = String::new();
    }
    // The message goes out, then reaches the phone: a status callback for each.
    answer.webhooks = ["sent", "delivered"]
        .into_iter()
        .map(|status| message_status(&message_id, to, status, a))
        .collect();
    Ok(answer)
}

/// A message status callback, as NXCloud forwards WhatsApp's.
fn message_status(id: &str, to: &str, status: &str, a: &Account) -> Value {
    json!({
        "statuses": [{"id": id, "status": status, "timestamp": a.now_secs.to_string(), "recipient_id": to,
                      "conversation": {"id": format!("conv-{id}"), "origin": {"type": "utility"}},
                      "pricing": {"billable": true, "category": "utility", "pricing_model": "CBP"}}],
        "business_phone": a.business_phone,
        "messaging_product": "whatsapp"
    })
}
