//! `Campaign::run_loading`: rows are sent as they are loaded (an input that is still open is
//! not waited for), the run ends when the input has ended and every row is finished, and a run
//! stopped half way leaves the unread rows for the next run of the same input.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use wabakit::campaign::{Campaign, RunOptions};
use wabakit::store::{CampaignSpec, Store};
use wabakit::{Client, MemoryProvider, Template, TemplateMessage};

type Row = (u64, Result<TemplateMessage, String>);

/// Row `i`, whose client_ref is `r-{of}`.
fn row_as(i: u64, of: u64) -> Row {
    let m = TemplateMessage::from_json(&format!(
        r#"{{"to": "+86136000{i:05}", "client_ref": "r-{of}", "template": "order_update", "language": "en_US", "body": ["Ana", "today"]}}"#
    ))
    .map_err(|p| p[0].to_string());
    (i, m)
}

fn row(i: u64) -> Row {
    row_as(i, i)
}

fn spec() -> CampaignSpec {
    CampaignSpec {
        name: "piped".into(),
        profile: "memory".into(),
        provider: "memory".into(),
        template: "order_update".into(),
        language: "en_US".into(),
    }
}

async fn client() -> Client {
    let c = Client::with_provider(Arc::new(MemoryProvider::new()));
    c.create_template(&Template::from_file("examples/templates/order_update.yaml").unwrap())
        .await
        .unwrap();
    c
}

fn rows_of(rx: mpsc::Receiver<Row>) -> impl futures_util::Stream<Item = Row> + Send {
    futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|r| (r, rx)) })
}

/// Wait until the campaign has `n` rows sent (the bound only turns a hang into a failure).
async fn sent(store: &Store, n: u64) {
    let start = std::time::Instant::now();
    while store.campaign_status("piped").await.unwrap().sent < n {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "waited 10 s for {n} sent"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn rows_are_sent_as_they_arrive_and_the_run_ends_with_its_input() {
    let store = Store::open("sqlite::memory:").unwrap();
    store.create_campaign(spec()).await.unwrap();
    let client = client().await;
    let campaign = Campaign::new(store.clone(), "piped");
    let (tx, rx) = mpsc::channel(4);
    let feed = {
        let store = store.clone();
        async move {
            for i in 1..=3 {
                tx.send(row(i)).await.unwrap();
                // Each row is sent while the input is still open.
                sent(&store, i).await;
            }
            // A row that is not a message is counted, not loaded; a repeated client_ref too.
            tx.send((4, Err("row 4: not a message".into())))
                .await
                .unwrap();
            tx.send(row_as(5, 1)).await.unwrap();
        }
    };
    let run = campaign.run_loading(
        &client,
        RunOptions::default(),
        rows_of(rx),
        std::future::pending(),
    );
    let ((summary, loaded), ()) = tokio::join!(async { run.await.unwrap() }, feed);
    assert_eq!(
        (summary.sent, summary.failed, summary.stopped),
        (3, 0, false)
    );
    assert_eq!(loaded.added, 3);
    let invalid: Vec<u64> = loaded.invalid.iter().map(|(row, _)| *row).collect();
    assert_eq!(invalid, [4, 5], "{:?}", loaded.invalid);
    assert!(
        loaded.invalid[1].1.contains("row 1"),
        "{:?}",
        loaded.invalid
    );
    let status = store.campaign_status("piped").await.unwrap();
    assert_eq!((status.total, status.sent, status.pending), (3, 3, 0));
}

#[tokio::test]
async fn a_stopped_run_leaves_the_unread_rows_to_the_next() {
    let store = Store::open("sqlite::memory:").unwrap();
    store.create_campaign(spec()).await.unwrap();
    let client = client().await;
    let campaign = Campaign::new(store.clone(), "piped");
    let (tx, rx) = mpsc::channel(4);
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let feed = {
        let store = store.clone();
        async move {
            for i in 1..=2 {
                tx.send(row(i)).await.unwrap();
            }
            sent(&store, 2).await;
            stop_tx.send(()).unwrap();
            // The input stays open: the run must not wait for it.
            tx
        }
    };
    let run = campaign.run_loading(&client, RunOptions::default(), rows_of(rx), async {
        let _ = stop_rx.await;
    });
    let ((summary, loaded), _open) = tokio::join!(async { run.await.unwrap() }, feed);
    assert_eq!((summary.sent, summary.stopped, loaded.added), (2, true, 2));
    // The same input again, whole: the two sent rows are there already, the third is sent.
    let (tx, rx) = mpsc::channel(4);
    for i in 1..=3 {
        tx.send(row(i)).await.unwrap();
    }
    drop(tx);
    let (summary, loaded) = campaign
        .run_loading(
            &client,
            RunOptions::default(),
            rows_of(rx),
            std::future::pending(),
        )
        .await
        .unwrap();
    assert_eq!((summary.sent, loaded.added, loaded.already), (1, 1, 2));
    let status = store.campaign_status("piped").await.unwrap();
    assert_eq!((status.total, status.sent), (3, 3));
}
