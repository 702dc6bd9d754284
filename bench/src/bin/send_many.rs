//! Rust `send_many` against the stub: ALIBABA_ENDPOINT, messages (default 20,000), concurrency
//! (default 64); rate limiting off. Prints messages per second. A single-threaded runtime:
//! `compare.sh` gives each client one core of its own, where worker threads would only hand
//! work to each other.
//!
//! `cargo run --release -p wabakit-bench --bin send_many -- http://127.0.0.1:PORT [N] [C]`

use std::sync::Arc;
use std::time::Instant;

use wabakit::alibaba::AlibabaProvider;
use wabakit::Client;
use wabakit_bench::{alibaba_config, stub_args, two_variables};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (endpoint, n, c) = stub_args();
    let mut cfg = alibaba_config().with_endpoint(endpoint);
    cfg.transport.rate_limit = false;
    let client = Client::with_provider(Arc::new(AlibabaProvider::new(cfg).expect("config")));
    let messages = (0..n).map(|i| two_variables(format!("task-{i}")));
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
