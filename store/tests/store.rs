//! The store's rules, on SQLite and on PostgreSQL: every event kept once, statuses forward only and failed final,
//! events before their send joined later, answers lost settled by client_ref, templates from
//! their events, reports, migrations.

use serde_json::json;
use wabakit_core::{ErrorKind, Event, EventBody, MessageStatus, TemplateId, TemplateStatus};
use wabakit_store::*;

mod common;
use common::status;

fn failed(id: &str, at: i64) -> Event {
    Event::new(
        "meta",
        EventBody::MessageStatus {
            message_id: id.into(),
            client_ref: None,
            status: MessageStatus::Failed,
            recipient: None,
            at: Some(at),
            errors: vec!["131049: not delivered to maintain healthy ecosystem engagement".into()],
        },
        json!({"id": id, "failed": true}),
    )
}

fn sent(id: &str, client_ref: &str, at_millis: u64) -> SendRecord {
    SendRecord::new("meta", "prod", "8613600009759", "order_update", "en_US")
        .with_message_id(id)
        .with_client_ref(client_ref)
        .at(at_millis)
}

on_both!(
    a_redelivered_event_changes_nothing,
    statuses_only_move_forward_and_keep_each_time,
    failed_is_final_with_its_error,
    an_event_before_its_send_joins_it_when_the_send_is_recorded,
    an_uncertain_send_is_settled_by_a_status_for_its_client_ref,
    template_events_keep_a_template_row,
    templates_are_kept_whole_and_forgotten_when_deleted,
    a_report_counts_rates_failures_and_latency,
    many_writers_at_once_are_all_committed,
);

async fn a_redelivered_event_changes_nothing(s: Store) {
    s.record_send(sent("wamid.1", "o-1", 1_000_000))
        .await
        .unwrap();
    let e = status("wamid.1", MessageStatus::Delivered, 1_001);
    let first = s
        .record_events("prod", vec![e.clone(), e.clone()])
        .await
        .unwrap();
    assert_eq!(
        first,
        Applied {
            new: 1,
            duplicates: 1
        }
    );
    let again = s.record_events("prod", vec![e]).await.unwrap();
    assert_eq!(
        again,
        Applied {
            new: 0,
            duplicates: 1
        }
    );
    let h = s.history("o-1").await.unwrap().unwrap();
    assert_eq!(h.events.len(), 1);
    assert_eq!(h.message.status, "delivered");
}

async fn statuses_only_move_forward_and_keep_each_time(s: Store) {
    s.record_send(sent("wamid.2", "o-2", 1_000_000))
        .await
        .unwrap();
    // Read arrives before delivered.
    s.record_events("prod", vec![status("wamid.2", MessageStatus::Read, 1_005)])
        .await
        .unwrap();
    s.record_events(
        "prod",
        vec![status("wamid.2", MessageStatus::Delivered, 1_003)],
    )
    .await
    .unwrap();
    s.record_events("prod", vec![status("wamid.2", MessageStatus::Sent, 1_001)])
        .await
        .unwrap();
    let m = s.history("wamid.2").await.unwrap().unwrap().message;
    assert_eq!(m.status, "read");
    assert_eq!(
        (m.delivered_at, m.read_at),
        (Some(1_003_000), Some(1_005_000))
    );
    assert_eq!(s.history("wamid.2").await.unwrap().unwrap().events.len(), 3);
}

async fn failed_is_final_with_its_error(s: Store) {
    s.record_send(sent("wamid.3", "o-3", 1_000_000))
        .await
        .unwrap();
    s.record_events("prod", vec![failed("wamid.3", 1_002)])
        .await
        .unwrap();
    s.record_events("prod", vec![status("wamid.3", MessageStatus::Read, 1_009)])
        .await
        .unwrap();
    let m = s.history("o-3").await.unwrap().unwrap().message;
    assert_eq!(m.status, "failed");
    assert_eq!(m.error_code.as_deref(), Some("131049"));
    assert_eq!(m.failed_at, Some(1_002_000));
}

async fn an_event_before_its_send_joins_it_when_the_send_is_recorded(s: Store) {
    s.record_events(
        "prod",
        vec![status("wamid.4", MessageStatus::Delivered, 1_004)],
    )
    .await
    .unwrap();
    assert!(s.history("wamid.4").await.unwrap().is_none());
    s.record_send(sent("wamid.4", "o-4", 1_000_000))
        .await
        .unwrap();
    let h = s.history("o-4").await.unwrap().unwrap();
    assert_eq!(h.message.status, "delivered");
    assert_eq!(h.events.len(), 1);
}

async fn an_uncertain_send_is_settled_by_a_status_for_its_client_ref(s: Store) {
    let lost = SendRecord::new("meta", "prod", "8613600009759", "order_update", "en_US")
        .with_client_ref("o-5")
        .with_outcome(Outcome::Uncertain {
            kind: ErrorKind::Transport,
            message: "connection closed before the answer".into(),
        });
    s.record_send(lost).await.unwrap();
    assert_eq!(
        s.history("o-5").await.unwrap().unwrap().message.status,
        "uncertain"
    );
    let mut e = status("wamid.5", MessageStatus::Delivered, 1_006);
    if let EventBody::MessageStatus { client_ref, .. } = &mut e.body {
        *client_ref = Some("o-5".into());
    }
    s.record_events("prod", vec![e]).await.unwrap();
    let m = s.history("o-5").await.unwrap().unwrap().message;
    assert_eq!(
        (m.status.as_str(), m.message_id.as_deref()),
        ("delivered", Some("wamid.5"))
    );
}

async fn template_events_keep_a_template_row(s: Store) {
    let tpl = |body: EventBody| Event::new("meta", body, json!({}));
    s.record_events(
        "prod",
        vec![
            tpl(EventBody::TemplateStatus {
                template_id: Some(TemplateId::new("77")),
                name: Some("order_update".into()),
                language: Some("en_US".into()),
                status: TemplateStatus::Rejected,
                reason: Some("INVALID_FORMAT".into()),
                category: Some("UTILITY".into()),
                at: Some(1),
                request_id: None,
            }),
            tpl(EventBody::TemplateStatus {
                template_id: Some(TemplateId::new("77")),
                name: Some("order_update".into()),
                language: Some("en_US".into()),
                status: TemplateStatus::Approved,
                reason: None,
                category: None,
                at: Some(2),
                request_id: None,
            }),
            // Names only the id: found by it.
            tpl(EventBody::TemplateQuality {
                template_id: Some(TemplateId::new("77")),
                name: None,
                language: None,
                quality: "YELLOW".into(),
                previous: Some("GREEN".into()),
                at: Some(3),
            }),
        ],
    )
    .await
    .unwrap();
    let t = s
        .template("meta", "order_update", "en_US")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            t.status.as_deref(),
            t.reason,
            t.category.as_deref(),
            t.quality.as_deref(),
            t.template_id.as_deref()
        ),
        (
            Some("APPROVED"),
            None,
            Some("UTILITY"),
            Some("YELLOW"),
            Some("77")
        )
    );
}

async fn a_report_counts_rates_failures_and_latency(s: Store) {
    for i in 0..10 {
        let id = format!("wamid.r{i}");
        s.record_send(sent(&id, &format!("r-{i}"), 1_000_000).with_campaign("spring"))
            .await
            .unwrap();
        let events = match i {
            0..=5 => vec![status(&id, MessageStatus::Delivered, 1_000 + i)],
            6 | 7 => vec![
                status(&id, MessageStatus::Delivered, 1_010),
                status(&id, MessageStatus::Read, 1_020),
            ],
            _ => vec![failed(&id, 1_001)],
        };
        s.record_events("prod", events).await.unwrap();
    }
    // Another campaign's message is not counted.
    s.record_send(sent("wamid.other", "x", 1_000_000).with_campaign("autumn"))
        .await
        .unwrap();
    let r = s
        .report(ReportFilter {
            campaign: Some("spring".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(r.total, 10);
    assert_eq!(
        r.by_status,
        [
            ("delivered".to_owned(), 6),
            ("failed".to_owned(), 2),
            ("read".to_owned(), 2)
        ]
    );
    assert_eq!((r.sent, r.delivered, r.read), (10, 8, 2));
    assert_eq!((r.delivery_rate, r.read_rate), (0.8, 0.2));
    assert_eq!(r.failures.len(), 1);
    assert_eq!(
        (r.failures[0].code.as_deref(), r.failures[0].count),
        (Some("131049"), 2)
    );
    // Latencies 0..5 s and 10 s, 10 s: p50 the 4th of 8, p90 and p99 the 8th.
    assert_eq!(r.latency.count, 8);
    assert_eq!(
        (r.latency.p50, r.latency.p90, r.latency.p99),
        (Some(3_000), Some(10_000), Some(10_000))
    );
}

async fn many_writers_at_once_are_all_committed(s: Store) {
    let mut tasks = Vec::new();
    for i in 0..200 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            s.record_events(
                "prod",
                vec![status(&format!("wamid.c{i}"), MessageStatus::Sent, 1)],
            )
            .await
            .unwrap()
        }));
    }
    for t in tasks {
        assert_eq!(
            t.await.unwrap(),
            Applied {
                new: 1,
                duplicates: 0
            }
        );
    }
}

#[tokio::test]
async fn an_unreadable_body_is_kept_once_with_its_error() {
    let (dir, url) = temp_store("unreadable");
    let s = Store::open(&url).unwrap();
    let e = wabakit_core::Error::new(ErrorKind::Validation, "webhook body is not JSON");
    for _ in 0..2 {
        s.record_unreadable("meta", "prod", b"{not json".to_vec(), &e)
            .await
            .unwrap();
    }
    drop(s);
    let c = rusqlite::Connection::open(dir.join("w.db")).unwrap();
    let rows: Vec<(String, String, String)> = c
        .prepare("SELECT kind, body, error FROM events")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        [(
            "unreadable".into(),
            "\"{not json\"".into(),
            "validation error: webhook body is not JSON".into()
        )]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A fresh folder for a file store, and its URL.
fn temp_store(name: &str) -> (std::path::PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("wabakit-store-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("w.db").display());
    (dir, url)
}

#[tokio::test]
async fn a_file_store_is_migrated_once_and_keeps_its_data() {
    let (dir, url) = temp_store("migrate");
    let path = dir.join("w.db");
    {
        let s = Store::open(&url).unwrap();
        assert_eq!(s.schema_version().await.unwrap(), SCHEMA_VERSION);
        s.record_send(sent("wamid.f", "f-1", 1)).await.unwrap();
    }
    let s = Store::open(&url).unwrap();
    assert_eq!(
        s.history("f-1")
            .await
            .unwrap()
            .unwrap()
            .message
            .message_id
            .as_deref(),
        Some("wamid.f")
    );
    drop(s);
    // A store written by a newer wabakit is refused, not damaged.
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute(
        "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, 0)",
        [SCHEMA_VERSION + 1],
    )
    .unwrap();
    drop(c);
    let e = Store::open(&url).unwrap_err().to_string();
    assert!(e.contains("newer than this wabakit"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_store_at_an_older_schema_is_brought_forward() {
    let (dir, url) = temp_store("older");
    {
        // As the first version of the schema left it.
        let c = rusqlite::Connection::open(dir.join("w.db")).unwrap();
        c.execute_batch(MIGRATIONS[0].1).unwrap();
        c.execute_batch(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
             INSERT INTO schema_migrations VALUES (1, 0);",
        )
        .unwrap();
    }
    let s = Store::open(&url).unwrap();
    assert_eq!(s.schema_version().await.unwrap(), SCHEMA_VERSION);
    drop(s);
    let c = rusqlite::Connection::open(dir.join("w.db")).unwrap();
    let versions: Vec<u32> = c
        .prepare("SELECT version FROM schema_migrations ORDER BY version")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(versions, (1..=SCHEMA_VERSION).collect::<Vec<_>>());
    std::fs::remove_dir_all(&dir).unwrap();
}

async fn templates_are_kept_whole_and_forgotten_when_deleted(s: Store) {
    let saved = |name: &str, language: &str, id: &str, status: &str| SavedTemplate {
        provider: "memory".into(),
        profile: "local".into(),
        name: name.into(),
        language: language.into(),
        template_id: Some(id.into()),
        status: Some(status.into()),
        document: format!(r#"{{"name":"{name}","language":"{language}"}}"#),
    };
    s.save_template(saved("a", "en_US", "mem-tpl-1", "PENDING"))
        .await
        .unwrap();
    s.save_template(saved("a", "pt_BR", "mem-tpl-2", "PENDING"))
        .await
        .unwrap();
    s.save_template(saved("b", "en_US", "mem-tpl-3", "PENDING"))
        .await
        .unwrap();
    // A review event keeps the document; a later save keeps the event's status (a save
    // writes none).
    let approved = Event::new(
        "memory",
        EventBody::TemplateStatus {
            template_id: Some(TemplateId::new("mem-tpl-3")),
            name: Some("b".into()),
            language: Some("en_US".into()),
            status: TemplateStatus::Approved,
            reason: None,
            category: None,
            at: Some(4_000_000_000),
            request_id: None,
        },
        json!({}),
    );
    s.record_events("local", vec![approved]).await.unwrap();
    s.save_template(saved("b", "en_US", "mem-tpl-3", "PENDING"))
        .await
        .unwrap();
    let all = s.saved_templates("memory").await.unwrap();
    let names: Vec<_> = all
        .iter()
        .map(|t| (t.name.as_str(), t.language.as_str(), t.status.as_deref()))
        .collect();
    assert_eq!(
        names,
        [
            ("a", "en_US", None),
            ("a", "pt_BR", None),
            ("b", "en_US", Some("APPROVED"))
        ]
    );
    assert_eq!(all[2].document, r#"{"name":"b","language":"en_US"}"#);
    assert!(s.saved_templates("meta").await.unwrap().is_empty());
    // By id; by name in one language; by name in every language.
    assert_eq!(
        s.forget_template("memory", Some("mem-tpl-3"), None, None)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        s.forget_template("memory", None, Some("a"), Some("pt_BR"))
            .await
            .unwrap(),
        1
    );
    s.save_template(saved("a", "pt_BR", "mem-tpl-2", "PENDING"))
        .await
        .unwrap();
    assert_eq!(
        s.forget_template("memory", None, Some("a"), None)
            .await
            .unwrap(),
        2
    );
    assert!(s.saved_templates("memory").await.unwrap().is_empty());
}
