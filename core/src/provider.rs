//! The `Provider` trait every provider implements, and the dry-run request it renders.

use std::borrow::Cow;
use std::fmt;

use async_trait::async_trait;
use serde::Serialize;

use crate::capabilities::Capabilities;
use crate::error::{Error, ErrorKind, Result};
use crate::event::Event;
use crate::known::{Known, KnownTemplates};
use crate::model::{Template, TemplateMessage};
use crate::problem::Problem;
use crate::types::*;
use crate::validate::{validate_template, validate_update};

/// A WhatsApp Business provider: template management and template messages, the same calls for every vendor. Built from a profile through the registry, or in code; see the provider crates.
#[async_trait]
pub trait Provider: Send + Sync + fmt::Debug {
    /// The registry name (a profile's `provider`), as its crate registers it.
    fn name(&self) -> &str;

    /// What the provider can express (the validation overlay).
    fn capabilities(&self) -> &Capabilities;

    /// The provider's own checks beyond its capabilities (the overlay's extra rules).
    fn check_template(&self, _t: &Template, _problems: &mut Vec<Problem>) {}

    /// The provider's own checks of `t` as the new content of a template (what its update
    /// cannot carry), `known` being that template as this client knows it, if it does.
    fn check_update(&self, _known: Option<&Known>, _t: &Template, _problems: &mut Vec<Problem>) {}

    /// Every problem of `t` for this provider: common rules, capabilities, own checks.
    fn validate(&self, t: &Template) -> Vec<Problem> {
        let mut p = validate_template(t, self.capabilities());
        self.check_template(t, &mut p);
        p
    }

    /// Every problem of `t` as the new content of template `id`: as [`Provider::validate`],
    /// except that the category may be left out, and what the provider knows of the template
    /// (its category changes only while it is rejected, seed 000).
    fn validate_update(&self, id: &TemplateId, t: &Template) -> Vec<Problem> {
        let mut p = validate_update(t, self.capabilities());
        self.check_template(t, &mut p);
        let known = self.known_templates().and_then(|k| k.by_code(id));
        self.check_update(known.as_deref(), t, &mut p);
        let change = known
            .and_then(|k| crate::known::category_change(k.template.category, k.status.as_ref(), t));
        if let Some(problem) = change {
            p.push(problem);
        }
        p
    }

    /// The templates this client created, updated or read, where it keeps them.
    fn known_templates(&self) -> Option<&KnownTemplates> {
        None
    }

    /// Templates a store kept from earlier processes, for a provider whose templates live in
    /// its own process (the memory provider): it takes back those it does not have. A vendor
    /// keeps its own templates, so the default does nothing.
    fn restore_templates(&self, _saved: &[TemplateInfo]) {}

    /// The requests per second this client keeps `op` to (the provider's documented limit,
    /// or the profile's `qps`), if it limits it: a campaign's workers share this rate.
    fn limit(&self, _op: OperationKind) -> Option<u32> {
        None
    }

    /// Submit a template for review. The answer is its id and status (or, created asynchronously, the request id the outcome's callback names).
    async fn create_template(&self, t: &Template) -> Result<TemplateRef>;
    /// Replace the content of template `id` (allowed while it is rejected, paused, or as the vendor says).
    async fn update_template(&self, id: &TemplateId, t: &Template) -> Result<TemplateRef>;
    /// One template, by id or by name and language.
    async fn get_template(&self, q: &TemplateQuery) -> Result<TemplateInfo>;
    /// One page of templates; `next` is the cursor of the next page.
    async fn list_templates(&self, q: &ListQuery) -> Result<Page<TemplateInfo>>;
    /// Delete a template (by name, every language, where the vendor deletes so).
    async fn delete_template(&self, q: &TemplateQuery) -> Result<()>;
    /// Send a template message; the receipt has the provider's message id.
    async fn send(&self, m: &TemplateMessage) -> Result<Receipt>;

    /// The exact request `op` would make at the pinned clock value and nonce, without sending:
    /// the same request path as the operation itself. An operation that looks something up
    /// first (a delete by id where the vendor deletes by name) renders that first request.
    fn render(&self, op: &Operation, at: &Pinned) -> Result<HttpRequest>;

    /// The events of a callback (webhook, receipt) received with `headers` (names in any
    /// case), verified as this provider's config says (a signing secret, a freshness window).
    /// The one entry point for every receiver: the CLI, the Python package, a server.
    fn parse_callback(&self, headers: &[(String, String)], body: &[u8]) -> Result<Vec<Event>> {
        let _ = (headers, body);
        Err(Error::new(
            ErrorKind::Unsupported,
            format!("the {} provider takes no callbacks", self.name()),
        ))
    }

    /// The body to answer a callback with once its events are kept, and its content type:
    /// what the vendor reads as "received" (it sends again otherwise).
    fn callback_ack(&self) -> (&'static str, &'static str) {
        ("text/plain", "success")
    }

    /// The answer to a callback endpoint's verification request (a `GET` with this query, as
    /// Meta's subscription challenge): the body to echo with status 200, or an `Auth` error
    /// (answer 403). Providers whose endpoints are not verified this way refuse it.
    fn challenge(&self, query: &str) -> Result<String> {
        let _ = query;
        Err(Error::new(
            ErrorKind::Unsupported,
            format!(
                "{} callback endpoints take no verification request",
                self.name()
            ),
        ))
    }
}

/// Validation before anything is sent: the provider's problems as a `Validation` (or
/// `Unsupported`) error.
pub fn ensure_valid(p: &(impl Provider + ?Sized), t: &Template) -> Result<()> {
    let problems = p.validate(t);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::validation(problems).with_provider(p.name()))
    }
}

/// [`ensure_valid`] for the new content of template `id`.
pub fn ensure_valid_update(
    p: &(impl Provider + ?Sized),
    id: &TemplateId,
    t: &Template,
) -> Result<()> {
    let problems = p.validate_update(id, t);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::validation(problems).with_provider(p.name()))
    }
}

/// For a provider whose pages define text body values only: each typed value of `m`
/// (currency, date_time) as `unsupported.field` at its path, rather than its code and amount
/// dropped. `who` names the provider in the sentence (`NXCloud's pages`).
pub fn typed_values_unsupported(m: &TemplateMessage, who: &str) -> Vec<Problem> {
    m.typed_values()
        .into_iter()
        .map(|(path, v)| {
            Problem::new(
                &path,
                crate::validate::rules::UNSUPPORTED_FIELD.id,
                format!(
                    "{who} define text body values only: write this {} value as its text ({:?}, what WhatsApp shows)",
                    v.type_name(),
                    v.text()
                ),
            )
        })
        .collect()
}

/// An answer that reads as JSON but lacks what the operation needed (no message id, no
/// template id): the request may have had its effect, so the error says it may have been
/// delivered; the first 200 characters of the answer are kept to show what came.
pub fn unexpected_answer(provider: &str, what: &str, data: &serde_json::Value) -> Error {
    let snippet: String = data.to_string().chars().take(200).collect();
    Error::new(
        ErrorKind::Transport,
        format!("{what}: unexpected answer {snippet}"),
    )
    .with_delivery(crate::error::Delivery::MayHaveBeenDelivered)
    .with_provider(provider)
}

/// One provider operation, as data (for rendering and the CLI).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Operation {
    /// Submit a template.
    CreateTemplate(Template),
    /// Replace template `id`'s content.
    UpdateTemplate(TemplateId, Template),
    /// Read one template.
    GetTemplate(TemplateQuery),
    /// Read one page of templates.
    ListTemplates(ListQuery),
    /// Delete a template.
    DeleteTemplate(TemplateQuery),
    /// Send a template message.
    Send(TemplateMessage),
}

impl Operation {
    /// Which operation it is.
    pub fn kind(&self) -> OperationKind {
        self.as_ref().kind()
    }

    /// The operation's neutral name (`send`, `create_template`, …).
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// The operation over borrowed arguments, as providers prepare it.
    pub fn as_ref(&self) -> OperationRef<'_> {
        match self {
            Operation::CreateTemplate(t) => OperationRef::CreateTemplate(t),
            Operation::UpdateTemplate(id, t) => OperationRef::UpdateTemplate(id, t),
            Operation::GetTemplate(q) => OperationRef::GetTemplate(q),
            Operation::ListTemplates(q) => OperationRef::ListTemplates(q),
            Operation::DeleteTemplate(q) => OperationRef::DeleteTemplate(q),
            Operation::Send(m) => OperationRef::Send(m),
        }
    }
}

/// An [`Operation`] over borrowed arguments: what a provider's one request path takes, from a
/// render and from the operation itself alike (a send does not copy its message to be one).
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum OperationRef<'a> {
    /// Submit a template.
    CreateTemplate(&'a Template),
    /// Replace template `id`'s content.
    UpdateTemplate(&'a TemplateId, &'a Template),
    /// Read one template.
    GetTemplate(&'a TemplateQuery),
    /// Read one page of templates.
    ListTemplates(&'a ListQuery),
    /// Delete a template.
    DeleteTemplate(&'a TemplateQuery),
    /// Send a template message.
    Send(&'a TemplateMessage),
}

impl OperationRef<'_> {
    /// Which operation it is.
    pub fn kind(&self) -> OperationKind {
        match self {
            OperationRef::CreateTemplate(_) => OperationKind::CreateTemplate,
            OperationRef::UpdateTemplate(..) => OperationKind::UpdateTemplate,
            OperationRef::GetTemplate(_) => OperationKind::GetTemplate,
            OperationRef::ListTemplates(_) => OperationKind::ListTemplates,
            OperationRef::DeleteTemplate(_) => OperationKind::DeleteTemplate,
            OperationRef::Send(_) => OperationKind::Send,
        }
    }
}

/// The neutral operations by name: the names the CLI, the Python package and the `qps` table of
/// a profile use for every provider. Names are parsed here and nowhere else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OperationKind {
    /// `create_template`.
    CreateTemplate,
    /// `update_template`.
    UpdateTemplate,
    /// `get_template`.
    GetTemplate,
    /// `list_templates`.
    ListTemplates,
    /// `delete_template`.
    DeleteTemplate,
    /// `send`.
    Send,
}

impl OperationKind {
    /// Every operation, in this order.
    pub const ALL: [OperationKind; 6] = [
        OperationKind::CreateTemplate,
        OperationKind::UpdateTemplate,
        OperationKind::GetTemplate,
        OperationKind::ListTemplates,
        OperationKind::DeleteTemplate,
        OperationKind::Send,
    ];

    /// The neutral name (`send`).
    pub fn name(self) -> &'static str {
        match self {
            OperationKind::CreateTemplate => "create_template",
            OperationKind::UpdateTemplate => "update_template",
            OperationKind::GetTemplate => "get_template",
            OperationKind::ListTemplates => "list_templates",
            OperationKind::DeleteTemplate => "delete_template",
            OperationKind::Send => "send",
        }
    }

    /// The operation named `name`; the error lists the names there are.
    pub fn from_name(name: &str) -> Result<OperationKind> {
        Self::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|k| k.name()).collect();
                Error::new(
                    ErrorKind::Validation,
                    format!(
                        "unknown operation {name:?} (operations: {})",
                        names.join(", ")
                    ),
                )
            })
    }
}

impl std::str::FromStr for OperationKind {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Self::from_name(s)
    }
}

impl fmt::Display for OperationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The clock value and nonce a request is signed with, fixed for a reproducible render.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pinned {
    /// Unix time in milliseconds.
    pub unix_millis: u64,
    /// The nonce, for providers whose signature takes one.
    pub nonce: String,
}

/// Text that is a constant more often than not (header names, most header values, the method):
/// borrowed then, owned only when a request builds it. Every request carries a dozen of these.
pub type Text = Cow<'static, str>;

/// A fully built request: what goes on the wire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HttpRequest {
    /// `POST`, `GET` …
    pub method: Text,
    /// The full URL, query included.
    pub url: String,
    /// Every header, as sent.
    pub headers: Vec<(Text, Text)>,
    /// The body bytes, exactly as sent (and signed).
    #[serde(serialize_with = "body_as_text")]
    pub body: Vec<u8>,
}

fn body_as_text<S: serde::Serializer>(b: &[u8], s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&String::from_utf8_lossy(b))
}

/// A header's value by case-insensitive name (HTTP header names are case-insensitive, and
/// vendors disagree on their case).
pub fn header_value<'a, K, V>(headers: &'a [(K, V)], name: &str) -> Option<&'a str>
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    headers
        .iter()
        .find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_ref())
}

impl HttpRequest {
    /// A header's value by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        header_value(&self.headers, name)
    }
}

impl fmt::Display for HttpRequest {
    /// As an HTTP/1.1 request (body as UTF-8 text).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {} HTTP/1.1", self.method, self.url)?;
        for (k, v) in &self.headers {
            writeln!(f, "{k}: {v}")?;
        }
        writeln!(f)?;
        f.write_str(&String::from_utf8_lossy(&self.body))
    }
}
