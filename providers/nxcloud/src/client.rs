//! The NXCloud provider: the `Provider` trait over the one request path (`request.rs`) and the
//! answers (`response.rs`).

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use serde_json::Value;
use wabakit_core::raw::whatsapp::template_page;
use wabakit_core::raw::*;
use wabakit_core::*;

use crate::config::NxcloudConfig;
use crate::overlay::{self, capabilities};
use crate::request::PAGE;
use crate::response::Reply;
use crate::NAME;

/// The NXCloud provider. Build it from an [`NxcloudConfig`] (or a profile, `provider = "nxcloud"`); it keeps the templates it created or read, to check messages against them.
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

impl NxcloudProvider {
    /// A provider for this config (checked again: its fields are public).
    pub fn new(cfg: NxcloudConfig) -> Result<Self> {
        // Its fields are public: checked again here.
        cfg.check()?;
        // NXCloud documents no rate limits; a profile's `qps` may set some.
        let transport = Transport::new(NAME, &cfg.transport)?.with_limits(&[], &cfg.transport);
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

    /// Its config.
    pub fn config(&self) -> &NxcloudConfig {
        &self.cfg
    }

    pub(crate) fn transport(&self) -> &Transport {
        &self.transport
    }

    pub(crate) fn known(&self) -> &KnownTemplates {
        &self.known
    }

    /// Upload a sample file for a media header; the answer is the `header_handle`.
    pub async fn upload_template_file(
        &self,
        file: &[u8],
        mime: &str,
        filename: &str,
    ) -> Result<String> {
        let data = self.call(&self.upload(file, mime, filename)).await?.data;
        data.get("id")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| unexpected("uploadTemplateFile", &data))
    }

    /// One page of getTemplate, read: its templates (remembered) and the next cursor.
    async fn read_page(
        &self,
        name: Option<&str>,
        after: Option<&str>,
        limit: u32,
        key: &'static str,
    ) -> Result<(Vec<TemplateInfo>, Option<String>)> {
        let data = self.call(&self.page(name, after, limit, key)).await?.data;
        let (items, next) = template_page(&data);
        for i in &items {
            if let Some(t) = &i.template {
                self.known
                    .remember(Some(i.id.as_str()), t, Some(i.status.clone()));
            }
        }
        Ok((items, next))
    }
}

fn unexpected(what: &str, data: &Value) -> Error {
    unexpected_answer(NAME, what, data)
}

/// A template id, written as a string or a number.
fn id_of(v: &Value) -> Option<String> {
    loose_text(v.get("id"))
}

#[async_trait]
impl Provider for NxcloudProvider {
    fn name(&self) -> &str {
        NAME
    }

    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    fn known_templates(&self) -> Option<&KnownTemplates> {
        Some(&self.known)
    }

    fn limit(&self, op: OperationKind) -> Option<u32> {
        self.transport.limit(op.name())
    }

    fn check_template(&self, t: &Template, problems: &mut Vec<Problem>) {
        overlay::check_template(t, problems);
    }

    fn check_update(&self, known: Option<&Known>, t: &Template, problems: &mut Vec<Problem>) {
        overlay::check_update(known, t, problems);
    }

    async fn create_template(&self, t: &Template) -> Result<TemplateRef> {
        let p = self.prepare(OperationRef::CreateTemplate(t))?;
        let Reply { data, trace_id } = self.call(&p).await?;
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
        let p = self.prepare(OperationRef::UpdateTemplate(id, t))?;
        let Reply { data, trace_id } = self.call(&p).await?;
        // The Chinese page answers `data.success`, the English one `data.id` (seeds 000, 001).
        if data.get("success").and_then(Value::as_bool) == Some(false) {
            let mut e = Error::new(
                ErrorKind::Provider,
                format!("updateTemplate answered success: false; template {id} is unchanged"),
            )
            .with_provider(NAME)
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
        q.require(NAME)?;
        // getTemplate filters by name only; an id is found by paging.
        let mut after: Option<String> = None;
        loop {
            let (items, next) = self
                .read_page(q.name.as_deref(), after.as_deref(), PAGE, "get_template")
                .await?;
            if let Some(found) = items
                .into_iter()
                .find(|i| q.matches(&i.id, &i.name, &i.language))
            {
                return Ok(found);
            }
            match next {
                Some(n) if q.name.is_none() => after = Some(n),
                _ => return Err(Error::not_found("no such template").with_provider(NAME)),
            }
        }
    }

    async fn list_templates(&self, q: &ListQuery) -> Result<Page<TemplateInfo>> {
        let (items, next) = self
            .read_page(
                q.name.as_deref(),
                q.cursor.as_deref(),
                q.limit.clamp(1, PAGE),
                "list_templates",
            )
            .await?;
        let items = items
            .into_iter()
            .filter(|i| q.matches(&i.name, &i.language, &i.status))
            .collect();
        Ok(Page {
            items,
            next,
            total: None,
        })
    }

    /// NXCloud deletes by name, every language at once.
    async fn delete_template(&self, q: &TemplateQuery) -> Result<()> {
        q.require(NAME)?;
        let name = match &q.name {
            Some(n) => n.clone(),
            None => self.get_template(q).await?.name,
        };
        let by_name = TemplateQuery {
            name: Some(name.clone()),
            ..Default::default()
        };
        let data = self
            .call(&self.prepare(OperationRef::DeleteTemplate(&by_name))?)
            .await?
            .data;
        if data.get("success").and_then(Value::as_bool) == Some(false) {
            return Err(
                Error::not_found(format!("template {name:?} was not deleted")).with_provider(NAME),
            );
        }
        // NXCloud deletes every language of the name.
        self.known.forget_deleted(&by_name);
        Ok(())
    }

    async fn send(&self, m: &TemplateMessage) -> Result<Receipt> {
        let Reply { data, trace_id } = self.call(&self.prepare(OperationRef::Send(m))?).await?;
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
            // `mt` answers Meta's object, `contacts` included.
            recipient_id: loose_text(data.pointer("/contacts/0/wa_id")),
        })
    }

    fn render(&self, op: &Operation, at: &Pinned) -> Result<HttpRequest> {
        Ok(self.sign(&self.prepare(op.as_ref())?, at.unix_millis))
    }

    /// With a `webhook_secret` configured, a callback must carry a valid signature and a `ts`
    /// within `webhook_window_seconds` (60 by default) of this client's clock.
    fn parse_callback(&self, headers: &[(String, String)], body: &[u8]) -> Result<Vec<Event>> {
        let secret = self.cfg.webhook_secret.as_ref();
        crate::callbacks::parse_checked(
            headers,
            body,
            secret.map(|s| s.expose()),
            Some(&self.cfg.access_key),
            secret.map(|_| self.transport.clock().unix_millis()),
            self.cfg.webhook_window_seconds * 1000,
        )
    }
}
