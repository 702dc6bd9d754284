//! The Alibaba Cloud ChatApp provider: the `Provider` trait over the one request path
//! (`request.rs`) and the answers (`response.rs`).

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use serde_json::Value;
use wabakit_core::raw::*;
use wabakit_core::*;

use crate::config::AlibabaConfig;
use crate::ops::{documented_limits, Action};
use crate::overlay::{self, capabilities};
use crate::request::{page_index, Prepared};
use crate::response::{info, saved_ref, Brief, Saved};
use crate::NAME;

/// The Alibaba Cloud ChatApp provider. Build it from an [`AlibabaConfig`] (or a profile, `provider = "alibaba"`); it keeps the templates it created or read, to send by code.
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

impl AlibabaProvider {
    /// A provider for this config (checked again: its fields are public).
    pub fn new(cfg: AlibabaConfig) -> Result<Self> {
        // Its fields are public: checked again here.
        cfg.check()?;
        let base = cfg.base_url();
        let host = base
            .split("://")
            .nth(1)
            .unwrap_or(&base)
            .split('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        let transport =
            Transport::new(NAME, &cfg.transport)?.with_limits(&documented_limits(), &cfg.transport);
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

    /// Sign with this clock (tests pin it, or put it off to see clock-skew errors).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.transport = self.transport.with_clock(clock);
        self
    }

    /// Take signature nonces from this source (tests pin them).
    pub fn with_nonces(mut self, nonces: Arc<dyn Nonces>) -> Self {
        self.transport = self.transport.with_nonces(nonces);
        self
    }

    /// Its config.
    pub fn config(&self) -> &AlibabaConfig {
        &self.cfg
    }

    pub(crate) fn transport(&self) -> &Transport {
        &self.transport
    }

    pub(crate) fn known(&self) -> &KnownTemplates {
        &self.known
    }

    pub(crate) fn host(&self) -> &str {
        &self.host
    }

    pub(crate) fn root(&self) -> &str {
        &self.root
    }

    pub(crate) fn root_query(&self) -> &str {
        &self.root_query
    }

    /// Temporary OSS credentials for uploading template media (GetChatappUploadAuthorization).
    pub async fn upload_authorization(&self) -> Result<Value> {
        let p = Prepared::new(Action::GetChatappUploadAuthorization, self.common());
        let v: Value = self.call(&p).await?;
        Ok(v.get("Data").cloned().unwrap_or(Value::Null))
    }
}

#[async_trait]
impl Provider for AlibabaProvider {
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

    async fn create_template(&self, t: &Template) -> Result<TemplateRef> {
        let saved: Saved = self
            .call(&self.prepare(OperationRef::CreateTemplate(t))?)
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
                .with_provider(NAME)
            })?;
        self.known
            .remember(Some(&code), t, Some(TemplateStatus::Pending));
        Ok(saved_ref(TemplateRef::created(t, TemplateId(code)), saved))
    }

    async fn update_template(&self, id: &TemplateId, t: &Template) -> Result<TemplateRef> {
        let saved: Saved = self
            .call(&self.prepare(OperationRef::UpdateTemplate(id, t))?)
            .await?;
        self.known
            .remember(Some(&id.0), t, Some(TemplateStatus::Pending));
        Ok(saved_ref(TemplateRef::updated(t, id.clone()), saved))
    }

    async fn get_template(&self, q: &TemplateQuery) -> Result<TemplateInfo> {
        // The detail API needs the language; without one, find it in the list (what `prepare`
        // makes the first request).
        let Some(language) = q.language.clone() else {
            q.require(NAME)?;
            let page = self.list_templates(&self.lookup(q)).await?;
            let hit = page
                .items
                .into_iter()
                .find(|i| q.matches(&i.id, &i.name, &i.language))
                .ok_or_else(|| Error::not_found("no such template").with_provider(NAME))?;
            return self
                .get_template(&TemplateQuery {
                    language: Some(hit.language),
                    id: Some(hit.id),
                    name: None,
                })
                .await;
        };
        let v: Value = self
            .call(&self.prepare(OperationRef::GetTemplate(q))?)
            .await?;
        let data = v.get("Data").cloned().unwrap_or(Value::Null);
        let mut i =
            info(&data).ok_or_else(|| Error::not_found("no such template").with_provider(NAME))?;
        if i.language.is_empty() {
            i.language = language;
        }
        // The body as cams keeps it (its Components and Example), else as this client sent
        // it; known from now on, so messages of it are checked before they are sent (and sent
        // by its code).
        i.template = crate::detail::template(&data).or_else(|| {
            self.known
                .get(&i.name, &i.language)
                .map(|k| k.template.clone())
        });
        if let Some(t) = &i.template {
            self.known
                .remember(Some(i.id.as_str()), t, Some(i.status.clone()));
        }
        Ok(i)
    }

    async fn list_templates(&self, q: &ListQuery) -> Result<Page<TemplateInfo>> {
        let v: Value = self
            .call(&self.prepare(OperationRef::ListTemplates(q))?)
            .await?;
        let index = page_index(q)?;
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
        self.call::<Brief>(&self.prepare(OperationRef::DeleteTemplate(q))?)
            .await?;
        self.known.forget_deleted(q);
        Ok(())
    }

    async fn send(&self, m: &TemplateMessage) -> Result<Receipt> {
        let sent: Brief = self.call(&self.prepare(OperationRef::Send(m))?).await?;
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
            recipient_id: None,
        })
    }

    /// cams reads this JSON as "received" (within its 3 s; it pushes again otherwise).
    fn callback_ack(&self) -> (&'static str, &'static str) {
        ("application/json", crate::callbacks::ACK)
    }

    fn render(&self, op: &Operation, at: &Pinned) -> Result<HttpRequest> {
        let p = self.prepare(op.as_ref())?;
        Ok(self.sign(&p, at.unix_millis, &at.nonce))
    }

    /// cams receipts carry no signature: there is nothing to verify.
    fn parse_callback(&self, _headers: &[(String, String)], body: &[u8]) -> Result<Vec<Event>> {
        crate::callbacks::parse(body)
    }
}
