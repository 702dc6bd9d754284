//! What a provider crate registers so that nothing outside it needs its name: how it is built
//! from a profile, its operation table (the `qps` keys), how its callbacks are parsed without a
//! profile, and its sandbox (its fake server, started, handing back a ready profile). The
//! facade keeps the table of compiled-in providers; the CLI and the Python package loop over it.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::error::Result;
use crate::event::Event;
use crate::parse::profile::ProfileReader;
use crate::provider::Provider;

/// One provider, as the registry knows it.
#[derive(Clone, Copy)]
pub struct Registration {
    /// The registry name: a profile's `provider = "…"`.
    pub name: &'static str,
    /// For people: the vendor and product.
    pub title: &'static str,
    /// The provider's own operations beyond the neutral ones ([`crate::OperationKind`]), by
    /// the names a profile's `[qps]` table gives their limits (`upload_template_file`).
    pub own_operations: &'static [&'static str],
    /// Build from a profile: read the provider's keys (unknown ones are reported by the
    /// reader's caller), or record what is wrong and give `None`.
    pub build: fn(&mut ProfileReader<'_>) -> Option<Arc<dyn Provider>>,
    /// Parse (and, as `check` asks, verify) a callback body without a configured client.
    pub callbacks: ParseCallback,
    /// Start this provider's fake server (built with its `fake` feature), if it has one.
    pub sandbox: Option<StartSandbox>,
}

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Parses a callback (headers as received, body) as a [`CallbackCheck`] says.
pub type ParseCallback = fn(&[(String, String)], &[u8], &CallbackCheck<'_>) -> Result<Vec<Event>>;

/// The provider `new` built from the settings a profile gave, or its error recorded against
/// the profile (the reader's caller reports it with the profile's other problems).
pub fn built<P: Provider + 'static>(
    r: &mut ProfileReader,
    p: Result<P>,
) -> Option<Arc<dyn Provider>> {
    match p {
        Ok(p) => Some(Arc::new(p)),
        Err(e) => {
            r.invalid(&e);
            None
        }
    }
}

/// How a callback is to be verified when no client config says it.
#[derive(Clone, Copy, Debug, Default)]
pub struct CallbackCheck<'a> {
    /// The signing secret; `None` parses without verifying. A provider whose callbacks carry
    /// no signature refuses a secret (it would verify nothing).
    pub secret: Option<&'a str>,
    /// Require the callback's own timestamp (where the vendor signs one) to be close to this
    /// time (Unix milliseconds): a replayed old callback is refused.
    pub now_millis: Option<u64>,
    /// How close, in milliseconds; `None` is the provider's default (NXCloud: 60 s).
    pub window_millis: Option<u64>,
}

/// How a sandbox is started.
#[derive(Clone, Debug, Default)]
pub struct SandboxOptions {
    /// Approve every new or edited template at once (else wait for a review call).
    pub instant_review: bool,
    /// Where the fake posts its callbacks (webhooks, receipts), if anywhere.
    pub callback_url: Option<String>,
}

/// Starts a sandbox on 127.0.0.1 at a free port.
pub type StartSandbox = fn(SandboxOptions) -> Starting;

/// A sandbox being started.
pub type Starting = Pin<Box<dyn Future<Output = io::Result<Box<dyn Sandbox>>> + Send>>;

/// A fake whose review a test can finish: approve a template, or reject it with a reason.
pub trait Reviewable: Send + Sync {
    /// False when the fake has no such template.
    fn approve(&self, name: &str, language: &str) -> bool;
    /// Reject template `name` in `language` with WhatsApp's reason code; false when there is none.
    fn reject(&self, name: &str, language: &str, reason: &str) -> bool;
}

/// A running fake vendor server: the profile that uses it, its reviews, what it received.
/// Dropping it stops the server.
pub trait Sandbox: Reviewable {
    /// The registry name of the provider it fakes.
    fn provider(&self) -> &'static str;
    /// Where it listens (`http://127.0.0.1:PORT`).
    fn url(&self) -> String;
    /// A profile for this sandbox, as the keys of a config file's `[profiles.NAME]` table
    /// (`provider` included). Its credentials are the fake's own, not secrets.
    fn profile(&self) -> Map<String, Value>;
    /// Every request received, in order, as it arrived.
    fn requests(&self) -> Vec<RecordedRequest>;
}

/// A request as a fake server received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    /// `POST`, `GET` …
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Every header, names lower-case, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body, as received.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// A header's value by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::provider::header_value(&self.headers, name)
    }
}
