//! The Alibaba client against the fake cams server, over real HTTP on 127.0.0.1.

use std::collections::HashSet;

use wabakit_alibaba::fake::{FakeCams, FakeOptions, Fault, FaultKind};
use wabakit_alibaba::{AlibabaConfig, AlibabaProvider, Placement, SignatureVersion};
use wabakit_conformance::{order_message, order_update, run_all, FakeHarness};
use wabakit_core::*;

mod common;
use common::{fast, setup};

#[tokio::test]
async fn conformance_scenarios_pass_against_the_fake() {
    for (signature, placement) in [
        (SignatureVersion::V3, Placement::Body),
        (SignatureVersion::V1, Placement::Query),
    ] {
        let fake = FakeCams::start(FakeOptions::default()).await.unwrap();
        let mut cfg = fast(fake.client_config());
        cfg.signature = signature;
        cfg.template_params = placement;
        let h = FakeHarness {
            provider: AlibabaProvider::new(cfg).unwrap(),
            fake,
        };
        let passed = run_all(&h, "ali")
            .await
            .unwrap_or_else(|e| panic!("{signature:?}/{placement:?}: {e}"));
        assert_eq!(passed.len(), wabakit_conformance::scenarios().len());
    }
}

#[tokio::test]
async fn every_operation_over_http() {
    let (fake, client) = setup(FakeOptions::default()).await;
    let r = client
        .create_template(&order_update("all_ops"))
        .await
        .unwrap();
    let code = r.id().unwrap().clone();
    let stored = &fake.templates()[0];
    assert_eq!(
        (
            stored.code.as_str(),
            stored.audit.as_str(),
            stored.template_type.as_str()
        ),
        (code.as_str(), "auditing", "WHATSAPP")
    );
    assert_eq!(
        stored.example,
        Some(serde_json::json!({"1": "Ana", "2": "today"}))
    );

    let info = client
        .get_template(&TemplateQuery::by_id(code.as_str()))
        .await
        .unwrap();
    assert_eq!(
        (info.name.as_str(), info.status.clone()),
        ("all_ops", TemplateStatus::Pending)
    );

    assert!(fake.reject("all_ops", "en_US", "INVALID_FORMAT"));
    client
        .update_template(&code, &wabakit_conformance::order_update_edited("all_ops"))
        .await
        .unwrap();
    assert!(fake.approve("all_ops", "en_US"));

    let page = client
        .list_templates(&ListQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        (page.items.len(), page.total, page.next),
        (1, Some(1), None)
    );

    let receipt = client.send(&order_message("all_ops")).await.unwrap();
    let d = &fake.delivered()[0];
    assert_eq!(d.message_id, receipt.message_id);
    assert_eq!(
        d.task_id.as_deref(),
        Some("all_ops-1234-shipped"),
        "client_ref travels as TaskId"
    );
    assert_eq!(d.params, serde_json::json!({"1": "Ana", "2": "today"}));
    assert_eq!(d.payload, Some(serde_json::json!(["track-1234"])));
    let send = fake
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.action.as_deref() == Some("SendChatappMessage"))
        .unwrap();
    assert!(
        send.params
            .contains(&("TemplateCode".into(), code.0.clone())),
        "a known template is sent by code"
    );

    let auth = client.upload_authorization().await.unwrap();
    assert_eq!(auth["BucketName"], "cams-fake-bucket");

    client
        .delete_template(&TemplateQuery::by_id(code.as_str()))
        .await
        .unwrap();
    assert!(fake.templates().is_empty());
    // The deleted template is forgotten: a message to it names the template again, no code.
    let req = client
        .render(
            &Operation::Send(order_message("all_ops")),
            &Pinned {
                unix_millis: SystemClock.unix_millis(),
                nonce: "ab".repeat(16),
            },
        )
        .unwrap();
    assert!(
        req.url.contains("TemplateName=all_ops") && !req.url.contains("TemplateCode="),
        "{}",
        req.url
    );
}

#[tokio::test]
async fn sts_tokens_are_sent_and_required() {
    let (_fake, client) = setup(FakeOptions {
        security_token: Some("sts-token-1".into()),
        ..Default::default()
    })
    .await;
    client.create_template(&order_update("sts")).await.unwrap();
    let fake = FakeCams::start(FakeOptions {
        security_token: Some("sts-token-1".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let mut cfg = fast(fake.client_config());
    cfg.security_token = None;
    let e = AlibabaProvider::new(cfg)
        .unwrap()
        .create_template(&order_update("sts"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
}

#[tokio::test]
async fn throttling_is_retried_after_the_advised_delay_with_fresh_nonces() {
    let (fake, client) = setup(FakeOptions {
        instant_review: true,
        qps: Some(2),
        ..Default::default()
    })
    .await;
    client.create_template(&order_update("busy")).await.unwrap();
    // At 2 per second, five quick sends meet the limit whatever second boundary they straddle.
    for i in 0..5 {
        let mut m = order_message("busy");
        m.client_ref = Some(format!("busy-{i}"));
        client.send(&m).await.unwrap();
    }
    let sends: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.action.as_deref() == Some("SendChatappMessage"))
        .collect();
    let codes: Vec<&str> = sends
        .iter()
        .map(|r| r.code.as_deref().unwrap_or("-"))
        .collect();
    assert!(
        codes.contains(&"Throttling.User"),
        "the fake throttled a send: {codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|c| **c == "OK").count(),
        5,
        "every send went through in the end: {codes:?}"
    );
    assert_eq!(fake.delivered().len(), 5);
    let nonces: HashSet<_> = fake.requests().iter().map(|r| r.nonce.clone()).collect();
    assert_eq!(
        nonces.len(),
        fake.requests().len(),
        "no nonce is ever used twice"
    );
}

#[tokio::test]
async fn a_send_that_may_have_been_delivered_is_not_retried() {
    let (fake, client) = setup(FakeOptions {
        instant_review: true,
        ..Default::default()
    })
    .await;
    client.create_template(&order_update("drop")).await.unwrap();
    for kind in [
        FaultKind::DropAfter,
        FaultKind::Malformed,
        FaultKind::Http {
            status: 503,
            retry_after: None,
        },
    ] {
        fake.inject(Fault::new(kind.clone()).on("SendChatappMessage"));
        let before = fake.requests().len();
        let e = client.send(&order_message("drop")).await.unwrap_err();
        assert_eq!(
            e.delivery(),
            Delivery::MayHaveBeenDelivered,
            "{kind:?}: {e}"
        );
        assert_eq!(fake.requests().len(), before + 1, "{kind:?}: tried once");
    }
    assert_eq!(fake.delivered().len(), 2);
    // A read is retried after the same faults.
    fake.inject(Fault::new(FaultKind::DropBefore).on("ListChatappTemplate"));
    client.list_templates(&ListQuery::default()).await.unwrap();
}

#[test]
fn debug_of_client_and_config_never_shows_the_secret() {
    let mut cfg = AlibabaConfig::builder()
        .access_key_id("LTAIvisible")
        .access_key_secret("sk-very-secret-123")
        .cust_space_id("cams-1")
        .from("6580000000")
        .build()
        .unwrap();
    cfg.security_token = Some(Secret::new("sts-secret-token-456"));
    let client = AlibabaProvider::new(cfg.clone()).unwrap();
    for text in [format!("{cfg:?}"), format!("{client:?}")] {
        // The key id: its first characters only.
        assert!(
            text.contains(r#"KeyId("LTAI"…)"#) && !text.contains("LTAIvisible"),
            "{text}"
        );
        assert!(
            !text.contains("sk-very-secret-123") && !text.contains("sts-secret-token-456"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn the_client_keeps_within_its_limit_so_the_server_never_throttles() {
    let fake = FakeCams::start(FakeOptions {
        instant_review: true,
        qps: Some(2),
        ..Default::default()
    })
    .await
    .unwrap();
    let mut cfg = fast(fake.client_config());
    // One send a second: no one-second window of the server's can see more than two.
    cfg.transport.qps = vec![("send".into(), 1)];
    let client = AlibabaProvider::new(cfg).unwrap();
    client
        .create_template(&order_update("paced"))
        .await
        .unwrap();
    for i in 0..3 {
        let mut m = order_message("paced");
        m.client_ref = Some(format!("paced-{i}"));
        client.send(&m).await.unwrap();
    }
    let codes: Vec<_> = fake.requests().into_iter().filter_map(|r| r.code).collect();
    assert!(
        !codes.iter().any(|c| c.starts_with("Throttling")),
        "{codes:?}"
    );
    assert_eq!(fake.delivered().len(), 3);
}

/// What a user's receipt endpoint sees after a send: ChatAppStatus receipts, Sent then
/// Delivered, carrying the TaskId (the message's client_ref).
#[tokio::test]
async fn a_sent_message_is_reported_sent_then_delivered() {
    let (url, mut receipts) = wabakit_core::fake::callback_receiver().await.unwrap();
    let (fake, client) = setup(FakeOptions {
        receipt_url: Some(url),
        ..Default::default()
    })
    .await;
    client
        .create_template(&order_update("statuses"))
        .await
        .unwrap();
    assert!(fake.approve("statuses", "en_US"));
    let message = order_message("statuses");
    let receipt = client.send(&message).await.unwrap();
    // The approval's ChatAppAudit receipt, then the message's two (in the order sent).
    let mut statuses = Vec::new();
    for (_, body) in wabakit_core::fake::next_callbacks(&mut receipts, 3)
        .await
        .unwrap()
    {
        for e in wabakit_alibaba::callbacks::parse(&body).unwrap() {
            if let EventBody::MessageStatus {
                message_id,
                status,
                client_ref,
                ..
            } = e.body
            {
                statuses.push((message_id, status, client_ref));
            }
        }
    }
    assert_eq!(
        statuses,
        vec![
            (
                receipt.message_id.clone(),
                MessageStatus::Sent,
                message.client_ref.clone()
            ),
            (
                receipt.message_id,
                MessageStatus::Delivered,
                message.client_ref
            ),
        ]
    );
}

/// Seed 003: a coupon code variable, created, approved and filled by a message, end to end.
#[tokio::test]
async fn seed_003_coupon_code_variable_over_http() {
    let (fake, client) = setup(FakeOptions {
        instant_review: true,
        ..Default::default()
    })
    .await;
    let tpl = Template::from_value(&serde_json::json!({
        "name": "coupon", "language": "en", "category": "MARKETING",
        "components": [
            {"type": "BODY", "text": "Hi {{1}}, here is your code.", "example": {"body_text": [["Ana"]]}},
            {"type": "BUTTONS", "buttons": [{"type": "COPY_CODE", "example": "$(couponCode)"}]}
        ]
    }))
    .unwrap();
    client.create_template(&tpl).await.unwrap();
    let m = TemplateMessage::from_value(&serde_json::json!({"to": "8613900000000", "template": "coupon",
        "language": "en", "body": ["Ana"], "buttons": [{"index": 0, "type": "copy_code", "coupon_code": "SAVE25"}]}))
    .unwrap();
    client.send(&m).await.unwrap();
    assert_eq!(
        fake.delivered()[0].params,
        serde_json::json!({"1": "Ana", "couponCode": "SAVE25"})
    );
}

/// A template read with `get_template` is known from then on: a message missing one of its
/// values is refused before any request (as NXCloud's and Meta's clients do), and a whole one
/// is sent.
#[tokio::test]
async fn a_template_read_checks_the_messages_sent_after() {
    let (fake, maker) = setup(FakeOptions::default()).await;
    maker
        .create_template(&order_update("read_first"))
        .await
        .unwrap();
    assert!(fake.approve("read_first", "en_US"));
    // Another client, which never made it.
    let client = AlibabaProvider::new(fast(fake.client_config())).unwrap();
    client
        .get_template(&TemplateQuery::by_name("read_first", "en_US"))
        .await
        .unwrap();
    let before = fake.requests().len();
    let mut short = order_message("read_first");
    short.body = Params::Positional(vec!["Ana".into()]);
    let e = client.send(&short).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
    assert!(e.to_string().contains("body"), "{e}");
    assert_eq!(fake.requests().len(), before, "refused before any request");
    client.send(&order_message("read_first")).await.unwrap();
    assert_eq!(fake.delivered().len(), 1);
}
