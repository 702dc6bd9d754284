//! cams' one request path: [`AlibabaProvider::prepare`] validates an operation and maps it to
//! an action and its API parameters; [`AlibabaProvider::sign`] signs those at a clock value
//! and nonce (ACS3 or V1). An operation and its render both go through here, so a dry run shows
//! exactly what the operation sends.

use std::borrow::Cow;
use std::time::{Duration, UNIX_EPOCH};

use serde_json::json;
use wabakit_core::raw::*;
use wabakit_core::*;

use crate::client::AlibabaProvider;
use crate::config::{Placement, SignatureVersion, API_VERSION};
use crate::encode::{form_pairs, form_pairs_after, Pair};
use crate::mapping;
use crate::ops::Action;
use crate::response::{audit_of, interpret, Answer};
use crate::sign::{payload_hash, sign_v1, sign_v3, V3Input};
use crate::NAME;

/// API parameters, sorted by name as the official SDK sends them.
pub type Params<'a> = Vec<Pair<'a>>;

/// A parameter: its name is a constant; its value is borrowed from the request's input where
/// it can be.
fn param<'a>(name: &'static str, value: impl Into<Cow<'a, str>>) -> Pair<'a> {
    (Cow::Borrowed(name), value.into())
}

/// A request ready to be signed at any clock value and nonce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prepared<'a> {
    /// The action to call.
    pub action: Action,
    /// Its API parameters, sorted by name.
    pub params: Params<'a>,
    /// Whether an attempt may be repeated.
    pub repeat: Repeat,
}

impl<'a> Prepared<'a> {
    /// `action` with these parameters; reads, deletes and modifies may be repeated.
    pub fn new(action: Action, params: Params<'a>) -> Self {
        let repeat = match action {
            Action::CreateChatappTemplate | Action::SendChatappMessage => Repeat::Unsafe,
            _ => Repeat::Safe,
        };
        Prepared {
            action,
            params,
            repeat,
        }
    }

    fn owned(self) -> Prepared<'static> {
        Prepared {
            action: self.action,
            params: self
                .params
                .into_iter()
                .map(|(k, v)| (Cow::Owned(k.into_owned()), Cow::Owned(v.into_owned())))
                .collect(),
            repeat: self.repeat,
        }
    }
}

/// `YYYY-MM-DDThh:mm:ssZ` (UTC, second precision), the `x-acs-date` / `Timestamp` form.
pub fn acs_date(unix_millis: u64) -> String {
    humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_millis(unix_millis)).to_string()
}

fn channel_type(c: Channel) -> &'static str {
    match c {
        Channel::Whatsapp => "WHATSAPP",
        Channel::Viber => "VIBER",
    }
}

impl AlibabaProvider {
    /// Validate `op` and build its (first) request, unsigned. A get without a language lists
    /// first (the detail API needs the language).
    pub fn prepare<'a>(&'a self, op: OperationRef<'a>) -> Result<Prepared<'a>> {
        Ok(match op {
            OperationRef::CreateTemplate(t) => {
                ensure_valid(self, t)?;
                Prepared::new(Action::CreateChatappTemplate, self.template_params(t, None))
            }
            OperationRef::UpdateTemplate(id, t) => {
                ensure_valid_update(self, id, t)?;
                Prepared::new(
                    Action::ModifyChatappTemplate,
                    self.template_params(t, Some(id)),
                )
            }
            OperationRef::GetTemplate(q) => {
                q.require(NAME)?;
                if q.language.is_none() {
                    let list = self.lookup(q);
                    return Ok(self.prepare(OperationRef::ListTemplates(&list))?.owned());
                }
                Prepared::new(Action::GetChatappTemplateDetail, self.query_params(q))
            }
            OperationRef::ListTemplates(q) => {
                Prepared::new(Action::ListChatappTemplate, self.list_params(q)?)
            }
            OperationRef::DeleteTemplate(q) => {
                q.require(NAME)?;
                Prepared::new(Action::DeleteChatappTemplate, self.query_params(q))
            }
            OperationRef::Send(m) => {
                // Checked against the template this client knows, as it is sent (by code).
                let known = self.known().get(&m.template, &m.language);
                let problems = validate_message(m, known.as_ref().map(|k| &k.template));
                if !problems.is_empty() {
                    return Err(Error::validation(problems).with_provider(NAME));
                }
                Prepared::new(
                    Action::SendChatappMessage,
                    self.send_params(m, known.as_deref())?,
                )
            }
            other => {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    format!("{NAME} does not serve {}", other.kind()),
                ))
            }
        })
    }

    /// The list query that finds a template named by `q` when its language is not given.
    pub(crate) fn lookup(&self, q: &TemplateQuery) -> ListQuery {
        ListQuery {
            name: q.name.clone(),
            limit: 100,
            ..Default::default()
        }
    }

    /// Send `p`, signed afresh (date and nonce) for every attempt.
    pub(crate) async fn call<T: Answer>(&self, p: &Prepared<'_>) -> Result<T> {
        let t = self.transport();
        t.call(
            p.action.neutral(),
            p.repeat,
            |a| Ok(self.sign(p, a.unix_millis, &t.nonce())),
            interpret,
        )
        .await
    }

    /// `p` signed at this time with this nonce.
    pub fn sign(&self, p: &Prepared, unix_millis: u64, nonce: &str) -> HttpRequest {
        let cfg = self.config();
        let (action, api) = (p.action, p.params.as_slice());
        let in_body = action.has_form_body() && cfg.template_params == Placement::Body;
        let date = acs_date(unix_millis);
        let body = if in_body {
            form_pairs(api).into_bytes()
        } else {
            Vec::new()
        };
        let mut headers: Vec<(Text, Text)> = Vec::with_capacity(11);
        headers.extend([
            ("host".into(), self.host().to_owned().into()),
            ("x-acs-version".into(), API_VERSION.into()),
            ("x-acs-action".into(), action.name().into()),
            ("accept".into(), "application/json".into()),
        ]);
        if in_body {
            headers.push((
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            ));
        }
        // V3 signs and sends the parameters as they are: borrowed, not copied, per attempt.
        let query: Cow<'_, [Pair]> = match cfg.signature {
            SignatureVersion::V3 => {
                let query: &[Pair] = if in_body { &[] } else { api };
                headers.push(("x-acs-date".into(), date.into()));
                headers.push(("x-acs-signature-nonce".into(), nonce.to_owned().into()));
                headers.push(("x-acs-content-sha256".into(), payload_hash(&body)));
                let hashed = headers.len() - 1;
                if let Some(t) = &cfg.security_token {
                    headers.push((
                        "x-acs-accesskey-id".into(),
                        cfg.access_key_id.as_str().to_owned().into(),
                    ));
                    headers.push(("x-acs-security-token".into(), t.expose().to_owned().into()));
                }
                let s = sign_v3(&V3Input {
                    method: "POST",
                    query,
                    headers: &headers,
                    body: &body,
                    hashed_payload: Some(&headers[hashed].1),
                    access_key_id: &cfg.access_key_id,
                    access_key_secret: cfg.access_key_secret.expose(),
                    signed_headers: None,
                });
                headers.push(("Authorization".into(), s.authorization.into()));
                Cow::Borrowed(query)
            }
            SignatureVersion::V1 => {
                let mut q: Params = vec![
                    param("Action", action.name()),
                    param("Format", "json"),
                    param("Version", API_VERSION),
                    param("Timestamp", date),
                    param("SignatureNonce", nonce),
                ];
                if !in_body {
                    q.extend(api.iter().cloned());
                }
                if let Some(t) = &cfg.security_token {
                    q.push(param("SecurityToken", t.expose()));
                }
                q.push(param("SignatureMethod", "HMAC-SHA1"));
                q.push(param("SignatureVersion", "1.0"));
                q.push(param("AccessKeyId", cfg.access_key_id.as_str()));
                let secret = cfg.access_key_secret.expose();
                // Body parameters are signed too.
                let signature = if in_body {
                    let all: Params = q.iter().chain(api).cloned().collect();
                    sign_v1("POST", &all, secret)
                } else {
                    sign_v1("POST", &q, secret)
                };
                q.push(param("Signature", signature.signature));
                Cow::Owned(q)
            }
        };
        let url = if query.is_empty() {
            self.root().to_owned()
        } else {
            form_pairs_after(self.root_query(), &query)
        };
        HttpRequest {
            method: "POST".into(),
            url,
            headers,
            body,
        }
    }

    pub(crate) fn common(&self) -> Params<'_> {
        let mut p = Vec::with_capacity(12);
        p.push(param("CustSpaceId", self.config().cust_space_id.as_str()));
        if let Some(i) = &self.config().isv_code {
            p.push(param("IsvCode", i.as_str()));
        }
        p
    }

    /// Create/Modify parameters, alphabetical like the official SDK's.
    fn template_params<'a>(&'a self, t: &'a Template, code: Option<&'a TemplateId>) -> Params<'a> {
        let mut p = self.common();
        // A Viber template's Category is its Viber kind (seed 003: "此属性只对 Viber 类型模板有效"),
        // derived from its components unless given; a WhatsApp template's is its WhatsApp
        // category, which an update may leave out.
        let category = match t.channel {
            Channel::Viber => mapping::viber_category(t).map(ViberCategory::as_str),
            Channel::Whatsapp => t.category.map(Category::as_str),
        };
        if let Some(c) = category {
            p.push(param("Category", c));
        }
        if let Some(c) = t.category_change_paused {
            p.push(param(
                "CategoryChangePaused",
                if c { "true" } else { "false" },
            ));
        }
        p.push(param("Components", mapping::components(t)));
        if let Some(e) = mapping::example(t) {
            p.push(param("Example", e));
        }
        p.push(param("Language", t.language.as_str()));
        if let Some(ttl) = t.message_send_ttl_seconds {
            p.push(param("MessageSendTtlSeconds", ttl.to_string()));
        }
        match code {
            Some(c) => p.push(param("TemplateCode", c.0.as_str())),
            None => p.push(param("Name", t.name.as_str())),
        }
        p.push(param("TemplateType", channel_type(t.channel)));
        p.sort();
        p
    }

    fn query_params<'a>(&'a self, q: &'a TemplateQuery) -> Params<'a> {
        let mut p = self.common();
        if let Some(id) = &q.id {
            p.push(param("TemplateCode", id.0.as_str()));
        } else if let Some(n) = &q.name {
            p.push(param("TemplateName", n.as_str()));
        }
        if let Some(l) = &q.language {
            p.push(param("Language", l.as_str()));
        }
        p.push(param("TemplateType", "WHATSAPP"));
        p.sort();
        p
    }

    fn list_params<'a>(&'a self, q: &'a ListQuery) -> Result<Params<'a>> {
        let index = page_index(q)?;
        let mut p = self.common();
        if let Some(n) = &q.name {
            p.push(param("Name", n.as_str()));
        }
        if let Some(l) = &q.language {
            p.push(param("Language", l.as_str()));
        }
        if let Some(a) = q.status.as_ref().and_then(audit_of) {
            p.push(param("AuditStatus", a));
        }
        p.push(param(
            "Page",
            json!({"Index": index, "Size": q.limit.clamp(1, 100)}).to_string(),
        ));
        p.sort();
        Ok(p)
    }

    /// `known`: the template, if this client knows it (then it is sent by code).
    fn send_params<'a>(
        &'a self,
        m: &'a TemplateMessage,
        known: Option<&Known>,
    ) -> Result<Params<'a>> {
        let to = recipient(m)?;
        let (params, payload) = mapping::message_params(m, known.map(|k| &k.template))?;
        let mut p = self.common();
        p.push(param("ChannelType", "whatsapp"));
        p.push(param("From", self.config().from.as_str()));
        p.push(param("Language", m.language.as_str()));
        if let Some(pl) = payload {
            p.push(param("Payload", pl));
        }
        if let Some(r) = &m.client_ref {
            p.push(param("TaskId", r.as_str()));
        }
        match known.and_then(|k| k.code.clone()) {
            Some(code) => p.push(param("TemplateCode", code)),
            None => p.push(param("TemplateName", m.template.as_str())),
        }
        if let Some(tp) = params {
            p.push(param("TemplateParams", tp));
        }
        p.push(param("To", to));
        p.push(param("Type", "template"));
        p.sort();
        Ok(p)
    }
}

/// A list cursor is the page number (from 1).
pub(crate) fn page_index(q: &ListQuery) -> Result<u64> {
    match &q.cursor {
        None => Ok(1),
        Some(c) => c
            .parse()
            .map_err(|_| Error::new(ErrorKind::Validation, format!("bad cursor {c:?}"))),
    }
}
