//! Rust `send_many` against the stub: ALIBABA_ENDPOINT, messages (default 20,000), concurrency
//! (default 64); rate limiting off. Prints messages per second. A single-threaded runtime:
//! `compare.sh` gives each client one core of its own, where worker threads would only hand
//! work to each other.
//!
//! `cargo run --release -p wabakit-bench --bin send_many -- http://127.0.0.1:PORT [N] [C]`

use std::sync::Arc;
use std::time::Instant;

use wabakit::alibaba::{AlibabaConfig, AlibabaProvider};
use wabakit::{Client, Params, TemplateMessage};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let endpoint = args.next().expect("the stub's URL");
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let c: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(64);
    let mut cfg = AlibabaConfig::new(
        "testAccessKeyId",
        "testAccessKeySecret",
        "cams-8c8d****",
        "6580000000",
    )
    .with_endpoint(endpoint);
    cfg.transport.rate_limit = false;
    let client = Client::with_provider(Arc::new(AlibabaProvider::new(cfg).expect("config")));
    let messages = (0..n).map(|i| {
        let mut m = TemplateMessage::new("8613900000000", "summer_sale", "en");
        m.body = Params::Positional(vec!["Tom".into(), "ORDER-1".into()]);
        m.client_ref = Some(format!("task-{i}"));
        m
    });
    let start = Instant::now();
    let mut rx = client.send_many(messages, c);
    let mut ok = 0usize;
    while let Some(o) = rx.recv().await {
        ok += usize::from(o.result.is_ok());
    }
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(ok, n, "every send succeeded against the stub");
    println!("{:.0}", n as f64 / secs);
}
