//! The conformance scenarios every wabakit provider must pass, through its fake server or in
//! memory. A provider's test builds a [`Harness`] and calls [`run_all`].
//!
//! Scenarios are independent: each uses its own template names, so the order they run in and
//! what ran before do not matter.

mod fixtures;
mod render;
mod scenarios;

use std::future::Future;
use std::pin::Pin;

use async_trait::async_trait;
use wabakit_core::fake::Reviewable;
use wabakit_core::Provider;

pub use fixtures::*;
pub use render::render_matches_recorded;

/// What a scenario needs beyond the provider: a way to finish a template's review, which only
/// the provider's fake (or the in-memory store) can do.
#[async_trait]
pub trait Harness: Send + Sync {
    fn provider(&self) -> &dyn Provider;

    /// Finish the review of template `name` in `language`.
    async fn review(&self, name: &str, language: &str, verdict: Verdict) -> Result<(), String>;
}

/// A harness over a provider and the fake server it talks to.
pub struct FakeHarness<P, F> {
    pub provider: P,
    pub fake: F,
}

#[async_trait]
impl<P: Provider, F: Reviewable> Harness for FakeHarness<P, F> {
    fn provider(&self) -> &dyn Provider {
        &self.provider
    }

    async fn review(&self, name: &str, language: &str, verdict: Verdict) -> Result<(), String> {
        review_with(&self.fake, name, language, verdict)
    }
}

/// Finish a review in a fake; an error when the fake has no such template.
pub fn review_with(
    fake: &dyn Reviewable,
    name: &str,
    language: &str,
    verdict: Verdict,
) -> Result<(), String> {
    let done = match verdict {
        Verdict::Approve => fake.approve(name, language),
        Verdict::Reject(reason) => fake.reject(name, language, reason),
    };
    done.then_some(())
        .ok_or_else(|| format!("the fake has no template {name}/{language}"))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Approve,
    /// Rejected, with WhatsApp's reason code.
    Reject(&'static str),
}

pub type Outcome = Result<(), String>;
type Run =
    for<'a> fn(&'a dyn Harness, &'a str) -> Pin<Box<dyn Future<Output = Outcome> + Send + 'a>>;

pub struct Scenario {
    pub name: &'static str,
    run: Run,
}

impl Scenario {
    /// Run with `prefix` in every template name (so runs against a shared server do not meet).
    pub async fn run(&self, h: &dyn Harness, prefix: &str) -> Outcome {
        (self.run)(h, prefix).await
    }
}

pub use scenarios::all as scenarios;

/// Run every scenario; the error lists each failed one with its reason.
pub async fn run_all(h: &dyn Harness, prefix: &str) -> Result<Vec<&'static str>, String> {
    let mut passed = Vec::new();
    let mut failed = Vec::new();
    for s in scenarios() {
        match s.run(h, prefix).await {
            Ok(()) => passed.push(s.name),
            Err(e) => failed.push(format!("{}: {e}", s.name)),
        }
    }
    if failed.is_empty() {
        Ok(passed)
    } else {
        Err(format!(
            "{} of {} scenarios failed on {}:\n  {}",
            failed.len(),
            failed.len() + passed.len(),
            h.provider().name(),
            failed.join("\n  ")
        ))
    }
}

/// Retries that wait a millisecond or so (tests of retrying, without their wall-clock cost).
pub fn quick_retries() -> wabakit_core::RetryPolicy {
    use std::time::Duration;
    wabakit_core::RetryPolicy::default()
        .with_max_attempts(4)
        .with_delays(Duration::from_millis(1), Duration::from_millis(5))
        .with_deadline(Duration::from_secs(10))
}
