//! Campaigns across processes, on PostgreSQL (on an SQLite file when no cluster is configured):
//!
//! - the drill: 4 `campaign run` workers send 20,000 messages to a fake with faults
//!   (throttling, 5xx, connections dropped before and after acting); one is killed with SIGKILL
//!   mid-run and a new one started. Every row ends final; the fake delivered no message twice;
//!   the rows left "may have been delivered" are exactly those whose fate no worker could know
//!   and the fake did not act on; receipts (through `wabakit serve`) settled those it acted on.
//! - the shared limit: 4 workers at 200 messages/s for about 30 s arrive at the fake at 190–202
//!   per second in every 5-second window.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use wabakit::fake::{Fault, FaultKind};
use wabakit::meta::fake::{FakeMeta, FakeOptions};
use wabakit::raw::Sandbox;
use wabakit::store::{testing, CampaignRow, Store};

mod common;
use common::{bin, config_with_store, run, start, tmp};

/// One of these tests at a time: the drill saturates both cores, which the rate test must not
/// share.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The store for a test: a fresh PostgreSQL database, or an SQLite file in `dir`.
fn store_url(name: &str, dir: &Path) -> String {
    testing::fresh_postgres(name)
        .unwrap_or_else(|| format!("sqlite://{}", dir.join("wabakit.db").display()))
}

fn worker(cfg: &Path, campaign: &str, args: &[&str]) -> Child {
    bin()
        .arg("--config")
        .arg(cfg)
        .args(["campaign", "run", campaign])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// A campaign of `n` rows (each to its own number, client_ref `NAME-i`), loaded by the CLI.
fn load(cfg: &Path, dir: &Path, name: &str, n: usize) {
    let mut lines = String::new();
    for i in 0..n {
        let mut m = wabakit_conformance::order_message(name).to_value();
        m["to"] = format!("+8613{i:09}").into();
        m["client_ref"] = format!("{name}-{i}").into();
        lines.push_str(&m.to_string());
        lines.push('\n');
    }
    let input = dir.join(format!("{name}.jsonl"));
    std::fs::write(&input, lines).unwrap();
    let input = input.display().to_string();
    let (code, out) = run(
        cfg,
        &[
            "--profile",
            "wa",
            "campaign",
            "create",
            name,
            "--input",
            &input,
            "--template",
            name,
            "--language",
            "en_US",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(&format!("{n} rows added")), "{out}");
}

async fn all_rows(store: &Store, campaign: &str) -> Vec<CampaignRow> {
    let mut out = Vec::new();
    loop {
        let after = out.last().map_or(0, |r: &CampaignRow| r.id);
        let page = store.campaign_rows(campaign, after, 5_000).await.unwrap();
        if page.is_empty() {
            return out;
        }
        out.extend(page);
    }
}

/// Child processes, killed when the test ends, also when it fails.
struct Kill(Vec<Child>);

impl Drop for Kill {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Wait for every worker to exit (bounded).
fn wait_all(workers: &mut [Child], within: Duration) {
    let start = Instant::now();
    for w in workers.iter_mut() {
        loop {
            if w.try_wait().unwrap().is_some() {
                break;
            }
            assert!(
                start.elapsed() < within,
                "a worker did not finish in {within:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

async fn fake() -> Arc<FakeMeta> {
    let fake = FakeMeta::start(FakeOptions {
        instant_review: true,
        pair_burst: u32::MAX,
        // One receipt per message: enough to settle a row, a third of the receiver's work.
        statuses: &["delivered"],
        ..Default::default()
    })
    .await
    .unwrap();
    Arc::new(fake)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_drill_four_workers_one_killed_every_row_once() {
    const N: usize = 20_000;
    let _one = ONE_AT_A_TIME.lock().await;
    let dir = tmp("campaign-drill");
    let url = store_url("campaign_drill", &dir);
    let fake = fake().await;
    let cfg = config_with_store(&dir, &url, &[("wa", Sandbox::profile(fake.as_ref()))]);
    let (serve, base) = start(&cfg);
    let _serve = Kill(vec![serve]);
    fake.set_webhook_url(Some(format!("{base}/callbacks/wa")));
    let client = wabakit::Client::from_config(&cfg, Some("wa")).unwrap();
    client
        .create_template(&wabakit_conformance::order_update("drill"))
        .await
        .unwrap();
    load(&cfg, &dir, "drill", N);
    // Faults spread over the sends (retries draw from the same sequence).
    for i in 0..N {
        let slot = (i * 7919) % 1000;
        let kind = match slot {
            0..=29 => FaultKind::Http {
                status: 429,
                retry_after: Some(0),
            },
            30..=49 => FaultKind::Http {
                status: 503,
                retry_after: None,
            },
            50..=54 => FaultKind::DropBefore,
            55..=59 => FaultKind::DropAfter,
            _ => FaultKind::Pass,
        };
        fake.inject(Fault::new(kind).on("send"));
    }
    // No rate limit: the drill is about faults and deaths, the next test about the limit.
    let args = ["--concurrency", "16", "--lease", "3", "--rate", "0"];
    let mut workers = Kill((0..4).map(|_| worker(&cfg, "drill", &args)).collect());
    let start_at = Instant::now();
    while fake.delivered().len() < N / 4 {
        assert!(
            start_at.elapsed() < Duration::from_secs(120),
            "the workers stalled"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    workers.0[0].kill().unwrap(); // SIGKILL
    workers.0[0].wait().unwrap();
    workers.0.push(worker(&cfg, "drill", &args));
    wait_all(&mut workers.0[1..], Duration::from_secs(240));
    let sent_in = start_at.elapsed();

    let store = Store::open(&url).unwrap();
    let acted: Vec<String> = fake
        .delivered()
        .into_iter()
        .filter_map(|d| d.callback_data)
        .collect();
    let acted_once: HashSet<&String> = acted.iter().collect();
    assert_eq!(acted_once.len(), acted.len(), "no message delivered twice");
    // Receipts settle the uncertain rows the fake acted on, as they arrive.
    let start_at = Instant::now();
    let rows = loop {
        let rows = all_rows(&store, "drill").await;
        let unsettled = rows
            .iter()
            .filter(|r| r.state == "uncertain" && acted_once.contains(&r.client_ref))
            .count();
        if unsettled == 0 {
            break rows;
        }
        assert!(
            start_at.elapsed() < Duration::from_secs(60),
            "{unsettled} uncertain rows the fake acted on were never settled"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(rows.len(), N);
    let mut by_state: HashMap<&str, usize> = HashMap::new();
    for r in &rows {
        *by_state.entry(r.state.as_str()).or_default() += 1;
        let acted = acted_once.contains(&r.client_ref);
        match r.state.as_str() {
            "sent" => assert!(acted, "{}: sent, but the fake never saw it", r.client_ref),
            "failed" if !r.settled => {
                assert!(!acted, "{}: failed, but the fake acted on it", r.client_ref)
            }
            "failed" => {}
            "uncertain" => assert!(!acted, "{}: uncertain though acted on", r.client_ref),
            other => panic!("{}: left {other}", r.client_ref),
        }
    }
    // What the fake acted on is every sent row.
    assert_eq!(by_state.get("sent").copied().unwrap_or(0), acted.len());
    let dead: Vec<&CampaignRow> = rows
        .iter()
        .filter(|r| {
            r.error_message
                .as_deref()
                .is_some_and(|m| m.starts_with("its worker stopped"))
        })
        .collect();
    assert!(!dead.is_empty(), "the killed worker had rows under way");
    let uncertain: Vec<&CampaignRow> = rows.iter().filter(|r| r.state == "uncertain").collect();
    // Left uncertain (each one the fake did not act on, above): the dead worker's rows and
    // answers lost (a dropped connection, a 5xx that may come after acting), each with why.
    for r in &uncertain {
        assert!(
            r.error_message.is_some(),
            "{}: uncertain, no reason",
            r.client_ref
        );
    }
    let settled = rows.iter().filter(|r| r.settled).count();
    println!(
        "| drill | {N} rows | 4 workers, 1 killed | {:.1} s | sent {} (settled by receipts {settled}) | failed {} | left uncertain {} | the dead worker's rows {} |",
        sent_in.as_secs_f64(),
        by_state.get("sent").copied().unwrap_or(0),
        by_state.get("failed").copied().unwrap_or(0),
        uncertain.len(),
        dead.len(),
    );
    assert!(settled > 0, "receipts settled uncertain rows");
    // The store's messages: one record per row.
    let report = store
        .report(wabakit::store::ReportFilter {
            campaign: Some("drill".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(report.total as usize, N);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_workers_share_one_rate_of_200_per_second() {
    const RATE: usize = 200;
    const N: usize = RATE * 31;
    let _one = ONE_AT_A_TIME.lock().await;
    let dir = tmp("campaign-rate");
    let url = store_url("campaign_rate", &dir);
    let fake = fake().await;
    let cfg = config_with_store(&dir, &url, &[("wa", Sandbox::profile(fake.as_ref()))]);
    let client = wabakit::Client::from_config(&cfg, Some("wa")).unwrap();
    client
        .create_template(&wabakit_conformance::order_update("paced"))
        .await
        .unwrap();
    load(&cfg, &dir, "paced", N);
    testing::checkpoint_postgres();
    let rate = RATE.to_string();
    let args = ["--concurrency", "16", "--rate", &rate];
    let mut workers = Kill((0..4).map(|_| worker(&cfg, "paced", &args)).collect());
    wait_all(&mut workers.0, Duration::from_secs(90));
    let mut at: Vec<u64> = fake
        .delivered()
        .iter()
        .map(|d| d.received_at_millis)
        .collect();
    assert_eq!(at.len(), N);
    at.sort_unstable();
    let first = at[0];
    let windows = (at[N - 1] - first) / 5_000;
    assert!(windows >= 5, "the run lasted {} ms", at[N - 1] - first);
    let mut rates = Vec::new();
    for w in 0..windows {
        let (from, to) = (first + w * 5_000, first + (w + 1) * 5_000);
        let n = at.iter().filter(|t| **t >= from && **t < to).count();
        rates.push(n as f64 / 5.0);
    }
    println!("| shared limit | 4 workers | {RATE}/s | per 5-second window: {rates:?} |");
    for (w, r) in rates.iter().enumerate() {
        assert!(
            (190.0..=202.0).contains(r),
            "window {w}: {r} messages/s (every window: {rates:?})"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `campaign run` shows the whole campaign's progress: a bar on a terminal, lines in a pipe
/// (the last at 100%), nothing with `--quiet`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn campaign_run_shows_progress_on_a_terminal_and_in_a_pipe() {
    // Its processes would take the CPU the paced test's windows are timed on.
    let _one = ONE_AT_A_TIME.lock().await;
    let dir = tmp("campaign-progress");
    let url = store_url("campaign_progress", &dir);
    let fake = fake().await;
    let cfg = config_with_store(&dir, &url, &[("wa", Sandbox::profile(fake.as_ref()))]);
    let client = wabakit::Client::from_config(&cfg, Some("wa")).unwrap();
    for name in ["piped", "shown", "quiet"] {
        client
            .create_template(&wabakit_conformance::order_update(name))
            .await
            .unwrap();
        load(&cfg, &dir, name, 5);
    }
    let run_args = |name: &str, quiet: bool| {
        let mut a = vec!["--config".to_owned(), cfg.display().to_string()];
        a.extend(["campaign", "run", name].map(String::from));
        if quiet {
            a.push("--quiet".into());
        }
        a
    };
    let piped = |a: Vec<String>| {
        tokio::task::spawn_blocking(move || {
            bin()
                .args(a)
                .env("WABAKIT_PROGRESS_SECONDS", "0")
                .output()
                .unwrap()
        })
    };
    let o = piped(run_args("piped", false)).await.unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{err}");
    assert!(
        err.lines()
            .last()
            .is_some_and(|l| l.starts_with("campaign: 5/5 rows (100%)")
                && l.ends_with("sent 5, failed 0, may have been delivered 0, invalid 0")),
        "{err:?}"
    );
    assert!(!err.contains("5/5 rows  "), "no bar in a pipe: {err:?}");
    let a = run_args("shown", false);
    let o = tokio::task::spawn_blocking(move || common::on_a_terminal(&a))
        .await
        .unwrap();
    let shown = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        shown.contains("5/5 rows  "),
        "a bar on a terminal: {shown:?}"
    );
    assert!(
        !shown.contains("campaign: "),
        "no log lines on a terminal: {shown:?}"
    );
    let o = piped(run_args("quiet", true)).await.unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success() && !err.contains("rows"), "{err:?}");
}
