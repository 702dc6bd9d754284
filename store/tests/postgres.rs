//! Several receivers and senders on one PostgreSQL database, each with its own connection (as
//! several `wabakit serve` processes have): the schema is migrated once however many start
//! together; every event is kept once; statuses only move forward; an event and its send
//! written at the same moment by two processes still meet.

use std::collections::HashMap;

use wabakit_core::{Event, MessageStatus};
use wabakit_store::*;

mod common;
use common::status;

/// `n` stores on one fresh database, opened at the same time.
fn stores(name: &str, n: usize) -> Option<Vec<Store>> {
    let url = testing::fresh_postgres(name)?;
    let opening: Vec<_> = (0..n)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || Store::open(&url))
        })
        .collect();
    Some(
        opening
            .into_iter()
            .map(|t| t.join().unwrap().unwrap())
            .collect(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn processes_starting_together_migrate_once() {
    let Some(all) = stores("migrate_together", 6) else {
        return;
    };
    for s in &all {
        assert_eq!(s.schema_version().await.unwrap(), SCHEMA_VERSION);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_receivers_keep_each_event_once_and_statuses_forward() {
    const N: usize = 150;
    let Some(all) = stores("concurrent_receivers", 4) else {
        return;
    };
    // Half the sends are recorded before the events, half while they arrive (by another
    // process than the one keeping them).
    for i in 0..N / 2 {
        all[0]
            .record_send(
                SendRecord::new("meta", "prod", "8613600009759", "t", "en_US")
                    .with_message_id(format!("wamid.{i}"))
                    .at(1_000_000),
            )
            .await
            .unwrap();
    }
    let mut tasks = Vec::new();
    for (r, s) in all.iter().enumerate() {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let mut applied = Applied::default();
            // Each receiver gets every message's three statuses, in an order of its own, in
            // small batches: redeliveries and out-of-order deliveries at once.
            let mut events: Vec<Event> = (0..N)
                .flat_map(|i| {
                    let id = format!("wamid.{i}");
                    [
                        status(&id, MessageStatus::Sent, 1_001),
                        status(&id, MessageStatus::Delivered, 1_002),
                        status(&id, MessageStatus::Read, 1_003),
                    ]
                })
                .collect();
            let len = events.len();
            for k in 0..len {
                events.swap(k, (k * 7 + r * 13 + 5) % len);
            }
            for batch in events.chunks(3) {
                let a = s.record_events("prod", batch.to_vec()).await.unwrap();
                applied.new += a.new;
                applied.duplicates += a.duplicates;
            }
            applied
        }));
    }
    let late = all[3].clone();
    tasks.push(tokio::spawn(async move {
        for i in N / 2..N {
            late.record_send(
                SendRecord::new("meta", "prod", "8613600009759", "t", "en_US")
                    .with_message_id(format!("wamid.{i}"))
                    .at(1_000_000),
            )
            .await
            .unwrap();
        }
        Applied::default()
    }));
    let mut total = Applied::default();
    for t in tasks {
        let a = t.await.unwrap();
        total.new += a.new;
        total.duplicates += a.duplicates;
    }
    assert_eq!(total.new, 3 * N, "each event kept once");
    assert_eq!(
        total.duplicates,
        3 * 3 * N,
        "every other delivery a duplicate"
    );
    let mut by_status: HashMap<String, usize> = HashMap::new();
    for i in 0..N {
        let h = all[1]
            .history(&format!("wamid.{i}"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(h.events.len(), 3, "wamid.{i}: its three events");
        assert_eq!(
            (h.message.delivered_at, h.message.read_at),
            (Some(1_002_000), Some(1_003_000)),
            "wamid.{i}"
        );
        *by_status.entry(h.message.status).or_default() += 1;
    }
    assert_eq!(by_status, HashMap::from([("read".to_owned(), N)]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_event_and_its_send_written_at_once_by_two_processes_meet() {
    const N: usize = 100;
    let Some(all) = stores("event_and_send_at_once", 2) else {
        return;
    };
    for i in 0..N {
        let id = format!("wamid.race{i}");
        let (sender, receiver) = (all[0].clone(), all[1].clone());
        let send = SendRecord::new("meta", "prod", "8613600009759", "t", "en_US")
            .with_message_id(&id)
            .at(1_000_000);
        let event = status(&id, MessageStatus::Delivered, 1_002);
        let (a, b) = tokio::join!(
            tokio::spawn(async move { sender.record_send(send).await }),
            tokio::spawn(async move { receiver.record_events("prod", vec![event]).await }),
        );
        a.unwrap().unwrap();
        b.unwrap().unwrap();
        let m = all[0].history(&id).await.unwrap().unwrap().message;
        assert_eq!(m.status, "delivered", "{id}: the event met its send");
    }
}
