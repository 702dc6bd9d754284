//! The NXCloud provider: neutral operations → signed requests → neutral results.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use wabakit_core::*;

use crate::config::{NxcloudConfig, Op};
use crate::mapping;
use crate::overlay::{self, capabilities};
use crate::response::{interpret, Reply};
use crate::sign::{sign, Algorithm, SignInput};
use crate::wire;

/// Templates are listed and searched in pages of this size.
const PAGE: u32 = 100;

pub struct NxcloudProvider {
    cfg: NxcloudConfig,
    transport: Transport,
    caps: Capabilities,
    /// Templates this client created, updated or read, to check messages against.
    known: KnownTemplates,
}

impl fmt::Debug for NxcloudProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NxcloudProvider")
            .field("config", &self.cfg)
            .finish_non_exhaustive()
    }
}

/// A request body and how it is signed.
#[derive(Clone, Copy)]
enum Body<'a> {
    /// JSON, signed byte for byte.
    Json(&'a [u8]),
    /// multipart/form-data, never signed.
    Multipart { bytes: &'a [u8], boundary: &'a str },
}

impl NxcloudProvider {
    pub fn new(cfg: NxcloudConfig) -> Result<Self> {
        for (field, value) in [
            ("access_key", cfg.access_key.as_str()),
            ("app_key", &cfg.app_key),
            ("business_phone", &cfg.business_phone),
        ] {
            if value.trim().is_empty() {
                return Err(Error::config(format!("nxcloud: {field} is empty")));
            }
        }
        if cfg.access_secret.is_empty() {
            return Err(Error::config("nxcloud: access_secret is empty"));
        }
        // NXCloud documents no rate limits; a profile's `qps` may set some.
        let transport = Transport::new("nxcloud", &cfg.transport)?.with_limits(&[], &cfg.transport);
        Ok(NxcloudProvider {
            caps: capabilities(cfg.async_create),
            cfg,
            transport,
            known: KnownTemplates::default(),
        })
    }

    /// Sign with this clock (tests pin it, or put it off to see clock-skew errors).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.transport = self.transport.with_clock(clock);
        self
    }

    pub fn config(&self) -> &NxcloudConfig {
        &self.cfg
    }

    /// The signed request for `op` at clock value `unix_millis`.
    fn request(&self, op: Op, body: Body, unix_millis: u64) -> HttpRequest {
        let r = self.cfg.resolve(op);
        let ts = unix_millis.to_string();
        let (content_type, signed, bytes) = match body {
            Body::Json(b) => (Text::Borrowed("application/json"), Some(b), b),
            Body::Multipart { bytes, boundary } => (
                Text::Owned(format!("multipart/form-data; boundary={boundary}")),
                None,
                bytes,
            ),
        };
        let s = sign(&SignInput {
            access_key: &self.cfg.access_key,
            access_secret: self.cfg.access_secret.expose(),
            ts: &ts,
            biz_type: &r.biz_type,
            action: &r.action,
            body: signed,
            algorithm: self.cfg.algorithm,
        });
        let mut headers: Vec<(Text, Text)> = vec![
            ("Content-Type".into(), content_type),
            ("accessKey".into(), self.cfg.access_key.clone().into()),
            ("ts".into(), ts.into()),
            ("bizType".into(), r.biz_type),
            ("action".into(), r.action),
            ("sign".into(), s.sign.into()),
        ];
        // MD5 is the default; the header is sent only when it changes something.
        if self.cfg.algorithm != Algorithm::Md5 {
            headers.push(("algorithm".into(), self.cfg.algorithm.as_str().into()));
        }
        HttpRequest {
            method: "POST".into(),
            url: r.url,
            headers,
            body: bytes.to_vec(),
        }
    }

    async fn call(&self, op: Op, repeat: Repeat, body: Body<'_>) -> Result<Reply> {
        self.transport
            .call(
                op.key(),
                repeat,
                |a| Ok(self.request(op, body, a.unix_millis)),
                interpret,
            )
            .await
    }

    /// The events of a webhook. With a `webhook_secret` configured, the callback must carry a
    /// valid signature and a `ts` within 60 s of this client's clock.
    pub fn parse_webhook(&self, headers: &[(String, String)], body: &[u8]) -> Result<Vec<Event>> {
        if let Some(secret) = &self.cfg.webhook_secret {
            crate::webhook::verify(
                headers,
                body,
                &crate::webhook::Verify {
                    secret: secret.expose(),
                    access_key: Some(&self.cfg.access_key),
                    now_millis: Some(self.transport.clock().unix_millis()),
                },
            )?;
        }
        crate::webhook::parse(body)
    }

    /// Upload a sample file for a media header; the answer is the `header_handle`.
    pub async fn upload_template_file(
        &self,
        file: &[u8],
        mime: &str,
        filename: &str,
    ) -> Result<String> {
        let (bytes, boundary) = self.upload_body(file, mime, filename);
        let data = self
            .call(
                Op::UploadTemplateFile,
                Repeat::Unsafe,
                Body::Multipart {
                    bytes: &bytes,
                    boundary: &boundary,
                },
            )
            .await?
            .data;
        data.get("id")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| unexpected("uploadTemplateFile", &data))
    }

    fn upload_body(&self, file: &[u8], mime: &str, filename: &str) -> (Vec<u8>, String) {
        // Derived from the content, so it cannot occur in it, and a render is reproducible.
        let boundary = format!("wabakit-{}", &hex::encode(Sha256::digest(file))[..32]);
        let fields = [
            ("appkey", self.cfg.app_key.as_str()),
            ("business_phone", &self.cfg.business_phone),
            ("messaging_product", wire::MESSAGING_PRODUCT),
            ("type", mime),
        ];
        let mut out = Vec::with_capacity(file.len() + 512);
        for (k, v) in fields {
            out.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        let safe_name: String = filename
            .chars()
            .filter(|c| !matches!(c, '"' | '\r' | '\n'))
            .collect();
        out.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{safe_name}\"\r\nContent-Type: {mime}\r\n\r\n").as_bytes(),
        );
        out.extend_from_slice(file);
        out.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        (out, boundary)
    }

    /// The body of one page of getTemplate.
    fn page_body(&self, name: Option<&str>, after: Option<&str>, limit: u32) -> Vec<u8> {
        to_json(&wire::GetTemplate {
            appkey: &self.cfg.app_key,
            messaging_product: wire::MESSAGING_PRODUCT,
            business_phone: &self.cfg.business_phone,
            name,
            after,
            limit,
        })
    }

    async fn page(
        &self,
        name: Option<&str>,
        after: Option<&str>,
        limit: u32,
    ) -> Result<(Vec<TemplateInfo>, Option<String>)> {
        let body = self.page_body(name, after, limit);
        let data = self
            .call(Op::GetTemplate, Repeat::Safe, Body::Json(&body))
            .await?
            .data;
        let items: Vec<TemplateInfo> = data
            .get("data")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(info).collect())
            .unwrap_or_default();
        for i in &items {
            if let Some(t) = &i.template {
                self.known
                    .remember(Some(i.id.as_str()), t, Some(i.status.clone()));
            }
        }
        let paging = data.get("paging");
        let more = paging
            .and_then(|p| p.get("next"))
            .is_some_and(|n| !n.is_null());
        let next = more
            .then(|| {
                paging
                    .and_then(|p| p.pointer("/cursors/after"))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .flatten();
        Ok((items, next))
    }

    fn delete_body(&self, name: &str) -> Vec<u8> {
        to_json(&wire::DeleteTemplate {
            appkey: &self.cfg.app_key,
            messaging_product: wire::MESSAGING_PRODUCT,
            business_phone: &self.cfg.business_phone,
            name,
        })
    }

    fn create_op(&self) -> Op {
        if self.cfg.async_create {
            Op::CreateTemplateAsync
        } else {
            Op::CreateTemplate
        }
    }

    fn send_op(&self) -> Op {
        if self.cfg.tenant_id.is_some() {
            Op::SaasSend
        } else {
            Op::Send
        }
    }
}

fn to_json(v: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(v).expect("wire bodies always serialize")
}

fn unexpected(op: &str, data: &Value) -> Error {
    let snippet: String = data.to_string().chars().take(200).collect();
    Error::new(
        ErrorKind::Transport,
        format!("{op}: unexpected answer {snippet}"),
    )
    .with_delivery(Delivery::MayHaveBeenDelivered)
    .with_provider("nxcloud")
}

/// A template id, written as a string or a number.
fn id_of(v: &Value) -> Option<String> {
    v.get("id").and_then(|i| {
        i.as_str()
            .map(str::to_owned)
            .or_else(|| i.as_i64().map(|n| n.to_string()))
    })
}

/// A template as getTemplate lists it (Meta's Graph shape).
fn info(v: &Value) -> Option<TemplateInfo> {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let id = id_of(v)?;
    let doc = json!({
        "name": v.get("name"), "language": v.get("language"), "category": v.get("category"),
        "message_send_ttl_seconds": v.get("message_send_ttl_seconds"), "components": v.get("components"),
    });
    Some(TemplateInfo {
        id: TemplateId(id),
        name: s("name")?,
        language: s("language").unwrap_or_default(),
        category: s("category").unwrap_or_default(),
        status: TemplateStatus::parse(&s("status").unwrap_or_default()),
        reason: s("rejected_reason").filter(|r| r != "NONE"),
        quality: v
            .pointer("/quality_score/score")
            .and_then(Value::as_str)
            .map(str::to_owned),
        // Meta passes values our strict reader refuses (category "OTP" …): then no template.
        template: Template::from_value(&doc).ok(),
    })
}

#[async_trait]
impl Provider for NxcloudProvider {
    fn name(&self) -> &str {
        "nxcloud"
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

    fn check_update(&self, known: Option<&Known>, t: &Template, problems: &mut Vec<Problem>) {
        overlay::check_update(known, t, problems);
    }

    async fn create_template(&self, t: &Template) -> Result<TemplateRef> {
        ensure_valid(self, t)?;
        let body = to_json(&mapping::create_template(&self.cfg, t));
        let Reply { data, trace_id } = self
            .call(self.create_op(), Repeat::Unsafe, Body::Json(&body))
            .await?;
        let r = match (id_of(&data), data.get("requestId").and_then(Value::as_str)) {
            (Some(id), _) => {
                let status = data
                    .get("status")
                    .and_then(Value::as_str)
                    .map_or(TemplateStatus::Pending, TemplateStatus::parse);
                self.known.remember(Some(&id), t, Some(status.clone()));
                TemplateRef::created(t, TemplateId(id))
                    .with_status(status)
                    .with_request_id(trace_id)
            }
            // createTemplateAsync: the outcome's callback names this request id (seed 002).
            (None, Some(r)) => {
                self.known.remember(None, t, None);
                TemplateRef::pending(t, r)
            }
            (None, None) => return Err(unexpected("createTemplate", &data)),
        };
        Ok(r)
    }

    async fn update_template(&self, id: &TemplateId, t: &Template) -> Result<TemplateRef> {
        ensure_valid_update(self, id, t)?;
        let body = to_json(&mapping::update_template(&self.cfg, id, t));
        // Sending the same edit twice leaves the same template.
        let Reply { data, trace_id } = self
            .call(Op::UpdateTemplate, Repeat::Safe, Body::Json(&body))
            .await?;
        // The Chinese page answers `data.success`, the English one `data.id` (seeds 000, 001).
        if data.get("success").and_then(Value::as_bool) == Some(false) {
            let mut e = Error::new(
                ErrorKind::Provider,
                format!("updateTemplate answered success: false; template {id} is unchanged"),
            )
            .with_provider("nxcloud")
            .with_details(data);
            if let Some(t) = trace_id {
                e = e.with_request_id(t);
            }
            return Err(e);
        }
        let id = id_of(&data).map_or_else(|| id.clone(), TemplateId);
        self.known
            .remember(Some(id.as_str()), t, Some(TemplateStatus::Pending));
        Ok(TemplateRef::updated(t, id).with_request_id(trace_id))
    }

    async fn get_template(&self, q: &TemplateQuery) -> Result<TemplateInfo> {
        q.require("nxcloud")?;
        // getTemplate filters by name only; an id is found by paging.
        let mut after: Option<String> = None;
        loop {
            let (items, next) = self.page(q.name.as_deref(), after.as_deref(), PAGE).await?;
            if let Some(found) = items
                .into_iter()
                .find(|i| q.matches(&i.id, &i.name, &i.language))
            {
                return Ok(found);
            }
            match next {
                Some(n) if q.name.is_none() => after = Some(n),
                _ => return Err(Error::not_found("no such template").with_provider("nxcloud")),
            }
        }
    }

    async fn list_templates(&self, q: &ListQuery) -> Result<Page<TemplateInfo>> {
        let (items, next) = self
            .page(
                q.name.as_deref(),
                q.cursor.as_deref(),
                q.limit.clamp(1, PAGE),
            )
            .await?;
        let items = items
            .into_iter()
            .filter(|i| q.language.as_deref().is_none_or(|l| l == i.language))
            .filter(|i| q.status.as_ref().is_none_or(|s| *s == i.status))
            .collect();
        Ok(Page {
            items,
            next,
            total: None,
        })
    }

    /// NXCloud deletes by name, every language at once.
    async fn delete_template(&self, q: &TemplateQuery) -> Result<()> {
        q.require("nxcloud")?;
        let name = match &q.name {
            Some(n) => n.clone(),
            None => self.get_template(q).await?.name,
        };
        let body = self.delete_body(&name);
        let data = self
            .call(Op::DeleteTemplate, Repeat::Safe, Body::Json(&body))
            .await?
            .data;
        if data.get("success").and_then(Value::as_bool) == Some(false) {
            return Err(
                Error::not_found(format!("template {name:?} was not deleted"))
                    .with_provider("nxcloud"),
            );
        }
        // NXCloud deletes every language of the name.
        self.known.forget_deleted(&TemplateQuery {
            name: Some(name),
            ..Default::default()
        });
        Ok(())
    }

    async fn send(&self, m: &TemplateMessage) -> Result<Receipt> {
        let known = self.known.get(&m.template, &m.language);
        let problems = validate_message(m, known.as_ref().map(|k| &k.template));
        if !problems.is_empty() {
            return Err(Error::validation(problems).with_provider("nxcloud"));
        }
        let body = to_json(&mapping::send(
            &self.cfg,
            m,
            known.as_ref().map(|k| &k.template),
        )?);
        let Reply { data, trace_id } = self
            .call(self.send_op(), Repeat::Unsafe, Body::Json(&body))
            .await?;
        // `mt` answers Meta's `messages[0].id`, the SAAS send `data.message_id` (seed 004).
        let id = data
            .pointer("/messages/0/id")
            .or_else(|| data.get("message_id"))
            .and_then(Value::as_str)
            .ok_or_else(|| unexpected("send", &data))?;
        Ok(Receipt {
            message_id: id.to_owned(),
            client_ref: m.client_ref.clone(),
            request_id: trace_id,
        })
    }

    fn render(&self, op: &Operation, at: &Pinned) -> Result<HttpRequest> {
        let ms = at.unix_millis;
        let req = match op {
            Operation::CreateTemplate(t) => {
                ensure_valid(self, t)?;
                self.request(
                    self.create_op(),
                    Body::Json(&to_json(&mapping::create_template(&self.cfg, t))),
                    ms,
                )
            }
            Operation::UpdateTemplate(id, t) => {
                ensure_valid_update(self, id, t)?;
                self.request(
                    Op::UpdateTemplate,
                    Body::Json(&to_json(&mapping::update_template(&self.cfg, id, t))),
                    ms,
                )
            }
            Operation::GetTemplate(q) => self.request(
                Op::GetTemplate,
                Body::Json(&self.page_body(q.name.as_deref(), None, PAGE)),
                ms,
            ),
            Operation::ListTemplates(q) => self.request(
                Op::GetTemplate,
                Body::Json(&self.page_body(
                    q.name.as_deref(),
                    q.cursor.as_deref(),
                    q.limit.clamp(1, PAGE),
                )),
                ms,
            ),
            Operation::DeleteTemplate(q) => {
                let name = q.name.as_deref().ok_or_else(|| {
                    Error::new(
                        ErrorKind::Validation,
                        "a delete renders only by name (NXCloud deletes by name)",
                    )
                })?;
                self.request(Op::DeleteTemplate, Body::Json(&self.delete_body(name)), ms)
            }
            Operation::Send(m) => {
                let problems = validate_message(m, None);
                if !problems.is_empty() {
                    return Err(Error::validation(problems).with_provider("nxcloud"));
                }
                let known = self.known.get(&m.template, &m.language);
                self.request(
                    self.send_op(),
                    Body::Json(&to_json(&mapping::send(
                        &self.cfg,
                        m,
                        known.as_ref().map(|k| &k.template),
                    )?)),
                    ms,
                )
            }
        };
        Ok(req)
    }
}
