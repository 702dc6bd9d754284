//! A provider whose every send is recorded in the message store: the `Client` of a config with
//! a `[store]` wraps its provider in it, so `send`, `send_many` and everything built on them
//! (the CLI's `send-bulk`, the Python clients) record alike.

use std::sync::Arc;

use async_trait::async_trait;
use wabakit_core::raw::{Known, KnownTemplates};
use wabakit_core::*;
use wabakit_store::{SendRecord, Store};

/// `inner`, with each send's outcome recorded under `profile` before the send returns.
#[derive(Debug)]
pub struct Recording {
    inner: Arc<dyn Provider>,
    store: Store,
    profile: String,
}

impl Recording {
    /// Record `inner`'s sends, as sent through `profile`, in `store`.
    pub fn new(inner: Arc<dyn Provider>, store: Store, profile: impl Into<String>) -> Self {
        Recording {
            inner,
            store,
            profile: profile.into(),
        }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }
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

    async fn create_template(&self, t: &Template) -> Result<TemplateRef> {
        self.inner.create_template(t).await
    }

    async fn update_template(&self, id: &TemplateId, t: &Template) -> Result<TemplateRef> {
        self.inner.update_template(id, t).await
    }

    async fn get_template(&self, q: &TemplateQuery) -> Result<TemplateInfo> {
        self.inner.get_template(q).await
    }

    async fn list_templates(&self, q: &ListQuery) -> Result<Page<TemplateInfo>> {
        self.inner.list_templates(q).await
    }

    async fn delete_template(&self, q: &TemplateQuery) -> Result<()> {
        self.inner.delete_template(q).await
    }

    /// The send, then its record. A record that cannot be written does not undo the send (the
    /// message is out): it is logged, and the send's own result returned.
    async fn send(&self, m: &TemplateMessage) -> Result<Receipt> {
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
