//! What the store takes (a send's record) and gives back (a message's row and its events, a
//! template's row).

use serde::Serialize;
use wabakit_core::{Delivery, Error, ErrorKind, Receipt, TemplateMessage};

/// How a send ended, as its caller saw it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The provider took the message.
    Sent,
    /// The provider refused it, or it never left: certainly not sent.
    Failed {
        /// The error's kind.
        kind: ErrorKind,
        /// The provider's code, where it gave one.
        code: Option<String>,
        /// What it said.
        message: String,
    },
    /// The answer was lost: it may have been delivered. A status event for its client_ref
    /// settles it.
    Uncertain {
        /// The error's kind.
        kind: ErrorKind,
        /// What happened.
        message: String,
    },
}

impl Outcome {
    /// The outcome of a send that answered `r`.
    pub fn of(r: &Result<Receipt, Error>) -> Outcome {
        match r {
            Ok(_) => Outcome::Sent,
            Err(e) if e.delivery() == Delivery::MayHaveBeenDelivered => Outcome::Uncertain {
                kind: e.kind(),
                message: e.to_string(),
            },
            Err(e) => Outcome::Failed {
                kind: e.kind(),
                code: e.code().map(str::to_owned),
                message: e.to_string(),
            },
        }
    }

    /// The error's kind, code and message, as the store's columns keep them (none for a
    /// send that was sent).
    pub fn error_columns(&self) -> (Option<&str>, Option<&str>, Option<&str>) {
        match self {
            Outcome::Sent => (None, None, None),
            Outcome::Failed {
                kind,
                code,
                message,
            } => (Some(kind.as_str()), code.as_deref(), Some(message.as_str())),
            Outcome::Uncertain { kind, message } => {
                (Some(kind.as_str()), None, Some(message.as_str()))
            }
        }
    }

    /// `sent`, `failed` or `uncertain`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Sent => "sent",
            Outcome::Failed { .. } => "failed",
            Outcome::Uncertain { .. } => "uncertain",
        }
    }
}

/// One send, to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendRecord {
    /// The provider's registry name.
    pub provider: String,
    /// The profile it was sent through.
    pub profile: String,
    /// The provider's message id (none when the send failed or its answer was lost).
    pub message_id: Option<String>,
    /// The sender's own id.
    pub client_ref: Option<String>,
    /// The recipient, as written.
    pub recipient: String,
    /// The template's name.
    pub template: String,
    /// The template's language.
    pub language: String,
    /// The campaign it belongs to, if any.
    pub campaign: Option<String>,
    /// How it ended.
    pub outcome: Outcome,
    /// When, in Unix milliseconds.
    pub at_millis: u64,
}

impl SendRecord {
    /// A send through `provider`/`profile` of `template` in `language` to `recipient`: sent,
    /// now, until said otherwise.
    pub fn new(
        provider: impl Into<String>,
        profile: impl Into<String>,
        recipient: impl Into<String>,
        template: impl Into<String>,
        language: impl Into<String>,
    ) -> SendRecord {
        SendRecord {
            provider: provider.into(),
            profile: profile.into(),
            message_id: None,
            client_ref: None,
            recipient: recipient.into(),
            template: template.into(),
            language: language.into(),
            campaign: None,
            outcome: Outcome::Sent,
            at_millis: wabakit_core::Clock::unix_millis(&wabakit_core::SystemClock),
        }
    }

    /// The record of sending `m` that answered `r`.
    pub fn of(
        provider: &str,
        profile: &str,
        m: &TemplateMessage,
        r: &Result<Receipt, Error>,
    ) -> SendRecord {
        let mut s = SendRecord::new(provider, profile, &m.to, &m.template, &m.language);
        s.client_ref = m.client_ref.clone();
        s.message_id = r.as_ref().ok().map(|r| r.message_id.clone());
        s.outcome = Outcome::of(r);
        s
    }

    /// With the provider's message id.
    pub fn with_message_id(mut self, id: impl Into<String>) -> Self {
        self.message_id = Some(id.into());
        self
    }

    /// With the sender's own id.
    pub fn with_client_ref(mut self, r: impl Into<String>) -> Self {
        self.client_ref = Some(r.into());
        self
    }

    /// In a campaign.
    pub fn with_campaign(mut self, c: impl Into<String>) -> Self {
        self.campaign = Some(c.into());
        self
    }

    /// With how it ended.
    pub fn with_outcome(mut self, o: Outcome) -> Self {
        self.outcome = o;
        self
    }

    /// At this time (Unix milliseconds).
    pub fn at(mut self, unix_millis: u64) -> Self {
        self.at_millis = unix_millis;
        self
    }
}

/// A message as the store has it now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MessageRow {
    /// The provider.
    pub provider: String,
    /// The profile it was sent through.
    pub profile: String,
    /// The provider's message id.
    pub message_id: Option<String>,
    /// The sender's own id.
    pub client_ref: Option<String>,
    /// The recipient.
    pub recipient: String,
    /// The template.
    pub template: String,
    /// Its language.
    pub language: String,
    /// The campaign.
    pub campaign: Option<String>,
    /// How the send ended: `sent`, `failed`, `uncertain`.
    pub outcome: String,
    /// Its fate so far: `sent` (or `failed`, `uncertain` from the send), then `delivered`,
    /// `read`, `failed` from its events.
    pub status: String,
    /// The error's kind, for a failed message.
    pub error_kind: Option<String>,
    /// The provider's code.
    pub error_code: Option<String>,
    /// What it said.
    pub error_message: Option<String>,
    /// When it was sent (Unix ms).
    pub sent_at: i64,
    /// When it was delivered, where an event says (Unix ms).
    pub delivered_at: Option<i64>,
    /// When it was read.
    pub read_at: Option<i64>,
    /// When it failed.
    pub failed_at: Option<i64>,
}

/// An event as received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventRow {
    /// The provider.
    pub provider: String,
    /// The profile whose endpoint received it.
    pub profile: String,
    /// `message_status`, `template_status`, `inbound`, `unreadable` …
    pub kind: String,
    /// A message status's status.
    pub status: Option<String>,
    /// When it happened, where the provider says (Unix seconds).
    pub at: Option<i64>,
    /// When it arrived (Unix ms).
    pub received_at: i64,
    /// The event, as parsed (with the provider's raw body).
    pub body: serde_json::Value,
    /// Why it could not be read, for an unreadable one.
    pub error: Option<String>,
}

/// A message and its events, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct History {
    /// The message.
    pub message: MessageRow,
    /// Every event of it, as received.
    pub events: Vec<EventRow>,
}

/// What the store knows of a template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TemplateRow {
    /// The provider.
    pub provider: String,
    /// Its name.
    pub name: String,
    /// Its language.
    pub language: String,
    /// The provider's id of it.
    pub template_id: Option<String>,
    /// Its review status (`APPROVED` …).
    pub status: Option<String>,
    /// A rejection's reason.
    pub reason: Option<String>,
    /// Its category, as the provider last said.
    pub category: Option<String>,
    /// Its quality rating.
    pub quality: Option<String>,
    /// When the store last heard of it (Unix ms).
    pub updated_at: i64,
}
