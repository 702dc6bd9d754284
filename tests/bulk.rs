//! Bulk sending: one outcome per message, through faults, without sending anything twice.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use wabakit::nxcloud::fake::{FakeNxcloud, FakeOptions, Fault, FaultKind};
use wabakit::nxcloud::NxcloudProvider;
use wabakit::*;

fn messages(template: &str, n: usize) -> impl Iterator<Item = TemplateMessage> + Send + 'static {
    let template = template.to_owned();
    (0..n).map(move |i| {
        let mut m = wabakit_conformance::order_message(&template);
        m.client_ref = Some(format!("bulk-{i}"));
        m
    })
}

/// Every outcome: the outcomes are a `Stream`.
async fn collect(outcomes: Outcomes) -> Vec<SendOutcome> {
    futures_util::StreamExt::collect(outcomes).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_messages_to_memory_give_ten_thousand_outcomes() {
    let memory = memory_with("bulk").await;
    let client = Client::with_provider(memory.clone());
    let out = collect(client.send_many(messages("bulk", 10_000), 64)).await;
    assert_eq!(out.len(), 10_000);
    let indexes: HashSet<u64> = out.iter().map(|o| o.index).collect();
    assert_eq!(indexes.len(), 10_000);
    assert!(out.iter().all(|o| o.result.is_ok()));
    assert_eq!(memory.sent_total(), 10_000);
}

/// Throttling, 5xx and dropped connections on the way: every message ends with exactly one
/// outcome; the fake's own record shows nothing delivered twice, nothing lost, and the messages
/// reported "may have been delivered" are exactly the ones whose answer was lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_faults_every_message_has_one_outcome_and_none_is_sent_twice() {
    let fake = FakeNxcloud::start(FakeOptions {
        instant_review: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let mut cfg = fake.client_config();
    cfg.transport.retry.base_delay = Duration::from_millis(1);
    cfg.transport.retry.max_delay = Duration::from_millis(4);
    let client = Client::with_provider(Arc::new(NxcloudProvider::new(cfg).unwrap()));
    client
        .create_template(&wabakit_conformance::order_update("drill"))
        .await
        .unwrap();
    let n = 2_000;
    for i in 0..n / 20 {
        // Spread over the run: throttling, 5xx, a dropped answer after acting, a dropped request.
        let kind = match i % 4 {
            0 => FaultKind::Http {
                status: 429,
                retry_after: Some(0),
            },
            1 => FaultKind::Http {
                status: 503,
                retry_after: None,
            },
            2 => FaultKind::DropAfter,
            _ => FaultKind::DropBefore,
        };
        fake.inject(Fault::new(kind).on("/api/wa/mt"));
    }
    let out = collect(client.send_many(messages("drill", n), 32)).await;
    assert_eq!(out.len(), n);
    let refs: HashSet<String> = out.iter().filter_map(|o| o.client_ref.clone()).collect();
    assert_eq!(refs.len(), n, "one outcome per message");

    let delivered = fake.delivered();
    let mut seen = HashSet::new();
    for d in &delivered {
        assert!(
            seen.insert(d.cus_message_id.clone().unwrap()),
            "{:?} delivered twice",
            d.cus_message_id
        );
    }
    let ok: HashSet<String> = out
        .iter()
        .filter(|o| o.result.is_ok())
        .filter_map(|o| o.client_ref.clone())
        .collect();
    let maybe: HashSet<String> = out
        .iter()
        .filter(|o| {
            o.result
                .as_ref()
                .is_err_and(|e| e.delivery() == Delivery::MayHaveBeenDelivered)
        })
        .filter_map(|o| o.client_ref.clone())
        .collect();
    assert_eq!(
        ok.len() + maybe.len(),
        n,
        "every failure is a 'may have been delivered' one here"
    );
    for r in &ok {
        assert!(seen.contains(r), "{r} reported sent but not delivered");
    }
    // Of the uncertain ones, the fake acted on exactly those whose answer it dropped after acting.
    let acted_uncertain = maybe.iter().filter(|r| seen.contains(*r)).count();
    assert_eq!(acted_uncertain, n / 20 / 4, "DropAfter faults");
    assert_eq!(
        delivered.len(),
        ok.len() + acted_uncertain,
        "nothing lost, nothing extra"
    );
}

/// Memory, except that sending to one client_ref panics.
#[derive(Debug)]
struct Panicky(MemoryProvider);

#[async_trait::async_trait]
impl Provider for Panicky {
    fn name(&self) -> &str {
        "panicky"
    }
    fn capabilities(&self) -> &Capabilities {
        self.0.capabilities()
    }
    async fn create_template(&self, t: &Template) -> Result<TemplateRef> {
        self.0.create_template(t).await
    }
    async fn update_template(&self, id: &TemplateId, t: &Template) -> Result<TemplateRef> {
        self.0.update_template(id, t).await
    }
    async fn get_template(&self, q: &TemplateQuery) -> Result<TemplateInfo> {
        self.0.get_template(q).await
    }
    async fn list_templates(&self, q: &ListQuery) -> Result<Page<TemplateInfo>> {
        self.0.list_templates(q).await
    }
    async fn delete_template(&self, q: &TemplateQuery) -> Result<()> {
        self.0.delete_template(q).await
    }
    async fn send(&self, m: &TemplateMessage) -> Result<Receipt> {
        if m.client_ref.as_deref() == Some("bulk-7") {
            panic!("a provider bug");
        }
        self.0.send(m).await
    }
    fn render(&self, op: &Operation, at: &Pinned) -> Result<HttpRequest> {
        self.0.render(op, at)
    }
}

#[tokio::test]
async fn a_panicking_send_becomes_that_messages_outcome_and_the_rest_go_on() {
    let memory = MemoryProvider::new();
    memory
        .create_template(&wabakit_conformance::order_update("bulk"))
        .await
        .unwrap();
    let client = Client::with_provider(Arc::new(Panicky(memory)));
    let out = collect(client.send_many(messages("bulk", 20), 4)).await;
    assert_eq!(out.len(), 20);
    let (failed, sent): (Vec<&SendOutcome>, Vec<&SendOutcome>) =
        out.iter().partition(|o| o.result.is_err());
    assert_eq!(sent.len(), 19);
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].index, 7);
    let e = failed[0].result.as_ref().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert_eq!(e.delivery(), Delivery::MayHaveBeenDelivered);
    assert!(e.to_string().contains("the send panicked"), "{e}");
}

async fn memory_with(template: &str) -> Arc<MemoryProvider> {
    let memory = Arc::new(MemoryProvider::new().keep_sent(10));
    memory
        .create_template(&wabakit_conformance::order_update(template))
        .await
        .unwrap();
    memory
}

/// Messages that arrive one by one from another task (as from a queue or a database cursor).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_asynchronous_source_is_sent_as_it_arrives() {
    let memory = memory_with("bulk").await;
    let (feed, queue) = tokio::sync::mpsc::channel::<TemplateMessage>(8);
    tokio::spawn(async move {
        for m in messages("bulk", 1_000) {
            feed.send(m).await.unwrap();
        }
    });
    let source =
        futures_util::stream::unfold(queue, |mut q| async move { q.recv().await.map(|m| (m, q)) });
    let client = Client::with_provider(memory.clone());
    let out = collect(client.send_many_stream(source, 16)).await;
    let indexes: HashSet<u64> = out.iter().map(|o| o.index).collect();
    assert_eq!((out.len(), indexes.len()), (1_000, 1_000));
    assert_eq!(indexes.iter().max(), Some(&999));
    assert!(out.iter().all(|o| o.result.is_ok()));
    assert_eq!(memory.sent_total(), 1_000);
}

/// A source is read only as fast as outcomes are taken: with nobody reading them, at most the
/// outcomes' buffer (2 × concurrency) plus one message per worker are taken from it.
#[tokio::test]
async fn a_source_is_not_read_ahead_of_its_outcomes() {
    let memory = memory_with("bulk").await;
    let taken = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = taken.clone();
    let source = futures_util::StreamExt::map(
        futures_util::stream::iter(messages("bulk", 1_000)),
        move |m| {
            counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            m
        },
    );
    let client = Client::with_provider(memory.clone());
    let rx = client.send_many_stream(source, 2);
    // One thread: yielding lets every worker run until it waits on the full outcome buffer.
    for _ in 0..1_000 {
        tokio::task::yield_now().await;
    }
    let n = taken.load(std::sync::atomic::Ordering::Relaxed);
    assert!((4..=6).contains(&n), "{n} taken");
    drop(rx);
    for _ in 0..100 {
        tokio::task::yield_now().await;
    }
    assert_eq!(taken.load(std::sync::atomic::Ordering::Relaxed), n);
}

/// An input that panics ends the input: the messages it gave are sent, nothing else happens.
#[tokio::test]
async fn an_input_that_panics_ends_the_input() {
    let memory = memory_with("bulk").await;
    let input = messages("bulk", 20).enumerate().map(|(i, m)| {
        assert!(i < 5, "the input breaks at message 5");
        m
    });
    let client = Client::with_provider(memory.clone());
    let out = collect(client.send_many(input, 4)).await;
    let mut indexes: Vec<u64> = out.iter().map(|o| o.index).collect();
    indexes.sort_unstable();
    assert_eq!(indexes, vec![0, 1, 2, 3, 4]);
    assert!(out.iter().all(|o| o.result.is_ok()));
    assert_eq!(memory.sent_total(), 5);
}

/// NXCloud's message id is the client_ref: two messages with one client_ref would get one id,
/// and their receipts could not be told apart. The later message is not sent; its outcome names
/// the first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeated_client_ref_is_refused_naming_the_first_message() {
    let memory = memory_with("bulk").await;
    let client = Client::with_provider(memory.clone());
    let refs = ["a", "b", "a", "c", "b"];
    let input: Vec<TemplateMessage> = refs
        .iter()
        .map(|r| {
            let mut m = wabakit_conformance::order_message("bulk");
            m.client_ref = Some((*r).into());
            m
        })
        .collect();
    let mut out = collect(client.send_many(input, 1)).await;
    out.sort_by_key(|o| o.index);
    let verdicts: Vec<std::result::Result<(), String>> = out
        .iter()
        .map(|o| match &o.result {
            Ok(_) => Ok(()),
            Err(e) => Err(e
                .problems()
                .iter()
                .map(|p| format!("{} {} {}", p.path, p.rule, p.message))
                .collect()),
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            Ok(()),
            Ok(()),
            Err("client_ref message.client_ref.unique client_ref \"a\" is already message 0's: client_refs must be unique (receipts find their message by it)".into()),
            Ok(()),
            Err("client_ref message.client_ref.unique client_ref \"b\" is already message 1's: client_refs must be unique (receipts find their message by it)".into()),
        ]
    );
    assert_eq!(
        memory.sent_total(),
        3,
        "only the first of each client_ref went out"
    );
    assert!(out.iter().filter(|o| o.result.is_err()).all(|o| o
        .result
        .as_ref()
        .unwrap_err()
        .not_sent()));
}
