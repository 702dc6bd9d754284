//! What providers answer: template references and details, pages, receipts.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::Template;

/// A provider's id for a template (NXCloud template id, Alibaba TemplateCode).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TemplateId(pub String);

impl TemplateId {
    /// An id as the provider writes it.
    pub fn new(s: impl Into<String>) -> Self {
        TemplateId(s.into())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TemplateId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Review status. Open: providers pass new WhatsApp values through, kept as `Other`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TemplateStatus {
    /// In review.
    Pending,
    /// Approved: messages may be sent.
    Approved,
    /// Rejected (see the reason); may be edited and resubmitted.
    Rejected,
    /// Rejected, and appealed.
    InAppeal,
    /// Paused by WhatsApp for low quality.
    Paused,
    /// Disabled by WhatsApp.
    Disabled,
    /// Being deleted.
    PendingDeletion,
    /// Deleted.
    Deleted,
    /// The account's template limit is reached.
    LimitExceeded,
    /// A status wabakit does not model, as the provider wrote it.
    Other(String),
}

impl TemplateStatus {
    const NAMES: [(&'static str, TemplateStatus); 9] = [
        ("PENDING", TemplateStatus::Pending),
        ("APPROVED", TemplateStatus::Approved),
        ("REJECTED", TemplateStatus::Rejected),
        ("IN_APPEAL", TemplateStatus::InAppeal),
        ("PAUSED", TemplateStatus::Paused),
        ("DISABLED", TemplateStatus::Disabled),
        ("PENDING_DELETION", TemplateStatus::PendingDeletion),
        ("DELETED", TemplateStatus::Deleted),
        ("LIMIT_EXCEEDED", TemplateStatus::LimitExceeded),
    ];

    /// Parse case-insensitively; unknown values are kept as written.
    pub fn parse(s: &str) -> TemplateStatus {
        Self::NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(s))
            .map(|(_, st)| st.clone())
            .unwrap_or_else(|| TemplateStatus::Other(s.to_owned()))
    }

    /// The status as written, upper case (`APPROVED`).
    pub fn as_str(&self) -> &str {
        match self {
            TemplateStatus::Other(s) => s,
            known => Self::NAMES
                .iter()
                .find(|(_, st)| st == known)
                .map(|(n, _)| *n)
                .unwrap_or(""),
        }
    }

    /// Review is over (either way).
    pub fn is_final(&self) -> bool {
        !matches!(self, TemplateStatus::Pending | TemplateStatus::InAppeal)
    }
}

impl fmt::Display for TemplateStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for TemplateStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TemplateStatus {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(TemplateStatus::parse(&String::deserialize(d)?))
    }
}

/// What creating or updating a template answered.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TemplateRef {
    /// The template's name.
    pub name: String,
    /// The template's language.
    pub language: String,
    /// Created, updated (with id and status), or pending an asynchronous creation.
    #[serde(flatten)]
    pub state: RefState,
    /// The provider's id of the request that answered (NXCloud `traceId`, Alibaba
    /// `RequestId`), for its support desk; for a pending asynchronous creation, the id its
    /// outcome will name (NXCloud createTemplateAsync's `requestId`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// Created or updated, with an id, or accepted for asynchronous creation (NXCloud
/// createTemplateAsync), whose outcome arrives later as a template status event naming the
/// ref's `request_id`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum RefState {
    /// Created: its id and status.
    Created {
        /// The provider's id of the template.
        id: TemplateId,
        /// Its status (PENDING while in review).
        status: TemplateStatus,
    },
    /// Updated: its id and status.
    Updated {
        /// The provider's id of the template.
        id: TemplateId,
        /// Its status (PENDING while in review).
        status: TemplateStatus,
    },
    /// Accepted for asynchronous creation: the outcome comes by callback, naming `request_id`.
    Pending,
}

impl TemplateRef {
    /// `t` created as `id`, waiting for review.
    pub fn created(t: &Template, id: TemplateId) -> Self {
        Self::of(
            t,
            RefState::Created {
                id,
                status: TemplateStatus::Pending,
            },
        )
    }

    /// `t` saved over template `id`, waiting for review again.
    pub fn updated(t: &Template, id: TemplateId) -> Self {
        Self::of(
            t,
            RefState::Updated {
                id,
                status: TemplateStatus::Pending,
            },
        )
    }

    /// `t` accepted for asynchronous creation as request `request_id`.
    pub fn pending(t: &Template, request_id: impl Into<String>) -> Self {
        Self::of(t, RefState::Pending).with_request_id(Some(request_id.into()))
    }

    fn of(t: &Template, state: RefState) -> Self {
        TemplateRef {
            name: t.name.clone(),
            language: t.language.clone(),
            state,
            request_id: None,
        }
    }

    /// The provider's id of the request that answered.
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.request_id = request_id;
        self
    }

    /// The status the answer gave.
    pub fn with_status(mut self, new: TemplateStatus) -> Self {
        if let RefState::Created { status, .. } | RefState::Updated { status, .. } = &mut self.state
        {
            *status = new;
        }
        self
    }

    /// The template's id, once it has one.
    pub fn id(&self) -> Option<&TemplateId> {
        match &self.state {
            RefState::Created { id, .. } | RefState::Updated { id, .. } => Some(id),
            RefState::Pending => None,
        }
    }

    /// The template's status, once it has one.
    pub fn status(&self) -> Option<&TemplateStatus> {
        match &self.state {
            RefState::Created { status, .. } | RefState::Updated { status, .. } => Some(status),
            RefState::Pending => None,
        }
    }
}

/// Which template: by id, or by name (and language, where a name has several).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TemplateQuery {
    /// The provider's id of the template.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<TemplateId>,
    /// The template's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The template's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

impl TemplateQuery {
    /// The template with this id.
    pub fn by_id(id: impl Into<String>) -> Self {
        TemplateQuery {
            id: Some(TemplateId::new(id)),
            ..Default::default()
        }
    }

    /// The template of this name and language.
    pub fn by_name(name: impl Into<String>, language: impl Into<String>) -> Self {
        TemplateQuery {
            name: Some(name.into()),
            language: Some(language.into()),
            ..Default::default()
        }
    }

    /// Whether a template with these fields is what the query asks for.
    pub fn matches(&self, id: &TemplateId, name: &str, language: &str) -> bool {
        self.id.as_ref().is_none_or(|q| q == id)
            && self.name.as_deref().is_none_or(|q| q == name)
            && self.language.as_deref().is_none_or(|q| q == language)
    }

    /// Names no template.
    pub fn is_empty(&self) -> bool {
        self.id.is_none() && self.name.is_none()
    }

    /// An error unless the query names a template (by id or by name).
    pub fn require(&self, provider: &str) -> crate::error::Result<()> {
        if self.is_empty() {
            return Err(crate::error::Error::new(
                crate::error::ErrorKind::Validation,
                "name a template by id or by name",
            )
            .with_provider(provider));
        }
        Ok(())
    }
}

/// Filters and paging for listing templates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ListQuery {
    /// Only templates of this name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Only templates in this language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Only templates in this status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<TemplateStatus>,
    /// Page size.
    pub limit: u32,
    /// Where to continue: the `next` of the previous page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

impl ListQuery {
    /// Whether a template with these fields is what the filters ask for (the exact name: a
    /// vendor that matches part of a name is filtered again with this).
    pub fn matches(&self, name: &str, language: &str, status: &TemplateStatus) -> bool {
        self.name.as_deref().is_none_or(|q| q == name)
            && self.language.as_deref().is_none_or(|q| q == language)
            && self.status.as_ref().is_none_or(|q| q == status)
    }
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            name: None,
            language: None,
            status: None,
            limit: 20,
            cursor: None,
        }
    }
}

/// One page of a listing.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Page<T> {
    /// What the page holds.
    pub items: Vec<T>,
    /// Cursor of the next page; `None` on the last page.
    pub next: Option<String>,
    /// Total count, where the provider says.
    pub total: Option<u64>,
}

/// A template as the provider knows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TemplateInfo {
    /// The provider's id of the template.
    pub id: TemplateId,
    /// The template's name.
    pub name: String,
    /// The template's language.
    pub language: String,
    /// As the provider reports it (providers pass new values such as `OTP` through).
    pub category: String,
    /// Its review status.
    pub status: TemplateStatus,
    /// Why it was rejected or paused, where the provider says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Its quality rating (`GREEN`, `YELLOW`, `RED`), where the provider says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality: Option<String>,
    /// The template's content, where the provider returns it and it reads as a neutral document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<Template>,
}

/// A message the provider accepted. Its `Debug` masks the recipient's id (a phone number, for
/// WhatsApp), as errors and logs do ([`crate::privacy`]); the field itself is whole.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Receipt {
    /// The provider's id of the message, which receipts and webhooks name.
    pub message_id: String,
    /// The message's client_ref, echoed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_ref: Option<String>,
    /// The provider's id of the request (NXCloud `traceId`, Alibaba `RequestId`, Meta
    /// `x-fb-trace-id`), for its support desk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The WhatsApp id the recipient's number resolved to, where the provider answers it
    /// (Meta's `contacts[].wa_id`, which NXCloud passes through): status webhooks name the
    /// recipient by it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient_id: Option<String>,
}

impl std::fmt::Debug for Receipt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receipt")
            .field("message_id", &self.message_id)
            .field("client_ref", &self.client_ref)
            .field("request_id", &self.request_id)
            .field(
                "recipient_id",
                &self.recipient_id.as_deref().map(crate::privacy::recipient),
            )
            .finish()
    }
}
