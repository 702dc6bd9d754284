//! The receipts server's core: one callback endpoint per profile (`/callbacks/{profile}`),
//! each taking that provider's webhooks or receipts through the provider-neutral entry point
//! (`Provider::parse_callback`, verification included), keeping the events in the store, and
//! answering the vendor only once they are committed. `wabakit serve` runs it; a Rust app
//! mounts [`Receiver::router`] (feature `serve`); the Python apps call [`Receiver::post`].
//!
//! What each answer means to the vendor: 200 (with the vendor's own "received" body) only after
//! the events are committed, so an answered event is never lost; 503 when the store cannot take
//! them (the vendor sends again, and the dedupe absorbs the repeat); 403 for a callback whose
//! signature does not verify; 413 for a body over the limit; 404 for a profile that does not
//! exist or takes no callbacks. A body that cannot be read at all is kept as an unreadable
//! event, with its error, and answered 200: sending it again would not make it readable.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use subtle::ConstantTimeEq;
use wabakit_core::{ErrorKind, Event, Provider, Result, Secret};

use crate::config::{ConfigFile, Env};
use crate::registry;
use crate::store::Store;

/// Bodies larger than this are refused (Meta's largest deliveries are about 3 MB).
pub const MAX_BODY: usize = 4 * 1024 * 1024;

/// How long a callback's body may take to arrive after its headers (vendors send a few
/// kilobytes at once).
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// How long a client may take to send a request's headers ([`Receiver::serve`]).
pub const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// An answer to a callback: status, content type, body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The content type.
    pub content_type: &'static str,
    /// The body.
    pub body: String,
}

impl Answer {
    fn text(status: u16, body: impl Into<String>) -> Answer {
        Answer {
            status,
            content_type: "text/plain; charset=utf-8",
            body: body.into(),
        }
    }
}

#[derive(Debug, Default)]
struct Counters {
    received: AtomicU64,
    duplicates: AtomicU64,
    refused: AtomicU64,
    unreadable: AtomicU64,
    store_failures: AtomicU64,
}

/// Store commit latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Debug, Default)]
struct Commits {
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    micros: AtomicU64,
}

impl Commits {
    fn observe(&self, seconds: f64) {
        for (b, le) in self.buckets.iter().zip(BUCKETS) {
            if seconds <= le {
                b.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.micros
            .fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
    }
}

struct Endpoint {
    provider: Arc<dyn Provider>,
    counters: Counters,
    /// The `?token=` a callback's URL must carry (for vendors that do not sign callbacks).
    token: Option<Secret>,
}

/// The receiver: the profiles it serves and the store it keeps their events in. Cheap to share.
pub struct Receiver {
    endpoints: BTreeMap<String, Endpoint>,
    store: Store,
    commits: Commits,
    max_body: usize,
    body_timeout: std::time::Duration,
    header_timeout: std::time::Duration,
}

impl std::fmt::Debug for Receiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receiver")
            .field("profiles", &self.endpoints.keys().collect::<Vec<_>>())
            .field("store", &self.store.url().to_string())
            .finish_non_exhaustive()
    }
}

impl Receiver {
    /// A receiver keeping events in `store`, with no profile yet.
    pub fn new(store: Store) -> Receiver {
        Receiver {
            endpoints: BTreeMap::new(),
            store,
            commits: Commits::default(),
            max_body: MAX_BODY,
            body_timeout: BODY_TIMEOUT,
            header_timeout: HEADER_TIMEOUT,
        }
    }

    /// Serve `provider`'s callbacks at `/callbacks/{profile}`.
    pub fn with_profile(mut self, profile: impl Into<String>, provider: Arc<dyn Provider>) -> Self {
        self.endpoints.insert(
            profile.into(),
            Endpoint {
                provider,
                counters: Counters::default(),
                token: None,
            },
        );
        self
    }

    /// Require `profile`'s callbacks to carry `?token=TOKEN` in their URL: for vendors whose
    /// callbacks are not signed (NXCloud's unsigned webhooks), a secret only the vendor's
    /// configured URL knows. Others are refused with 401.
    pub fn with_callback_token(mut self, profile: &str, token: impl Into<Secret>) -> Self {
        if let Some(ep) = self.endpoints.get_mut(profile) {
            ep.token = Some(token.into());
        }
        self
    }

    /// Every profile of a config file, and its store (`[store] url`, else the embedded default).
    pub fn from_config(file: &ConfigFile, env: &dyn Env) -> Result<Receiver> {
        let url = file.store.as_deref().unwrap_or(crate::store::DEFAULT_URL);
        let mut r = Receiver::new(Store::open(url)?);
        for (name, v) in &file.profiles {
            r = r.with_profile(name, registry::build(name, v, env)?);
            if let Some(t) = callback_token(name, v, env)? {
                r = r.with_callback_token(name, t);
            }
        }
        Ok(r)
    }

    /// Answer 408 to a request whose body has not arrived whole within `t` of its headers
    /// (a slow-loris client holds a connection and a task for as long as it trickles).
    pub fn with_body_timeout(mut self, t: std::time::Duration) -> Self {
        self.body_timeout = t;
        self
    }

    /// Close a connection whose request headers have not arrived whole within `t`
    /// ([`Receiver::serve`]; an app that mounts [`Receiver::router`] sets its own).
    pub fn with_header_timeout(mut self, t: std::time::Duration) -> Self {
        self.header_timeout = t;
        self
    }

    /// Refuse bodies over `bytes`.
    pub fn with_max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// The profiles served, in order.
    pub fn profiles(&self) -> Vec<&str> {
        self.endpoints.keys().map(String::as_str).collect()
    }

    /// The store events are kept in.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// A callback `POST`ed to `profile`'s endpoint with this URL `query`: verified, parsed, its
    /// events committed, then answered as the vendor expects.
    pub async fn post(
        &self,
        profile: &str,
        query: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Answer {
        self.handle(profile, query, headers, body, false).await.0
    }

    /// [`Receiver::post`], and the callback's events once they are committed (for an
    /// application's own `on_event`; a redelivered callback gives its events again).
    pub async fn post_events(
        &self,
        profile: &str,
        query: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> (Answer, Vec<Event>) {
        self.handle(profile, query, headers, body, true).await
    }

    async fn handle(
        &self,
        profile: &str,
        query: &str,
        headers: &[(String, String)],
        body: &[u8],
        keep: bool,
    ) -> (Answer, Vec<Event>) {
        let Some(ep) = self.endpoints.get(profile) else {
            return (
                Answer::text(404, format!("no profile {profile:?}")),
                Vec::new(),
            );
        };
        if let Some(want) = &ep.token {
            let given = query_value(query, "token").unwrap_or_default();
            if !bool::from(given.as_bytes().ct_eq(want.expose().as_bytes())) {
                ep.counters.refused.fetch_add(1, Ordering::Relaxed);
                return (
                    Answer::text(401, "callback refused: no valid ?token="),
                    Vec::new(),
                );
            }
        }
        if body.len() > self.max_body {
            ep.counters.refused.fetch_add(1, Ordering::Relaxed);
            return (Answer::text(413, "body too large"), Vec::new());
        }
        let started = Instant::now();
        let mut given = Vec::new();
        let kept = match ep.provider.parse_callback(headers, body) {
            Ok(events) => {
                if keep {
                    given = events.clone();
                }
                self.record(ep, profile, events).await
            }
            Err(e) => match e.kind() {
                ErrorKind::Auth | ErrorKind::ClockSkew => {
                    ep.counters.refused.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(profile, error = %e, "callback refused");
                    return (
                        Answer::text(403, "callback refused: it does not verify"),
                        Vec::new(),
                    );
                }
                // The vendor is told no more than that: the why is for this side's log.
                ErrorKind::Unsupported | ErrorKind::Config => {
                    tracing::warn!(profile, error = %e, "callback to a profile that takes none");
                    return (
                        Answer::text(404, "this endpoint takes no callbacks"),
                        Vec::new(),
                    );
                }
                // Unreadable: kept with its error, so that nothing answered is lost.
                _ => {
                    ep.counters.unreadable.fetch_add(1, Ordering::Relaxed);
                    let name = ep.provider.name().to_owned();
                    self.store
                        .record_unreadable(&name, profile, body.to_vec(), &e)
                        .await
                }
            },
        };
        match kept {
            Ok(()) => {
                self.commits.observe(started.elapsed().as_secs_f64());
                let (content_type, body) = ep.provider.callback_ack();
                let answer = Answer {
                    status: 200,
                    content_type,
                    body: body.to_owned(),
                };
                (answer, given)
            }
            Err(e) => {
                ep.counters.store_failures.fetch_add(1, Ordering::Relaxed);
                tracing::error!(profile, error = %e, "callback not kept; the vendor will send it again");
                (Answer::text(503, "not kept; send it again"), Vec::new())
            }
        }
    }

    async fn record(&self, ep: &Endpoint, profile: &str, events: Vec<Event>) -> Result<()> {
        let applied = self.store.record_events(profile, events).await?;
        ep.counters
            .received
            .fetch_add(applied.new as u64, Ordering::Relaxed);
        ep.counters
            .duplicates
            .fetch_add(applied.duplicates as u64, Ordering::Relaxed);
        Ok(())
    }

    /// A `GET` on `profile`'s endpoint: the provider's verification request (Meta's
    /// subscription challenge), answered with its echo, or refused.
    pub fn get(&self, profile: &str, query: &str) -> Answer {
        let Some(ep) = self.endpoints.get(profile) else {
            return Answer::text(404, format!("no profile {profile:?}"));
        };
        match ep.provider.challenge(query) {
            Ok(echo) => Answer::text(200, echo),
            Err(e) if e.kind() == ErrorKind::Auth => {
                ep.counters.refused.fetch_add(1, Ordering::Relaxed);
                Answer::text(403, "wrong verify token")
            }
            Err(e) if e.kind() == ErrorKind::Unsupported => {
                Answer::text(405, "this endpoint takes no GET")
            }
            Err(e) => {
                tracing::warn!(profile, error = %e, "not a subscription request");
                Answer::text(400, "not a subscription request")
            }
        }
    }

    /// The counters in Prometheus' text format.
    pub fn metrics(&self) -> String {
        let mut out = String::new();
        let series: [(&str, &str, Pick); 5] = [
            (
                "wabakit_events_received_total",
                "Events received and kept, by profile.",
                |c| &c.received,
            ),
            (
                "wabakit_events_duplicate_total",
                "Events received again and dropped by the dedupe.",
                |c| &c.duplicates,
            ),
            (
                "wabakit_callbacks_refused_total",
                "Callbacks refused: a signature or verify token that does not verify, a body over the limit (outside the router).",
                |c| &c.refused,
            ),
            (
                "wabakit_callbacks_unreadable_total",
                "Callbacks kept as unreadable.",
                |c| &c.unreadable,
            ),
            (
                "wabakit_store_failures_total",
                "Callbacks the store could not take (answered 503).",
                |c| &c.store_failures,
            ),
        ];
        for (name, help, get) in series {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
            for (profile, ep) in &self.endpoints {
                let _ = writeln!(
                    out,
                    "{name}{{profile=\"{}\"}} {}",
                    label(profile),
                    get(&ep.counters).load(Ordering::Relaxed)
                );
            }
        }
        let name = "wabakit_store_commit_seconds";
        let _ = writeln!(
            out,
            "# HELP {name} From a callback's arrival to its events committed.\n# TYPE {name} histogram"
        );
        for (b, le) in self.commits.buckets.iter().zip(BUCKETS) {
            let _ = writeln!(
                out,
                "{name}_bucket{{le=\"{le}\"}} {}",
                b.load(Ordering::Relaxed)
            );
        }
        let count = self.commits.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {count}");
        let sum = self.commits.micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "{name}_sum {sum}\n{name}_count {count}");
        out
    }
}

/// A query parameter's value, percent-decoded.
fn query_value(query: &str, key: &str) -> Option<String> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| {
            percent_encoding::percent_decode_str(&v.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        })
}

/// A profile's `callback_token`: a string, or `{ env = "NAME" }`.
fn callback_token(profile: &str, v: &serde_json::Value, env: &dyn Env) -> Result<Option<Secret>> {
    let bad = |why: String| {
        wabakit_core::Error::config(format!("profile `{profile}`: callback_token: {why}"))
    };
    match v.get("callback_token") {
        None => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(Secret::new(s.clone()))),
        Some(serde_json::Value::Object(m)) => {
            match m.get("env").and_then(serde_json::Value::as_str) {
                Some(var) => env
                    .var(var)
                    .filter(|s| !s.is_empty())
                    .map(|s| Some(Secret::new(s)))
                    .ok_or_else(|| bad(format!("the environment variable {var} is not set"))),
                None => Err(bad("expected a string or { env = \"NAME\" }".into())),
            }
        }
        Some(_) => Err(bad("expected a string or { env = \"NAME\" }".into())),
    }
}

/// Which counter of an endpoint a series shows.
type Pick = fn(&Counters) -> &AtomicU64;

/// A label value, escaped as Prometheus' text format wants.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(feature = "serve")]
mod router {
    use std::sync::Arc;

    use axum::body::Body;
    use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
    use axum::http::{header, HeaderMap, StatusCode};
    use axum::response::{IntoResponse, Response};
    use axum::routing::get;
    use axum::Router;

    use super::{Answer, Receiver};

    impl IntoResponse for Answer {
        fn into_response(self) -> Response {
            let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK);
            (
                status,
                [(header::CONTENT_TYPE, self.content_type)],
                self.body,
            )
                .into_response()
        }
    }

    async fn post(
        State(r): State<Arc<Receiver>>,
        Path(profile): Path<String>,
        RawQuery(q): RawQuery,
        headers: HeaderMap,
        body: Body,
    ) -> Answer {
        // The body within its size and its time: a trickling client gets 408, not a task
        // held for as long as it likes.
        let read = axum::body::to_bytes(body, r.max_body);
        let body = match tokio::time::timeout(r.body_timeout, read).await {
            Err(_) => return Answer::text(408, "the body did not arrive in time"),
            Ok(Err(e)) if is_too_large(&e) => return Answer::text(413, "body too large"),
            Ok(Err(_)) => return Answer::text(400, "the body could not be read"),
            Ok(Ok(b)) => b,
        };
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        r.post(&profile, q.as_deref().unwrap_or_default(), &headers, &body)
            .await
    }

    /// Whether reading the body stopped at its size limit (not a broken connection).
    fn is_too_large(e: &axum::Error) -> bool {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
        while let Some(s) = source {
            if s.is::<http_body_util::LengthLimitError>() {
                return true;
            }
            source = s.source();
        }
        false
    }

    async fn challenge(
        State(r): State<Arc<Receiver>>,
        Path(profile): Path<String>,
        RawQuery(q): RawQuery,
    ) -> Answer {
        r.get(&profile, q.as_deref().unwrap_or_default())
    }

    impl Receiver {
        /// Serve the receiver on `listener` until `shutdown` completes: a client gets the
        /// header timeout for its headers and the body timeout for its body (slow-loris
        /// clients are cut off), and at shutdown the callbacks under way finish (their answers
        /// follow their commits) for up to 30 s. `wabakit serve` runs this.
        pub async fn serve(
            self,
            listener: tokio::net::TcpListener,
            shutdown: impl std::future::Future<Output = ()>,
        ) {
            use hyper_util::rt::{TokioIo, TokioTimer};
            let header_timeout = self.header_timeout;
            let app = self.router();
            let graceful = hyper_util::server::graceful::GracefulShutdown::new();
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            tokio::pin!(shutdown);
            loop {
                let stream = tokio::select! {
                    _ = &mut shutdown => break,
                    accepted = listener.accept() => match accepted {
                        Ok((stream, _)) => stream,
                        // Out of file descriptors, say: wait a moment rather than spin.
                        Err(_) => {
                            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                            continue;
                        }
                    },
                };
                let service = hyper_util::service::TowerToHyperService::new(app.clone());
                let conn = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
            let _ =
                tokio::time::timeout(std::time::Duration::from_secs(30), graceful.shutdown()).await;
        }

        /// The receiver as an axum router: `POST`/`GET /callbacks/{profile}`, `/healthz`,
        /// `/metrics`. Mount it in an app of your own, or serve it as it is.
        pub fn router(self) -> Router {
            let max = self.max_body;
            let r = Arc::new(self);
            Router::new()
                .route("/callbacks/{profile}", get(challenge).post(post))
                .route("/healthz", get(|| async { "ok" }))
                .route(
                    "/metrics",
                    get(|State(r): State<Arc<Receiver>>| async move {
                        (
                            [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
                            r.metrics(),
                        )
                    }),
                )
                // Over the limit, axum answers 413 before the body is read whole.
                .layer(DefaultBodyLimit::max(max))
                .with_state(r)
        }
    }
}
