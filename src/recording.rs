//! A provider whose every send is recorded in the message store: the `Client` of a config with
//! a `[store]` wraps its provider in it, so `send`, `send_many` and everything built on them
//! (the CLI's `send-bulk`, the Python clients) record alike. The templates it creates, updates
//! and reads are kept whole too, and given back at its first call (see
//! [`Recording::restore`]).

use std::sync::Arc;

use async_trait::async_trait;
use tokio::sync::OnceCell;
use wabakit_core::raw::{Known, KnownTemplates};
use wabakit_core::*;
use wabakit_store::{SavedTemplate, SendRecord, Store};

/// `inner`, with each send's outcome recorded under `profile` before the send returns.
#[derive(Debug)]
pub struct Recording {
    inner: Arc<dyn Provider>,
    store: Store,
    profile: String,
    /// Set once the store's templates are given back.
    restored: OnceCell<()>,
}

impl Recording {
    /// Record `inner`'s sends, as sent through `profile`, in `store`.
    pub fn new(inner: Arc<dyn Provider>, store: Store, profile: impl Into<String>) -> Self {
        Recording {
            inner,
            store,
            profile: profile.into(),
            restored: OnceCell::new(),
        }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The provider it records.
    pub fn inner(&self) -> &Arc<dyn Provider> {
        &self.inner
    }

    /// Once, before the first call: the templates the store keeps for this provider become
    /// known to it, so that messages of them are checked before they are sent in this process
    /// too (their review status is not taken: it may be stale, and the provider's answer
    /// decides), and a provider whose templates live in its process (memory) gets them back.
    /// A store that cannot be read leaves the provider as it is (logged).
    pub async fn restore(&self) {
        self.restored
            .get_or_init(|| async {
                let saved = match self.store.saved_templates(self.inner.name()).await {
                    Ok(s) => s,
                    Err(e) => {
                        tracing::warn!(error = %e, "the store's templates could not be read");
                        return;
                    }
                };
                let infos: Vec<TemplateInfo> = saved.iter().filter_map(info_of).collect();
                self.inner.restore_templates(&infos);
                if let Some(known) = self.inner.known_templates() {
                    for i in &infos {
                        if let (Some(t), None) = (&i.template, known.get(&i.name, &i.language)) {
                            known.remember(Some(i.id.as_str()), t, None);
                        }
                    }
                }
            })
            .await;
    }

    /// Keep `t` whole, as `id`; a store that fails is logged, never the call's failure.
    async fn save(&self, t: &Template, id: Option<&TemplateId>) {
        let saved = SavedTemplate {
            provider: self.inner.name().to_owned(),
            profile: self.profile.clone(),
            name: t.name.clone(),
            language: t.language.clone(),
            template_id: id.map(|i| i.as_str().to_owned()),
            status: None,
            document: t.to_value().to_string(),
        };
        if let Err(e) = self.store.save_template(saved).await {
            tracing::warn!(error = %e, template = %t.name, "the template could not be kept in the store");
        }
    }

    async fn saved(&self, t: &Template, r: &TemplateRef) {
        match &r.state {
            RefState::Created { id, .. } | RefState::Updated { id, .. } => {
                self.save(t, Some(id)).await
            }
            RefState::Pending => self.save(t, None).await,
        }
    }
}

/// A kept template as the provider's answer would give it.
fn info_of(s: &SavedTemplate) -> Option<TemplateInfo> {
    let value = serde_json::from_str::<serde_json::Value>(&s.document).ok()?;
    let template = Template::from_value(&value).ok()?;
    Some(TemplateInfo {
        id: TemplateId(s.template_id.clone()?),
        name: s.name.clone(),
        language: s.language.clone(),
        category: template
            .category
            .map(Category::as_str)
            .unwrap_or_default()
            .to_owned(),
        status: s
            .status
            .as_deref()
            .map_or(TemplateStatus::Pending, TemplateStatus::parse),
        reason: None,
        quality: None,
        template: Some(template),
    })
}

#[async_trait]
impl Provider for Recording {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn capabilities(&self) -> &Capabilities {
        self.inner.capabilities()
    }

    fn check_template(&self, t: &Template, problems: &mut Vec<Problem>) {
        self.inner.check_template(t, problems)
    }

    fn check_update(&self, known: Option<&Known>, t: &Template, problems: &mut Vec<Problem>) {
        self.inner.check_update(known, t, problems)
    }

    fn validate(&self, t: &Template) -> Vec<Problem> {
        self.inner.validate(t)
    }

    fn validate_update(&self, id: &TemplateId, t: &Template) -> Vec<Problem> {
        self.inner.validate_update(id, t)
    }

    fn known_templates(&self) -> Option<&KnownTemplates> {
        self.inner.known_templates()
    }

    fn limit(&self, op: OperationKind) -> Option<u32> {
        self.inner.limit(op)
    }

    fn restore_templates(&self, saved: &[TemplateInfo]) {
        self.inner.restore_templates(saved)
    }

    async fn create_template(&self, t: &Template) -> Result<TemplateRef> {
        self.restore().await;
        let r = self.inner.create_template(t).await?;
        self.saved(t, &r).await;
        Ok(r)
    }

    async fn update_template(&self, id: &TemplateId, t: &Template) -> Result<TemplateRef> {
        self.restore().await;
        let r = self.inner.update_template(id, t).await?;
        self.saved(t, &r).await;
        Ok(r)
    }

    async fn get_template(&self, q: &TemplateQuery) -> Result<TemplateInfo> {
        self.restore().await;
        let info = self.inner.get_template(q).await?;
        if let Some(t) = &info.template {
            self.save(t, Some(&info.id)).await;
        }
        Ok(info)
    }

    async fn list_templates(&self, q: &ListQuery) -> Result<Page<TemplateInfo>> {
        self.restore().await;
        self.inner.list_templates(q).await
    }

    async fn delete_template(&self, q: &TemplateQuery) -> Result<()> {
        self.restore().await;
        self.inner.delete_template(q).await?;
        let forgot = self
            .store
            .forget_template(
                self.inner.name(),
                q.id.as_ref().map(TemplateId::as_str),
                q.name.as_deref(),
                q.language.as_deref(),
            )
            .await;
        if let Err(e) = forgot {
            tracing::warn!(error = %e, "the deleted template could not be forgotten by the store");
        }
        Ok(())
    }

    /// The send, then its record. A record that cannot be written does not undo the send (the
    /// message is out): it is logged, and the send's own result returned.
    async fn send(&self, m: &TemplateMessage) -> Result<Receipt> {
        self.restore().await;
        let r = self.inner.send(m).await;
        let record = SendRecord::of(self.inner.name(), &self.profile, m, &r);
        if let Err(e) = self.store.record_send(record).await {
            tracing::error!(error = %e, profile = %self.profile, "the send could not be recorded");
        }
        r
    }

    fn render(&self, op: &Operation, at: &Pinned) -> Result<HttpRequest> {
        self.inner.render(op, at)
    }

    fn parse_callback(&self, headers: &[(String, String)], body: &[u8]) -> Result<Vec<Event>> {
        self.inner.parse_callback(headers, body)
    }

    fn callback_ack(&self) -> (&'static str, &'static str) {
        self.inner.callback_ack()
    }

    fn challenge(&self, query: &str) -> Result<String> {
        self.inner.challenge(query)
    }
}
