//! The one error type: what kind of failure, the provider's own code and message, and what
//! the caller most needs to know: whether the request was not sent, throttled, or may have
//! been delivered (and so must not be blindly retried).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use crate::problem::Problem;

/// The result of every fallible wabakit call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What kind of failure an [`Error`] is: what a caller decides on (retry, fix the input, fix the config).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// Bad or missing configuration.
    Config,
    /// The template or message breaks a rule; see [`Error::problems`].
    Validation,
    /// The provider cannot express something the document asks for.
    Unsupported,
    /// Credentials or signature rejected.
    Auth,
    /// The provider rejected the request's timestamp: this machine's clock is off.
    ClockSkew,
    /// Throttled by the provider (or by our own limiter).
    RateLimited,
    /// The template (or message, or page) does not exist.
    NotFound,
    /// What the request would create exists already (a template of that name and language).
    AlreadyExists,
    /// The recipient cannot receive the message (not a WhatsApp user, not a valid number):
    /// sending it again will not help.
    Recipient,
    /// The account's balance or payment does not cover the request.
    Billing,
    /// The provider refused the request for another reason (its code is kept).
    Provider,
    /// The connection failed, or the answer could not be read.
    Transport,
    /// No answer within the request timeout: the request may have been delivered.
    Timeout,
    /// The message store (SQLite, PostgreSQL) could not be opened, read or written.
    Store,
}

impl ErrorKind {
    /// The kind's name (`clock_skew`), as errors print it and Python reads it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Config => "config",
            ErrorKind::Validation => "validation",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Auth => "auth",
            ErrorKind::ClockSkew => "clock_skew",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::NotFound => "not_found",
            ErrorKind::AlreadyExists => "already_exists",
            ErrorKind::Recipient => "recipient",
            ErrorKind::Billing => "billing",
            ErrorKind::Provider => "provider",
            ErrorKind::Transport => "transport",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Store => "store",
        }
    }
}

/// What may have happened to the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// It never reached the provider, or the provider answered that it did nothing.
    NotSent,
    /// The provider refused it for now; it did nothing and a later try may succeed.
    Throttled,
    /// It may have been acted on (a timeout or broken connection after the body was sent,
    /// an unreadable answer). A send in this state must not be retried blindly.
    MayHaveBeenDelivered,
}

/// wabakit's one error type: its kind, the provider's code and message, the request id, what became of the request ([`Delivery`]), and the problems of a validation failure. It never holds a secret.
#[derive(Clone)]
pub struct Error(Box<Inner>);

#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    delivery: Delivery,
    message: String,
    provider: Option<String>,
    code: Option<String>,
    request_id: Option<String>,
    http_status: Option<u16>,
    retry_after: Option<Duration>,
    transient: bool,
    problems: Vec<Problem>,
    details: Option<serde_json::Value>,
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    /// An error of this kind; not sent, unless said otherwise with [`Error::with_delivery`].
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        let delivery = match kind {
            ErrorKind::RateLimited => Delivery::Throttled,
            _ => Delivery::NotSent,
        };
        Error(Box::new(Inner {
            kind,
            delivery,
            message: message.into(),
            provider: None,
            code: None,
            request_id: None,
            http_status: None,
            retry_after: None,
            // Clock skew is not among them: the same clock fails again (NOTES.md, Retries).
            transient: matches!(
                kind,
                ErrorKind::RateLimited | ErrorKind::Transport | ErrorKind::Timeout
            ),
            problems: Vec::new(),
            details: None,
            source: None,
        }))
    }

    /// A configuration error.
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, message)
    }

    /// A not-found error.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }

    /// Problems found before anything was sent. All of them `unsupported.*` makes an
    /// `Unsupported` error; anything else a `Validation` error.
    pub fn validation(problems: Vec<Problem>) -> Self {
        let unsupported = !problems.is_empty() && problems.iter().all(Problem::is_unsupported);
        let kind = if unsupported {
            ErrorKind::Unsupported
        } else {
            ErrorKind::Validation
        };
        let mut msg = format!("{} problem(s): ", problems.len());
        msg.push_str(
            &problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        );
        let mut e = Self::new(kind, msg);
        e.0.problems = problems;
        e
    }

    /// The provider answered with its own error code.
    pub fn provider(kind: ErrorKind, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(kind, message).with_code(code)
    }

    /// The provider (registry name) that failed.
    pub fn with_provider(mut self, provider: impl Into<String>) -> Self {
        self.0.provider = Some(provider.into());
        self
    }

    /// The provider's own error code.
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.0.code = Some(code.into());
        self
    }

    /// The provider's id of the failed request, for its support desk.
    pub fn with_request_id(mut self, id: impl Into<String>) -> Self {
        self.0.request_id = Some(id.into());
        self
    }

    /// The HTTP status the provider answered with.
    pub fn with_http_status(mut self, status: u16) -> Self {
        self.0.http_status = Some(status);
        self
    }

    /// How long the provider asked to wait before trying again.
    pub fn with_retry_after(mut self, d: Duration) -> Self {
        self.0.retry_after = Some(d);
        self
    }

    /// What became of the request.
    pub fn with_delivery(mut self, d: Delivery) -> Self {
        self.0.delivery = d;
        self
    }

    /// Mark a provider error as temporary (a later try may succeed), or not.
    pub fn with_transient(mut self, transient: bool) -> Self {
        self.0.transient = transient;
        self
    }

    /// The provider's structured error detail (Meta's error object, AccessDeniedDetail …).
    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.0.details = Some(details);
        self
    }

    /// The error underneath (a JSON or I/O error), kept as `source()`.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.0.source = Some(Arc::new(source));
        self
    }

    /// What kind of failure it is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// What became of the request: not sent, throttled, or may have been delivered.
    pub fn delivery(&self) -> Delivery {
        self.0.delivery
    }

    /// The message, without the provider, code or kind.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The provider that failed, if one did.
    pub fn provider_name(&self) -> Option<&str> {
        self.0.provider.as_deref()
    }

    /// The provider's own error code, if it gave one.
    pub fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }

    /// The provider's id of the request, if it gave one.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// The HTTP status of the answer, if there was one.
    pub fn http_status(&self) -> Option<u16> {
        self.0.http_status
    }

    /// How long the provider asked to wait, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }

    /// Every problem of a validation (or unsupported) error, each with its path and rule.
    pub fn problems(&self) -> &[Problem] {
        &self.0.problems
    }

    /// The provider's error object, where it gives more than a code and message.
    pub fn details(&self) -> Option<&serde_json::Value> {
        self.0.details.as_ref()
    }

    /// The request certainly had no effect.
    pub fn not_sent(&self) -> bool {
        self.0.delivery != Delivery::MayHaveBeenDelivered
    }

    /// A later attempt may succeed (whether a repeat is *safe* is [`Error::retryable`]).
    pub fn is_transient(&self) -> bool {
        self.0.transient
    }

    /// Trying the same request again is safe and may succeed: the failure is temporary and
    /// the request certainly had no effect.
    pub fn retryable(&self) -> bool {
        self.0.transient && self.not_sent()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = &self.0.provider {
            write!(f, "{p}: ")?;
        }
        write!(f, "{} error", self.0.kind.as_str())?;
        if let Some(c) = &self.0.code {
            write!(f, " [{c}]")?;
        }
        write!(f, ": {}", self.0.message)?;
        if let Some(s) = self.0.http_status {
            write!(f, " (HTTP {s})")?;
        }
        if let Some(r) = &self.0.request_id {
            write!(f, " (request id {r})")?;
        }
        if self.0.delivery == Delivery::MayHaveBeenDelivered {
            f.write_str(" — the request may have been delivered")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.0;
        f.debug_struct("Error")
            .field("kind", &i.kind)
            .field("delivery", &i.delivery)
            .field("message", &i.message)
            .field("provider", &i.provider)
            .field("code", &i.code)
            .field("request_id", &i.request_id)
            .field("http_status", &i.http_status)
            .field("retry_after", &i.retry_after)
            .field("problems", &i.problems)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_decides_retry() {
        let throttled = Error::new(ErrorKind::RateLimited, "slow down");
        assert_eq!(throttled.delivery(), Delivery::Throttled);
        assert!(throttled.retryable());
        let timeout = Error::new(ErrorKind::Timeout, "no answer")
            .with_delivery(Delivery::MayHaveBeenDelivered);
        assert!(!timeout.retryable() && !timeout.not_sent());
        let auth = Error::provider(ErrorKind::Auth, "1003", "invalid signature");
        assert!(!auth.retryable() && auth.not_sent());
        // The same clock fails again: not worth a retry, even for a read.
        let skew = Error::new(ErrorKind::ClockSkew, "timestamp expired");
        assert!(!skew.retryable() && !skew.is_transient());
    }

    #[test]
    fn display_names_code_and_delivery() {
        let e = Error::provider(ErrorKind::Transport, "reset", "connection reset")
            .with_provider("acme")
            .with_delivery(Delivery::MayHaveBeenDelivered);
        assert_eq!(
            e.to_string(),
            "acme: transport error [reset]: connection reset — the request may have been delivered"
        );
    }

    #[test]
    fn all_unsupported_problems_make_an_unsupported_error() {
        let p = Problem {
            path: "components[0]".into(),
            rule: "unsupported.component",
            message: "no".into(),
        };
        assert_eq!(
            Error::validation(vec![p.clone()]).kind(),
            ErrorKind::Unsupported
        );
        let q = Problem {
            rule: "name.charset",
            ..p.clone()
        };
        assert_eq!(Error::validation(vec![p, q]).kind(), ErrorKind::Validation);
    }
}
