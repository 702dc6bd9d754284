//! The fault drill: 10,000 messages through each provider's fake with 5% throttling, 2% HTTP
//! 5xx and 1% dropped connections. Every message ends with exactly one outcome; the fake's own
//! record shows no message delivered twice and none lost; the messages reported "may have been
//! delivered" are the only ones whose fate the client could not know.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use wabakit::alibaba::fake::{FakeCams, FakeOptions as CamsOptions};
use wabakit::alibaba::AlibabaProvider;
use wabakit::fake::{Fault, FaultKind};
use wabakit::meta::fake::{FakeMeta, FakeOptions as MetaOptions};
use wabakit::meta::MetaProvider;
use wabakit::nxcloud::fake::{FakeNxcloud, FakeOptions as NxOptions};
use wabakit::nxcloud::NxcloudProvider;
use wabakit::*;

const N: usize = 10_000;

/// Faults spread over the first N requests (retries draw from the same sequence).
fn schedule(on: &str) -> Vec<Fault> {
    (0..N)
        .map(|i| {
            let slot = (i * 7919) % N; // a fixed permutation of 0..N
            let kind = match slot {
                s if s < N * 5 / 100 => FaultKind::Http {
                    status: 429,
                    retry_after: Some(0),
                },
                s if s < N * 7 / 100 => FaultKind::Http {
                    status: 503,
                    retry_after: None,
                },
                s if s < N * 75 / 1000 => FaultKind::DropBefore,
                s if s < N * 8 / 100 => FaultKind::DropAfter,
                _ => FaultKind::Pass,
            };
            Fault::new(kind).on(on)
        })
        .collect()
}

fn transport(t: &mut TransportConfig) {
    t.rate_limit = false;
    t.retry = RetryPolicy::default()
        .with_max_attempts(6)
        .with_delays(Duration::from_millis(1), Duration::from_millis(5))
        .with_deadline(Duration::from_secs(30));
}

fn messages() -> impl Iterator<Item = TemplateMessage> + Send + 'static {
    (0..N).map(|i| {
        let mut m = wabakit_conformance::order_message("drill");
        m.client_ref = Some(format!("drill-{i}"));
        m
    })
}

/// Check the outcomes against the ids the fake delivered.
async fn check(provider: &str, client: Client, delivered: impl Fn() -> Vec<String>) {
    let mut rx = client.send_many(messages(), 32);
    let mut outcomes = Vec::new();
    while let Some(o) = rx.recv().await {
        outcomes.push(o);
    }
    assert_eq!(outcomes.len(), N, "{provider}: one outcome per message");
    let by_ref = |pred: &dyn Fn(&SendOutcome) -> bool| -> HashSet<String> {
        outcomes
            .iter()
            .filter(|o| pred(o))
            .filter_map(|o| o.client_ref.clone())
            .collect()
    };
    let all = by_ref(&|_| true);
    assert_eq!(
        all.len(),
        N,
        "{provider}: every message has its own outcome"
    );
    let ok = by_ref(&|o| o.result.is_ok());
    let maybe = by_ref(&|o| {
        o.result
            .as_ref()
            .is_err_and(|e| e.delivery() == Delivery::MayHaveBeenDelivered)
    });
    let not_sent = by_ref(&|o| o.result.as_ref().is_err_and(|e| e.not_sent()));

    let ids = delivered();
    let delivered: HashSet<String> = ids.iter().cloned().collect();
    assert_eq!(
        delivered.len(),
        ids.len(),
        "{provider}: no message delivered twice"
    );
    assert!(
        ok.is_subset(&delivered),
        "{provider}: a message reported sent was not delivered"
    );
    assert!(
        not_sent.is_disjoint(&delivered),
        "{provider}: a message reported not sent was delivered"
    );
    let unexplained: Vec<_> = delivered
        .iter()
        .filter(|d| !ok.contains(*d) && !maybe.contains(*d))
        .collect();
    assert!(
        unexplained.is_empty(),
        "{provider}: delivered but reported neither sent nor uncertain: {unexplained:?}"
    );
    let maybe_delivered = maybe.intersection(&delivered).count();
    println!(
        "| {provider} | {N} | {} | {} | {} of which the fake acted on {} | {} |",
        ok.len(),
        not_sent.len(),
        maybe.len(),
        maybe_delivered,
        delivered.len()
    );
    assert!(
        !maybe.is_empty() && maybe_delivered > 0,
        "{provider}: the drill exercised dropped answers"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nxcloud_drill() {
    let fake = Arc::new(
        FakeNxcloud::start(NxOptions {
            instant_review: true,
            ..Default::default()
        })
        .await
        .unwrap(),
    );
    let mut cfg = fake.client_config();
    transport(&mut cfg.transport);
    let client = Client::with_provider(Arc::new(NxcloudProvider::new(cfg).unwrap()));
    client
        .create_template(&wabakit_conformance::order_update("drill"))
        .await
        .unwrap();
    for f in schedule("/api/wa/mt") {
        fake.inject(f);
    }
    let f = fake.clone();
    check("nxcloud", client, move || {
        f.delivered()
            .into_iter()
            .filter_map(|d| d.cus_message_id)
            .collect()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alibaba_drill() {
    let fake = Arc::new(
        FakeCams::start(CamsOptions {
            instant_review: true,
            qps: Some(1_000_000),
            ..Default::default()
        })
        .await
        .unwrap(),
    );
    let mut cfg = fake.client_config();
    transport(&mut cfg.transport);
    let client = Client::with_provider(Arc::new(AlibabaProvider::new(cfg).unwrap()));
    client
        .create_template(&wabakit_conformance::order_update("drill"))
        .await
        .unwrap();
    for f in schedule("SendChatappMessage") {
        fake.inject(f);
    }
    let f = fake.clone();
    check("alibaba", client, move || {
        f.delivered()
            .into_iter()
            .filter_map(|d| d.task_id)
            .collect()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meta_drill() {
    let fake = Arc::new(
        FakeMeta::start(MetaOptions {
            instant_review: true,
            // Every message goes to one number: the pair rate limit is not this drill's subject.
            pair_burst: u32::MAX,
            ..Default::default()
        })
        .await
        .unwrap(),
    );
    let mut cfg = fake.client_config();
    transport(&mut cfg.transport);
    let client = Client::with_provider(Arc::new(MetaProvider::new(cfg).unwrap()));
    client
        .create_template(&wabakit_conformance::order_update("drill"))
        .await
        .unwrap();
    for f in schedule("send") {
        fake.inject(f);
    }
    let f = fake.clone();
    check("meta", client, move || {
        f.delivered()
            .into_iter()
            .filter_map(|d| d.callback_data)
            .collect()
    })
    .await;
}
