//! Stream 1,000,000 messages through `send_many` to the in-memory provider and print the peak
//! resident memory. Exits non-zero above 100 MB.
//!
//! `cargo run --release -p wabakit-bench --bin memory [-- COUNT]`

use std::sync::Arc;
use std::time::Instant;

use wabakit::{Client, MemoryProvider, Params, Provider, TemplateMessage};

/// Peak resident set size of this process, in KiB (Linux `VmHWM`).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::main]
async fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    // Keep no sent messages: the provider only counts them.
    let memory = Arc::new(MemoryProvider::new().keep_sent(0));
    memory
        .create_template(&wabakit_conformance::order_update("bulk"))
        .await
        .unwrap();
    let client = Client::with_provider(memory.clone());
    let messages = (0..n).map(|i| {
        let mut m =
            TemplateMessage::new(format!("+86 136 {:08}", i % 100_000_000), "bulk", "en_US");
        m.body = Params::Positional(vec!["Ana".into(), "today".into()]);
        m.client_ref = Some(format!("m-{i}"));
        m
    });
    let start = Instant::now();
    let mut rx = client.send_many(messages, 64);
    let (mut ok, mut failed) = (0u64, 0u64);
    while let Some(o) = rx.recv().await {
        if o.result.is_ok() {
            ok += 1;
        } else {
            failed += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let peak_mb = peak_rss_kib().unwrap_or(0) as f64 / 1024.0;
    println!("| messages | ok | failed | seconds | messages/s | peak RSS (MB) |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| {n} | {ok} | {failed} | {secs:.2} | {:.0} | {peak_mb:.1} |",
        n as f64 / secs
    );
    assert_eq!(ok, n, "every message sent");
    assert_eq!(memory.sent_total(), n);
    if peak_mb >= 100.0 {
        eprintln!("peak RSS {peak_mb:.1} MB is over 100 MB");
        std::process::exit(1);
    }
}
