//! What the fake vendor servers share (feature `fake`): the faults they inject, serving on
//! 127.0.0.1, and a response that drops the connection.

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::StatusCode;
use axum::response::Response;
use tokio::sync::oneshot;

use crate::raw::{Text, Transport};

/// A fault to inject into the next matching request(s).
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    /// Only requests for this operation (a path, or an action name); all when `None`.
    pub on: Option<String>,
    /// What the fake does instead of answering normally.
    pub kind: FaultKind,
    /// How many matching requests it applies to.
    pub times: u32,
}

/// What an injected fault does.
#[derive(Clone, Debug, PartialEq)]
pub enum FaultKind {
    /// Answer with this vendor result code and message, in the vendor's error shape.
    Code {
        /// The vendor's code.
        code: String,
        /// The vendor's message.
        message: String,
    },
    /// Answer with this HTTP status and a non-JSON body, with a retry-after (seconds) if given.
    Http {
        /// The HTTP status.
        status: u16,
        /// The retry-after header's seconds, if any.
        retry_after: Option<u32>,
    },
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// Close the connection without acting on the request.
    DropBefore,
    /// Act on the request, then close the connection without answering.
    DropAfter,
    /// Act on the request, then answer with malformed JSON.
    Malformed,
    /// Answer normally. Holds a place in the queue, so that faults can be spread over a run.
    Pass,
    /// Answer HTTP 200 with exactly this body, without acting on the request: a vendor's own
    /// answer example, fed to a client over real HTTP.
    Reply(serde_json::Value),
}

impl Fault {
    /// A fault of this kind, for the next request of any operation.
    pub fn new(kind: FaultKind) -> Self {
        Fault {
            on: None,
            kind,
            times: 1,
        }
    }

    /// A vendor error code (HTTP as the vendor sends it).
    pub fn code(code: impl ToString, message: impl Into<String>) -> Self {
        Self::new(FaultKind::Code {
            code: code.to_string(),
            message: message.into(),
        })
    }

    /// Answer with exactly `body` (HTTP 200), without acting on the request.
    pub fn reply(body: serde_json::Value) -> Self {
        Self::new(FaultKind::Reply(body))
    }

    /// Only for requests of this operation (a path, or an action name).
    pub fn on(mut self, operation: &str) -> Self {
        self.on = Some(operation.to_owned());
        self
    }

    /// For the next `n` matching requests.
    pub fn times(mut self, n: u32) -> Self {
        self.times = n;
        self
    }
}

/// Queued faults, taken in order by the requests they match.
#[derive(Debug, Default)]
pub struct FaultQueue(VecDeque<Fault>);

impl FaultQueue {
    /// Queue a fault after the others.
    pub fn push(&mut self, f: Fault) {
        self.0.push_back(f);
    }

    /// The first queued fault that applies to `operation`, used up one time.
    pub fn take(&mut self, operation: &str) -> Option<FaultKind> {
        let i = self
            .0
            .iter()
            .position(|f| f.on.as_deref().is_none_or(|p| p == operation))?;
        let f = &mut self.0[i];
        let kind = f.kind.clone();
        f.times = f.times.saturating_sub(1);
        if f.times == 0 {
            self.0.remove(i);
        }
        Some(kind)
    }
}

/// A plain-text answer with a status, and a retry-after header under `retry_header` if given.
pub fn http_fault(status: u16, retry_after: Option<u32>, retry_header: &str) -> Response {
    let mut r = Response::builder()
        .status(status)
        .header("content-type", "text/plain");
    if let Some(s) = retry_after {
        r = r.header(retry_header, s.to_string());
    }
    r.body(Body::from("upstream unavailable"))
        .expect("valid response")
}

/// A response whose body fails at once: the connection closes without an answer.
pub fn dropped() -> Response {
    struct Abort;
    impl http_body::Body for Abort {
        type Data = Bytes;
        type Error = io::Error;
        fn poll_frame(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<http_body::Frame<Bytes>, io::Error>>> {
            Poll::Ready(Some(Err(io::Error::other(
                "connection dropped by the fake",
            ))))
        }
    }
    Response::builder()
        .status(StatusCode::OK)
        .body(Body::new(Abort))
        .expect("valid response")
}

/// JSON with a status.
pub fn json_response(status: u16, v: &serde_json::Value) -> Response {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Body::from(v.to_string()))
        .expect("valid response")
}

/// A server on 127.0.0.1 at a free port; it stops when the returned sender is dropped or used.
pub async fn serve(app: axum::Router) -> io::Result<(SocketAddr, oneshot::Sender<()>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    Ok((addr, stop))
}

/// A fake server running on 127.0.0.1 at a free port (the skeleton every fake shares): where
/// it listens; dropping it stops it.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    _stop: oneshot::Sender<()>,
}

impl Server {
    /// Serve `app` on 127.0.0.1 at a free port.
    pub async fn start(app: axum::Router) -> io::Result<Server> {
        let (addr, stop) = serve(app).await?;
        Ok(Server { addr, _stop: stop })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// HTTP 200 with a body cut off mid-JSON.
pub fn malformed(truncated_json: &'static str) -> Response {
    Response::builder()
        .status(StatusCode::OK)
        .header("content-type", "application/json")
        .body(Body::from(truncated_json))
        .expect("valid response")
}

pub use crate::registry::{RecordedRequest, Reviewable};

/// One callback: headers and JSON body (as posted, the extra headers: a signature, say; as
/// received by a [`callback_receiver`], every header).
pub type Callback = (Vec<(String, String)>, Vec<u8>);

/// The HTTP client a fake posts its callbacks with (see [`post_json`]).
pub fn callback_transport(name: &'static str) -> io::Result<std::sync::Arc<Transport>> {
    Transport::new(name, &crate::TransportConfig::default())
        .map(std::sync::Arc::new)
        .map_err(io::Error::other)
}

/// The posts a [`callback_receiver`] received, in arrival order.
pub type Received = tokio::sync::mpsc::UnboundedReceiver<Callback>;

/// A callback endpoint on 127.0.0.1, as a user's server would run one: its URL, and every post
/// it receives (all headers, lower-case names, and the body). Answers `success`. It serves until
/// the runtime stops.
pub async fn callback_receiver() -> io::Result<(String, Received)> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let app = axum::Router::new().route(
        "/callback",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, body: Bytes| async move {
                let h = headers
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.to_string(),
                            String::from_utf8_lossy(v.as_bytes()).into_owned(),
                        )
                    })
                    .collect();
                let _ = tx.send((h, body.to_vec()));
                "success"
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/callback", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok((url, rx))
}

/// The next `n` posts to a [`callback_receiver`], waiting at most 10 s for each (a bound that
/// only turns a lost callback into an error instead of a hang).
pub async fn next_callbacks(rx: &mut Received, n: usize) -> io::Result<Vec<Callback>> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let post = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "no callback within 10 s"))?
            .ok_or_else(|| io::Error::new(io::ErrorKind::BrokenPipe, "the receiver stopped"))?;
        out.push(post);
    }
    Ok(out)
}

/// How many times a fake posts a callback whose post failed or met a server error.
const POST_ATTEMPTS: u32 = 5;

/// POST JSON callbacks (webhooks, receipts) to `url` in the background, one after the other in
/// the order given, as a vendor pushes them; each is `(extra headers, body)`. A post that
/// failed or met a server error is logged and made again, a few times.
pub fn post_json(transport: std::sync::Arc<Transport>, url: String, posts: Vec<Callback>) {
    tokio::spawn(async move {
        for (extra, body) in posts {
            let mut headers: Vec<(Text, Text)> =
                vec![("content-type".into(), "application/json".into())];
            headers.extend(extra.into_iter().map(|(k, v)| (k.into(), v.into())));
            let req = crate::HttpRequest {
                method: "POST".into(),
                url: url.clone(),
                headers,
                body,
            };
            // As vendors do: a post that failed or met a server error is made again, a few
            // times (a 4xx says the post itself is refused: a bad signature, say).
            for attempt in 1..=POST_ATTEMPTS {
                match transport.send(req.clone()).await {
                    Ok(r) if r.status < 500 => break,
                    Ok(r) => {
                        tracing::warn!(status = r.status, attempt, "fake server: callback refused")
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, attempt, "fake server: callback post failed")
                    }
                }
                tokio::time::sleep(std::time::Duration::from_millis(20 * u64::from(attempt))).await;
            }
        }
    });
}

/// A request as it arrived, for [`crate::raw::Sandbox::requests`].
pub fn record(
    method: &axum::http::Method,
    uri: &axum::http::Uri,
    headers: &axum::http::HeaderMap,
    body: &[u8],
) -> RecordedRequest {
    RecordedRequest {
        method: method.as_str().to_owned(),
        target: uri
            .path_and_query()
            .map_or_else(|| uri.path().to_owned(), |p| p.as_str().to_owned()),
        headers: headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: body.to_vec(),
    }
}
