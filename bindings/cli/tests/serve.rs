//! `wabakit serve` as a process: the fakes push their callbacks to it; `wabakit status` and
//! `wabakit report` read the store; and a receiver killed with SIGKILL mid-run, then started
//! again, loses nothing a vendor was told it had, and keeps every event once.

use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use serde_json::{json, Value};
use wabakit::raw::Sandbox;
use wabakit::store::{SendRecord, Store};

mod common;
use common::{bin, config, run, start, tmp, until};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fakes_push_to_wabakit_serve_and_status_and_report_read_the_store() {
    let dir = tmp("push");
    let nx = wabakit::nxcloud::fake::FakeNxcloud::start(wabakit::nxcloud::fake::FakeOptions {
        instant_review: true,
        webhook_secret: Some("hook-secret".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let meta = wabakit::meta::fake::FakeMeta::start(wabakit::meta::fake::FakeOptions {
        instant_review: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let cfg = config(
        &dir,
        &[
            ("nx", Sandbox::profile(&nx)),
            ("wa", Sandbox::profile(&meta)),
        ],
    );
    let (mut child, base) = start(&cfg);
    nx.set_webhook_url(Some(format!("{base}/callbacks/nx")));
    meta.set_webhook_url(Some(format!("{base}/callbacks/wa")));
    // Sends through clients of the same config are recorded in its store.
    for profile in ["nx", "wa"] {
        let c = wabakit::Client::from_config(&cfg, Some(profile)).unwrap();
        c.create_template(&wabakit_conformance::order_update("served"))
            .await
            .unwrap();
        let mut m = wabakit_conformance::order_message("served");
        m.client_ref = Some(format!("{profile}-order-1"));
        c.send(&m).await.unwrap();
    }
    let store = Store::open(&format!("sqlite://{}", dir.join("wabakit.db").display())).unwrap();
    for cref in ["nx-order-1", "wa-order-1"] {
        let s = store.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let cref2 = cref.to_owned();
        tokio::spawn(async move {
            loop {
                let h = s.history(&cref2).await.unwrap();
                if h.is_some_and(|h| matches!(h.message.status.as_str(), "delivered" | "read")) {
                    let _ = tx.send(());
                    break;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
        until(cref, || rx.try_recv().is_ok()).await;
    }
    let (code, out) = run(&cfg, &["status", "wa-order-1"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("[wa-order-1] via meta/wa: read"), "{out}");
    let (code, out) = run(&cfg, &["report", "--format", "json"]);
    assert_eq!(code, 0);
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (r["total"].as_u64(), r["delivered"].as_u64()),
        (Some(2), Some(2)),
        "{r}"
    );
    let (code, _) = run(&cfg, &["status", "nobody"]);
    assert_eq!(code, 1);
    child.kill().unwrap();
    child.wait().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

const SECRET: &str = "crash-test-app-secret";
const EVENTS: usize = 3000;

fn delivered(i: usize) -> Vec<u8> {
    serde_json::to_vec(&json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"phone_number_id": "2"},
        "statuses": [{"id": format!("wamid.{i}"), "status": "delivered", "timestamp": "1750000000", "recipient_id": "1"}]}}]}]}))
    .unwrap()
}

/// The load generator posts every event until it is answered 200, whatever happens to the
/// receiver; the receiver is killed with SIGKILL a third of the way through and started again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_killed_mid_run_loses_nothing_and_keeps_each_event_once() {
    let dir = tmp("crash");
    let profile = json!({"provider": "meta", "access_token": "t", "waba_id": "1", "phone_number_id": "2", "app_secret": SECRET});
    let Value::Object(profile) = profile else {
        unreachable!()
    };
    let cfg = config(&dir, &[("wa", profile)]);
    let url = format!("sqlite://{}", dir.join("wabakit.db").display());
    {
        let store = Store::open(&url).unwrap();
        let sends = (0..EVENTS)
            .map(|i| {
                SendRecord::new("meta", "wa", "1", "t", "en").with_message_id(format!("wamid.{i}"))
            })
            .collect();
        store.record_sends(sends).await.unwrap();
    }
    let (child, base) = start(&cfg);
    let target = Arc::new(RwLock::new(format!("{base}/callbacks/wa")));
    let answered = Arc::new(AtomicUsize::new(0));
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let next = Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::new();
    for _ in 0..16 {
        let (http, target, answered, next) =
            (http.clone(), target.clone(), answered.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= EVENTS {
                    break;
                }
                let body = delivered(i);
                let sig = wabakit::meta::sign::body_signature(SECRET, &body);
                // Again until answered 200: an unanswered event is sent again, as a vendor does.
                loop {
                    let url = target.read().unwrap().clone();
                    let sent = http
                        .post(url)
                        .header("x-hub-signature-256", &sig)
                        .body(body.clone())
                        .send()
                        .await;
                    if sent.is_ok_and(|r| r.status() == 200) {
                        answered.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            }
        }));
    }
    let a = answered.clone();
    until("a third answered", || {
        a.load(Ordering::Relaxed) >= EVENTS / 3
    })
    .await;
    let mut child = child;
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let at_kill = answered.load(Ordering::Relaxed);
    let (mut child, base) = start(&cfg);
    *target.write().unwrap() = format!("{base}/callbacks/wa");
    for w in workers {
        w.await.unwrap();
    }
    assert!(at_kill < EVENTS, "the kill came mid-run");
    child.kill().unwrap();
    child.wait().unwrap();
    let store = Store::open(&url).unwrap();
    let r = store.report(Default::default()).await.unwrap();
    assert_eq!((r.total, r.delivered), (EVENTS as u64, EVENTS as u64));
    for i in 0..EVENTS {
        let h = store.history(&format!("wamid.{i}")).await.unwrap().unwrap();
        assert_eq!(h.events.len(), 1, "event {i} kept once");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `template wait` ends when the review does: heard from the store (the receiver keeps the
/// fake's status webhook), or from the provider itself when asked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn template_wait_ends_with_the_review() {
    let dir = tmp("wait");
    let meta = wabakit::meta::fake::FakeMeta::start(Default::default())
        .await
        .unwrap();
    let cfg = config(&dir, &[("wa", Sandbox::profile(&meta))]);
    let (mut child, base) = start(&cfg);
    meta.set_webhook_url(Some(format!("{base}/callbacks/wa")));
    let c = wabakit::Client::from_config(&cfg, Some("wa")).unwrap();
    for name in ["waited", "refused"] {
        c.create_template(&wabakit_conformance::order_update(name))
            .await
            .unwrap();
    }
    let wait = |name: &str, poll: &str| {
        bin()
            .arg("--config")
            .arg(&cfg)
            .args([
                "template",
                "wait",
                name,
                "--language",
                "en_US",
                "--interval",
                "0.02",
            ])
            .args(["--poll", poll, "--timeout", "20"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap()
    };
    // The provider is asked once, at the start (still PENDING), then only the store is
    // watched: the approval reaches it by the fake's webhook to the receiver.
    let reads = || {
        meta.requests()
            .iter()
            .filter(|r| r.method == "GET" && r.target.contains("name=waited"))
            .count()
    };
    let waiting = wait("waited", "1000");
    until("the first look at the provider", || reads() == 1).await;
    assert!(meta.approve("waited", "en_US"));
    let out = tokio::task::spawn_blocking(move || waiting.wait_with_output().unwrap())
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "waited (en_US): APPROVED\n"
    );
    // Rejected while waiting for approval: exit 1, found by asking the provider.
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(meta.reject("refused", "en_US", "INVALID_FORMAT"));
    let out = tokio::task::spawn_blocking({
        let w = wait("refused", "0.02");
        move || w.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "refused (en_US): REJECTED, not APPROVED\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
