//! The Meta provider: the `Provider` trait over the one request path (`request.rs`) and the
//! answers (`response.rs`).

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use serde_json::Value;
use wabakit_core::raw::whatsapp::{template_info, template_page};
use wabakit_core::raw::*;
use wabakit_core::*;

use crate::config::MetaConfig;
use crate::ops::LIMITS;
use crate::overlay::{self, capabilities};
use crate::pair::PairGate;
use crate::request::{Filter, PAGE};
use crate::response::{Reply, PAIR_WINDOW};
use crate::NAME;

/// The Meta Cloud API provider. Build it from a [`MetaConfig`] (or a profile,
/// `provider = "meta"`); it keeps the templates it created or read, to check messages against
/// them.
pub struct MetaProvider {
    cfg: MetaConfig,
    transport: Transport,
    caps: Capabilities,
    known: KnownTemplates,
    pairs: PairGate,
}

impl fmt::Debug for MetaProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MetaProvider")
            .field("config", &self.cfg)
            .finish_non_exhaustive()
    }
}

impl MetaProvider {
    /// A provider for this config (checked again: its fields are public).
    pub fn new(cfg: MetaConfig) -> Result<Self> {
        cfg.check()?;
        let transport = Transport::new(NAME, &cfg.transport)?.with_limits(LIMITS, &cfg.transport);
        Ok(MetaProvider {
            caps: capabilities(),
            cfg,
            transport,
            known: KnownTemplates::default(),
            pairs: PairGate::default(),
        })
    }

    /// Sign with this clock (`appsecret_time`; tests pin it).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.transport = self.transport.with_clock(clock);
        self
    }

    /// Its config.
    pub fn config(&self) -> &MetaConfig {
        &self.cfg
    }

    pub(crate) fn transport(&self) -> &Transport {
        &self.transport
    }

    pub(crate) fn known(&self) -> &KnownTemplates {
        &self.known
    }

    /// Upload a sample file for a media header with the Resumable Upload API (spec §4; needs
    /// `app_id`): the answer is the handle a template's `example.header_handle` takes, kept
    /// byte for byte.
    pub async fn upload_template_file(
        &self,
        file: &[u8],
        mime: &str,
        filename: &str,
    ) -> Result<String> {
        let started = self
            .call(&self.start_upload(file.len(), mime, filename)?)
            .await?
            .data;
        let session = started
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| unexpected("the upload session", &started))?;
        let done = self.call(&self.upload(session, file)?).await?.data;
        done.get("h")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| unexpected("the upload", &done))
    }

    /// One page of templates, read: its templates (remembered) and the next cursor.
    async fn read_page(
        &self,
        f: Filter<'_>,
        after: Option<&str>,
        limit: u32,
        key: &'static str,
    ) -> Result<(Vec<TemplateInfo>, Option<String>)> {
        let data = self.call(&self.page(f, after, limit, key)).await?.data;
        let (items, next) = template_page(&data);
        for i in &items {
            self.remember(i);
        }
        Ok((items, next))
    }

    fn remember(&self, i: &TemplateInfo) {
        if let Some(t) = &i.template {
            self.known
                .remember(Some(i.id.as_str()), t, Some(i.status.clone()));
        }
    }

    /// The template a query names, found by id or by paging through its name.
    async fn find(&self, q: &TemplateQuery) -> Result<TemplateInfo> {
        q.require(NAME)?;
        if let Some(id) = &q.id {
            let p = self.prepare(OperationRef::GetTemplate(&TemplateQuery {
                id: Some(id.clone()),
                ..Default::default()
            }))?;
            let data = self.call(&p).await?.data;
            let info = template_info(&data).ok_or_else(|| unexpected("the template", &data))?;
            if !q.matches(&info.id, &info.name, &info.language) {
                return Err(not_found(q));
            }
            self.remember(&info);
            return Ok(info);
        }
        let f = Filter {
            name: q.name.as_deref(),
            language: q.language.as_deref(),
            status: None,
        };
        let mut after: Option<String> = None;
        loop {
            let (items, next) = self
                .read_page(f, after.as_deref(), PAGE, "get_template")
                .await?;
            // Meta's name filter matches part of a name: the exact one is picked here.
            if let Some(found) = items
                .into_iter()
                .find(|i| q.matches(&i.id, &i.name, &i.language))
            {
                return Ok(found);
            }
            match next {
                Some(n) => after = Some(n),
                None => return Err(not_found(q)),
            }
        }
    }
}

fn not_found(q: &TemplateQuery) -> Error {
    let what = match (&q.id, &q.name, &q.language) {
        (Some(id), _, _) => format!("template {id}"),
        (None, Some(n), Some(l)) => format!("template {n:?} in {l}"),
        (None, Some(n), None) => format!("template {n:?}"),
        (None, None, _) => "template".to_owned(),
    };
    Error::not_found(format!("no such {what}")).with_provider(NAME)
}

fn unexpected(what: &str, data: &Value) -> Error {
    unexpected_answer(NAME, what, data)
}

/// `{"success": false}`: Meta did not do it.
fn refused(data: &Value) -> bool {
    data.get("success").and_then(Value::as_bool) == Some(false)
}

#[async_trait]
impl Provider for MetaProvider {
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
        let p = self.prepare(OperationRef::CreateTemplate(t))?;
        let Reply { data, trace_id } = self.call(&p).await?;
        let id = loose_text(data.get("id")).ok_or_else(|| unexpected("create", &data))?;
        let status = data
            .get("status")
            .and_then(Value::as_str)
            .map_or(TemplateStatus::Pending, TemplateStatus::parse);
        // Meta may store another category than asked (spec §2.1): its answer decides.
        let category = data
            .get("category")
            .and_then(Value::as_str)
            .and_then(|c| Category::ALL.iter().find(|(n, _)| *n == c).map(|(_, c)| *c));
        match category.filter(|c| Some(*c) != t.category) {
            Some(c) => {
                let mut stored = t.clone();
                stored.category = Some(c);
                self.known
                    .remember(Some(&id), &stored, Some(status.clone()));
            }
            None => self.known.remember(Some(&id), t, Some(status.clone())),
        }
        Ok(TemplateRef::created(t, TemplateId(id))
            .with_status(status)
            .with_request_id(trace_id))
    }

    async fn update_template(&self, id: &TemplateId, t: &Template) -> Result<TemplateRef> {
        let p = self.prepare(OperationRef::UpdateTemplate(id, t))?;
        let Reply { data, trace_id } = self.call(&p).await?;
        if refused(&data) {
            let mut e = Error::new(
                ErrorKind::Provider,
                format!("the edit answered success: false; template {id} is unchanged"),
            )
            .with_provider(NAME)
            .with_details(data);
            if let Some(t) = trace_id {
                e = e.with_request_id(t);
            }
            return Err(e);
        }
        // An edited template goes back to review (spec §2.3).
        self.known
            .remember(Some(id.as_str()), t, Some(TemplateStatus::Pending));
        Ok(TemplateRef::updated(t, id.clone()).with_request_id(trace_id))
    }

    async fn get_template(&self, q: &TemplateQuery) -> Result<TemplateInfo> {
        self.find(q).await
    }

    async fn list_templates(&self, q: &ListQuery) -> Result<Page<TemplateInfo>> {
        let f = Filter {
            name: q.name.as_deref(),
            language: q.language.as_deref(),
            status: q.status.as_ref(),
        };
        let (items, next) = self
            .read_page(
                f,
                q.cursor.as_deref(),
                q.limit.clamp(1, PAGE),
                "list_templates",
            )
            .await?;
        // Meta matches part of a name; the query means the name.
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

    /// By name and id, one template (one language); by name alone, every language of it.
    async fn delete_template(&self, q: &TemplateQuery) -> Result<()> {
        q.require(NAME)?;
        let (name, id) = match (&q.name, &q.id, &q.language) {
            (Some(n), Some(id), _) => (n.clone(), Some(id.clone())),
            (Some(n), None, None) => (n.clone(), None),
            _ => {
                let found = self.find(q).await?;
                (found.name, Some(found.id))
            }
        };
        let data = self.call(&self.delete(&name, id.as_ref())).await?.data;
        if refused(&data) {
            return Err(
                Error::not_found(format!("template {name:?} was not deleted")).with_provider(NAME),
            );
        }
        self.known.forget_deleted(&TemplateQuery {
            id,
            name: Some(name),
            language: None,
        });
        Ok(())
    }

    async fn send(&self, m: &TemplateMessage) -> Result<Receipt> {
        let p = self.prepare(OperationRef::Send(m))?;
        // Valid: prepare checked the number.
        let to = recipient(m)?;
        self.pairs.wait(&to).await;
        let hold = |e: &Error| {
            if e.code() == Some("131056") {
                self.pairs.hold(&to, PAIR_WINDOW);
            }
        };
        let Reply { data, trace_id } = self.call_watching(&p, hold).await?;
        let id = data
            .pointer("/messages/0/id")
            .and_then(Value::as_str)
            .ok_or_else(|| unexpected("send", &data))?;
        Ok(Receipt {
            message_id: id.to_owned(),
            client_ref: m.client_ref.clone(),
            request_id: trace_id,
            recipient_id: loose_text(
                data.pointer("/contacts/0/wa_id")
                    .or_else(|| data.pointer("/contacts/0/user_id")),
            ),
        })
    }

    fn render(&self, op: &Operation, at: &Pinned) -> Result<HttpRequest> {
        Ok(self.sign(&self.prepare(op.as_ref())?, at.unix_millis))
    }

    /// The subscription challenge (the `GET` query, as received): `hub.challenge` to echo with
    /// status 200, or an `Auth` error (answer 403) when the token is not the configured
    /// `verify_token` (or none is configured).
    fn challenge(&self, query: &str) -> Result<String> {
        let token = self.cfg.verify_token.as_ref().ok_or_else(|| {
            Error::new(ErrorKind::Auth, "no verify_token is configured").with_provider(NAME)
        })?;
        crate::callbacks::challenge(query, token.expose())
    }

    /// Meta reads any 200 as received.
    fn callback_ack(&self) -> (&'static str, &'static str) {
        ("text/plain", "ok")
    }

    /// With an `app_secret` configured, a delivery must carry a valid `X-Hub-Signature-256`.
    fn parse_callback(&self, headers: &[(String, String)], body: &[u8]) -> Result<Vec<Event>> {
        let secret = self.cfg.app_secret.as_ref().map(|s| s.expose());
        crate::callbacks::parse_checked(headers, body, secret)
    }
}
