//! The fake's operations, answering as cams documents.

use serde_json::{json, Value};

use super::{Delivered, FakeTemplate};
use crate::ops::Action;

pub type Failure = (u16, &'static str, String);

pub struct Account<'a> {
    pub cust_space_id: &'a str,
    pub from: &'a str,
    pub instant_review: bool,
}

#[derive(Default)]
pub struct Store {
    pub templates: Vec<FakeTemplate>,
    pub delivered: Vec<Delivered>,
    pub next: u64,
}

fn fail(code: &'static str, msg: impl Into<String>) -> Failure {
    (400, code, msg.into())
}

struct P<'a>(&'a [(String, String)]);

impl P<'_> {
    fn get(&self, k: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    fn req(&self, k: &'static str) -> Result<&str, Failure> {
        self.get(k).ok_or_else(|| {
            fail(
                "MissingParameter",
                format!("{k} is mandatory for this action."),
            )
        })
    }

    fn json(&self, k: &'static str) -> Result<Option<Value>, Failure> {
        match self.get(k) {
            None => Ok(None),
            Some(s) => serde_json::from_str(s)
                .map(Some)
                .map_err(|_| fail("InvalidParameter", format!("{k} is not JSON"))),
        }
    }
}

pub fn handle(
    action: Action,
    params: &[(String, String)],
    st: &mut Store,
    a: &Account,
) -> Result<Value, Failure> {
    let p = P(params);
    // Every operation names the instance; a send may leave it out.
    let space = if action == Action::SendChatappMessage {
        p.get("CustSpaceId")
    } else {
        Some(p.req("CustSpaceId")?)
    };
    if space.is_some_and(|s| s != a.cust_space_id) {
        return Err(fail(
            "Unknown.ResourceOwnerId",
            "The resource does not belong to the current user.",
        ));
    }
    match action {
        Action::CreateChatappTemplate => create(&p, st, a),
        Action::ModifyChatappTemplate => modify(&p, st, a),
        Action::GetChatappTemplateDetail => detail(&p, st),
        Action::ListChatappTemplate => list(&p, st),
        Action::DeleteChatappTemplate => delete(&p, st),
        Action::SendChatappMessage => send(&p, st, a),
        Action::GetChatappUploadAuthorization => Ok(json!({"Data": {
            "AccessKeyId": "STS.fakeUploadKey", "AccessKeySecret": "fake-upload-secret", "SecurityToken": "fake-upload-token",
            "BucketName": "cams-fake-bucket", "EndPoint": "oss-ap-southeast-1.aliyuncs.com", "Dir": format!("{}/", a.cust_space_id), "Expire": 3600
        }})),
    }
}

fn components(p: &P) -> Result<Value, Failure> {
    match p.json("Components")? {
        Some(v @ Value::Array(_)) => Ok(v),
        Some(_) => Err(fail(
            "InvalidParameter.ContentError",
            "Components must be a list",
        )),
        None => Err(fail(
            "MissingParameter",
            "Components is mandatory for this action.",
        )),
    }
}

fn create(p: &P, st: &mut Store, a: &Account) -> Result<Value, Failure> {
    let (name, language) = (p.req("Name")?.to_owned(), p.req("Language")?.to_owned());
    let category = p.req("Category")?.to_owned();
    let template_type = p.req("TemplateType")?.to_owned();
    let components = components(p)?;
    if st
        .templates
        .iter()
        .any(|t| t.name == name && t.language == language)
    {
        return Err(fail(
            "InvalidParameter.CreateError",
            "a template with this name and language already exists",
        ));
    }
    st.next += 1;
    let code = format!("{:032x}", 0xca45_0000_0000_u64 + st.next);
    st.templates.push(FakeTemplate {
        code: code.clone(),
        name: name.clone(),
        language,
        category,
        template_type,
        components,
        example: p.json("Example")?,
        ttl: p.get("MessageSendTtlSeconds").and_then(|t| t.parse().ok()),
        category_change_paused: p
            .get("CategoryChangePaused")
            .map(|b| b.eq_ignore_ascii_case("true")),
        audit: if a.instant_review { "pass" } else { "auditing" }.into(),
        reason: String::new(),
    });
    Ok(json!({"Success": true, "Data": {"TemplateCode": code, "TemplateName": name}}))
}

fn find<'a>(p: &P, st: &'a mut Store) -> Result<&'a mut FakeTemplate, Failure> {
    let code = p.get("TemplateCode");
    let name = p.get("TemplateName").or_else(|| p.get("Name"));
    let language = p.get("Language");
    st.templates
        .iter_mut()
        .find(|t| {
            code.is_none_or(|c| c == t.code)
                && name.is_none_or(|n| n == t.name)
                && language.is_none_or(|l| l == t.language)
                && (code.is_some() || name.is_some())
        })
        .ok_or_else(|| {
            fail(
                "DetailError.TemplateNotExist",
                "The template does not exist.",
            )
        })
}

fn modify(p: &P, st: &mut Store, a: &Account) -> Result<Value, Failure> {
    let components = components(p)?;
    let example = p.json("Example")?;
    let category = p.get("Category").map(str::to_owned);
    let ttl = p.get("MessageSendTtlSeconds").and_then(|t| t.parse().ok());
    let paused = p
        .get("CategoryChangePaused")
        .map(|b| b.eq_ignore_ascii_case("true"));
    let t = find(p, st)?;
    if !matches!(t.audit.as_str(), "unaudit" | "fail") {
        return Err(fail(
            "InvalidParameter.AuditStatusNotSupport",
            format!("a template in audit status {} cannot be modified", t.audit),
        ));
    }
    t.components = components;
    t.example = example;
    if let Some(c) = category {
        t.category = c;
    }
    t.ttl = ttl.or(t.ttl);
    t.category_change_paused = paused.or(t.category_change_paused);
    t.audit = if a.instant_review { "pass" } else { "auditing" }.into();
    t.reason.clear();
    Ok(json!({"Success": true, "Data": {"TemplateCode": t.code, "TemplateName": t.name}}))
}

fn detail(p: &P, st: &mut Store) -> Result<Value, Failure> {
    p.req("Language")?;
    let t = find(p, st)?;
    Ok(json!({"Success": true, "Data": {
        "AllowSend": t.audit == "pass", "AuditStatus": t.audit, "Category": t.category,
        "CategoryChangePaused": t.category_change_paused, "Components": t.components,
        "Example": t.example, "Language": t.language, "MessageSendTtlSeconds": t.ttl, "Name": t.name,
        "QualityScore": "UNKNOWN", "Reason": t.reason, "TemplateCode": t.code, "TemplateType": t.template_type
    }}))
}

fn list(p: &P, st: &mut Store) -> Result<Value, Failure> {
    let page = p.json("Page")?.unwrap_or(json!({"Index": 1, "Size": 10}));
    let (index, size) = (
        page["Index"].as_u64().unwrap_or(0),
        page["Size"].as_u64().unwrap_or(0),
    );
    if index == 0 || size == 0 {
        return Err(fail(
            "InvalidParameter.PageInvalid",
            "Page.Index and Page.Size start at 1",
        ));
    }
    let all: Vec<&FakeTemplate> = st
        .templates
        .iter()
        .filter(|t| p.get("Name").is_none_or(|n| n == t.name))
        .filter(|t| p.get("Language").is_none_or(|l| l == t.language))
        .filter(|t| p.get("AuditStatus").is_none_or(|s| s == t.audit))
        .collect();
    let items: Vec<Value> = all
        .iter()
        .skip(((index - 1) * size) as usize)
        .take(size as usize)
        .map(|t| json!({"AuditStatus": t.audit, "Category": t.category, "Language": t.language, "LastUpdateTime": 0,
                         "Reason": t.reason, "TemplateCode": t.code, "TemplateName": t.name, "TemplateType": t.template_type}))
        .collect();
    Ok(json!({"Success": true, "ListTemplate": items, "Total": all.len()}))
}

fn delete(p: &P, st: &mut Store) -> Result<Value, Failure> {
    let code = find(p, st)
        .map_err(|_| fail("DelError.TemplateNotExist", "The template does not exist."))?
        .code
        .clone();
    st.templates.retain(|t| t.code != code);
    Ok(json!({"Success": true}))
}

/// Distinct `{{n}}` variables anywhere in a template, and coupon codes written as a variable
/// (`$(couponCode)`, seed 003): cams keeps one set per template.
fn variables(components: &Value) -> usize {
    let mut names: Vec<String> = Vec::new();
    let mut walk = vec![components];
    while let Some(v) = walk.pop() {
        if let Some(name) = v
            .get("CouponCode")
            .and_then(Value::as_str)
            .and_then(wabakit_core::placeholder::coupon_variable)
        {
            names.push(format!("$({name})"));
        }
        match v {
            Value::String(s) => {
                let mut rest = s.as_str();
                while let Some(i) = rest.find("{{") {
                    let after = &rest[i + 2..];
                    let Some(j) = after.find("}}") else { break };
                    if !names.iter().any(|n| n == &after[..j]) {
                        names.push(after[..j].to_owned());
                    }
                    rest = &after[j + 2..];
                }
            }
            Value::Array(a) => walk.extend(a),
            Value::Object(m) => walk.extend(m.values()),
            _ => {}
        }
    }
    names.len()
}

fn send(p: &P, st: &mut Store, a: &Account) -> Result<Value, Failure> {
    p.req("ChannelType")?;
    if p.req("Type")? != "template" {
        return Err(fail(
            "InvalidParameter.MessageTypeNotSupport",
            "the fake sends template messages only",
        ));
    }
    if p.req("From")? != a.from {
        return Err(fail(
            "InvalidParameter.FromOnlyNumeric",
            "From is not a number of this instance",
        ));
    }
    let to = p.req("To")?.to_owned();
    if !to.bytes().all(|b| b.is_ascii_digit()) {
        return Err(fail(
            "InvalidParameter.PhoneNumberError",
            "To is not a phone number",
        ));
    }
    let params = p.json("TemplateParams")?;
    let t = find(p, st)?;
    if t.audit != "pass" {
        return Err(fail(
            "InvalidParameter.AuditStatusNotSupport",
            format!("a template in audit status {} cannot be sent", t.audit),
        ));
    }
    let given = params
        .as_ref()
        .and_then(Value::as_object)
        .map_or(0, |m| m.len());
    if given != variables(&t.components) {
        return Err(fail(
            "InvalidParameter.MessageInvalid",
            "TemplateParams do not match the template's variables",
        ));
    }
    let template = t.name.clone();
    st.next += 1;
    let message_id = format!("fakemsg{:012}", st.next);
    st.delivered.push(Delivered {
        message_id: message_id.clone(),
        task_id: p.get("TaskId").map(str::to_owned),
        to,
        template,
        params: params.unwrap_or(Value::Null),
        payload: p.json("Payload")?,
    });
    Ok(json!({"MessageId": message_id}))
}
