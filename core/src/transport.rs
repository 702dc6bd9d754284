//! The HTTP transport providers share: one keep-alive client, timeouts, and retries that are
//! safe. Each attempt is built (and so signed) afresh by the provider, with a clock value
//! strictly later than the previous attempt's.
//!
//! Retried: a request that certainly had no effect and failed for a passing reason (connect
//! error, throttling), honouring the provider's advised delay; and, for operations that can be
//! repeated without a second effect (reads, deletes), a request that may have been delivered.
//! Never retried: a send that may have been delivered.

use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use tracing::Instrument;

use crate::clock::{Clock, Nonces, RandomNonces, SystemClock};
use crate::error::{Delivery, Error, ErrorKind, Result};
use crate::provider::{HttpRequest, Text};
use crate::ratelimit::RateLimiter;

/// How failed requests are retried (only ever when that is safe; see the module).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// The first retry's delay; each later one doubles it (with jitter).
    pub base_delay: Duration,
    /// No retry waits longer.
    pub max_delay: Duration,
    /// No attempt starts after this much time since the first.
    pub deadline: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            deadline: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// At most `n` attempts in all (1: never retry).
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// Backoff from `base`, each retry doubling it, never more than `max`.
    pub fn with_delays(mut self, base: Duration, max: Duration) -> Self {
        self.base_delay = base;
        self.max_delay = max;
        self
    }

    /// No attempt starts later than this after the first.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Exponential backoff with jitter: the n-th retry waits a random time in [d/2, d], with
    /// d = base · 2^(n-1), capped.
    pub fn backoff(&self, retry: u32, seed: u64) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << retry.saturating_sub(1).min(16));
        let d = exp.min(self.max_delay);
        let half = d / 2;
        let spread = d.saturating_sub(half).as_micros().max(1) as u64;
        half + Duration::from_micros(mix(seed) % spread)
    }
}

/// A cheap, well-spread hash for jitter (SplitMix64).
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Timeouts, retries and rate limits: what every provider's transport takes.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct TransportConfig {
    /// How long connecting may take.
    pub connect_timeout: Duration,
    /// How long a request may take, answer included.
    pub request_timeout: Duration,
    /// How failed requests are retried.
    pub retry: RetryPolicy,
    /// Keep each operation within its requests-per-second limit (the provider's documented
    /// ones, with `qps` overrides). Off, requests go as fast as they are made.
    pub rate_limit: bool,
    /// Per-operation limits that replace the documented ones (a higher quota, a stricter budget).
    pub qps: Vec<(String, u32)>,
}

impl Default for TransportConfig {
    fn default() -> Self {
        TransportConfig {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(15),
            retry: RetryPolicy::default(),
            rate_limit: true,
            qps: Vec::new(),
        }
    }
}

/// The HTTP client every transport uses (the benchmarks' bare-client ceiling uses it too).
pub fn http_client(config: &TransportConfig) -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(config.connect_timeout)
        .timeout(config.request_timeout)
        .tcp_nodelay(true)
        // A signed API call is never followed elsewhere: a redirect is an answer to report.
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")))
}

/// One attempt at a request: its number and the clock value to sign it with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attempt {
    /// The attempt's number, from 1.
    pub number: u32,
    /// The clock value to sign it with (strictly after the previous attempt's).
    pub unix_millis: u64,
}

pub use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

/// What came back.
#[derive(Clone, Debug)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// As received: taken from the HTTP client, not copied.
    pub headers: HeaderMap,
    /// The body, as received.
    pub body: Bytes,
}

impl HttpResponse {
    /// A header's value by case-insensitive name, if it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Whether repeating an operation could have a second effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repeat {
    /// Reads, deletes and updates: a repeat changes nothing more (an update sends the same
    /// content again).
    Safe,
    /// Sends and creates: a repeat may act twice.
    Unsafe,
}

/// One provider's HTTP transport: a keep-alive client, timeouts, the rate limiter, the clock and nonces, and retries that are safe.
#[derive(Debug)]
pub struct Transport {
    http: reqwest::Client,
    retry: RetryPolicy,
    clock: Arc<dyn Clock>,
    nonces: Arc<dyn Nonces>,
    provider: &'static str,
    last_millis: AtomicU64,
    limiter: RateLimiter,
    /// URLs up to the query (`scheme://host/path`), parsed: a client sends to a few of them, and
    /// parsing each whole URL again cost more than signing the request (bench/README.md).
    roots: Mutex<Vec<(String, reqwest::Url)>>,
}

/// How many distinct roots are kept parsed (NXCloud has a handful of paths, cams one).
const ROOTS: usize = 16;

impl Transport {
    /// A transport for `provider` (its registry name, for errors and spans).
    pub fn new(provider: &'static str, config: &TransportConfig) -> Result<Self> {
        Ok(Transport {
            http: http_client(config)?,
            retry: config.retry.clone(),
            clock: Arc::new(SystemClock),
            nonces: Arc::new(RandomNonces),
            provider,
            last_millis: AtomicU64::new(0),
            limiter: RateLimiter::default(),
            roots: Mutex::new(Vec::new()),
        })
    }

    /// Keep operations within these documented limits (requests per second, by operation), as
    /// adjusted by the config's `qps` overrides; nothing when the config turns limiting off.
    pub fn with_limits(mut self, documented: &[(&str, u32)], config: &TransportConfig) -> Self {
        if !config.rate_limit {
            return self;
        }
        let mut limits: Vec<(String, u32)> = documented
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect();
        for (op, q) in &config.qps {
            limits.retain(|(k, _)| k != op);
            limits.push((op.clone(), *q));
        }
        self.limiter = RateLimiter::new(limits);
        self
    }

    /// The limit in force for `op`, if any.
    pub fn limit(&self, op: &str) -> Option<u32> {
        self.limiter.limit(op)
    }

    /// Use this clock for request timestamps (tests pin it or put it off).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The clock attempts are signed with.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// Take nonces from this source (tests pin them, to compare a request with its render).
    pub fn with_nonces(mut self, nonces: Arc<dyn Nonces>) -> Self {
        self.nonces = nonces;
        self
    }

    /// A fresh nonce, for providers whose signature takes one.
    pub fn nonce(&self) -> String {
        self.nonces.next()
    }

    /// A clock value for a new attempt, strictly after every earlier one, so that no two
    /// attempts are ever signed alike.
    fn next_millis(&self) -> u64 {
        let now = self.clock.unix_millis();
        let mut prev = self.last_millis.load(Ordering::SeqCst);
        loop {
            let next = now.max(prev + 1);
            match self
                .last_millis
                .compare_exchange(prev, next, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => return next,
                Err(p) => prev = p,
            }
        }
    }

    /// Run one operation: build (sign) a request per attempt, send it, interpret the answer,
    /// and retry when that is safe.
    pub async fn call<T>(
        &self,
        op: &str,
        repeat: Repeat,
        build: impl Fn(&Attempt) -> Result<HttpRequest>,
        interpret: impl Fn(HttpResponse) -> Result<T>,
    ) -> Result<T> {
        let start = Instant::now();
        let mut number = 1;
        loop {
            // Every attempt counts against the operation's limit, retries too.
            self.limiter.acquire(op).await;
            let attempt = Attempt {
                number,
                unix_millis: self.next_millis(),
            };
            let request = build(&attempt)?;
            // Provider, operation and attempt only: headers and bodies carry signatures and
            // personal data, and never go into a span.
            let span = tracing::debug_span!(
                "wabakit.request",
                provider = self.provider,
                op,
                attempt = number
            );
            let result = match self.send(request).instrument(span.clone()).await {
                Ok(resp) => {
                    span.in_scope(|| tracing::debug!(status = resp.status, "answered"));
                    interpret(resp)
                }
                Err(e) => Err(e),
            };
            let err = match result {
                Ok(v) => return Ok(v),
                Err(e) => e.with_provider(self.provider),
            };
            let may_repeat = err.retryable() || (repeat == Repeat::Safe && err.is_transient());
            if !may_repeat || number >= self.retry.max_attempts {
                return Err(err);
            }
            let delay = err.retry_after().unwrap_or_else(|| {
                self.retry
                    .backoff(number, attempt.unix_millis ^ u64::from(number))
            });
            if start.elapsed() + delay > self.retry.deadline {
                return Err(err);
            }
            tracing::debug!(provider = self.provider, attempt = number, error = %err, delay_ms = delay.as_millis() as u64, "retrying");
            tokio::time::sleep(delay).await;
            number += 1;
        }
    }

    /// `url` parsed, its root from the cache.
    fn url(&self, url: &str) -> Result<reqwest::Url> {
        let (root, query) = match url.split_once('?') {
            Some((root, query)) => (root, Some(query)),
            None => (url, None),
        };
        let cached = {
            let roots = self.roots.lock().unwrap_or_else(|e| e.into_inner());
            roots
                .iter()
                .find(|(r, _)| r == root)
                .map(|(_, u)| u.clone())
        };
        let mut parsed = match cached {
            Some(u) => u,
            None => {
                let u = reqwest::Url::parse(root)
                    .map_err(|e| Error::config(format!("bad URL {root:?}: {e}")))?;
                let mut roots = self.roots.lock().unwrap_or_else(|e| e.into_inner());
                if roots.len() < ROOTS {
                    roots.push((root.to_owned(), u.clone()));
                }
                u
            }
        };
        parsed.set_query(query);
        Ok(parsed)
    }

    /// Send one request as built; no retry.
    pub async fn send(&self, req: HttpRequest) -> Result<HttpResponse> {
        let method = reqwest::Method::from_bytes(req.method.as_bytes())
            .map_err(|_| Error::config(format!("bad HTTP method {:?}", req.method)))?;
        let url = self.url(&req.url)?;
        // Errors name the method, host and path, never the query: a signed query carries the
        // key id, the signature and a security token, and a send's query the recipient and
        // the template's values (Alibaba's V1 `To=…&TemplateParams=…`). Written only when an
        // error needs it: a send that succeeds allocates nothing for it.
        let place = || {
            let base = req.url.split('?').next().unwrap_or_default();
            format!("{} {base}", req.method)
        };
        let mut rb = self.http.request(method, url);
        for (k, v) in req.headers {
            rb = rb.header(header_name(&k)?, header_value(v)?);
        }
        let mut resp = rb
            .body(req.body)
            .send()
            .await
            .map_err(|e| classify(e, &place()))?;
        let status = resp.status().as_u16();
        let headers = std::mem::take(resp.headers_mut());
        // The request was answered; losing the body now means we cannot know what was done.
        let lost = |e| classify(e, &place()).with_delivery(Delivery::MayHaveBeenDelivered);
        // An answer is a small JSON document: one larger than the limit is refused as it
        // arrives, not held in memory whole.
        if resp.content_length().is_some_and(|n| n > MAX_ANSWER as u64) {
            return Err(too_large(&place()));
        }
        // Most answers arrive in one chunk, which is kept as it is (no copy).
        let mut body = resp.chunk().await.map_err(lost)?.unwrap_or_default();
        if let Some(next) = resp.chunk().await.map_err(lost)? {
            let mut all = bytes::BytesMut::from(body);
            let mut next = Some(next);
            while let Some(chunk) = next {
                if all.len() + chunk.len() > MAX_ANSWER {
                    return Err(too_large(&place()));
                }
                all.extend_from_slice(&chunk);
                next = resp.chunk().await.map_err(lost)?;
            }
            body = all.freeze();
        } else if body.len() > MAX_ANSWER {
            return Err(too_large(&place()));
        }
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

/// The largest answer read from a provider (vendors answer a few kilobytes; a listing page
/// of templates some hundreds).
pub const MAX_ANSWER: usize = 8 << 20;

fn too_large(place: &str) -> Error {
    Error::new(
        ErrorKind::Transport,
        format!(
            "{place}: the answer is larger than {} MiB",
            MAX_ANSWER >> 20
        ),
    )
    .with_delivery(Delivery::MayHaveBeenDelivered)
}

/// A header name: a lower-case constant as it is (`from_static` takes exactly those, and
/// copies nothing), any other parsed and lower-cased.
fn header_name(k: &Text) -> Result<HeaderName> {
    match k {
        Cow::Borrowed(s)
            if !s.is_empty()
                && s.bytes()
                    .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-')) =>
        {
            Ok(HeaderName::from_static(s))
        }
        _ => HeaderName::from_bytes(k.as_bytes())
            .map_err(|_| Error::config(format!("bad header name {k:?}"))),
    }
}

/// A header value, checked but not copied. The value itself is never named in the error: it
/// may be a signature or a token.
fn header_value(v: Text) -> Result<HeaderValue> {
    match v {
        Cow::Borrowed(s) => HeaderValue::from_maybe_shared(Bytes::from_static(s.as_bytes())),
        Cow::Owned(s) => HeaderValue::try_from(s),
    }
    .map_err(|_| Error::config("a header value has a character HTTP does not allow"))
}

/// What a failed exchange means for the request; the message says where (`place`) and why.
fn classify(e: reqwest::Error, place: &str) -> Error {
    let (kind, delivery) = if e.is_connect() {
        (ErrorKind::Transport, Delivery::NotSent)
    } else if e.is_timeout() {
        (ErrorKind::Timeout, Delivery::MayHaveBeenDelivered)
    } else if e.is_builder() {
        (ErrorKind::Config, Delivery::NotSent)
    } else {
        (ErrorKind::Transport, Delivery::MayHaveBeenDelivered)
    };
    // reqwest's message names the URL (query included) unless it is taken out; its causes
    // (hyper, the socket) name neither URL nor headers nor body.
    let e = e.without_url();
    let msg = std::iter::successors(Some(&e as &dyn std::error::Error), |e| e.source())
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join(": ");
    Error::new(kind, format!("{place}: {msg}")).with_delivery(delivery)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let p = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            ..Default::default()
        };
        for seed in 0..50 {
            let d1 = p.backoff(1, seed);
            assert!(
                d1 >= Duration::from_millis(50) && d1 <= Duration::from_millis(100),
                "{d1:?}"
            );
            let d3 = p.backoff(3, seed);
            assert!(
                d3 >= Duration::from_millis(200) && d3 <= Duration::from_millis(400),
                "{d3:?}"
            );
            let d9 = p.backoff(9, seed);
            assert!(
                d9 >= Duration::from_millis(500) && d9 <= Duration::from_millis(1000),
                "{d9:?}"
            );
        }
        assert_ne!(p.backoff(2, 1), p.backoff(2, 2), "jitter differs by seed");
    }

    #[test]
    fn attempts_get_strictly_increasing_clock_values() {
        let t = Transport::new("test", &TransportConfig::default())
            .unwrap()
            .with_clock(Arc::new(crate::clock::FixedClock::new(1_000)));
        let a = t.next_millis();
        let b = t.next_millis();
        assert_eq!((a, b), (1_000, 1_001));
    }

    #[test]
    fn headers_are_checked_and_never_echo_their_values() {
        // Lower-case constants as they are; any other spelling parsed and lower-cased.
        for (name, want) in [
            (Text::Borrowed("x-acs-date"), "x-acs-date"),
            (Text::Borrowed("Content-Type"), "content-type"),
            (Text::Owned("accessKey".into()), "accesskey"),
        ] {
            assert_eq!(header_name(&name).unwrap().as_str(), want);
        }
        for bad in [Text::Borrowed(""), Text::Borrowed("bad name")] {
            assert_eq!(header_name(&bad).unwrap_err().kind(), ErrorKind::Config);
        }
        assert_eq!(
            header_value(Text::Borrowed("application/json")).unwrap(),
            "application/json"
        );
        let e = header_value(Text::Owned("sk-SECRET\r\nx: y".into())).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config);
        assert!(!e.to_string().contains("SECRET"), "{e}");
    }
}
