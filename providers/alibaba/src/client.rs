//! The Alibaba Cloud ChatApp provider: neutral operations → signed RPC requests → neutral results.

use std::borrow::Cow;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, UNIX_EPOCH};

use async_trait::async_trait;
use serde_json::{json, Value};
use wabakit_core::*;

use crate::config::{AlibabaConfig, Placement, SignatureVersion, API_VERSION};
use crate::encode::{form_pairs, form_pairs_after, Pair};
use crate::mapping;
use crate::overlay::{self, capabilities};
use crate::response::{interpret, Answer, Brief, Saved};
use crate::sign::{payload_hash, sign_v1, sign_v3, V3Input};

/// cams operations and their documented per-user QPS (spec §6–§12).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    CreateChatappTemplate,
    ModifyChatappTemplate,
    GetChatappTemplateDetail,
    ListChatappTemplate,
    DeleteChatappTemplate,
    SendChatappMessage,
    GetChatappUploadAuthorization,
}

impl Action {
    pub const ALL: [Action; 7] = [
        Action::CreateChatappTemplate,
        Action::ModifyChatappTemplate,
        Action::GetChatappTemplateDetail,
        Action::ListChatappTemplate,
        Action::DeleteChatappTemplate,
        Action::SendChatappMessage,
        Action::GetChatappUploadAuthorization,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Action::CreateChatappTemplate => "CreateChatappTemplate",
            Action::ModifyChatappTemplate => "ModifyChatappTemplate",
            Action::GetChatappTemplateDetail => "GetChatappTemplateDetail",
            Action::ListChatappTemplate => "ListChatappTemplate",
            Action::DeleteChatappTemplate => "DeleteChatappTemplate",
            Action::SendChatappMessage => "SendChatappMessage",
            Action::GetChatappUploadAuthorization => "GetChatappUploadAuthorization",
        }
    }

    pub fn from_name(s: &str) -> Option<Action> {
        Self::ALL.into_iter().find(|a| a.name() == s)
    }

    /// Requests per second allowed per user.
    pub fn qps(self) -> u32 {
        match self {
            Action::SendChatappMessage => 250,
            Action::CreateChatappTemplate | Action::ModifyChatappTemplate => 50,
            _ => 5,
        }
    }

    /// Create and Modify may carry their parameters in a form body.
    fn has_form_body(self) -> bool {
        matches!(
            self,
            Action::CreateChatappTemplate | Action::ModifyChatappTemplate
        )
    }
}

type Params<'a> = Vec<Pair<'a>>;

/// A parameter: its name is a constant; its value is borrowed from the request's input where
/// it can be.
fn param<'a>(name: &'static str, value: impl Into<Cow<'a, str>>) -> Pair<'a> {
    (Cow::Borrowed(name), value.into())
}

pub struct AlibabaProvider {
    cfg: AlibabaConfig,
    transport: Transport,
    caps: Capabilities,
    host: String,
    /// `<base>/`, the URL every RPC request goes to, and `<base>/?`.
    root: String,
    root_query: String,
    /// Templates this client created or modified, with their codes, to send by code.
    known: KnownTemplates,
}

impl fmt::Debug for AlibabaProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AlibabaProvider")
            .field("config", &self.cfg)
            .finish_non_exhaustive()
    }
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

fn audit_of(s: &TemplateStatus) -> Option<&'static str> {
    match s {
        TemplateStatus::Approved => Some("pass"),
        TemplateStatus::Rejected => Some("fail"),
        TemplateStatus::Pending => Some("auditing"),
        TemplateStatus::Other(o) if o == "UNAUDIT" => Some("unaudit"),
        _ => None,
    }
}

/// `YYYY-MM-DDThh:mm:ssZ` (UTC, second precision), the `x-acs-date` / `Timestamp` form.
pub fn acs_date(unix_millis: u64) -> String {
    humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_millis(unix_millis)).to_string()
}

/// A fresh single-use nonce: 8 random bytes drawn once per process, then a counter, in hex
/// (32 digits). A nonce only has to be unique per AccessKey within the 15-minute window: a
/// random prefix keeps processes apart, the counter keeps every attempt apart, and no attempt
/// pays a system call for randomness.
fn new_nonce() -> String {
    static PREFIX: OnceLock<u64> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let prefix = *PREFIX.get_or_init(|| {
        let mut b = [0u8; 8];
        if getrandom::fill(&mut b).is_err() {
            // No OS randomness: the clock still differs between processes.
            let t = std::time::SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(0);
            b = (t ^ u64::from(std::process::id()).rotate_left(32)).to_le_bytes();
        }
        u64::from_le_bytes(b)
    });
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&prefix.to_be_bytes());
    b[8..].copy_from_slice(&n.to_be_bytes());
    hex::encode(b)
}

fn channel_type(c: Channel) -> &'static str {
    match c {
        Channel::Whatsapp => "WHATSAPP",
        Channel::Viber => "VIBER",
    }
}

impl AlibabaProvider {
    pub fn new(cfg: AlibabaConfig) -> Result<Self> {
        for (field, value) in [
            ("access_key_id", cfg.access_key_id.as_str()),
            ("cust_space_id", &cfg.cust_space_id),
            ("from", &cfg.from),
        ] {
            if value.trim().is_empty() {
                return Err(Error::config(format!("alibaba: {field} is empty")));
            }
        }
        if cfg.access_key_secret.is_empty() {
            return Err(Error::config("alibaba: access_key_secret is empty"));
        }
        let base = cfg.base_url();
        let host = base
            .split("://")
            .nth(1)
            .unwrap_or(&base)
            .split('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        let documented: Vec<(&str, u32)> =
            Action::ALL.iter().map(|a| (a.name(), a.qps())).collect();
        let transport =
            Transport::new("alibaba", &cfg.transport)?.with_limits(&documented, &cfg.transport);
        Ok(AlibabaProvider {
            cfg,
            transport,
            caps: capabilities(),
            host,
            root: format!("{base}/"),
            root_query: format!("{base}/?"),
            known: KnownTemplates::default(),
        })
    }

    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.transport = self.transport.with_clock(clock);
        self
    }

    pub fn config(&self) -> &AlibabaConfig {
        &self.cfg
    }

    /// The signed request for `action` with API parameters `api`, at this time and nonce.
    pub fn request(
        &self,
        action: Action,
        api: &[Pair],
        unix_millis: u64,
        nonce: &str,
    ) -> HttpRequest {
        let in_body = action.has_form_body() && self.cfg.template_params == Placement::Body;
        let date = acs_date(unix_millis);
        let body = if in_body {
            form_pairs(api).into_bytes()
        } else {
            Vec::new()
        };
        let mut headers: Vec<(Text, Text)> = Vec::with_capacity(11);
        headers.extend([
            ("host".into(), self.host.clone().into()),
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
        let query: Cow<'_, [Pair]> = match self.cfg.signature {
            SignatureVersion::V3 => {
                let query: &[Pair] = if in_body { &[] } else { api };
                headers.push(("x-acs-date".into(), date.into()));
                headers.push(("x-acs-signature-nonce".into(), nonce.to_owned().into()));
                headers.push(("x-acs-content-sha256".into(), payload_hash(&body)));
                let hashed = headers.len() - 1;
                if let Some(t) = &self.cfg.security_token {
                    headers.push((
                        "x-acs-accesskey-id".into(),
                        self.cfg.access_key_id.clone().into(),
                    ));
                    headers.push(("x-acs-security-token".into(), t.expose().to_owned().into()));
                }
                let s = sign_v3(&V3Input {
                    method: "POST",
                    query,
                    headers: &headers,
                    body: &body,
                    hashed_payload: Some(&headers[hashed].1),
                    access_key_id: &self.cfg.access_key_id,
                    access_key_secret: self.cfg.access_key_secret.expose(),
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
                if let Some(t) = &self.cfg.security_token {
                    q.push(param("SecurityToken", t.expose()));
                }
                q.push(param("SignatureMethod", "HMAC-SHA1"));
                q.push(param("SignatureVersion", "1.0"));
                q.push(param("AccessKeyId", self.cfg.access_key_id.as_str()));
                let secret = self.cfg.access_key_secret.expose();
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
            self.root.clone()
        } else {
            form_pairs_after(&self.root_query, &query)
        };
        HttpRequest {
            method: "POST".into(),
            url,
            headers,
            body,
        }
    }

    /// Call `action`; every attempt gets its own nonce and date.
    async fn call<T: Answer>(&self, action: Action, repeat: Repeat, api: Params<'_>) -> Result<T> {
        self.transport
            .call(
                action.name(),
                repeat,
                |a| Ok(self.request(action, &api, a.unix_millis, &new_nonce())),
                interpret,
            )
            .await
    }

    fn common(&self) -> Params<'_> {
        let mut p = Vec::with_capacity(12);
        p.push(param("CustSpaceId", self.cfg.cust_space_id.as_str()));
        if let Some(i) = &self.cfg.isv_code {
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
        let index: u64 = match &q.cursor {
            None => 1,
            Some(c) => c
                .parse()
                .map_err(|_| Error::new(ErrorKind::Validation, format!("bad cursor {c:?}")))?,
        };
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
        known: Option<&'a Known>,
    ) -> Result<Params<'a>> {
        let to = normalize_phone(&m.to).ok_or_else(|| {
            Error::validation(vec![Problem::new(
                &"to".into(),
                rules::MESSAGE_TO.id,
                format!("{:?} is not a phone number", m.to),
            )])
        })?;
        let (params, payload) = mapping::message_params(m, known.map(|k| &k.template))?;
        let mut p = self.common();
        p.push(param("ChannelType", "whatsapp"));
        p.push(param("From", self.cfg.from.as_str()));
        p.push(param("Language", m.language.as_str()));
        if let Some(pl) = payload {
            p.push(param("Payload", pl));
        }
        if let Some(r) = &m.client_ref {
            p.push(param("TaskId", r.as_str()));
        }
        match known.and_then(|k| k.code.as_deref()) {
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

    /// Temporary OSS credentials for uploading template media (GetChatappUploadAuthorization).
    pub async fn upload_authorization(&self) -> Result<Value> {
        let v: Value = self
            .call(
                Action::GetChatappUploadAuthorization,
                Repeat::Safe,
                self.common(),
            )
            .await?;
        Ok(v.get("Data").cloned().unwrap_or(Value::Null))
    }

    /// `known`: the template a send names, if this client knows it.
    fn render_params<'a>(
        &'a self,
        op: &'a Operation,
        known: Option<&'a Known>,
    ) -> Result<(Action, Params<'a>)> {
        Ok(match op {
            Operation::CreateTemplate(t) => {
                ensure_valid(self, t)?;
                (Action::CreateChatappTemplate, self.template_params(t, None))
            }
            Operation::UpdateTemplate(id, t) => {
                ensure_valid_update(self, id, t)?;
                (
                    Action::ModifyChatappTemplate,
                    self.template_params(t, Some(id)),
                )
            }
            Operation::GetTemplate(q) => (Action::GetChatappTemplateDetail, self.query_params(q)),
            Operation::ListTemplates(q) => (Action::ListChatappTemplate, self.list_params(q)?),
            Operation::DeleteTemplate(q) => (Action::DeleteChatappTemplate, self.query_params(q)),
            Operation::Send(m) => {
                let problems = validate_message(m, None);
                if !problems.is_empty() {
                    return Err(Error::validation(problems).with_provider("alibaba"));
                }
                (Action::SendChatappMessage, self.send_params(m, known)?)
            }
        })
    }
}

fn s(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(|x| {
        x.as_str()
            .map(str::to_owned)
            .or_else(|| x.as_i64().map(|n| n.to_string()))
    })
}

/// `r` with what the answer says (seed 003): the `TemplateCode` and `TemplateName` cams gives
/// the template, and the `RequestId`.
fn saved_ref(mut r: TemplateRef, saved: Saved) -> TemplateRef {
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
fn info(v: &Value) -> Option<TemplateInfo> {
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

#[async_trait]
impl Provider for AlibabaProvider {
    fn name(&self) -> &str {
        "alibaba"
    }

    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    fn known_templates(&self) -> Option<&KnownTemplates> {
        Some(&self.known)
    }

    fn check_template(&self, t: &Template, problems: &mut Vec<Problem>) {
        overlay::check_template(t, problems);
    }

    async fn create_template(&self, t: &Template) -> Result<TemplateRef> {
        ensure_valid(self, t)?;
        let saved: Saved = self
            .call(
                Action::CreateChatappTemplate,
                Repeat::Unsafe,
                self.template_params(t, None),
            )
            .await?;
        let code = saved
            .data
            .as_ref()
            .and_then(|d| d.template_code.clone())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Transport,
                    "CreateChatappTemplate answered no TemplateCode",
                )
                .with_delivery(Delivery::MayHaveBeenDelivered)
                .with_provider("alibaba")
            })?;
        self.known
            .remember(Some(&code), t, Some(TemplateStatus::Pending));
        Ok(saved_ref(TemplateRef::created(t, TemplateId(code)), saved))
    }

    async fn update_template(&self, id: &TemplateId, t: &Template) -> Result<TemplateRef> {
        ensure_valid_update(self, id, t)?;
        let saved: Saved = self
            .call(
                Action::ModifyChatappTemplate,
                Repeat::Safe,
                self.template_params(t, Some(id)),
            )
            .await?;
        self.known
            .remember(Some(&id.0), t, Some(TemplateStatus::Pending));
        Ok(saved_ref(TemplateRef::updated(t, id.clone()), saved))
    }

    async fn get_template(&self, q: &TemplateQuery) -> Result<TemplateInfo> {
        q.require("alibaba")?;
        // The detail API needs the language; without one, find it in the list.
        let Some(language) = q.language.clone() else {
            let page = self
                .list_templates(&ListQuery {
                    name: q.name.clone(),
                    limit: 100,
                    ..Default::default()
                })
                .await?;
            let hit = page
                .items
                .into_iter()
                .find(|i| q.matches(&i.id, &i.name, &i.language))
                .ok_or_else(|| Error::not_found("no such template").with_provider("alibaba"))?;
            return self
                .get_template(&TemplateQuery {
                    language: Some(hit.language),
                    id: Some(hit.id),
                    name: None,
                })
                .await;
        };
        let v: Value = self
            .call(
                Action::GetChatappTemplateDetail,
                Repeat::Safe,
                self.query_params(q),
            )
            .await?;
        let data = v.get("Data").cloned().unwrap_or(Value::Null);
        let mut i = info(&data)
            .ok_or_else(|| Error::not_found("no such template").with_provider("alibaba"))?;
        if i.language.is_empty() {
            i.language = language;
        }
        // The body as cams keeps it (its Components and Example), else as this client sent it.
        i.template = crate::detail::template(&data).or_else(|| {
            self.known
                .get(&i.name, &i.language)
                .map(|k| k.template.clone())
        });
        Ok(i)
    }

    async fn list_templates(&self, q: &ListQuery) -> Result<Page<TemplateInfo>> {
        let params = self.list_params(q)?;
        let index: u64 = q
            .cursor
            .as_deref()
            .and_then(|c| c.parse().ok())
            .unwrap_or(1);
        let v: Value = self
            .call(Action::ListChatappTemplate, Repeat::Safe, params)
            .await?;
        let items: Vec<TemplateInfo> = v
            .get("ListTemplate")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(info).collect())
            .unwrap_or_default();
        let total = v.get("Total").and_then(Value::as_u64);
        let size = u64::from(q.limit.clamp(1, 100));
        let next = total
            .filter(|t| index * size < *t)
            .map(|_| (index + 1).to_string());
        Ok(Page { items, next, total })
    }

    async fn delete_template(&self, q: &TemplateQuery) -> Result<()> {
        q.require("alibaba")?;
        self.call::<Brief>(
            Action::DeleteChatappTemplate,
            Repeat::Safe,
            self.query_params(q),
        )
        .await?;
        self.known.forget_deleted(q);
        Ok(())
    }

    async fn send(&self, m: &TemplateMessage) -> Result<Receipt> {
        let known = self.known.get(&m.template, &m.language);
        let problems = validate_message(m, known.as_ref().map(|k| &k.template));
        if !problems.is_empty() {
            return Err(Error::validation(problems).with_provider("alibaba"));
        }
        let sent: Brief = self
            .call(
                Action::SendChatappMessage,
                Repeat::Unsafe,
                self.send_params(m, known.as_deref())?,
            )
            .await?;
        let id = sent.message_id.ok_or_else(|| {
            Error::new(
                ErrorKind::Transport,
                "SendChatappMessage answered no MessageId",
            )
            .with_delivery(Delivery::MayHaveBeenDelivered)
        })?;
        Ok(Receipt {
            message_id: id,
            client_ref: m.client_ref.clone(),
            request_id: sent.request_id,
        })
    }

    fn render(&self, op: &Operation, at: &Pinned) -> Result<HttpRequest> {
        let known = match op {
            Operation::Send(m) => self.known.get(&m.template, &m.language),
            _ => None,
        };
        let (action, params) = self.render_params(op, known.as_deref())?;
        Ok(self.request(action, &params, at.unix_millis, &at.nonce))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_32_hex_digits_and_never_repeat() {
        let a: Vec<String> = (0..1000).map(|_| new_nonce()).collect();
        assert!(a
            .iter()
            .all(|n| n.len() == 32 && n.bytes().all(|b| b.is_ascii_hexdigit())));
        let distinct: std::collections::HashSet<&String> = a.iter().collect();
        assert_eq!(distinct.len(), a.len());
        // One process prefix, then the counter.
        assert_eq!(a[0][..16], a[999][..16]);
    }
}
