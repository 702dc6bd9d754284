//! An in-memory provider: stores templates with their review status, simulates review,
//! records sent messages. It implements the whole `Provider` trait, so tests and quickstarts
//! run without any vendor, and it is the reference the conformance scenarios are written on.

mod store;

use std::sync::{Mutex, MutexGuard};

use async_trait::async_trait;

use crate::capabilities::Capabilities;
use crate::error::{Error, ErrorKind, Result};
use crate::event::Event;
use crate::model::{Template, TemplateMessage};
use crate::provider::{
    ensure_valid, ensure_valid_update, HttpRequest, Operation, Pinned, Provider,
};
use crate::types::*;
use crate::validate::validate_message;

pub use store::SentMessage;
use store::{State, Stored};

/// How the simulated review decides.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Review {
    /// A new or edited template is PENDING in the answer, and APPROVED from the next call on.
    #[default]
    Instant,
    /// Templates stay PENDING until [`MemoryProvider::approve`] or [`MemoryProvider::reject`].
    Manual,
}

/// A provider in memory: templates with their review status, a simulated review, the messages sent. For tests, examples and trying things without a vendor.
#[derive(Debug)]
pub struct MemoryProvider {
    state: Mutex<State>,
    caps: Capabilities,
    review: Review,
    keep_sent: usize,
    /// A profile's `[qps]` limits, kept as a vendor's would be (to try pacing offline).
    limiter: crate::ratelimit::RateLimiter,
}

impl Default for MemoryProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryProvider {
    /// An empty provider with instant review and every capability.
    pub fn new() -> Self {
        MemoryProvider {
            state: Mutex::new(State::default()),
            caps: Capabilities::everything(),
            review: Review::Instant,
            keep_sent: 10_000,
            limiter: crate::ratelimit::RateLimiter::default(),
        }
    }

    /// Review as `review` says.
    pub fn with_review(mut self, review: Review) -> Self {
        self.review = review;
        self
    }

    /// Act as a provider with these capabilities (to test the validation overlay).
    pub fn with_capabilities(mut self, caps: Capabilities) -> Self {
        self.caps = caps;
        self
    }

    /// Keep each operation (by neutral name: `send`, `create_template`, …) within these
    /// requests per second, as a vendor's limits would.
    pub fn with_limits(mut self, qps: impl IntoIterator<Item = (String, u32)>) -> Self {
        self.limiter = crate::ratelimit::RateLimiter::new(qps);
        self
    }

    /// How many sent messages to keep for [`Self::sent`] (the oldest are dropped first).
    pub fn keep_sent(mut self, n: usize) -> Self {
        self.keep_sent = n;
        self
    }

    /// The state, with any due instant reviews applied first.
    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain data behind; keep serving it.
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if self.review == Review::Instant {
            for i in 0..s.templates.len() {
                if s.templates[i].status == TemplateStatus::Pending {
                    s.set_status(i, TemplateStatus::Approved, None);
                }
            }
        }
        s
    }

    fn decide(
        &self,
        id: &TemplateId,
        status: TemplateStatus,
        reason: Option<String>,
    ) -> Result<()> {
        let mut s = self.state();
        let i = s
            .find(id)
            .ok_or_else(|| not_found(&format!("template {id}")))?;
        s.set_status(i, status, reason);
        Ok(())
    }

    /// Finish the review of a template: approved.
    pub fn approve(&self, id: &TemplateId) -> Result<()> {
        self.decide(id, TemplateStatus::Approved, None)
    }

    /// Finish the review of a template: rejected, with WhatsApp's reason (`INVALID_FORMAT` …).
    pub fn reject(&self, id: &TemplateId, reason: &str) -> Result<()> {
        self.decide(id, TemplateStatus::Rejected, Some(reason.to_owned()))
    }

    /// The id of template `name` in `language`, if there is one.
    pub fn find_id(&self, name: &str, language: &str) -> Option<TemplateId> {
        self.state().by_name(name, language).map(|x| x.id.clone())
    }

    /// The most recently sent messages, oldest first.
    pub fn sent(&self) -> Vec<SentMessage> {
        self.state().sent.iter().cloned().collect()
    }

    /// How many messages were accepted in all.
    pub fn sent_total(&self) -> u64 {
        self.state().sent_total
    }

    /// Take the events recorded so far (template status changes).
    pub fn take_events(&self) -> Vec<Event> {
        std::mem::take(&mut self.state().events)
    }
}

fn not_found(what: &str) -> Error {
    Error::not_found(format!("{what} does not exist")).with_provider("memory")
}

fn refused(code: &str, message: String) -> Error {
    Error::provider(ErrorKind::Provider, code, message).with_provider("memory")
}

#[async_trait]
impl Provider for MemoryProvider {
    fn name(&self) -> &str {
        "memory"
    }

    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    /// The templates a store kept for this provider in an earlier process, under their ids
    /// and statuses (a pending one is reviewed as this provider reviews).
    fn restore_templates(&self, saved: &[TemplateInfo]) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        for info in saved {
            let Some(template) = &info.template else {
                continue;
            };
            if s.find(&info.id).is_some() || s.by_name(&info.name, &info.language).is_some() {
                continue;
            }
            s.restore_id(&info.id);
            s.templates.push(Stored {
                id: info.id.clone(),
                template: template.clone(),
                status: info.status.clone(),
                reason: info.reason.clone(),
            });
        }
    }

    async fn create_template(&self, t: &Template) -> Result<TemplateRef> {
        self.limiter.acquire("create_template").await;
        ensure_valid(self, t)?;
        let mut s = self.state();
        if s.by_name(&t.name, &t.language).is_some() {
            return Err(Error::provider(
                ErrorKind::AlreadyExists,
                "template_exists",
                format!("a template {:?} in {:?} already exists", t.name, t.language),
            )
            .with_provider("memory"));
        }
        let id = s.new_template_id();
        s.templates.push(Stored {
            id: id.clone(),
            template: t.clone(),
            status: TemplateStatus::Pending,
            reason: None,
        });
        Ok(TemplateRef::created(t, id))
    }

    async fn update_template(&self, id: &TemplateId, t: &Template) -> Result<TemplateRef> {
        self.limiter.acquire("update_template").await;
        ensure_valid_update(self, id, t)?;
        let mut s = self.state();
        let i = s
            .find(id)
            .ok_or_else(|| not_found(&format!("template {id}")))?;
        let stored = &s.templates[i];
        // The memory provider knows every template's state: seed 000's rule, exactly.
        if let Some(p) =
            crate::known::category_change(stored.template.category, Some(&stored.status), t)
        {
            return Err(Error::validation(vec![p]).with_provider("memory"));
        }
        if !self.caps.can_edit(&stored.status) {
            return Err(refused(
                "template_not_editable",
                format!(
                    "template {id} is {} and cannot be edited now",
                    stored.status
                ),
            ));
        }
        if stored.template.name != t.name || stored.template.language != t.language {
            return Err(refused(
                "template_identity",
                format!(
                    "template {id} is {:?} in {:?}; name and language cannot change",
                    stored.template.name, stored.template.language
                ),
            ));
        }
        let kept = stored.template.category;
        s.templates[i].template = t.clone();
        s.templates[i].template.category = t.category.or(kept);
        s.set_status(i, TemplateStatus::Pending, None);
        Ok(TemplateRef::updated(t, id.clone()))
    }

    async fn get_template(&self, q: &TemplateQuery) -> Result<TemplateInfo> {
        self.limiter.acquire("get_template").await;
        q.require("memory")?;
        let s = self.state();
        s.templates
            .iter()
            .find(|x| q.matches(&x.id, &x.template.name, &x.template.language))
            .map(Stored::info)
            .ok_or_else(|| not_found("that template"))
    }

    async fn list_templates(&self, q: &ListQuery) -> Result<Page<TemplateInfo>> {
        self.limiter.acquire("list_templates").await;
        let offset: usize = match &q.cursor {
            None => 0,
            Some(c) => c.parse().map_err(|_| {
                Error::new(ErrorKind::Validation, format!("bad cursor {c:?}"))
                    .with_provider("memory")
            })?,
        };
        let limit = q.limit.clamp(1, 100) as usize;
        let s = self.state();
        let all: Vec<&Stored> = s
            .templates
            .iter()
            .filter(|x| q.matches(&x.template.name, &x.template.language, &x.status))
            .collect();
        let items: Vec<TemplateInfo> = all
            .iter()
            .skip(offset)
            .take(limit)
            .map(|x| x.info())
            .collect();
        let end = offset + items.len();
        Ok(Page {
            next: (end < all.len()).then(|| end.to_string()),
            total: Some(all.len() as u64),
            items,
        })
    }

    async fn delete_template(&self, q: &TemplateQuery) -> Result<()> {
        self.limiter.acquire("delete_template").await;
        q.require("memory")?;
        let mut s = self.state();
        let before = s.templates.len();
        s.templates
            .retain(|x| !q.matches(&x.id, &x.template.name, &x.template.language));
        if s.templates.len() == before {
            return Err(not_found("that template"));
        }
        Ok(())
    }

    async fn send(&self, m: &TemplateMessage) -> Result<Receipt> {
        self.limiter.acquire("send").await;
        let problems = validate_message(m, None);
        if !problems.is_empty() {
            return Err(Error::validation(problems).with_provider("memory"));
        }
        let mut s = self.state();
        let stored = s
            .by_name(&m.template, &m.language)
            .ok_or_else(|| not_found(&format!("template {:?} in {:?}", m.template, m.language)))?;
        if stored.status != TemplateStatus::Approved {
            return Err(refused(
                "template_not_approved",
                format!(
                    "template {:?} is {}; only APPROVED templates can be sent",
                    m.template, stored.status
                ),
            ));
        }
        let problems = validate_message(m, Some(&stored.template));
        if !problems.is_empty() {
            return Err(Error::validation(problems).with_provider("memory"));
        }
        s.sent_total += 1;
        let message_id = format!("wamid.mem-{}", s.sent_total);
        if self.keep_sent > 0 {
            if s.sent.len() == self.keep_sent {
                s.sent.pop_front();
            }
            s.sent.push_back(SentMessage {
                message_id: message_id.clone(),
                message: m.clone(),
            });
        }
        Ok(Receipt {
            message_id,
            client_ref: m.client_ref.clone(),
            request_id: None,
            recipient_id: None,
        })
    }

    /// There is no wire: the "request" is the operation's neutral document.
    fn render(&self, op: &Operation, _at: &Pinned) -> Result<HttpRequest> {
        // Checked as the operation checks it (a send against its stored template).
        match op {
            Operation::CreateTemplate(t) => ensure_valid(self, t)?,
            Operation::UpdateTemplate(id, t) => ensure_valid_update(self, id, t)?,
            Operation::Send(m) => {
                let stored = self
                    .state()
                    .by_name(&m.template, &m.language)
                    .map(|x| x.template.clone());
                let problems = validate_message(m, stored.as_ref());
                if !problems.is_empty() {
                    return Err(Error::validation(problems).with_provider("memory"));
                }
            }
            _ => {}
        }
        let body = match op {
            Operation::CreateTemplate(t) => serde_json::to_vec(t),
            Operation::UpdateTemplate(id, t) => {
                serde_json::to_vec(&serde_json::json!({"id": id, "template": t}))
            }
            Operation::GetTemplate(q) | Operation::DeleteTemplate(q) => serde_json::to_vec(q),
            Operation::ListTemplates(q) => serde_json::to_vec(q),
            Operation::Send(m) => serde_json::to_vec(m),
        }
        .map_err(|e| Error::new(ErrorKind::Validation, e.to_string()))?;
        Ok(HttpRequest {
            method: "POST".into(),
            url: format!("memory://local/{}", op.name()),
            headers: vec![("content-type".into(), "application/json".into())],
            body,
        })
    }
}

/// The in-memory provider is its own sandbox: reviews are finished by template name.
impl crate::registry::Reviewable for MemoryProvider {
    fn approve(&self, name: &str, language: &str) -> bool {
        self.find_id(name, language)
            .is_some_and(|id| MemoryProvider::approve(self, &id).is_ok())
    }

    fn reject(&self, name: &str, language: &str, reason: &str) -> bool {
        self.find_id(name, language)
            .is_some_and(|id| MemoryProvider::reject(self, &id, reason).is_ok())
    }
}

/// The in-memory provider in the registry: `provider = "memory"`, with `review = "instant"`
/// (the default) or `"manual"`.
pub const REGISTRATION: crate::registry::Registration = crate::registry::Registration {
    name: "memory",
    title: "in-memory (no network)",
    own_operations: &[],
    build: |r| {
        let review = r.opt_choice(
            "review",
            &[("instant", Review::Instant), ("manual", Review::Manual)],
        );
        // The transport keys are taken (a profile can switch to memory unchanged); of them,
        // only the limits act.
        let t = r.transport(&[]);
        let limits = if t.rate_limit { t.qps } else { Vec::new() };
        Some(std::sync::Arc::new(
            MemoryProvider::new()
                .with_review(review.unwrap_or_default())
                .with_limits(limits),
        ))
    },
    callbacks: |_, _, _| {
        Err(Error::new(
            ErrorKind::Unsupported,
            "the memory provider takes no callbacks",
        ))
    },
    sandbox: None,
};
