//! Campaign rows on both backends: loading is idempotent, workers claim disjoint rows, a row is
//! started before it is sent, leases that run out put claimed rows back and make started ones
//! uncertain (never sent again by themselves), a receipt for an uncertain row's client_ref
//! settles it, `retry_uncertain` sends what is still uncertain again, pause and cancel hold;
//! the shared limit spaces permits and a hold delays every taker.

use std::collections::HashSet;

use serde_json::json;
use wabakit_core::{Event, EventBody, MessageStatus};
use wabakit_store::*;

mod common;

/// Claim with a sweep of expired leases first (started at once when `start`).
fn how(start: bool) -> ClaimHow {
    ClaimHow {
        start,
        sweep: true,
        after: 0,
    }
}

fn spec(name: &str) -> CampaignSpec {
    CampaignSpec {
        name: name.into(),
        profile: "prod".into(),
        provider: "meta".into(),
        template: "order_update".into(),
        language: "en_US".into(),
    }
}

fn rows(n: usize) -> Vec<NewRow> {
    (0..n)
        .map(|i| NewRow {
            client_ref: format!("spring-{i}"),
            recipient: format!("86136000{i:05}"),
            template: "order_update".into(),
            language: "en_US".into(),
            message: json!({"to": format!("86136000{i:05}"), "client_ref": format!("spring-{i}")})
                .to_string(),
        })
        .collect()
}

fn sent(row: &ClaimedRow, id: &str) -> RowOutcome {
    RowOutcome {
        record: SendRecord::new("meta", "prod", "x", "order_update", "en_US")
            .with_client_ref(&row.client_ref)
            .with_campaign("spring")
            .with_message_id(id),
    }
}

async fn loading_twice_adds_nothing_and_a_changed_definition_is_refused(s: Store) {
    assert!(s.create_campaign(spec("spring")).await.unwrap());
    assert_eq!(s.add_campaign_rows("spring", rows(10)).await.unwrap(), 10);
    assert!(!s.create_campaign(spec("spring")).await.unwrap());
    assert_eq!(s.add_campaign_rows("spring", rows(12)).await.unwrap(), 2);
    assert_eq!(s.campaign_status("spring").await.unwrap().total, 12);
    let mut other = spec("spring");
    other.template = "other".into();
    let e = s.create_campaign(other).await.unwrap_err().to_string();
    assert!(
        e.contains("exists with profile \"prod\", template \"order_update\""),
        "{e}"
    );
    let e = s
        .create_campaign(spec("no spaces"))
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("campaign name \"no spaces\""), "{e}");
    let e = s.campaign_status("autumn").await.unwrap_err().to_string();
    assert!(e.contains("no campaign \"autumn\""), "{e}");
}

async fn workers_claim_disjoint_rows_and_finish_them(s: Store) {
    s.create_campaign(spec("spring")).await.unwrap();
    s.add_campaign_rows("spring", rows(10)).await.unwrap();
    let a = s
        .claim_rows("spring", "w-a", 4, 60_000, how(false))
        .await
        .unwrap();
    let b = s
        .claim_rows("spring", "w-b", 4, 60_000, how(false))
        .await
        .unwrap();
    let ids = |c: &Claim| c.rows.iter().map(|r| r.id).collect::<HashSet<_>>();
    assert_eq!((a.rows.len(), b.rows.len()), (4, 4));
    assert!(ids(&a).is_disjoint(&ids(&b)));
    assert!(b.open);
    // Two left: w-a takes them. Then only w-b's rows are open to w-a; once w-a holds every
    // row, none is open to it (its own end with its sends) and all are to w-b.
    let claim = |w: &'static str, n: u32| {
        let s = s.clone();
        async move {
            s.claim_rows("spring", w, n, 60_000, how(false))
                .await
                .unwrap()
        }
    };
    assert_eq!(claim("w-a", 4).await.rows.len(), 2);
    let e = claim("w-a", 4).await;
    assert!(e.rows.is_empty() && e.open, "w-b's rows are open to w-a");
    s.release_rows("spring", "w-b").await.unwrap();
    assert_eq!(claim("w-a", 10).await.rows.len(), 4);
    assert!(!claim("w-a", 4).await.open, "w-a holds every open row");
    assert!(claim("w-b", 4).await.open);
    // Back to four rows each, two pending.
    s.release_rows("spring", "w-a").await.unwrap();
    let a = claim("w-a", 4).await;
    assert_eq!(claim("w-b", 4).await.rows.len(), 4);
    // Only the holder starts a row, once.
    let r = &a.rows[0];
    assert!(!s.start_row(r.id, "w-b", 60_000).await.unwrap());
    assert!(s.start_row(r.id, "w-a", 60_000).await.unwrap());
    assert!(!s.start_row(r.id, "w-a", 60_000).await.unwrap());
    s.finish_row(r.id, "w-a", sent(r, "wamid.1")).await.unwrap();
    let st = s.campaign_status("spring").await.unwrap();
    assert_eq!((st.sent, st.claimed, st.pending), (1, 7, 2));
    // One message in the last minute, over at least a second: at most 1/s, and an ETA.
    assert!(st.rate > 0.0 && st.rate <= 1.0, "{}", st.rate);
    assert!(st.eta_seconds.is_some());
    assert_eq!(
        s.history("wamid.1")
            .await
            .unwrap()
            .unwrap()
            .message
            .campaign
            .as_deref(),
        Some("spring")
    );
    // A worker that stops gives back what it has not started.
    assert_eq!(s.release_rows("spring", "w-a").await.unwrap(), 3);
    assert_eq!(s.campaign_status("spring").await.unwrap().pending, 5);
}

async fn expired_leases_put_claimed_rows_back_and_make_started_ones_uncertain(s: Store) {
    s.create_campaign(spec("spring")).await.unwrap();
    s.add_campaign_rows("spring", rows(3)).await.unwrap();
    // A lease already over: the worker died at once.
    let dead = s
        .claim_rows("spring", "w-dead", 3, -1, how(false))
        .await
        .unwrap();
    assert!(s.start_row(dead.rows[0].id, "w-dead", -1).await.unwrap());
    assert!(s.start_row(dead.rows[1].id, "w-dead", -1).await.unwrap());
    // A receipt for the first arrives (the provider did act on it) before anyone notices.
    let receipt = Event::new(
        "meta",
        EventBody::MessageStatus {
            message_id: "wamid.d0".into(),
            client_ref: Some(dead.rows[0].client_ref.clone()),
            status: MessageStatus::Delivered,
            recipient: None,
            at: Some(5),
            errors: Vec::new(),
        },
        json!({}),
    );
    s.record_events("prod", vec![receipt]).await.unwrap();
    // The next claim sweeps: the unstarted row is claimable again, the started ones are not.
    let next = s
        .claim_rows("spring", "w-new", 10, 60_000, how(false))
        .await
        .unwrap();
    assert_eq!(
        next.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        [dead.rows[2].id]
    );
    let st = s.campaign_status("spring").await.unwrap();
    // The first is settled by its receipt; the second stays uncertain.
    assert_eq!(
        (st.sent, st.settled, st.uncertain, st.claimed),
        (1, 1, 1, 1)
    );
    let m = s
        .history(&dead.rows[1].client_ref)
        .await
        .unwrap()
        .unwrap()
        .message;
    assert_eq!(
        (m.outcome.as_str(), m.status.as_str()),
        ("uncertain", "uncertain")
    );
    let m = s.history("wamid.d0").await.unwrap().unwrap().message;
    assert_eq!(m.status, "delivered");
    // A receipt arriving later settles the second too.
    let late = Event::new(
        "meta",
        EventBody::MessageStatus {
            message_id: "wamid.d1".into(),
            client_ref: Some(dead.rows[1].client_ref.clone()),
            status: MessageStatus::Read,
            recipient: None,
            at: Some(6),
            errors: Vec::new(),
        },
        json!({}),
    );
    s.record_events("prod", vec![late]).await.unwrap();
    let st = s.campaign_status("spring").await.unwrap();
    assert_eq!((st.sent, st.settled, st.uncertain), (2, 2, 0));
}

async fn retry_uncertain_puts_what_is_still_uncertain_back(s: Store) {
    s.create_campaign(spec("spring")).await.unwrap();
    s.add_campaign_rows("spring", rows(2)).await.unwrap();
    let c = s
        .claim_rows("spring", "w-1", 2, 60_000, how(false))
        .await
        .unwrap();
    for r in &c.rows {
        assert!(s.start_row(r.id, "w-1", 60_000).await.unwrap());
        let lost = RowOutcome {
            record: SendRecord::new("meta", "prod", "x", "order_update", "en_US")
                .with_client_ref(&r.client_ref)
                .with_campaign("spring")
                .with_outcome(Outcome::Uncertain {
                    kind: wabakit_core::ErrorKind::Transport,
                    message: "connection dropped".into(),
                }),
        };
        s.finish_row(r.id, "w-1", lost).await.unwrap();
    }
    assert_eq!(s.campaign_status("spring").await.unwrap().uncertain, 2);
    assert_eq!(s.retry_uncertain("spring").await.unwrap(), 2);
    let again = s
        .claim_rows("spring", "w-2", 10, 60_000, how(false))
        .await
        .unwrap();
    assert_eq!(again.rows.len(), 2);
    // The old records went with them: the new sends record their own.
    assert!(s.history(&c.rows[0].client_ref).await.unwrap().is_none());
}

async fn pause_stops_claims_and_cancel_cancels_what_was_not_started(s: Store) {
    s.create_campaign(spec("spring")).await.unwrap();
    s.add_campaign_rows("spring", rows(5)).await.unwrap();
    let c = s
        .claim_rows("spring", "w-1", 2, 60_000, how(false))
        .await
        .unwrap();
    s.set_campaign_state("spring", CampaignState::Paused)
        .await
        .unwrap();
    let paused = s
        .claim_rows("spring", "w-2", 5, 60_000, how(false))
        .await
        .unwrap();
    assert_eq!(
        (paused.state, paused.rows.len()),
        (CampaignState::Paused, 0)
    );
    s.set_campaign_state("spring", CampaignState::Running)
        .await
        .unwrap();
    assert!(s.start_row(c.rows[0].id, "w-1", 60_000).await.unwrap());
    s.set_campaign_state("spring", CampaignState::Cancelled)
        .await
        .unwrap();
    // A held row not started is cancelled; the started one finishes as it goes.
    assert!(!s.start_row(c.rows[1].id, "w-1", 60_000).await.unwrap());
    s.finish_row(c.rows[0].id, "w-1", sent(&c.rows[0], "wamid.c0"))
        .await
        .unwrap();
    let st = s.campaign_status("spring").await.unwrap();
    assert_eq!(
        (st.state.as_str(), st.sent, st.cancelled),
        ("cancelled", 1, 4)
    );
    assert!(st.finished());
    let e = s
        .set_campaign_state("spring", CampaignState::Running)
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("is cancelled"), "{e}");
}

async fn permits_are_spaced_and_a_hold_delays_every_taker(s: Store) {
    // 100 per second: 10 ms apart, whoever takes them.
    let a = s.take_permits("send:prod", 100, 5).await.unwrap();
    let b = s.take_permits("send:prod", 100, 5).await.unwrap();
    assert_eq!(
        b - a,
        5 * 10_000,
        "the second batch starts where the first ends"
    );
    let until = b + 2_000_000;
    s.hold_permits("send:prod", until).await.unwrap();
    let c = s.take_permits("send:prod", 100, 1).await.unwrap();
    assert_eq!(c, until);
    // Another key is its own limit.
    let other = s.take_permits("send:test", 100, 1).await.unwrap();
    assert!(other < until);
}

async fn rows_claimed_started_finish_in_one_batch(s: Store) {
    s.create_campaign(spec("spring")).await.unwrap();
    s.add_campaign_rows("spring", rows(4)).await.unwrap();
    let c = s
        .claim_rows("spring", "w-1", 4, 60_000, how(true))
        .await
        .unwrap();
    assert!(c.rows.iter().all(|r| r.started));
    assert_eq!(s.campaign_status("spring").await.unwrap().started, 4);
    // A receipt that came before its send is recorded joins it.
    let early = Event::new(
        "meta",
        EventBody::MessageStatus {
            message_id: "wamid.b0".into(),
            client_ref: None,
            status: MessageStatus::Delivered,
            recipient: None,
            at: Some(7),
            errors: Vec::new(),
        },
        json!({}),
    );
    s.record_events("prod", vec![early]).await.unwrap();
    let failed = RowOutcome {
        record: SendRecord::new("meta", "prod", "x", "order_update", "en_US")
            .with_client_ref(&c.rows[1].client_ref)
            .with_campaign("spring")
            .with_outcome(Outcome::Failed {
                kind: wabakit_core::ErrorKind::Validation,
                code: Some("132000".into()),
                message: "wrong number of parameters".into(),
            }),
    };
    let lost = RowOutcome {
        record: SendRecord::new("meta", "prod", "x", "order_update", "en_US")
            .with_client_ref(&c.rows[2].client_ref)
            .with_campaign("spring")
            .with_outcome(Outcome::Uncertain {
                kind: wabakit_core::ErrorKind::Transport,
                message: "connection dropped".into(),
            }),
    };
    s.finish_rows(
        "w-1",
        vec![
            (c.rows[0].id, sent(&c.rows[0], "wamid.b0")),
            (c.rows[1].id, failed),
            (c.rows[2].id, lost),
            (c.rows[3].id, sent(&c.rows[3], "wamid.b3")),
        ],
    )
    .await
    .unwrap();
    let st = s.campaign_status("spring").await.unwrap();
    assert_eq!((st.sent, st.failed, st.uncertain, st.started), (2, 1, 1, 0));
    let m = s.history("wamid.b0").await.unwrap().unwrap().message;
    assert_eq!(
        (m.status.as_str(), m.campaign.as_deref()),
        ("delivered", Some("spring"))
    );
    let m = s
        .history(&c.rows[1].client_ref)
        .await
        .unwrap()
        .unwrap()
        .message;
    assert_eq!(
        (m.status.as_str(), m.error_code.as_deref()),
        ("failed", Some("132000"))
    );
    let r = s
        .report(ReportFilter {
            campaign: Some("spring".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(r.total, 4, "one record per row");
    let rows = s.campaign_rows("spring", 0, 10).await.unwrap();
    assert_eq!(rows[0].message_id.as_deref(), Some("wamid.b0"));
    assert_eq!(rows[2].error_message.as_deref(), Some("connection dropped"));
}

async fn a_claim_after_an_id_takes_only_later_rows(s: Store) {
    s.create_campaign(spec("spring")).await.unwrap();
    // A file with a row twice: loaded once.
    let mut twice = rows(6);
    twice.push(rows(1).remove(0));
    assert_eq!(s.add_campaign_rows("spring", twice).await.unwrap(), 6);
    let first = s
        .claim_rows("spring", "w-1", 2, 60_000, how(false))
        .await
        .unwrap();
    let last = first.rows[1].id;
    // Row 0 goes back: a claim after `last` does not see it, one from the start does.
    s.release_rows("spring", "w-1").await.unwrap();
    let after = ClaimHow {
        after: last,
        ..how(false)
    };
    let later = s
        .claim_rows("spring", "w-1", 10, 60_000, after)
        .await
        .unwrap();
    let refs: Vec<_> = later.rows.iter().map(|r| r.client_ref.as_str()).collect();
    assert_eq!(refs, ["spring-2", "spring-3", "spring-4", "spring-5"]);
    assert!(later.rows.iter().all(|r| r.id > last));
    let none = s
        .claim_rows(
            "spring",
            "w-1",
            10,
            60_000,
            ClaimHow {
                after: i64::MAX,
                ..how(false)
            },
        )
        .await
        .unwrap();
    assert!(none.rows.is_empty() && none.open);
    let rest = s
        .claim_rows("spring", "w-1", 10, 60_000, how(false))
        .await
        .unwrap();
    let refs: Vec<_> = rest.rows.iter().map(|r| r.client_ref.as_str()).collect();
    assert_eq!(refs, ["spring-0", "spring-1"]);
}

on_both!(
    a_claim_after_an_id_takes_only_later_rows,
    rows_claimed_started_finish_in_one_batch,
    loading_twice_adds_nothing_and_a_changed_definition_is_refused,
    workers_claim_disjoint_rows_and_finish_them,
    expired_leases_put_claimed_rows_back_and_make_started_ones_uncertain,
    retry_uncertain_puts_what_is_still_uncertain_back,
    pause_stops_claims_and_cancel_cancels_what_was_not_started,
    permits_are_spaced_and_a_hold_delays_every_taker,
);
