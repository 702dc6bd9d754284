//! NXCloud webhooks → neutral events; signed callbacks verified; duplicates dropped.

use serde_json::json;
use wabakit_core::*;
use wabakit_nxcloud::callbacks::{parse, verify, Verify};
use wabakit_nxcloud::fake::{FakeNxcloud, FakeOptions};
use wabakit_nxcloud::{sign, Algorithm, NxcloudProvider, SignInput};

fn events(v: serde_json::Value) -> Vec<Event> {
    parse(v.to_string().as_bytes()).unwrap()
}

#[test]
fn message_statuses_in_both_page_versions() {
    // 2023 shape.
    let e = events(json!({
        "statuses": [
            {"id": "order-1", "status": "delivered", "timestamp": "1718000000", "recipient_id": "8613600009759",
             "conversation": {"id": "c1", "origin": {"type": "utility"}}, "pricing": {"billable": true}},
            {"id": "order-2", "status": "failed", "timestamp": 1718000001, "recipient_id": "8613600009760",
             "errors": [{"code": 131047, "title": "Re-engagement message"}]}
        ],
        "business_phone": "8618500008399", "messaging_product": "whatsapp"
    }));
    assert_eq!(e.len(), 2);
    match &e[0].body {
        EventBody::MessageStatus {
            message_id,
            status,
            recipient,
            at,
            ..
        } => {
            assert_eq!(
                (message_id.as_str(), status, recipient.as_deref(), *at),
                (
                    "order-1",
                    &MessageStatus::Delivered,
                    Some("8613600009759"),
                    Some(1_718_000_000)
                )
            );
        }
        other => panic!("{other:?}"),
    }
    match &e[1].body {
        EventBody::MessageStatus {
            status, errors, at, ..
        } => {
            assert_eq!(*status, MessageStatus::Failed);
            assert_eq!(errors, &["131047 Re-engagement message"]);
            assert_eq!(*at, Some(1_718_000_001), "numbers and strings both read");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        e[0].raw["pricing"]["billable"],
        json!(true),
        "unknown fields are kept"
    );

    // 2025 SAAS shape: merchant_phone, metadata, costs, a status value wabakit does not know.
    let e = events(json!({
        "statuses": [{"id": "m9", "status": "warning", "timestamp": "1760000000", "recipient_id": "8613600009759",
                      "costs": [{"currency": "CNY", "price": 0.05, "cdr_type": 5}], "meta_message_id": "wamid.X"}],
        "merchant_phone": "8618500008399", "app_id": 12, "channel": 2,
        "metadata": {"display_phone_number": "8618500008399", "phone_number_id": "1"}
    }));
    match &e[0].body {
        EventBody::MessageStatus { status, .. } => {
            assert_eq!(*status, MessageStatus::Other("warning".into()))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(e[0].raw["meta_message_id"], json!("wamid.X"));
}

#[test]
fn inbound_messages_of_several_kinds() {
    let e = events(json!({
        "contacts": [{"profile": {"name": "Ana"}, "wa_id": "8613600009759"}],
        "messages": [
            {"from": "8613600009759", "id": "in-1", "timestamp": "1718000000", "type": "text", "text": {"body": "hi"}},
            {"from": "8613600009759", "id": "in-2", "timestamp": 1718000001, "type": "button",
             "button": {"payload": "track-1234", "text": "Track"}, "wa_ext": "{\"templateName\":\"order_update\"}"},
            {"from": "8613600009759", "id": "in-3", "timestamp": "1718000002", "type": "location",
             "location": {"latitude": "22.54", "longitude": "114.05", "name": "Shop"}},
            {"from": "8613600009759", "id": "in-4", "timestamp": "1718000003", "type": "image",
             "image": {"id": "a75c6d9b", "mime_type": "image/jpeg", "sha256": "x", "caption": "my order"}}
        ],
        "merchant_phone": "8618500008399", "messaging_product": "whatsapp"
    }));
    let got: Vec<(String, String, Option<String>)> = e
        .iter()
        .map(|e| match &e.body {
            EventBody::Inbound {
                message_id,
                kind,
                text,
                ..
            } => (message_id.clone(), kind.clone(), text.clone()),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("in-1".into(), "text".into(), Some("hi".into())),
            ("in-2".into(), "button".into(), Some("Track".into())),
            ("in-3".into(), "location".into(), None),
            ("in-4".into(), "image".into(), Some("my order".into())),
        ]
    );
    assert_eq!(e[2].raw["location"]["latitude"], json!("22.54"));
}

#[test]
fn template_events_and_async_create_callbacks() {
    let e = events(json!({"field": "message_template_status_update", "value": {
        "business_phone": "8618500008399", "event": "REJECTED", "message_template_id": 1512500005168_i64,
        "message_template_language": "en_US", "message_template_name": "order_update",
        "reason": "INCORRECT_CATEGORY", "time": 1760000000, "wabaId": "123"}}));
    match &e[0].body {
        EventBody::TemplateStatus {
            template_id,
            name,
            status,
            reason,
            at,
            ..
        } => {
            assert_eq!(
                template_id.as_ref().map(TemplateId::as_str),
                Some("1512500005168")
            );
            assert_eq!(name.as_deref(), Some("order_update"));
            assert_eq!(
                (status, reason.as_deref(), *at),
                (
                    &TemplateStatus::Rejected,
                    Some("INCORRECT_CATEGORY"),
                    Some(1_760_000_000)
                )
            );
        }
        other => panic!("{other:?}"),
    }
    let e = events(
        json!({"field": "message_template_quality_update", "value": {"new_quality_score": "RED"}}),
    );
    assert!(
        matches!(&e[0].body, EventBody::Other { kind } if kind == "message_template_quality_update")
    );
}

/// The two callbacks printed on the createTemplateAsync page (seed 002), as the vendor wrote
/// them: the created template with its id, status and category, tied to the request id the
/// answer gave; and a failure read as its code means (这种语言的内容已存在: already exists).
#[test]
fn seed_002_async_create_callbacks_become_events() {
    let ok = events(wabakit_testdata::json(
        "seed-002/create_template_async.callback_success.json",
    ));
    assert_eq!(
        ok[0].body,
        EventBody::TemplateStatus {
            template_id: Some(TemplateId::new("239686****38311")),
            name: None,
            language: None,
            status: TemplateStatus::Approved,
            reason: None,
            category: Some("MARKETING".into()),
            at: None,
            request_id: Some("d167cd24738d4e6094e0319f5a4073f7".into()),
        }
    );
    let failed = events(wabakit_testdata::json(
        "seed-002/create_template_async.callback_failure.json",
    ));
    assert_eq!(
        failed[0].body,
        EventBody::TemplateCreateFailed {
            request_id: "d167cd24738d4e6094e0319f5a4073f7".into(),
            kind: ErrorKind::AlreadyExists,
            code: "-1".into(),
            message: "这种语言的内容已存在".into()
        }
    );
}

#[test]
fn duplicates_are_dropped_by_the_shared_helper() {
    let body = json!({"statuses": [{"id": "m1", "status": "sent", "timestamp": "1"}, {"id": "m1", "status": "delivered", "timestamp": "2"}]});
    let mut d = Dedupe::new(1000);
    assert_eq!(d.filter(events(body.clone())).len(), 2);
    assert_eq!(
        d.filter(events(body)).len(),
        0,
        "a redelivered webhook adds nothing"
    );
}

fn signed(body: &[u8], secret: &str, ts: u64, camel: bool) -> Vec<(String, String)> {
    let ts = ts.to_string();
    let s = sign(&SignInput {
        access_key: "ak",
        access_secret: secret,
        ts: &ts,
        biz_type: "2",
        action: "dr",
        body: Some(body),
        algorithm: Algorithm::Md5,
    });
    let names = if camel {
        ["accessKey", "action", "bizType", "ts", "sign"]
    } else {
        ["accesskey", "action", "biztype", "ts", "sign"]
    };
    names
        .iter()
        .zip(["ak".to_owned(), "dr".to_owned(), "2".to_owned(), ts, s.sign])
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

#[test]
fn signed_callbacks_are_verified() {
    let body = br#"{"statuses":[{"id":"m1","status":"sent"}]}"#;
    let now = 1_760_000_000_000;
    let v = Verify {
        secret: "hook-secret",
        access_key: Some("ak"),
        now_millis: Some(now),
        window_millis: wabakit_nxcloud::callbacks::DEFAULT_WINDOW_MILLIS,
    };
    verify(&signed(body, "hook-secret", now - 5_000, false), body, &v).unwrap();
    verify(&signed(body, "hook-secret", now, true), body, &v).unwrap();
    let tampered = br#"{"statuses":[{"id":"m1","status":"read"}]}"#;
    let reasons = [
        verify(&signed(body, "hook-secret", now, false), tampered, &v),
        verify(&signed(body, "other-secret", now, false), body, &v),
        verify(&signed(body, "hook-secret", now - 61_000, false), body, &v),
        verify(&signed(body, "hook-secret", now, false)[1..], body, &v),
    ];
    for r in reasons {
        let e = r.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Auth);
        assert!(!e.to_string().contains("hook-secret"));
    }
    // Without a clock the window is not enforced.
    verify(
        &signed(body, "hook-secret", 1, false),
        body,
        &Verify {
            now_millis: None,
            ..v
        },
    )
    .unwrap();
}

#[tokio::test]
async fn the_fakes_signed_template_webhook_verifies_and_parses() {
    let (url, mut rx) = wabakit_core::fake::callback_receiver().await.unwrap();
    let fake = FakeNxcloud::start(FakeOptions {
        webhook_url: Some(url),
        webhook_secret: Some("hook-secret".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let mut cfg = fake.client_config();
    cfg.webhook_secret = Some(Secret::new("hook-secret"));
    let client = NxcloudProvider::new(cfg.clone()).unwrap();
    client
        .create_template(&wabakit_conformance::rich_update("hooked"))
        .await
        .unwrap();
    assert!(fake.approve("hooked", "en_US"));
    let (headers, body) = wabakit_core::fake::next_callbacks(&mut rx, 1)
        .await
        .unwrap()
        .remove(0);
    let events = client.parse_callback(&headers, &body).unwrap();
    assert!(
        matches!(&events[0].body, EventBody::TemplateStatus { status: TemplateStatus::Approved, name: Some(n), .. } if n == "hooked")
    );

    let mut wrong = cfg;
    wrong.webhook_secret = Some(Secret::new("another"));
    let e = NxcloudProvider::new(wrong)
        .unwrap()
        .parse_callback(&headers, &body)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
}
