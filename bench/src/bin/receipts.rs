//! Status events per second through the receipts server (the `Receiver` router `wabakit serve`
//! runs, SQLite store, signed Meta deliveries verified), one event per POST and batches of 10,
//! next to a bare axum handler that answers 200 (the ceiling), in the same run on the same
//! machine. Each event is new (its message recorded beforehand, so every event also moves a
//! message's status); the generator posts with 64 connections on one thread, the server runs on
//! another.
//!
//! `cargo run --release -p wabakit-bench --bin receipts [POSTS]` (default 40,000)

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};
use wabakit::receiver::Receiver;
use wabakit::store::{SendRecord, Store};
use wabakit_bench::serve;

const SECRET: &str = "bench-app-secret";
const CONCURRENCY: usize = 64;

/// One signed delivery with `per` statuses, for messages `first..first + per`.
fn delivery(first: usize, per: usize) -> (Vec<u8>, String) {
    let statuses: Vec<Value> = (first..first + per)
        .map(|i| json!({"id": format!("wamid.{i}"), "status": "delivered", "timestamp": "1750000000", "recipient_id": "16505551234"}))
        .collect();
    let body = serde_json::to_vec(&json!({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "statuses": statuses}}]}]}))
    .expect("json");
    let sig = wabakit::meta::sign::body_signature(SECRET, &body);
    (body, sig)
}

/// This process's CPU time so far (user + system, in seconds): `/proc/self/stat`'s ticks.
fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are the 12th and 13th fields after the command name; 100 ticks a second.
    (ticks(11) + ticks(12)) / 100.0
}

/// Post every body (64 at a time); events per second, and CPU µs per event (the whole process:
/// generator, server and store together).
async fn load(url: &str, bodies: Arc<Vec<(Vec<u8>, String)>>, per: usize) -> (f64, f64) {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .build()
        .expect("client");
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let cpu0 = cpu();
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (http, bodies, next, url) =
                (http.clone(), bodies.clone(), next.clone(), url.to_owned());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((body, sig)) = bodies.get(i) else {
                        break;
                    };
                    let r = http
                        .post(&url)
                        .header("content-type", "application/json")
                        .header("x-hub-signature-256", sig)
                        .body(body.clone())
                        .send()
                        .await
                        .expect("post");
                    assert_eq!(r.status(), 200);
                    r.bytes().await.expect("answer");
                }
            })
        })
        .collect();
    for w in workers {
        w.await.expect("worker");
    }
    let events = (bodies.len() * per) as f64;
    (
        events / start.elapsed().as_secs_f64(),
        (cpu() - cpu0) * 1e6 / events,
    )
}

/// A receiver over a fresh store (`sync`: the URL's option), its messages recorded first.
async fn receiver(dir: &std::path::Path, sync: &str, messages: usize) -> Router {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("dir");
    let store = Store::open(&format!(
        "sqlite://{}?sync={sync}",
        dir.join("w.db").display()
    ))
    .expect("store");
    for chunk in (0..messages).collect::<Vec<_>>().chunks(5000) {
        let sends = chunk
            .iter()
            .map(|i| {
                SendRecord::new("meta", "wa", "16505551234", "order_update", "en_US")
                    .with_message_id(format!("wamid.{i}"))
            })
            .collect();
        store.record_sends(sends).await.expect("sends");
    }
    let profile = json!({"provider": "meta", "access_token": "t", "waba_id": "102290129340398",
        "phone_number_id": "106540352242922", "app_secret": SECRET});
    let meta = wabakit::registry::build("wa", &profile, &|_: &str| None).expect("profile");
    Receiver::new(store).with_profile("wa", meta).router()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let posts: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(40_000);
    let batches = posts / 5;
    let singles = Arc::new((0..posts).map(|i| delivery(i, 1)).collect::<Vec<_>>());
    let tens = Arc::new(
        (0..batches)
            .map(|i| delivery(i * 10, 10))
            .collect::<Vec<_>>(),
    );
    let tmp = std::env::temp_dir().join(format!("wabakit-receipts-bench-{}", std::process::id()));

    let bare = format!(
        "{}/callbacks/wa",
        serve(Router::new().route("/callbacks/wa", post(|| async { "ok" })))
    );
    let modes = [
        ("wabakit serve, SQLite sync=full (the default)", "full", 1),
        ("wabakit serve, SQLite sync=normal", "normal", 1),
        ("wabakit serve, SQLite sync=full, batches of 10", "full", 10),
    ];
    // The VM's speed drifts: ceiling and receivers alternate, three rounds, medians reported.
    let mut ceiling = Vec::new();
    let mut measured = vec![Vec::new(); modes.len()];
    for round in 0..3 {
        ceiling.push(load(&bare, singles.clone(), 1).await);
        for (m, (_, sync, per)) in modes.iter().enumerate() {
            let bodies = if *per == 1 {
                singles.clone()
            } else {
                tens.clone()
            };
            let dir = tmp.join(format!("{round}-{m}"));
            let url = serve(receiver(&dir, sync, bodies.len() * per).await);
            measured[m].push(load(&format!("{url}/callbacks/wa"), bodies, *per).await);
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    let median = |v: &mut Vec<(f64, f64)>| {
        let mut rate: Vec<f64> = v.iter().map(|x| x.0).collect();
        let mut cost: Vec<f64> = v.iter().map(|x| x.1).collect();
        rate.sort_by(f64::total_cmp);
        cost.sort_by(f64::total_cmp);
        (rate[rate.len() / 2], cost[cost.len() / 2])
    };
    let (top, top_cpu) = median(&mut ceiling);
    println!("| receiver | events per POST | events/s (median of 3) | of the ceiling | CPU µs per event (median) |");
    println!("|---|---|---|---|---|");
    println!(
        "| bare axum handler, answers 200 (the ceiling) | 1 | {top:.0} | 100% | {top_cpu:.1} |"
    );
    for ((label, _, per), mut v) in modes.iter().zip(measured) {
        let (eps, cost) = median(&mut v);
        println!(
            "| {label} | {per} | {eps:.0} | {:.0}% | {cost:.1} |",
            100.0 * eps / top
        );
    }
}
