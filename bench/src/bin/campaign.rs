//! Campaign messages per second with 1, 2 and 4 workers against the loopback stub (limiter off),
//! next to `send_many` over the same client in the same run. Each worker has its own store
//! connection and writer thread, as a worker process has; rows are loaded before the clock
//! starts (how long loading took is printed too). Three rounds, alternating, medians.
//! `CAMPAIGN_WORKERS=1,2` picks the worker counts, `CAMPAIGN_CONCURRENCY` the sends under way
//! in each worker (default 64, as `send_many`'s).
//!
//! `cargo run --release -p wabakit-bench --bin campaign -- STORE_URL [MESSAGES]`
//! (STORE_URL: `postgres://…`, or `sqlite://…`; MESSAGES default 100,000: long enough that a
//! run's start and end, a fixed cost, do not weigh on its rate)

use std::sync::Arc;
use std::time::Instant;

use wabakit::alibaba::AlibabaProvider;
use wabakit::campaign::{Campaign, RunOptions};
use wabakit::store::{CampaignSpec, Store};
use wabakit::Client;
use wabakit_bench::{alibaba_config, serve, stub_app, two_variables};

const CONCURRENCY: usize = 64;

/// Sends under way at once in each campaign worker (`CAMPAIGN_CONCURRENCY`, default 64).
fn campaign_concurrency() -> usize {
    std::env::var("CAMPAIGN_CONCURRENCY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CONCURRENCY)
}

/// Worker counts to measure (`CAMPAIGN_WORKERS`, comma-separated, default 1,2,4).
fn worker_counts() -> Vec<usize> {
    std::env::var("CAMPAIGN_WORKERS")
        .ok()
        .map(|v| v.split(',').filter_map(|w| w.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| vec![1, 2, 4])
}

fn client(endpoint: &str) -> Client {
    let mut cfg = alibaba_config().with_endpoint(endpoint.to_owned());
    cfg.transport.rate_limit = false;
    cfg.transport.retry = cfg.transport.retry.clone().with_max_attempts(1);
    Client::with_provider(Arc::new(AlibabaProvider::new(cfg).expect("config")))
}

async fn send_many(client: &Client, n: usize) -> f64 {
    let start = Instant::now();
    let mut rx = client.send_many((0..n).map(|i| two_variables(format!("m-{i}"))), CONCURRENCY);
    let mut ok = 0;
    while let Some(o) = rx.recv().await {
        ok += usize::from(o.result.is_ok());
    }
    assert_eq!(ok, n, "every send succeeded against the stub");
    n as f64 / start.elapsed().as_secs_f64()
}

/// Messages per second of the run, and rows per second of the load before it.
async fn campaign(url: &str, client: &Client, name: &str, n: usize, workers: usize) -> (f64, f64) {
    let store = Store::open(url).expect("store");
    let spec = CampaignSpec {
        name: name.into(),
        profile: "bench".into(),
        provider: "alibaba".into(),
        template: "summer_sale".into(),
        language: "en".into(),
    };
    let rows = (0..n).map(|i| (i as u64 + 1, Ok(two_variables(format!("{name}-{i}")))));
    let load = Instant::now();
    let loaded = Campaign::create(&store, spec, rows).await.expect("load");
    let load = n as f64 / load.elapsed().as_secs_f64();
    assert_eq!(loaded.added as usize, n);
    let start = Instant::now();
    let mut runs = Vec::new();
    for _ in 0..workers {
        // A store of its own: one connection and writer per worker, as in a process of its own.
        let c = Campaign::new(Store::open(url).expect("store"), name);
        let client = client.clone();
        runs.push(tokio::spawn(async move {
            let o = RunOptions {
                concurrency: campaign_concurrency(),
                // Workers that find every row taken look again after this (default 500 ms):
                // shorter here so that a run's end is not rounded up to a poll.
                poll: std::time::Duration::from_millis(50),
                ..RunOptions::default()
            };
            c.run(&client, o, std::future::pending())
                .await
                .expect("run")
        }));
    }
    let mut sent = 0;
    for r in runs {
        sent += r.await.expect("worker").sent;
    }
    let rate = n as f64 / start.elapsed().as_secs_f64();
    assert_eq!(sent as usize, n, "every row sent once");
    (rate, load)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .expect("a store URL (postgres://… or sqlite://…)");
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let endpoint = serve(stub_app());
    let client = client(&endpoint);
    let tag = std::process::id();
    let counts = worker_counts();
    let (mut bare, mut by, mut loads) = (Vec::new(), vec![Vec::new(); counts.len()], Vec::new());
    for round in 0..3 {
        bare.push(send_many(&client, n).await);
        for (k, &w) in counts.iter().enumerate() {
            let name = format!("bench-{tag}-{round}-{w}");
            let (rate, load) = campaign(&url, &client, &name, n, w).await;
            by[k].push(rate);
            loads.push(load);
        }
    }
    let base = median(bare);
    let shown = url.split('@').next_back().unwrap_or(&url);
    println!(
        "store: {shown}; {n} messages per run, concurrency {} per worker; medians of 3 rounds\n",
        campaign_concurrency()
    );
    println!("| sender | workers | messages/s | of send_many |");
    println!("|---|---|---|---|");
    println!("| send_many (no store) | - | {base:.0} | 100% |");
    for (k, &w) in counts.iter().enumerate() {
        let r = median(by[k].clone());
        println!("| campaign run | {w} | {r:.0} | {:.0}% |", 100.0 * r / base);
    }
    println!(
        "\nloading the rows (`Campaign::create`): {:.0} rows/s (median)",
        median(loads)
    );
}
