//! The HTTP client's own ceiling: one signed SendChatappMessage, rendered once, replayed by
//! bare reqwest (the client wabakit uses, built the same way) with the same concurrency and
//! runtime as the `send_many` runner. What `send_many` spends beyond this is wabakit's own work:
//! validation, mapping, signing, retries bookkeeping and reading the answer.
//!
//! `cargo run --release -p wabakit-bench --bin bare -- http://127.0.0.1:PORT [N] [C]`

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use wabakit::alibaba::AlibabaProvider;
use wabakit::{Clock, Operation, Pinned, Provider, SystemClock, TransportConfig};
use wabakit_bench::{alibaba_config, stub_args, two_variables};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (endpoint, n, c) = stub_args();
    let provider = AlibabaProvider::new(alibaba_config().with_endpoint(endpoint)).expect("config");
    let m = two_variables("task-1".into());
    let at = Pinned {
        unix_millis: SystemClock.unix_millis(),
        nonce: "1d7a5b8f0c3e5a2b9f4d6c8e0a2b3d5f".into(),
    };
    let req = Arc::new(provider.render(&Operation::Send(m), &at).expect("render"));
    // Built by wabakit's transport itself: same timeouts, pool and redirect settings.
    let http = wabakit::transport::http_client(&TransportConfig::default()).expect("client");
    // Parsed once, as a client that replays one URL would.
    let url = reqwest::Url::parse(&req.url).expect("url");
    // Headers made once too: each request only clones them.
    let headers: wabakit::raw::HeaderMap = req
        .headers
        .iter()
        .map(|(k, v)| {
            (
                wabakit::raw::HeaderName::from_bytes(k.as_bytes()).expect("name"),
                wabakit::raw::HeaderValue::from_str(v).expect("value"),
            )
        })
        .collect();
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let workers: Vec<_> = (0..c)
        .map(|_| {
            let (http, req, next, url, headers) = (
                http.clone(),
                req.clone(),
                next.clone(),
                url.clone(),
                headers.clone(),
            );
            tokio::spawn(async move {
                while next.fetch_add(1, Ordering::Relaxed) < n {
                    let rb = http.post(url.clone()).headers(headers.clone());
                    let resp = rb.body(req.body.clone()).send().await.expect("send");
                    assert!(resp.status().is_success());
                    resp.bytes().await.expect("body");
                }
            })
        })
        .collect();
    for w in workers {
        w.await.expect("worker");
    }
    println!("{:.0}", n as f64 / start.elapsed().as_secs_f64());
}
